// Restart durability: records, states, the change log and credentials survive a restart.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';
import { account, create, get, set, state, uniq, userAccount } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('restart', () => {
  it('keeps records, states and the change log; /changes from a pre-restart state works', async () => {
    const s0 = await state(server, 'x:Role');
    const t = await create(server, 'x:Tenant', { name: uniq('dur') });
    const base = await create(server, 'x:Role', { description: 'dur base', memberTenantId: t, enabledPermissions: { sysRoleGet: true } });
    const child = await create(server, 'x:Role', { description: 'dur child', roleIds: { [base]: true } });
    const gone = await create(server, 'x:Role', { description: 'dur gone' });
    const s1 = await state(server, 'x:Role');
    await set(server, 'x:Role', { update: { [base]: { description: 'dur base 2' } }, destroy: [gone] });
    const s2 = await state(server, 'x:Role');
    const [, q] = await server.call('x:Role/query', { filter: { description: 'dur' }, sort: [{ property: 'description' }] });
    const ipId = await create(server, 'x:AllowedIp', { address: '10.9.8.0/24', expiresAt: '2031-01-01T00:00:00+01:00' });
    const ipBefore = (await get(server, 'x:AllowedIp', [ipId])).list[0];
    const rolesBefore = await get(server, 'x:Role', [base, child]);
    const sessionBefore = await (await server.raw('/jmap/session')).json();

    server = await server.restart();

    expect(await state(server, 'x:Role')).toBe(s2);
    expect(await get(server, 'x:Role', [base, child])).toEqual(rolesBefore);
    expect((await get(server, 'x:Role', [gone])).notFound).toEqual([gone]);
    expect((await get(server, 'x:AllowedIp', [ipId])).list[0]).toEqual(ipBefore);
    const sessionAfter = await (await server.raw('/jmap/session')).json();
    expect(sessionAfter.primaryAccounts).toEqual(sessionBefore.primaryAccounts);
    expect(sessionAfter.state).toBe(sessionBefore.state);

    const [, ch0] = await server.call('x:Role/changes', { sinceState: s0 });
    expect(ch0.oldState).toBe(s0);
    expect(ch0.newState).toBe(s2);
    expect([...ch0.created].sort()).toEqual([base, child].sort());
    expect(ch0.updated).toEqual([]);
    const [, ch1] = await server.call('x:Role/changes', { sinceState: s1 });
    expect(ch1.updated).toEqual([base]);
    expect(ch1.destroyed).toEqual([gone]);
    expect(ch1.created).toEqual([]);

    // The query state survives too: no changes since, same results.
    const [, qc] = await server.call('x:Role/queryChanges', {
      filter: { description: 'dur' },
      sort: [{ property: 'description' }],
      sinceQueryState: q.queryState,
    });
    expect(qc.removed).toEqual([]);
    expect(qc.added).toEqual([]);

    // Referential integrity still holds after a restart.
    const res = await set(server, 'x:Role', { destroy: [base] });
    expect(res.notDestroyed![base].linkedObjects).toEqual([{ object: 'x:Role', id: child }]);
    const res2 = await set(server, 'x:Tenant', { destroy: [t] });
    expect(res2.notDestroyed![t].type).toBe('objectIsLinked');

    // States keep increasing: new changes are reported after the old ones.
    const after = await create(server, 'x:Role', { description: 'dur after' });
    const [, ch2] = await server.call('x:Role/changes', { sinceState: s2 });
    expect(ch2.created).toEqual([after]);
  });

  it('keeps users, their hashed passwords and permissions; the admin is not recreated', async () => {
    const role = await create(server, 'x:Role', { description: 'dur perms', enabledPermissions: { sysTenantGet: true } });
    const name = uniq('duruser');
    const accountId = await create(server, 'x:Account', userAccount(name, 'durable-pass', [role]));
    const secret = (id: string) => (server.store.get('x:Account', id)!.credentials as Record<string, Record<string, unknown>>)[0].secret;
    const hash = secret(accountId);
    expect(hash).toMatch(/^\$scrypt\$/);
    const [, adminsBefore] = await server.call('x:Account/query', { filter: { name: 'admin' } });

    server = await server.restart();

    expect(secret(accountId)).toBe(hash);
    expect((await account(server, name, 'durable-pass')).permissions).toEqual(['sysTenantGet']);
    expect((await server.raw('/api/account', { user: name, password: 'wrong' })).status).toBe(401);
    const [, adminsAfter] = await server.call('x:Account/query', { filter: { name: 'admin' } });
    expect(adminsAfter.ids).toEqual(adminsBefore.ids);
    const [, roles] = await server.call('x:ClusterRole/query', { filter: { name: 'default' } });
    expect(roles.ids).toHaveLength(1);
    const [, nodes] = await server.call('x:ClusterNode/query', {});
    expect(nodes.ids).toHaveLength(1);
  });

  it('unique constraints hold after a restart', async () => {
    const name = uniq('durpk');
    const first = await create(server, 'x:ClusterRole', { name, tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    await create(server, 'x:AllowedIp', { address: '10.200.0.0/16' });
    server = await server.restart();
    const res = await set(server, 'x:ClusterRole', { create: { n: { name, tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } } } });
    expect(res.notCreated!.n).toMatchObject({ type: 'primaryKeyViolation', objectId: { object: 'x:ClusterRole', id: first } });
    const ip = await set(server, 'x:AllowedIp', { create: { n: { address: '10.200.1.2/16' } } });
    expect(ip.notCreated!.n.type).toBe('primaryKeyViolation');
  });

  it('stores its data in SQLite under the data directory, in WAL mode', () => {
    expect(fs.existsSync(path.join(server.dataDir, 'postern.sqlite'))).toBe(true);
    expect(server.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
