// Foo/get (RFC 8620 §5.1) on the server's objects.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GetResponse, type TestServer } from '../testing';
import { answer, create, get, getOne, query, uniq } from '../testkit';

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
    expect(res.list.map((r) => r.id)).toContain(a);
    expect(res.notFound).toEqual([]);
    expect(typeof res.state).toBe('string');
    const q = await query(server, 'x:Tenant', { calculateTotal: true });
    expect(res.list).toHaveLength(q.total!);
    expect(res.accountId).toBe((await (await server.raw('/jmap/session')).json()).primaryAccounts['urn:stalwart:jmap']);
  });

  it('omitting ids is the same as ids null', async () => {
    const a = await answer<GetResponse>(server, 'x:ClusterRole/get', {});
    const b = await answer<GetResponse>(server, 'x:ClusterRole/get', { ids: null });
    expect(a).toEqual(b);
    expect(a.list.length).toBeGreaterThanOrEqual(1);
  });

  it('returns found records in the order asked and lists the rest in notFound', async () => {
    const a = await create(server, 'x:Tenant', { name: uniq('get-a'), description: 'A' });
    const b = await create(server, 'x:Tenant', { name: uniq('get-b') });
    const res = await get(server, 'x:Tenant', [b, 'missing1', a]);
    expect(res.list.map((r) => r.id)).toEqual([b, a]);
    expect(res.notFound).toEqual(['missing1']);
    expect(res.list[1]).toEqual({ id: a, name: expect.any(String), description: 'A', logo: null, createdAt: expect.stringMatching(DATE) });
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
      // Server-set: only the server's own Administrator role is built in.
      builtIn: false,
    });
  });

  it('x:ClusterNode lists this server with its role', async () => {
    const res = await get(server, 'x:ClusterNode', null);
    const node = res.list.find((n) => n.hostname === 'test-node')!;
    expect(node).toBeDefined();
    const roles = await query(server, 'x:ClusterRole', { filter: { name: 'default' } });
    expect(roles.ids).toContain(node.roleId);
    expect(node.startedAt).toMatch(DATE);
    expect(typeof node.version).toBe('string');
  });

  it('views only show their records', async () => {
    const g = await create(server, 'x:Account', { '@type': 'Group', name: uniq('grp') });
    const users = await get(server, 'x:Account/User', null);
    expect(users.list.every((u) => u['@type'] === 'User')).toBe(true);
    expect(users.list.map((u) => u.name)).toContain('admin');
    const res = await get(server, 'x:Account/User', [g]);
    expect(res.notFound).toEqual([g]);
    const groups = await get(server, 'x:Account/Group', [g]);
    expect(groups.list).toHaveLength(1);
    expect(groups.list[0]).not.toHaveProperty('password');
  });
});
