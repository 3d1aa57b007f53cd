// Foo/get, /set, /query, /changes and /queryChanges (RFC 8620 §5) on the server's objects.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';
import { create, get, getOne, set, snapshot, state, stored, uniq } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('/get (RFC 8620 §5.1)', () => {
  it('ids null returns every record, with the state', async () => {
    const a = await create(server, 'x:Tenant', { name: uniq('get-all') });
    const res = await get(server, 'x:Tenant', null);
    expect(res.list.map((r: any) => r.id)).toContain(a);
    expect(res.notFound).toEqual([]);
    expect(typeof res.state).toBe('string');
    const [, q] = await server.call('x:Tenant/query', { calculateTotal: true });
    expect(res.list).toHaveLength(q.total);
    expect(res.accountId).toBe((await (await server.raw('/jmap/session')).json()).primaryAccounts['urn:stalwart:jmap']);
  });

  it('omitting ids is the same as ids null', async () => {
    const [, a] = await server.call('x:ClusterRole/get', {});
    const [, b] = await server.call('x:ClusterRole/get', { ids: null });
    expect(a).toEqual(b);
    expect(a.list.length).toBeGreaterThanOrEqual(1);
  });

  it('returns found records in the order asked and lists the rest in notFound', async () => {
    const a = await create(server, 'x:Tenant', { name: uniq('get-a'), description: 'A' });
    const b = await create(server, 'x:Tenant', { name: uniq('get-b') });
    const res = await get(server, 'x:Tenant', [b, 'missing1', a]);
    expect(res.list.map((r: any) => r.id)).toEqual([b, a]);
    expect(res.notFound).toEqual(['missing1']);
    expect(res.list[1]).toEqual({ id: a, name: expect.any(String), description: 'A' });
    expect(res.list[0].description).toBeNull();
  });

  it('ids [] returns nothing', async () => {
    const res = await get(server, 'x:Role', []);
    expect(res.list).toEqual([]);
    expect(res.notFound).toEqual([]);
  });

  it('properties limits the answer; id is always there', async () => {
    const id = await create(server, 'x:Role', { description: 'props', enabledPermissions: { sysRoleGet: true } });
    const res = await get(server, 'x:Role', [id], { properties: ['enabledPermissions'] });
    expect(res.list).toEqual([{ id, enabledPermissions: { sysRoleGet: true } }]);
    const res2 = await get(server, 'x:Role', [id], { properties: [] });
    expect(res2.list).toEqual([{ id }]);
    const res3 = await get(server, 'x:Role', [id], { properties: ['id', 'description'] });
    expect(res3.list).toEqual([{ id, description: 'props' }]);
  });

  it('returns every property of a record, sets in object form even when sent as arrays', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('ten') });
    const base = await create(server, 'x:Role', { description: 'base' });
    const id = await create(server, 'x:Role', {
      description: 'arrays',
      memberTenantId: t,
      roleIds: [base],
      enabledPermissions: ['sysRoleGet', 'sysRoleQuery'],
      disabledPermissions: [],
    });
    expect(await getOne(server, 'x:Role', id)).toEqual({
      id,
      description: 'arrays',
      memberTenantId: t,
      roleIds: { [base]: true },
      enabledPermissions: { sysRoleGet: true, sysRoleQuery: true },
      disabledPermissions: {},
    });
  });

  it('x:ClusterNode lists this server with its role', async () => {
    const res = await get(server, 'x:ClusterNode', null);
    const node = res.list.find((n: any) => n.name === 'test-node');
    expect(node).toBeDefined();
    const [, roles] = await server.call('x:ClusterRole/query', { filter: { name: 'default' } });
    expect(roles.ids).toContain(node.roleId);
    expect(node.startedAt).toMatch(DATE);
    expect(typeof node.version).toBe('string');
  });

  it('views only show their records', async () => {
    const g = await create(server, 'x:Account', { '@type': 'Group', name: uniq('grp') });
    const users = await get(server, 'x:Account/User', null);
    expect(users.list.every((u: any) => u['@type'] === 'User')).toBe(true);
    expect(users.list.map((u: any) => u.name)).toContain('admin');
    const res = await get(server, 'x:Account/User', [g]);
    expect(res.notFound).toEqual([g]);
    const groups = await get(server, 'x:Account/Group', [g]);
    expect(groups.list).toHaveLength(1);
    expect(groups.list[0]).not.toHaveProperty('password');
  });
});

describe('/set (RFC 8620 §5.3)', () => {
  it('create returns server-set and defaulted properties; maps are null when empty', async () => {
    const before = await state(server, 'x:AllowedIp');
    const res = await set(server, 'x:AllowedIp', { create: { a: { address: '192.0.2.10', reason: 'office' } } });
    expect(res.oldState).toBe(before);
    expect(res.newState).not.toBe(before);
    expect(res.created.a.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(res.created.a.createdAt).toMatch(DATE);
    expect(Math.abs(Date.parse(res.created.a.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(res.created.a.expiresAt).toBeNull();
    expect(res.created.a).not.toHaveProperty('reason');
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
    expect(res.created.l.tlsImplicit).toBe(false);
    expect(stored(server, 'x:NetworkListener', res.created.l.id)!.bind).toEqual({ '0.0.0.0:143': true, '[::]:143': true });
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
    expect(res.notUpdated[id].type).toBe('invalidPatch');
    expect(res.notUpdated[id].properties).toEqual(['tasks/taskTypes/searchIndexing']);
    expect(stored(server, 'x:ClusterRole', id)).toEqual(before);
  });

  it('an invalid value inside a patch is validationFailed naming the nested property', async () => {
    const id = await create(server, 'x:ClusterRole', {
      name: uniq('p3'),
      tasks: { '@type': 'EnableSome', taskTypes: {} },
      listeners: { '@type': 'EnableAll' },
    });
    const res = await set(server, 'x:ClusterRole', { update: { [id]: { 'tasks/taskTypes/notATask': true } } });
    expect(res.notUpdated[id].type).toBe('validationFailed');
    expect(res.notUpdated[id].properties).toEqual(['tasks/taskTypes']);
    expect(res.notUpdated[id].validationErrors[0]).toMatchObject({ type: 'Invalid', property: 'tasks/taskTypes', value: 'notATask' });
  });

  it('update and destroy of unknown ids are notFound', async () => {
    const res = await set(server, 'x:Role', { update: { nosuchid: { description: 'x' } }, destroy: ['nosuchid2'] });
    expect(res.notUpdated.nosuchid.type).toBe('notFound');
    expect(res.notDestroyed.nosuchid2.type).toBe('notFound');
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
    expect(Object.keys(res.created)).toEqual(['c']);
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
    expect(Object.keys(res.created).sort()).toEqual(['good1', 'good2']);
    expect(Object.keys(res.notCreated).sort()).toEqual(['bad1', 'bad2']);
    expect(res.notCreated.bad1.type).toBe('validationFailed');
    expect(res.notCreated.bad1.properties).toEqual(['description']);
    expect(res.notCreated.bad2.type).toBe('invalidForeignKey');
    expect(res.notCreated.bad2.properties).toEqual(['roleIds']);
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
    expect(res.notUpdated[b].type).toBe('invalidForeignKey');
    expect(res.notUpdated[b].properties).toEqual(['roleIds']);
    expect(res.notUpdated[c].type).toBe('validationFailed');
    expect(res.notUpdated[c].properties).toEqual(['enabledPermissions']);
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
    expect(res.notDestroyed[base].type).toBe('objectIsLinked');
    expect(res.notDestroyed.nosuchid.type).toBe('notFound');
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
    const id = res.created.g.id;
    expect(stored(server, 'x:Account', id)!['@type']).toBe('Group');
    const bad = await set(server, 'x:Account/Group', { create: { g: { '@type': 'User', name: uniq('viewusr') } } });
    expect(bad.created).toBeNull();
    expect(bad.notCreated.g.properties).toEqual(['@type']);
  });

  it('dates: offsets and fractions in, UTC seconds out', async () => {
    const res = await set(server, 'x:AllowedIp', {
      create: {
        a: { address: '192.0.2.20', expiresAt: '2030-01-01T02:00:00+02:00' },
        b: { address: '192.0.2.21', expiresAt: '2030-01-01T00:00:00.789Z' },
      },
    });
    expect(res.notCreated).toBeNull();
    expect((await getOne(server, 'x:AllowedIp', res.created.a.id))!.expiresAt).toBe('2030-01-01T00:00:00Z');
    expect((await getOne(server, 'x:AllowedIp', res.created.b.id))!.expiresAt).toBe('2030-01-01T00:00:00Z');
  });

  it('IP masks are stored in canonical form', async () => {
    const res = await set(server, 'x:BlockedIp', { create: { a: { address: '198.51.100.77/24' }, b: { address: '2001:DB8:0:0::/32' } } });
    expect((await getOne(server, 'x:BlockedIp', res.created.a.id))!.address).toBe('198.51.100.0/24');
    expect((await getOne(server, 'x:BlockedIp', res.created.b.id))!.address).toBe('2001:db8::/32');
  });
});

describe('/query (RFC 8620 §5.5)', () => {
  const tag = uniq('qry');
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const data: Record<string, [string, string, string | null]> = {
      r1: ['alpha one', '172.16.0.1', '2030-01-01T00:00:00Z'],
      r2: ['beta one', '172.16.0.2', '2031-06-15T12:00:00Z'],
      r3: ['alpha two', '172.16.0.3', null],
      r4: ['gamma', '172.16.0.4', '2029-03-01T00:00:00Z'],
      r5: ['beta two', '172.16.0.5', '2032-01-01T00:00:00+02:00'],
      r6: ['delta', '172.16.0.6', '2030-01-01T00:00:00Z'],
    };
    const res = await set(server, 'x:AllowedIp', {
      create: Object.fromEntries(
        Object.entries(data).map(([k, [reason, address, expiresAt]]) => [k, { reason: `${tag} ${reason}`, address, expiresAt }]),
      ),
    });
    expect(res.notCreated).toBeNull();
    for (const k of Object.keys(data)) ids[k] = res.created[k].id;
  });

  const q = async (args: object) => {
    const [name, res] = await server.call('x:AllowedIp/query', args);
    expect(name, JSON.stringify(res)).toBe('x:AllowedIp/query');
    return res;
  };
  const names = (list: string[]) => list.map((id) => Object.keys(ids).find((k) => ids[k] === id) ?? id);
  const byTag = (extra?: object) => (extra ? { operator: 'AND', conditions: [{ reason: tag }, extra] } : { reason: tag });
  const ALL_DATED = { expiresAtIsGreaterThan: '2000-01-01T00:00:00Z' };
  const SORT = [{ property: 'expiresAt', isAscending: true }, { property: 'address', isAscending: false }];

  it('text condition matches anywhere, ignoring case', async () => {
    expect(names((await q({ filter: { reason: `${tag} alpha` } })).ids).sort()).toEqual(['r1', 'r3']);
    expect(names((await q({ filter: { reason: `${tag} ALPHA`.toUpperCase() } })).ids).sort()).toEqual(['r1', 'r3']);
    expect(names((await q({ filter: byTag({ reason: 'one' }) })).ids).sort()).toEqual(['r1', 'r2']);
  });

  it('the seed text condition on address', async () => {
    expect(names((await q({ filter: { address: '172.16.0.' } })).ids).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('null equality matches records without a value', async () => {
    expect(names((await q({ filter: byTag({ expiresAt: null }) })).ids)).toEqual(['r3']);
  });

  it.each([
    ['expiresAtIsGreaterThan', '2030-01-01T00:00:00Z', ['r2', 'r5']],
    ['expiresAtIsGreaterThanOrEqual', '2030-01-01T00:00:00Z', ['r1', 'r2', 'r5', 'r6']],
    ['expiresAtIsLessThan', '2030-01-01T00:00:00Z', ['r4']],
    ['expiresAtIsLessThanOrEqual', '2030-01-01T00:00:00Z', ['r1', 'r4', 'r6']],
    ['expiresAtIsGreaterThan', '2031-12-31T23:00:00+01:00', []],
    ['expiresAtIsGreaterThanOrEqual', '2031-12-31T23:00:00+01:00', ['r5']],
  ])('%s %s', async (cond, value, want) => {
    expect(names((await q({ filter: byTag({ [cond]: value }) })).ids).sort()).toEqual(want);
  });

  it('a bad date in a comparison is invalidArguments', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { filter: { expiresAtIsGreaterThan: 'tomorrow' } });
    expect(name).toBe('error');
    expect(err.type).toBe('invalidArguments');
  });

  it('AND / OR / NOT', async () => {
    const or = await q({ filter: byTag({ operator: 'OR', conditions: [{ reason: 'gamma' }, { reason: 'beta one' }] }) });
    expect(names(or.ids).sort()).toEqual(['r2', 'r4']);
    const not = await q({ filter: byTag({ operator: 'NOT', conditions: [{ reason: 'alpha' }, { reason: 'delta' }] }) });
    expect(names(not.ids).sort()).toEqual(['r2', 'r4', 'r5']);
    const nested = await q({
      filter: {
        operator: 'AND',
        conditions: [
          { reason: tag },
          { operator: 'OR', conditions: [{ reason: 'alpha' }, { expiresAtIsGreaterThan: '2031-01-01T00:00:00Z' }] },
          { operator: 'NOT', conditions: [{ expiresAt: null }] },
        ],
      },
    });
    expect(names(nested.ids).sort()).toEqual(['r1', 'r2', 'r5']);
  });

  it('NOT over a text condition keeps records whose value is null', async () => {
    const t = uniq('notnull');
    const a = await create(server, 'x:ClusterRole', { name: `${t}-a`, tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const b = await create(server, 'x:ClusterRole', { name: `${t}-b`, description: 'keep out', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const c = await create(server, 'x:ClusterRole', { name: `${t}-c`, description: 'other', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const [, res] = await server.call('x:ClusterRole/query', {
      filter: { operator: 'AND', conditions: [{ name: t }, { operator: 'NOT', conditions: [{ description: 'keep out' }] }] },
      sort: [{ property: 'name' }],
    });
    expect(res.ids).toEqual([a, c]);
    expect(res.ids).not.toContain(b);
  });

  it('multi-key sort', async () => {
    expect(names((await q({ filter: byTag(ALL_DATED), sort: SORT })).ids)).toEqual(['r4', 'r6', 'r1', 'r2', 'r5']);
    const desc = [{ property: 'expiresAt', isAscending: false }, { property: 'address', isAscending: true }];
    expect(names((await q({ filter: byTag(ALL_DATED), sort: desc })).ids)).toEqual(['r5', 'r2', 'r1', 'r6', 'r4']);
  });

  it('sorting on an unknown property is unsupportedSort', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { sort: [{ property: 'nope' }] });
    expect(name).toBe('error');
    expect(err.type).toBe('unsupportedSort');
  });

  it('filtering on an unknown property is unsupportedFilter', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { filter: { nope: 'x' } });
    expect(name).toBe('error');
    expect(err.type).toBe('unsupportedFilter');
  });

  it('position and limit', async () => {
    const base = { filter: byTag(ALL_DATED), sort: SORT };
    let res = await q({ ...base, position: 1, limit: 2 });
    expect(names(res.ids)).toEqual(['r6', 'r1']);
    expect(res.position).toBe(1);
    res = await q({ ...base, position: 10 });
    expect(res.ids).toEqual([]);
    res = await q({ ...base, limit: 0 });
    expect(res.ids).toEqual([]);
    res = await q({ ...base, limit: 3 });
    expect(names(res.ids)).toEqual(['r4', 'r6', 'r1']);
    expect(res.position).toBe(0);
  });

  it('negative position counts from the end', async () => {
    const base = { filter: byTag(ALL_DATED), sort: SORT };
    let res = await q({ ...base, position: -2 });
    expect(names(res.ids)).toEqual(['r2', 'r5']);
    expect(res.position).toBe(3);
    res = await q({ ...base, position: -10, limit: 1 });
    expect(names(res.ids)).toEqual(['r4']);
    expect(res.position).toBe(0);
  });

  it('anchor and anchorOffset', async () => {
    const base = { filter: byTag(ALL_DATED), sort: SORT };
    let res = await q({ ...base, anchor: ids.r1, anchorOffset: -1, limit: 2 });
    expect(names(res.ids)).toEqual(['r6', 'r1']);
    expect(res.position).toBe(1);
    res = await q({ ...base, anchor: ids.r1, limit: 2 });
    expect(names(res.ids)).toEqual(['r1', 'r2']);
    expect(res.position).toBe(2);
    res = await q({ ...base, anchor: ids.r1, anchorOffset: 1 });
    expect(names(res.ids)).toEqual(['r2', 'r5']);
    res = await q({ ...base, anchor: ids.r6, anchorOffset: -5, limit: 1 });
    expect(names(res.ids)).toEqual(['r4']);
    expect(res.position).toBe(0);
    // position is ignored when an anchor is given.
    res = await q({ ...base, anchor: ids.r2, position: 4, limit: 1 });
    expect(names(res.ids)).toEqual(['r2']);
  });

  it('an anchor outside the results is anchorNotFound', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { filter: byTag(ALL_DATED), anchor: ids.r3 });
    expect(name).toBe('error');
    expect(err.type).toBe('anchorNotFound');
  });

  it('calculateTotal, queryState and canCalculateChanges', async () => {
    const res = await q({ filter: byTag(), calculateTotal: true, limit: 2 });
    expect(res.total).toBe(6);
    expect(res.ids).toHaveLength(2);
    expect(res.queryState).toBe(await state(server, 'x:AllowedIp'));
    expect(typeof res.canCalculateChanges).toBe('boolean');
    const no = await q({ filter: byTag() });
    expect(no).not.toHaveProperty('total');
  });

  it('totals are per server: a second server in the same process gets its own count', async () => {
    const other = await startTestServer();
    try {
      const tA = await startTestServer();
      try {
        // Both reach x:Tenant state 2: A with two records, B with none (create, then destroy).
        await tA.call('x:Tenant/set', { create: { x: { name: 'a1' }, y: { name: 'a2' } } });
        const [, made] = await other.call('x:Tenant/set', { create: { x: { name: 'b1' } } });
        await other.call('x:Tenant/set', { destroy: [made.created.x.id] });
        const [, a] = await tA.call('x:Tenant/query', { calculateTotal: true });
        const [, b] = await other.call('x:Tenant/query', { calculateTotal: true });
        expect(a.queryState).toBe(b.queryState);
        expect(a.total).toBe(2);
        expect(b.ids).toEqual([]);
        expect(b.total).toBe(0);
      } finally {
        await tA.close();
      }
    } finally {
      await other.close();
    }
  });

  it('equality on an objectId, an enum and a boolean', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('eqt') });
    const r = await create(server, 'x:Role', { description: 'eq', memberTenantId: t });
    await create(server, 'x:Role', { description: 'eq other' });
    const [, roles] = await server.call('x:Role/query', { filter: { memberTenantId: t } });
    expect(roles.ids).toEqual([r]);
    const name = uniq('eql');
    const pop = await create(server, 'x:NetworkListener', { name: `${name}-pop`, protocol: 'pop3', bind: ['0.0.0.0:995'], tlsImplicit: true });
    const smtp = await create(server, 'x:NetworkListener', { name: `${name}-smtp`, protocol: 'smtp', bind: ['0.0.0.0:25'] });
    const [, byProto] = await server.call('x:NetworkListener/query', { filter: { name, protocol: 'pop3' } });
    expect(byProto.ids).toEqual([pop]);
    const [, byTls] = await server.call('x:NetworkListener/query', { filter: { name, tlsImplicit: false } });
    expect(byTls.ids).toEqual([smtp]);
    const [n, err] = await server.call('x:NetworkListener/query', { filter: { protocol: 'gopher' } });
    expect(n).toBe('error');
    expect(err.type).toBe('invalidArguments');
  });

  it('filter on a set member: accounts having a role', async () => {
    const role = await create(server, 'x:Role', { description: 'members' });
    const acc = await create(server, 'x:Account', { '@type': 'Group', name: uniq('g'), roles: { [role]: true } });
    const [, res] = await server.call('x:Account/query', { filter: { roles: role } });
    expect(res.ids).toEqual([acc]);
  });

  it('the seed query forms answer', async () => {
    for (const [type, filter] of [
      ['x:ClusterRole', { name: 'example' }],
      ['x:Role', { description: 'example' }],
      ['x:AllowedIp', { address: 'example' }],
    ] as const) {
      const [name, res] = await server.call(`${type}/query`, { filter });
      expect(name).toBe(`${type}/query`);
      expect(res.ids).toEqual([]);
    }
  });
});

describe('/changes (RFC 8620 §5.2)', () => {
  it('collapses created / updated / destroyed since a state', async () => {
    const s0 = await state(server, 'x:Tenant');
    const c1 = await set(server, 'x:Tenant', { create: { a: { name: uniq('ch-a') }, b: { name: uniq('ch-b') }, c: { name: uniq('ch-c') } } });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => c1.created[k].id);
    const s1 = c1.newState;
    await set(server, 'x:Tenant', { update: { [a]: { description: '1' }, [c]: { description: '1' } } });
    await set(server, 'x:Tenant', { destroy: [b] });
    const c4 = await set(server, 'x:Tenant', { create: { d: { name: uniq('ch-d') } } });
    const d = c4.created.d.id;
    const c5 = await set(server, 'x:Tenant', { destroy: [d] });
    const s5 = c5.newState;

    const [n0, fromS0] = await server.call('x:Tenant/changes', { sinceState: s0 });
    expect(n0).toBe('x:Tenant/changes');
    expect(fromS0.oldState).toBe(s0);
    expect(fromS0.newState).toBe(s5);
    expect(fromS0.hasMoreChanges).toBe(false);
    expect([...fromS0.created].sort()).toEqual([a, c].sort());
    expect(fromS0.updated).toEqual([]);
    // Created and destroyed in between: dropped, or (RFC "MAY") only in destroyed.
    for (const id of fromS0.destroyed) expect([b, d]).toContain(id);

    const [, fromS1] = await server.call('x:Tenant/changes', { sinceState: s1 });
    expect(fromS1.created).toEqual([]);
    expect([...fromS1.updated].sort()).toEqual([a, c].sort());
    expect(fromS1.destroyed).toContain(b);
    for (const id of fromS1.destroyed) expect([b, d]).toContain(id);

    const [, none] = await server.call('x:Tenant/changes', { sinceState: s5 });
    expect(none).toMatchObject({ oldState: s5, newState: s5, hasMoreChanges: false, created: [], updated: [], destroyed: [] });
  });

  it('maxChanges pages with hasMoreChanges until the current state', async () => {
    const s0 = await state(server, 'x:Tenant');
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await create(server, 'x:Tenant', { name: uniq('page') }));
    const current = await state(server, 'x:Tenant');
    let since = s0;
    const seen: string[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const [, res] = await server.call('x:Tenant/changes', { sinceState: since, maxChanges: 2 });
      expect(res.created.length + res.updated.length + res.destroyed.length).toBeLessThanOrEqual(2);
      seen.push(...res.created);
      since = res.newState;
      if (!res.hasMoreChanges) break;
      expect(res.created.length + res.updated.length + res.destroyed.length).toBeGreaterThan(0);
    }
    expect(since).toBe(current);
    expect(seen.sort()).toEqual([...made].sort());
  });

  it.each(['bogus', '999999999', '-1', ''])('cannotCalculateChanges for state %j', async (s) => {
    const [name, err] = await server.call('x:Tenant/changes', { sinceState: s });
    expect(name).toBe('error');
    expect(err.type).toBe('cannotCalculateChanges');
  });

  it('/get state, /set newState and /changes newState agree', async () => {
    const res = await set(server, 'x:Role', { create: { r: { description: 'agree' } } });
    expect(await state(server, 'x:Role')).toBe(res.newState);
    const [, ch] = await server.call('x:Role/changes', { sinceState: res.oldState });
    expect(ch.newState).toBe(res.newState);
    expect(ch.created).toEqual([res.created.r.id]);
  });
});

describe('/queryChanges (RFC 8620 §5.6)', () => {
  it('removed and added with indexes turn the old results into the new ones', async () => {
    const tag = uniq('qc');
    const args = { filter: { name: tag }, sort: [{ property: 'name', isAscending: true }] };
    const res = await set(server, 'x:Tenant', {
      create: { b: { name: `${tag}-b` }, d: { name: `${tag}-d` }, f: { name: `${tag}-f` } },
    });
    const [b, d, f] = ['b', 'd', 'f'].map((k) => res.created[k].id);
    const [, q0] = await server.call('x:Tenant/query', args);
    expect(q0.ids).toEqual([b, d, f]);

    const c = await create(server, 'x:Tenant', { name: `${tag}-c` });
    const a = await create(server, 'x:Tenant', { name: `${tag}-a` });
    await set(server, 'x:Tenant', { destroy: [d] });
    await set(server, 'x:Tenant', { update: { [f]: { description: 'touched' } } });
    await create(server, 'x:Tenant', { name: uniq('unrelated') });

    const [name, qc] = await server.call('x:Tenant/queryChanges', { ...args, sinceQueryState: q0.queryState, calculateTotal: true });
    expect(name).toBe('x:Tenant/queryChanges');
    const [, q1] = await server.call('x:Tenant/query', args);
    expect(q1.ids).toEqual([a, b, c, f]);
    expect(qc.oldQueryState).toBe(q0.queryState);
    expect(qc.newQueryState).toBe(q1.queryState);
    expect(qc.total).toBe(4);
    expect(qc.removed).toContain(d);
    expect(qc.added).toEqual(expect.arrayContaining([{ id: a, index: 0 }, { id: c, index: 2 }]));
    // Apply as RFC 8620 §5.6 describes: remove, then insert by ascending index.
    const list = q0.ids.filter((id: string) => !qc.removed.includes(id));
    for (const { id, index } of [...qc.added].sort((x, y) => x.index - y.index)) list.splice(index, 0, id);
    expect(list).toEqual(q1.ids);
  });

  it('nothing changed: empty removed and added', async () => {
    const args = { filter: { name: uniq('none') } };
    const [, q0] = await server.call('x:Tenant/query', args);
    const [, qc] = await server.call('x:Tenant/queryChanges', { ...args, sinceQueryState: q0.queryState });
    expect(qc.removed).toEqual([]);
    expect(qc.added).toEqual([]);
    expect(qc.newQueryState).toBe(q0.queryState);
  });

  it('maxChanges too small is tooManyChanges', async () => {
    const tag = uniq('qcmax');
    const [, q0] = await server.call('x:Tenant/query', { filter: { name: tag } });
    for (let i = 0; i < 3; i++) await create(server, 'x:Tenant', { name: `${tag}-${i}` });
    const [name, err] = await server.call('x:Tenant/queryChanges', { filter: { name: tag }, sinceQueryState: q0.queryState, maxChanges: 1 });
    expect(name).toBe('error');
    expect(err.type).toBe('tooManyChanges');
  });

  it('a bogus query state is cannotCalculateChanges', async () => {
    const [name, err] = await server.call('x:Tenant/queryChanges', { sinceQueryState: 'nope' });
    expect(name).toBe('error');
    expect(err.type).toBe('cannotCalculateChanges');
  });
});
