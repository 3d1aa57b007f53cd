// Referential integrity: invalidForeignKey, objectIsLinked, primaryKeyViolation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';
import { create, set, snapshot, stored, uniq } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ALL = { '@type': 'EnableAll' };

describe('invalidForeignKey', () => {
  it.each([
    ['x:Role', { description: 'fk', memberTenantId: 'nosuchtenant' }, ['memberTenantId']],
    ['x:Role', { description: 'fk', roleIds: { nosuchrole: true } }, ['roleIds']],
    ['x:Role', { description: 'fk', memberTenantId: 'nosuchtenant', roleIds: ['nosuchrole'] }, ['memberTenantId', 'roleIds']],
    ['x:Account', { '@type': 'Group', name: 'fk-group', roles: { '@type': 'Custom', roleIds: { nosuchrole: true } } }, ['roles/roleIds']],
    ['x:Account', { '@type': 'User', name: 'fk-user', memberTenantId: 'nosuchtenant' }, ['memberTenantId']],
    [
      'x:ClusterRole',
      { name: 'fk-cluster', tasks: ALL, listeners: { '@type': 'EnableSome', listenerIds: { nosuchlistener: true } } },
      ['listeners/listenerIds'],
    ],
  ] as const)('%s create %j', async (type, value, props) => {
    const snap = snapshot(server, type);
    const res = await set(server, type, { create: { n: value } });
    expect(res.created).toBeNull();
    expect(res.notCreated!.n.type).toBe('invalidForeignKey');
    expect([...res.notCreated!.n.properties!].sort()).toEqual([...props].sort());
    expect(snapshot(server, type)).toBe(snap);
  });

  it('an id of the wrong kind is a foreign-key error: memberGroupIds pointing at a user', async () => {
    const [, admin] = await server.call('x:Account/query', { filter: { name: 'admin' } });
    const res = await set(server, 'x:Account', {
      create: { n: { '@type': 'User', name: uniq('wrongkind'), memberGroupIds: { [admin.ids[0]]: true } } },
    });
    expect(res.notCreated!.n.type).toBe('invalidForeignKey');
    expect(res.notCreated!.n.properties).toEqual(['memberGroupIds']);
  });

  it('an update to a missing id is rejected and the record is unchanged', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('fkt') });
    const id = await create(server, 'x:Role', { description: 'fk update', memberTenantId: t });
    const before = stored(server, 'x:Role', id);
    const res = await set(server, 'x:Role', { update: { [id]: { memberTenantId: 'gone' } } });
    expect(res.notUpdated![id].type).toBe('invalidForeignKey');
    expect(res.notUpdated![id].properties).toEqual(['memberTenantId']);
    expect(stored(server, 'x:Role', id)).toEqual(before);
  });

  it('a reference to a destroyed record is rejected', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('fkgone') });
    await set(server, 'x:Tenant', { destroy: [t] });
    const res = await set(server, 'x:Role', { create: { n: { description: 'late', memberTenantId: t } } });
    expect(res.notCreated!.n.type).toBe('invalidForeignKey');
  });
});

describe('objectIsLinked', () => {
  it('a role extended by another lists the referrer', async () => {
    const base = await create(server, 'x:Role', { description: 'linked base' });
    const child = await create(server, 'x:Role', { description: 'child', roleIds: { [base]: true } });
    const res = await set(server, 'x:Role', { destroy: [base] });
    expect(res.destroyed).toBeNull();
    expect(res.notDestroyed![base].type).toBe('objectIsLinked');
    expect(res.notDestroyed![base].linkedObjects).toEqual([{ object: 'x:Role', id: child }]);
    expect(stored(server, 'x:Role', base)).not.toBeNull();
    // Once unlinked it can go.
    await set(server, 'x:Role', { update: { [child]: { [`roleIds/${base}`]: null } } });
    expect((await set(server, 'x:Role', { destroy: [base] })).destroyed).toEqual([base]);
  });

  it('lists every referrer, of every type', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('many') });
    const role = await create(server, 'x:Role', { description: 'in tenant', memberTenantId: t });
    const acc = await create(server, 'x:Account', { '@type': 'Group', name: uniq('g'), memberTenantId: t });
    const res = await set(server, 'x:Tenant', { destroy: [t] });
    expect(res.notDestroyed![t].type).toBe('objectIsLinked');
    expect(res.notDestroyed![t].linkedObjects).toEqual(
      expect.arrayContaining([{ object: 'x:Role', id: role }, { object: 'x:Account', id: acc }]),
    );
    expect(res.notDestroyed![t].linkedObjects).toHaveLength(2);
  });

  it('a role held by an account', async () => {
    const role = await create(server, 'x:Role', { description: 'held' });
    const acc = await create(server, 'x:Account', { '@type': 'User', name: uniq('holder'), roles: { '@type': 'Custom', roleIds: { [role]: true } } });
    const res = await set(server, 'x:Role', { destroy: [role] });
    expect(res.notDestroyed![role].linkedObjects).toEqual([{ object: 'x:Account', id: acc }]);
  });

  it('a listener used by a cluster role', async () => {
    const l = await create(server, 'x:NetworkListener', { name: uniq('smtp'), protocol: 'smtp', bind: ['0.0.0.0:25'] });
    const cr = await create(server, 'x:ClusterRole', {
      name: uniq('mta'),
      tasks: ALL,
      listeners: { '@type': 'EnableSome', listenerIds: { [l]: true } },
    });
    const res = await set(server, 'x:NetworkListener', { destroy: [l] });
    expect(res.notDestroyed![l].type).toBe('objectIsLinked');
    expect(res.notDestroyed![l].linkedObjects).toEqual([{ object: 'x:ClusterRole', id: cr }]);
    // Switching the cluster role to EnableAll drops the reference.
    await set(server, 'x:ClusterRole', { update: { [cr]: { listeners: ALL } } });
    expect((await set(server, 'x:NetworkListener', { destroy: [l] })).destroyed).toEqual([l]);
  });

  it('the cluster role of this node is used by the node', async () => {
    const [, roles] = await server.call('x:ClusterRole/query', { filter: { name: 'default' } });
    const [, nodes] = await server.call('x:ClusterNode/query', {});
    const id = roles.ids[0];
    const res = await set(server, 'x:ClusterRole', { destroy: [id] });
    expect(res.notDestroyed![id].type).toBe('objectIsLinked');
    expect(res.notDestroyed![id].linkedObjects).toEqual([{ object: 'x:ClusterNode', id: nodes.ids[0] }]);
  });
});

describe('primaryKeyViolation', () => {
  it('x:ClusterRole name', async () => {
    const name = uniq('dup');
    const first = await create(server, 'x:ClusterRole', { name, tasks: ALL, listeners: ALL });
    const snap = snapshot(server, 'x:ClusterRole');
    const res = await set(server, 'x:ClusterRole', { create: { n: { name, description: 'again', tasks: ALL, listeners: ALL } } });
    expect(res.notCreated!.n).toMatchObject({
      type: 'primaryKeyViolation',
      properties: ['name'],
      objectId: { object: 'x:ClusterRole', id: first },
    });
    expect(snapshot(server, 'x:ClusterRole')).toBe(snap);
  });

  it('two creates with the same name in one call: the first wins', async () => {
    const name = uniq('dup2');
    const res = await set(server, 'x:ClusterRole', {
      create: { a: { name, tasks: ALL, listeners: ALL }, b: { name, tasks: ALL, listeners: ALL } },
    });
    expect(Object.keys(res.created!)).toEqual(['a']);
    expect(res.notCreated!.b.type).toBe('primaryKeyViolation');
    expect(res.notCreated!.b.objectId).toEqual({ object: 'x:ClusterRole', id: res.created!.a.id });
  });

  it.each([
    ['10.0.0.0/8', '10.1.2.3/8'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.7', '192.168.1.7/32'],
    ['2001:db8::/32', '2001:DB8:0:0::/32'],
    ['fe80::1', 'FE80:0:0:0:0:0:0:1/128'],
    ['203.0.113.5', ' 203.0.113.5 '],
  ])('x:AllowedIp address %s then %s (canonical duplicates)', async (first, second) => {
    const id = await create(server, 'x:AllowedIp', { address: first, reason: uniq('pk') });
    const res = await set(server, 'x:AllowedIp', { create: { n: { address: second } } });
    expect(res.created).toBeNull();
    expect(res.notCreated!.n).toMatchObject({ type: 'primaryKeyViolation', properties: ['address'], objectId: { object: 'x:AllowedIp', id } });
    await set(server, 'x:AllowedIp', { destroy: [id] });
  });

  it('an allowed and a blocked address may be the same; a name may be reused after destroy', async () => {
    const a = await create(server, 'x:AllowedIp', { address: '198.18.0.0/15' });
    const b = await create(server, 'x:BlockedIp', { address: '198.18.0.0/15' });
    expect(a).not.toBe(b);
    await set(server, 'x:AllowedIp', { destroy: [a] });
    expect(await create(server, 'x:AllowedIp', { address: '198.18.1.1/15' })).toBeDefined();
  });

  it('x:Tenant name on update, x:Account name on create', async () => {
    const n1 = uniq('t1');
    await create(server, 'x:Tenant', { name: n1 });
    const t2 = await create(server, 'x:Tenant', { name: uniq('t2') });
    const res = await set(server, 'x:Tenant', { update: { [t2]: { name: n1 } } });
    expect(res.notUpdated![t2]).toMatchObject({ type: 'primaryKeyViolation', properties: ['name'] });
    const acc = await set(server, 'x:Account', { create: { n: { '@type': 'Group', name: 'admin' } } });
    expect(acc.notCreated!.n).toMatchObject({ type: 'primaryKeyViolation', properties: ['name'] });
  });

  it('x:NetworkListener name', async () => {
    const name = uniq('lst');
    await create(server, 'x:NetworkListener', { name, protocol: 'http', bind: ['127.0.0.1:8080'] });
    const res = await set(server, 'x:NetworkListener', { create: { n: { name, protocol: 'imap', bind: ['127.0.0.1:143'] } } });
    expect(res.notCreated!.n).toMatchObject({ type: 'primaryKeyViolation', properties: ['name'] });
  });
});
