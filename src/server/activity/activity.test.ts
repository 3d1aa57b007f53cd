// The activity log (x:Activity): every client write through JMAP, WebAdmin and the command
// line is recorded in the write's transaction, with who, when, from where and what changed;
// secrets never; read-only; filters; retention; permissions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Output } from '../cli';
import { USING, type TestServer } from '../testing';
import { VALIDATE_CAPABILITY } from '../../shared/jmap/capabilities';
import { create, fails, get, makeUser, query, set, snapshot, uniq, userAccount } from '../testkit';
import { apiKey, startWebAdminTest, type WebAdminTest } from '../webadmin/testing';
import { ACTIVITY, DAY_MS } from './names';
import { purgeActivity } from './retention';

type Entry = Record<string, unknown> & { id: string };

let t: WebAdminTest;
let server: TestServer;
let adminId: string;

beforeAll(async () => {
  t = await startWebAdminTest();
  server = t.server;
  const [, q] = await server.call('x:Account/query', { filter: { name: 'admin' } });
  adminId = q.ids[0];
});
afterAll(() => t.close());

/** The entries of one record, newest first. */
async function historyOf(objectType: string, objectId: string): Promise<Entry[]> {
  const q = await query(server, ACTIVITY, { filter: { objectType, objectId }, sort: [{ property: 'at', isAscending: false }] });
  if (!q.ids.length) return [];
  return (await get(server, ACTIVITY, q.ids)).list as Entry[];
}

const parsed = (e: Entry, prop: string) => JSON.parse(String((e.changes as Record<string, string>)[prop])) as Record<string, unknown>;
const activityRows = () => server.store.db.prepare(`SELECT data FROM records WHERE type = '${ACTIVITY}'`).pluck().all() as string[];

describe('recording', () => {
  it('a JMAP change of a role: who, when, from where, which properties, from and to', async () => {
    const before = new Date(Date.now() - 1000).toISOString().slice(0, 19);
    const roleId = await create(server, 'x:Role', { description: 'Helpdesk', enabledPermissions: { sysDomainGet: true } });
    const res = await set(server, 'x:Role', { update: { [roleId]: { description: 'Help desk', 'enabledPermissions/sysDomainQuery': true } } });
    expect(res.notUpdated).toBeNull();
    const [changed, made] = await historyOf('x:Role', roleId);
    expect(made).toMatchObject({ action: 'created', actorName: 'admin', actorId: adminId, via: 'jmap', objectType: 'x:Role', objectId: roleId });
    expect(parsed(made, 'description')).toEqual({ from: null, to: 'Helpdesk' });
    expect(changed).toMatchObject({ action: 'updated', actorName: 'admin', actorId: adminId, via: 'jmap', remoteIp: expect.stringMatching(/127\.0\.0\.1$/) });
    expect(changed.properties).toEqual({ description: true, enabledPermissions: true });
    expect(Object.keys(changed.changes as object).sort()).toEqual(['description', 'enabledPermissions']);
    expect(parsed(changed, 'description')).toEqual({ from: 'Helpdesk', to: 'Help desk' });
    expect(parsed(changed, 'enabledPermissions')).toEqual({ from: { sysDomainGet: true }, to: { sysDomainGet: true, sysDomainQuery: true } });
    expect(String(changed.at) >= before).toBe(true);
    // A deletion says what was there.
    await set(server, 'x:Role', { destroy: [roleId] });
    const [gone] = await historyOf('x:Role', roleId);
    expect(gone).toMatchObject({ action: 'destroyed', actorName: 'admin' });
    expect(parsed(gone, 'description')).toEqual({ from: 'Help desk', to: null });
  });

  it('a failed /set records nothing; in a /set with one refused record only the other is recorded', async () => {
    const roleId = await create(server, 'x:Role', { description: uniq('role ') });
    const rows = snapshot(server, ACTIVITY);
    const bad = await set(server, 'x:Role', { update: { [roleId]: { description: 42 } } });
    expect(bad.notUpdated?.[roleId]?.type).toBe('validationFailed');
    const mismatch = await fails(server, 'x:Role/set', { ifInState: 'not-the-state', update: { [roleId]: { description: 'changed' } } });
    expect(mismatch.type).toBe('stateMismatch');
    // A dry run checks as for real and rolls everything back: no entry either.
    const dry = await server.api([['x:Role/set', { validateOnly: true, update: { [roleId]: { description: 'only checked' } } }, '0']], { using: [...USING, VALIDATE_CAPABILITY] });
    expect(dry.methodResponses[0][1].updated).toEqual({ [roleId]: null });
    expect(snapshot(server, ACTIVITY)).toBe(rows);
    const mixed = await set(server, 'x:Role', { update: { [roleId]: { description: 'kept' } }, create: { bad: { description: 'x', roleIds: { nosuchrole: true } } } });
    expect(mixed.notCreated?.bad?.type).toBe('invalidForeignKey');
    const history = await historyOf('x:Role', roleId);
    expect(history.map((e) => e.action)).toEqual(['updated', 'created']);
    // An update that changes nothing is not a change.
    await set(server, 'x:Role', { update: { [roleId]: { description: 'kept' } } });
    expect(await historyOf('x:Role', roleId)).toHaveLength(2);
  });

  it('secrets are recorded as changed, never with their values (nor their hashes)', async () => {
    const password = `Sup3r-${uniq('secret')}-Pw`;
    const accountId = await create(server, 'x:Account', userAccount(uniq('sec'), password));
    const newPassword = `N3w-${uniq('secret')}-Pw`;
    const res = await set(server, 'x:Account', { update: { [accountId]: { credentials: { 0: { '@type': 'Password', secret: newPassword } } } } });
    expect(res.notUpdated).toBeNull();
    const keySecret = await apiKey(server);
    const [updated, made] = await historyOf('x:Account', accountId);
    // The credential's shape shows, its secret does not: {secret: true} says it changed.
    expect(parsed(made, 'credentials')).toEqual({ from: null, to: { 0: { '@type': 'Password', credentialId: '0', expiresAt: null, secret: null } }, secret: true });
    expect(parsed(updated, 'credentials')).toMatchObject({ secret: true, from: { 0: { secret: null } }, to: { 0: { '@type': 'Password', secret: null } } });
    const hash = String((server.store.get('x:Account', accountId)!.credentials as Record<string, Record<string, unknown>>)['0'].secret);
    const keyId = keySecret.split('_')[1];
    const key = (await historyOf('x:ApiKey', keyId))[0];
    expect(key, `no entry for API key ${keyId}`).toBeDefined();
    expect(parsed(key, 'secret')).toEqual({ secret: true });
    const all = activityRows().join('\n');
    for (const s of [password, newPassword, hash, keySecret, keySecret.split('_').pop()!, String(server.store.get('x:ApiKey', keyId)?.secret)]) {
      expect(all.includes(s), `the activity log holds ${s}`).toBe(false);
    }
  });

  it('a new relay password (kept outside the record, for Postfix) is recorded as a secret change, never its value', async () => {
    const password = `relay-${uniq('pw')}`;
    const routeId = await create(server, 'x:MtaRoute', { '@type': 'Relay', name: uniq('relay'), address: '127.0.0.1', port: 2525, authUsername: 'me', authSecret: { '@type': 'Value', secret: password } });
    const newPassword = `relay-${uniq('new')}`;
    const res = await set(server, 'x:MtaRoute', { update: { [routeId]: { authSecret: { '@type': 'Value', secret: newPassword } } } });
    expect(res.notUpdated).toBeNull();
    const [changed, made] = await historyOf('x:MtaRoute', routeId);
    expect(made.action).toBe('created');
    expect(changed).toMatchObject({ action: 'updated', properties: { authSecret: true } });
    expect(parsed(changed, 'authSecret')).toEqual({ secret: true });
    const all = activityRows().join('\n');
    for (const s of [password, newPassword]) expect(all.includes(s), `the activity log holds ${s}`).toBe(false);
    // Sent back as read (secret null): the password stays, nothing changed, nothing recorded.
    await set(server, 'x:MtaRoute', { update: { [routeId]: { authSecret: { '@type': 'Value', secret: null } } } });
    expect(await historyOf('x:MtaRoute', routeId)).toHaveLength(2);
    await set(server, 'x:MtaRoute', { destroy: [routeId] });
  });

  it('a WebAdmin PUT /domains/x is recorded via webadmin, the API key owner as author', async () => {
    const name = `${uniq('wa')}.test`;
    expect((await t.call('PUT', `/domains/${name}`)).status).toBe(204);
    const [, q] = await server.call('x:Domain/query', { filter: { name } });
    const [entry] = await historyOf('x:Domain', q.ids[0]);
    expect(entry).toMatchObject({ action: 'created', via: 'webadmin', actorName: 'admin', actorId: adminId, remoteIp: expect.stringMatching(/127\.0\.0\.1$/) });
    expect(parsed(entry, 'name')).toEqual({ from: null, to: name });
    expect((await t.call('DELETE', `/domains/${name}`)).status).toBe(204);
    expect((await historyOf('x:Domain', q.ids[0]))[0]).toMatchObject({ action: 'destroyed', via: 'webadmin' });
  });

  it('the command line records via cli, actor "cli"', async () => {
    const address = '192.0.2.77';
    const blockId = await create(server, 'x:BlockedIp', { address, reason: 'manual' });
    const out: Output = { log: () => {}, error: () => {} };
    expect(main(['unblock', address], { DATA_DIR: server.dataDir }, out)).toBe(0);
    server.store.pollExternalWrites();
    const [entry] = await historyOf('x:BlockedIp', blockId);
    expect(entry).toMatchObject({ action: 'destroyed', via: 'cli', actorName: 'cli', actorId: null, remoteIp: null });
  });
});

describe('reading', () => {
  it('filters by actor, object type and time', async () => {
    const u = await makeUser(server, ['sysRoleCreate', 'sysRoleUpdate', 'sysRoleGet']);
    const mine = await create(server, 'x:Role', { description: uniq('by user ') }, { user: u.user, password: u.password });
    const byActor = await query(server, ACTIVITY, { filter: { actorName: u.user } });
    const entries = (await get(server, ACTIVITY, byActor.ids)).list as Entry[];
    expect(entries.map((e) => [e.objectType, e.objectId, e.actorId])).toEqual([['x:Role', mine, u.accountId]]);
    expect((await query(server, ACTIVITY, { filter: { actorId: u.accountId } })).ids).toEqual(byActor.ids);
    const roles = await query(server, ACTIVITY, { filter: { objectType: 'x:Role', action: 'created' } });
    const roleEntries = (await get(server, ACTIVITY, roles.ids, { properties: ['objectType', 'action'] })).list;
    expect(roleEntries.length).toBeGreaterThan(1);
    expect(roleEntries.every((e) => e.objectType === 'x:Role' && e.action === 'created')).toBe(true);
    const future = new Date(Date.now() + DAY_MS).toISOString().slice(0, 19) + 'Z';
    expect((await query(server, ACTIVITY, { filter: { atIsGreaterThanOrEqual: future } })).ids).toEqual([]);
    const all = await query(server, ACTIVITY, { filter: { atIsLessThan: future }, calculateTotal: true });
    expect(all.total).toBe((await query(server, ACTIVITY, { calculateTotal: true })).total);
  });

  it('is read-only: /set is refused with the reason, and nothing changes', async () => {
    const rows = snapshot(server, ACTIVITY);
    const [someId] = (await query(server, ACTIVITY, { limit: 1 })).ids;
    for (const args of [{ create: { a: { actorName: 'me' } } }, { update: { [someId]: { actorName: 'me' } } }, { destroy: [someId] }]) {
      const err = await fails(server, 'x:Activity/set', args);
      expect(err.type).toBe('forbidden');
      expect(err.description).toMatch(/x:Activity records are maintained by the server: clients cannot (create|update|destroy) them/);
    }
    expect(snapshot(server, ACTIVITY)).toBe(rows);
  });

  it('needs sysActivityGet / sysActivityQuery', async () => {
    const u = await makeUser(server, ['sysActivityQuery']);
    const as = { user: u.user, password: u.password };
    const err = await fails(server, 'x:Activity/get', { ids: null }, as);
    expect(err.type).toBe('forbidden');
    expect(err.description).toContain('sysActivityGet');
    const v = await makeUser(server, ['sysActivityGet']);
    const err2 = await fails(server, 'x:Activity/query', {}, { user: v.user, password: v.password });
    expect(err2.type).toBe('forbidden');
    expect(err2.description).toContain('sysActivityQuery');
    const [, admin] = await server.call('x:Role/get', { ids: [server.store.getMeta('adminRoleId')!], properties: ['enabledPermissions'] });
    const perms = (admin.list as Entry[])[0].enabledPermissions as Record<string, boolean>;
    for (const p of ['sysActivityGet', 'sysActivityQuery', 'sysActivityLogGet', 'sysActivityLogUpdate']) expect(perms[p], p).toBe(true);
  });
});

describe('retention', () => {
  it('removes entries older than x:ActivityLog.retention, keeps the rest; the setting change is recorded', async () => {
    const res = await set(server, 'x:ActivityLog', { update: { singleton: { retention: 2 * DAY_MS } } });
    expect(res.notUpdated).toBeNull();
    const [setting] = await historyOf('x:ActivityLog', 'singleton');
    expect(parsed(setting, 'retention')).toEqual({ from: 90 * DAY_MS, to: 2 * DAY_MS });
    const tooLow = await set(server, 'x:ActivityLog', { update: { singleton: { retention: 1000 } } });
    expect(tooLow.notUpdated?.singleton?.properties).toEqual(['retention']);
    const store = server.store;
    const old = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 19) + 'Z';
    const base = { actorId: adminId, actorName: 'admin', via: 'jmap', remoteIp: '127.0.0.1', objectType: 'x:Role', objectId: 'retained', action: 'updated', properties: {}, changes: {} };
    store.transaction(() => {
      store.insert(ACTIVITY, 'oldentry1', { ...base, at: old(3) }, []);
      store.insert(ACTIVITY, 'oldentry2', { ...base, at: old(30) }, []);
      store.insert(ACTIVITY, 'newentry1', { ...base, at: old(1) }, []);
    });
    store.flushChanges();
    expect(await purgeActivity(store)).toBe(2);
    expect(store.get(ACTIVITY, 'oldentry1')).toBeNull();
    expect(store.get(ACTIVITY, 'oldentry2')).toBeNull();
    expect(store.get(ACTIVITY, 'newentry1')).not.toBeNull();
    expect(store.get(ACTIVITY, setting.id)).not.toBeNull();
    expect(await purgeActivity(store)).toBe(0);
  });
});
