// Foo/set (RFC 8620 §5.3) on the server's objects: creates, patches, destroys, atomic records.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { create, get, getOne, query, set, snapshot, state, stored, text, uniq } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('/set (RFC 8620 §5.3)', () => {
  it('create returns server-set and defaulted properties; maps are null when empty', async () => {
    const before = await state(server, 'x:AllowedIp');
    const res = await set(server, 'x:AllowedIp', { create: { a: { address: '192.0.2.10', reason: 'office' } } });
    expect(res.oldState).toBe(before);
    expect(res.newState).not.toBe(before);
    expect(res.created!.a.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(res.created!.a.createdAt).toMatch(DATE);
    expect(Math.abs(Date.parse(text(res.created!.a.createdAt)) - Date.now())).toBeLessThan(60_000);
    expect(res.created!.a.expiresAt).toBeNull();
    expect(res.created!.a).not.toHaveProperty('reason');
    expect(res.updated).toBeNull();
    expect(res.destroyed).toBeNull();
    expect(res.notCreated).toBeNull();
    expect(res.notUpdated).toBeNull();
    expect(res.notDestroyed).toBeNull();
    expect(await state(server, 'x:AllowedIp')).toBe(res.newState);
  });

  it('a default is returned in created: x:NetworkListener tlsImplicit', async () => {
    const res = await set(server, 'x:NetworkListener', {
      create: { l: { name: uniq('imap'), protocol: 'imap', bind: ['0.0.0.0:143', '[::]:143'] } },
    });
    expect(res.created!.l.tlsImplicit).toBe(false);
    expect(stored(server, 'x:NetworkListener', res.created!.l.id)!.bind).toEqual({ '0.0.0.0:143': true, '[::]:143': true });
  });

  it('update with a JSON-pointer patch adds and removes set members in a tagged union', async () => {
    const id = await create(server, 'x:ClusterRole', {
      name: uniq('patch'),
      tasks: { '@type': 'EnableSome', taskTypes: { outboundMta: true } },
      listeners: { '@type': 'EnableAll' },
    });
    let res = await set(server, 'x:ClusterRole', { update: { [id]: { 'tasks/taskTypes/searchIndexing': true } } });
    expect(res.updated).toEqual({ [id]: null });
    expect(res.notUpdated).toBeNull();
    expect((await getOne(server, 'x:ClusterRole', id))!.tasks).toEqual({
      '@type': 'EnableSome',
      taskTypes: { outboundMta: true, searchIndexing: true },
    });
    res = await set(server, 'x:ClusterRole', { update: { [id]: { 'tasks/taskTypes/outboundMta': null } } });
    expect(res.updated).toEqual({ [id]: null });
    expect((await getOne(server, 'x:ClusterRole', id))!.tasks).toEqual({ '@type': 'EnableSome', taskTypes: { searchIndexing: true } });
    // Changing the union's @type sends the whole object.
    res = await set(server, 'x:ClusterRole', { update: { [id]: { tasks: { '@type': 'DisableAll' }, description: 'now off' } } });
    expect(res.updated).toEqual({ [id]: null });
    const now = await getOne(server, 'x:ClusterRole', id);
    expect(now!.tasks).toEqual({ '@type': 'DisableAll' });
    expect(now!.description).toBe('now off');
  });

  it('a patch through a member that is not an object is invalidPatch', async () => {
    const id = await create(server, 'x:ClusterRole', { name: uniq('p2'), tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const before = stored(server, 'x:ClusterRole', id);
    const res = await set(server, 'x:ClusterRole', { update: { [id]: { 'tasks/taskTypes/searchIndexing': true } } });
    expect(res.updated).toBeNull();
    expect(res.notUpdated![id].type).toBe('invalidPatch');
    expect(res.notUpdated![id].properties).toEqual(['tasks/taskTypes/searchIndexing']);
    expect(stored(server, 'x:ClusterRole', id)).toEqual(before);
  });

  it('an invalid value inside a patch is validationFailed naming the nested property', async () => {
    const id = await create(server, 'x:ClusterRole', {
      name: uniq('p3'),
      tasks: { '@type': 'EnableSome', taskTypes: {} },
      listeners: { '@type': 'EnableAll' },
    });
    const res = await set(server, 'x:ClusterRole', { update: { [id]: { 'tasks/taskTypes/notATask': true } } });
    expect(res.notUpdated![id].type).toBe('validationFailed');
    expect(res.notUpdated![id].properties).toEqual(['tasks/taskTypes']);
    expect(res.notUpdated![id].validationErrors![0]).toMatchObject({ type: 'Invalid', property: 'tasks/taskTypes', value: 'notATask' });
  });

  it('update and destroy of unknown ids are notFound', async () => {
    const res = await set(server, 'x:Role', { update: { nosuchid: { description: 'x' } }, destroy: ['nosuchid2'] });
    expect(res.notUpdated!.nosuchid.type).toBe('notFound');
    expect(res.notDestroyed!.nosuchid2.type).toBe('notFound');
    expect(res.oldState).toBe(res.newState);
  });

  it('destroy removes the record', async () => {
    const id = await create(server, 'x:Tenant', { name: uniq('gone') });
    const res = await set(server, 'x:Tenant', { destroy: [id] });
    expect(res.destroyed).toEqual([id]);
    expect((await get(server, 'x:Tenant', [id])).notFound).toEqual([id]);
    expect(stored(server, 'x:Tenant', id)).toBeNull();
  });

  it('create, update and destroy in one call', async () => {
    const u = await create(server, 'x:Tenant', { name: uniq('u') });
    const d = await create(server, 'x:Tenant', { name: uniq('d') });
    const res = await set(server, 'x:Tenant', {
      create: { c: { name: uniq('c') } },
      update: { [u]: { description: 'changed' } },
      destroy: [d],
    });
    expect(Object.keys(res.created!)).toEqual(['c']);
    expect(res.updated).toEqual({ [u]: null });
    expect(res.destroyed).toEqual([d]);
  });

  it('ifInState that does not match is stateMismatch and changes nothing', async () => {
    const id = await create(server, 'x:Role', { description: 'iis' });
    const snap = snapshot(server, 'x:Role');
    const s = await state(server, 'x:Role');
    const [name, err] = await server.call('x:Role/set', {
      ifInState: 'not-the-state',
      create: { n: { description: 'never' } },
      update: { [id]: { description: 'never' } },
      destroy: [id],
    });
    expect(name).toBe('error');
    expect(err.type).toBe('stateMismatch');
    expect(snapshot(server, 'x:Role')).toBe(snap);
    expect(await state(server, 'x:Role')).toBe(s);
    // The right state is accepted.
    const ok = await set(server, 'x:Role', { ifInState: s, update: { [id]: { description: 'now' } } });
    expect(ok.oldState).toBe(s);
    expect(ok.updated).toEqual({ [id]: null });
    // …and is then stale.
    const [name2, err2] = await server.call('x:Role/set', { ifInState: s, update: { [id]: { description: 'again' } } });
    expect(name2).toBe('error');
    expect(err2.type).toBe('stateMismatch');
  });

  it('every record is atomic: failing creates are not stored, the others are', async () => {
    const snapBefore = JSON.parse(snapshot(server, 'x:Role')).length;
    const res = await set(server, 'x:Role', {
      create: {
        good1: { description: 'atomic good 1' },
        bad1: { description: 42 },
        bad2: { description: 'x', roleIds: { nosuchrole: true } },
        good2: { description: 'atomic good 2' },
      },
    });
    expect(Object.keys(res.created!).sort()).toEqual(['good1', 'good2']);
    expect(Object.keys(res.notCreated!).sort()).toEqual(['bad1', 'bad2']);
    expect(res.notCreated!.bad1.type).toBe('validationFailed');
    expect(res.notCreated!.bad1.properties).toEqual(['description']);
    expect(res.notCreated!.bad2.type).toBe('invalidForeignKey');
    expect(res.notCreated!.bad2.properties).toEqual(['roleIds']);
    expect(JSON.parse(snapshot(server, 'x:Role')).length).toBe(snapBefore + 2);
  });

  it('every record is atomic: a failing update leaves its record unchanged, the others change', async () => {
    const a = await create(server, 'x:Role', { description: 'A', enabledPermissions: { sysRoleGet: true } });
    const b = await create(server, 'x:Role', { description: 'B', enabledPermissions: { sysRoleGet: true } });
    const c = await create(server, 'x:Role', { description: 'C' });
    const bBefore = stored(server, 'x:Role', b);
    const cBefore = stored(server, 'x:Role', c);
    const res = await set(server, 'x:Role', {
      update: {
        [a]: { description: 'A2', 'enabledPermissions/sysRoleQuery': true },
        // Valid first member, then a bad foreign key: nothing of it may stick.
        [b]: { description: 'B2', 'enabledPermissions/sysRoleQuery': true, 'roleIds/nosuchrole': true },
        [c]: { description: 'C2', 'enabledPermissions/notAPermission': true },
      },
    });
    expect(res.updated).toEqual({ [a]: null });
    expect(res.notUpdated![b].type).toBe('invalidForeignKey');
    expect(res.notUpdated![b].properties).toEqual(['roleIds']);
    expect(res.notUpdated![c].type).toBe('validationFailed');
    expect(res.notUpdated![c].properties).toEqual(['enabledPermissions']);
    expect(stored(server, 'x:Role', a)).toMatchObject({ description: 'A2', enabledPermissions: { sysRoleGet: true, sysRoleQuery: true } });
    expect(stored(server, 'x:Role', b)).toEqual(bBefore);
    expect(stored(server, 'x:Role', c)).toEqual(cBefore);
  });

  it('every record is atomic: a failing destroy keeps its record, the others go', async () => {
    const base = await create(server, 'x:Role', { description: 'linked base' });
    await create(server, 'x:Role', { description: 'extends base', roleIds: { [base]: true } });
    const free = await create(server, 'x:Role', { description: 'free' });
    const res = await set(server, 'x:Role', { destroy: [free, base, 'nosuchid'] });
    expect(res.destroyed).toEqual([free]);
    expect(res.notDestroyed![base].type).toBe('objectIsLinked');
    expect(res.notDestroyed!.nosuchid.type).toBe('notFound');
    expect(stored(server, 'x:Role', base)).not.toBeNull();
  });

  it('x:ClusterNode cannot be written', async () => {
    const [, nodes] = await server.call('x:ClusterNode/query', {});
    const [name, err] = await server.call('x:ClusterNode/set', { update: { [nodes.ids[0]]: { version: 'x' } } });
    expect(name).toBe('error');
    expect(err.type).toBe('forbidden');
  });

  it('a view creates records of its kind', async () => {
    const res = await set(server, 'x:Account/Group', { create: { g: { name: uniq('viewgrp') } } });
    const id = res.created!.g.id;
    expect(stored(server, 'x:Account', id)!['@type']).toBe('Group');
    const bad = await set(server, 'x:Account/Group', { create: { g: { '@type': 'User', name: uniq('viewusr') } } });
    expect(bad.created).toBeNull();
    expect(bad.notCreated!.g.properties).toEqual(['@type']);
  });

  it('dates: offsets and fractions in, UTC seconds out', async () => {
    const res = await set(server, 'x:AllowedIp', {
      create: {
        a: { address: '192.0.2.20', expiresAt: '2030-01-01T02:00:00+02:00' },
        b: { address: '192.0.2.21', expiresAt: '2030-01-01T00:00:00.789Z' },
      },
    });
    expect(res.notCreated).toBeNull();
    expect((await getOne(server, 'x:AllowedIp', res.created!.a.id))!.expiresAt).toBe('2030-01-01T00:00:00Z');
    expect((await getOne(server, 'x:AllowedIp', res.created!.b.id))!.expiresAt).toBe('2030-01-01T00:00:00Z');
  });

  it('IP masks are stored in canonical form', async () => {
    const res = await set(server, 'x:BlockedIp', { create: { a: { address: '198.51.100.77/24' }, b: { address: '2001:DB8:0:0::/32' } } });
    expect((await getOne(server, 'x:BlockedIp', res.created!.a.id))!.address).toBe('198.51.100.0/24');
    expect((await getOne(server, 'x:BlockedIp', res.created!.b.id))!.address).toBe('2001:db8::/32');
  });

  it('computed values read back are a valid patch, cannot be changed, are not stored, and filter', async () => {
    const shown = (await getOne(server, 'x:Service', 'imap'))!;
    expect(shown.page).toBe('/settings/services/imap');
    const same = { page: shown.page, requiredPermissions: shown.requiredPermissions, uptime: shown.uptime };
    const resent = await set(server, 'x:Service', { update: { imap: same } });
    expect(resent.notUpdated, JSON.stringify(resent.notUpdated)).toBeNull();
    expect(stored(server, 'x:Service', 'imap')).not.toHaveProperty('page');
    const changed = await set(server, 'x:Service', { update: { imap: { page: '/elsewhere' } } });
    expect(changed.notUpdated!.imap).toMatchObject({ type: 'invalidProperties', properties: ['page'] });
    expect((await query(server, 'x:Service', { filter: { page: '/settings/services/imap' } })).ids).toEqual(['imap']);
  });

  it('a value fixed at creation under older rules stands on update; a new one must pass today\'s', async () => {
    // A group named before login names were checked (spaces were allowed then).
    const id = 'legacygroup1';
    server.store.transaction(() => server.store.insert('x:Account', id, { '@type': 'Group', name: 'Sales team', description: null, roles: { '@type': 'Custom', roleIds: {} }, memberTenantId: null }, []));
    server.store.flushChanges();
    const res = await set(server, 'x:Account', { update: { [id]: { description: 'Sales' } } });
    expect(res.notUpdated).toBeNull();
    expect(stored(server, 'x:Account', id)).toMatchObject({ name: 'Sales team', description: 'Sales' });
    const fresh = await set(server, 'x:Account', { create: { g: { '@type': 'Group', name: 'Sales team 2' } } });
    expect(fresh.notCreated!.g).toMatchObject({ type: 'validationFailed', properties: ['name'] });
  });
});
