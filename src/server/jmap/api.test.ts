// The request envelope (RFC 8620 §3.3, §3.4), result references (§3.7) and creation-id
// references (§5.3), Core/echo.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type GetResponse, type SetResponse, type TestServer } from '../testing';
import { create, post, uniq } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('request envelope (RFC 8620 §3.3, §3.4)', () => {
  it('runs calls in order and answers with their call ids', async () => {
    const desc = uniq('order ');
    const r = await server.api([
      ['x:Role/set', { create: { a: { description: desc } } }, 'first'],
      ['x:Role/query', { filter: { description: desc } }, 'second'],
      ['Core/echo', { n: 3 }, 'third'],
    ]);
    expect(r.status).toBe(200);
    expect(r.methodResponses.map((m) => [m[0], m[2]])).toEqual([
      ['x:Role/set', 'first'],
      ['x:Role/query', 'second'],
      ['Core/echo', 'third'],
    ]);
    // The query saw the record created by the call before it.
    expect(r.methodResponses[1][1].ids).toEqual([(r.methodResponses[0][1] as SetResponse).created!.a.id]);
    expect(typeof r.sessionState).toBe('string');
  });

  it('POST /api takes the same requests as the apiUrl', async () => {
    const r = await post(server, '/api', JSON.stringify({ using: USING, methodCalls: [['Core/echo', { x: [1, 2] }, 'c1']] }));
    expect(r.status).toBe(200);
    expect(r.json.methodResponses).toEqual([['Core/echo', { x: [1, 2] }, 'c1']]);
  });

  it('createdIds is returned only when it was sent, with the new ids added', async () => {
    const without = await server.api([['x:Tenant/set', { create: { t: { name: uniq('tenant') } } }, 'c']]);
    expect(without).not.toHaveProperty('createdIds');
    const pre = await create(server, 'x:Tenant', { name: uniq('tenant') });
    const r = await server.api(
      [
        ['x:Tenant/set', { create: { t2: { name: uniq('tenant') } } }, 'c1'],
        ['x:Role/set', { create: { r: { description: 'in pre tenant', memberTenantId: '#pre' } } }, 'c2'],
      ],
      { createdIds: { pre } },
    );
    const t2 = (r.methodResponses[0][1] as SetResponse).created!.t2.id;
    const rid = (r.methodResponses[1][1] as SetResponse).created!.r.id;
    expect(r.createdIds).toEqual({ pre, t2, r: rid });
  });

  it('Core/echo returns its arguments unchanged', async () => {
    const args = { a: 1, b: 'two', c: [true, null, { d: 'e' }] };
    const r = await server.api([['Core/echo', args, 'e1']]);
    expect(r.methodResponses).toEqual([['Core/echo', args, 'e1']]);
  });

  it('Core/echo works with only the core capability', async () => {
    const r = await server.api([['Core/echo', { z: 1 }, 'e']], { using: ['urn:ietf:params:jmap:core'] });
    expect(r.methodResponses).toEqual([['Core/echo', { z: 1 }, 'e']]);
  });
});

describe('result references (RFC 8620 §3.7)', () => {
  it('query → get in one request, with /ids', async () => {
    const desc = uniq('refq ');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await create(server, 'x:Role', { description: `${desc} ${i}` }));
    const r = await server.api([
      ['x:Role/query', { filter: { description: desc }, sort: [{ property: 'description' }] }, 'q'],
      ['x:Role/get', { '#ids': { resultOf: 'q', name: 'x:Role/query', path: '/ids' }, properties: ['description'] }, 'g'],
    ]);
    const [name, args] = r.methodResponses[1];
    const got = args as GetResponse;
    expect(name).toBe('x:Role/get');
    expect(got.list.map((x) => x.id)).toEqual(ids);
    expect(got.list[0]).toEqual({ id: ids[0], description: `${desc} 0` });
  });

  it('paths with * flatten arrays', async () => {
    const desc = uniq('star ');
    const a = await create(server, 'x:Role', { description: `${desc} a` });
    const b = await create(server, 'x:Role', { description: `${desc} b`, roleIds: { [a]: true } });
    const r = await server.api([
      ['x:Role/get', { ids: [a, b], properties: ['roleIds'] }, 'g1'],
      ['x:Role/get', { '#ids': { resultOf: 'g1', name: 'x:Role/get', path: '/list/*/id' }, properties: ['description'] }, 'g2'],
    ]);
    const got = r.methodResponses[1][1] as GetResponse;
    expect(got.list.map((x) => x.description).sort()).toEqual([`${desc} a`, `${desc} b`]);
  });

  it('a reference into a /set result: /created/<cid>/id', async () => {
    const r = await server.api([
      ['x:Tenant/set', { create: { t: { name: uniq('reft') } } }, 's'],
      ['x:Tenant/get', { '#ids': { resultOf: 's', name: 'x:Tenant/set', path: '/created/t/id' }, properties: ['name'] }, 'g'],
    ]);
    // A single id where a list is expected: the pointer yields a string, not an array.
    const [name, got] = r.methodResponses[1];
    if (name === 'x:Tenant/get') {
      expect(got.list).toHaveLength(1);
    } else {
      expect(name).toBe('error');
      expect(got.type).toBe('invalidArguments');
    }
  });

  it.each([
    ['unknown call id', { resultOf: 'nope', name: 'x:Role/query', path: '/ids' }],
    ['wrong method name', { resultOf: 'q', name: 'x:Role/get', path: '/ids' }],
    ['path that does not resolve', { resultOf: 'q', name: 'x:Role/query', path: '/nothing/here' }],
    ['path through an array without * or index', { resultOf: 'q', name: 'x:Role/query', path: '/ids/x' }],
    ['not a reference object', 'not an object'],
  ])('invalidResultReference: %s', async (_label, ref) => {
    const r = await server.api([
      ['x:Role/query', {}, 'q'],
      ['x:Role/get', { '#ids': ref }, 'g'],
    ]);
    expect(r.methodResponses[1][0]).toBe('error');
    expect(r.methodResponses[1][1].type).toBe('invalidResultReference');
    expect(r.methodResponses[1][2]).toBe('g');
  });

  it('a reference to a call that failed is invalidResultReference', async () => {
    const r = await server.api([
      ['x:Role/query', { filter: { nope: 1 } }, 'q'],
      ['x:Role/get', { '#ids': { resultOf: 'q', name: 'x:Role/query', path: '/ids' } }, 'g'],
    ]);
    expect(r.methodResponses[0][0]).toBe('error');
    expect(r.methodResponses[1][1].type).toBe('invalidResultReference');
  });

  it('giving both ids and #ids is invalidArguments', async () => {
    const r = await server.api([
      ['x:Role/query', {}, 'q'],
      ['x:Role/get', { ids: [], '#ids': { resultOf: 'q', name: 'x:Role/query', path: '/ids' } }, 'g'],
    ]);
    expect(r.methodResponses[1][1].type).toBe('invalidArguments');
  });
});

describe('creation-id references (RFC 8620 §5.3)', () => {
  it('an x:Role refers to an x:Tenant created in an earlier call', async () => {
    const r = await server.api([
      ['x:Tenant/set', { create: { t1: { name: uniq('ten') } } }, 'c1'],
      ['x:Role/set', { create: { r1: { description: 'tenant role', memberTenantId: '#t1' } } }, 'c2'],
    ]);
    const tid = (r.methodResponses[0][1] as SetResponse).created!.t1.id;
    const res = r.methodResponses[1][1] as SetResponse;
    expect(res.notCreated).toBeNull();
    const rid = res.created!.r1.id;
    const role = server.store.get('x:Role', rid)!;
    expect(role.memberTenantId).toBe(tid);
  });

  it('roleIds {"#r1": true} refers to a role created in an earlier call', async () => {
    const r = await server.api([
      ['x:Role/set', { create: { r1: { description: 'base' } } }, 'c1'],
      ['x:Role/set', { create: { r2: { description: 'derived', roleIds: { '#r1': true } } } }, 'c2'],
      ['x:Role/get', { ids: ['#r2'], properties: ['roleIds'] }, 'c3'],
    ]);
    const r1 = (r.methodResponses[0][1] as SetResponse).created!.r1.id;
    const r2 = (r.methodResponses[1][1] as SetResponse).created!.r2.id;
    expect(r.methodResponses[2][1].list).toEqual([{ id: r2, roleIds: { [r1]: true } }]);
  });

  it('a creation id created in the same call can be referenced by a later create', async () => {
    const res = (await server.call('x:Role/set', {
      create: {
        base: { description: 'same call base' },
        child: { description: 'same call child', roleIds: { '#base': true } },
      },
    }))[1];
    expect(res.notCreated).toBeNull();
    expect(server.store.get('x:Role', res.created!.child.id)!.roleIds).toEqual({ [res.created!.base.id]: true });
  });

  it('the server orders creates so that a referenced creation id exists first (RFC 8620 §5.3 MUST)', async () => {
    const res = (await server.call('x:Role/set', {
      create: {
        child: { description: 'child before base', roleIds: { '#base': true } },
        base: { description: 'base after child' },
      },
    }))[1];
    expect(res.notCreated).toBeNull();
    expect(res.created?.child?.id).toBeDefined();
    expect(server.store.get('x:Role', res.created!.child.id)!.roleIds).toEqual({ [res.created!.base.id]: true });
  });

  it('update and destroy accept #creationId for records created earlier in the request', async () => {
    const r = await server.api([
      ['x:Role/set', { create: { x: { description: 'to update' } } }, 'c1'],
      ['x:Role/set', { update: { '#x': { description: 'updated via #x' } } }, 'c2'],
      ['x:Role/get', { ids: ['#x'], properties: ['description'] }, 'c3'],
      ['x:Role/set', { destroy: ['#x'] }, 'c4'],
    ]);
    const id = (r.methodResponses[0][1] as SetResponse).created!.x.id;
    expect(r.methodResponses[1][1].updated).toEqual({ [id]: null });
    expect(r.methodResponses[2][1].list).toEqual([{ id, description: 'updated via #x' }]);
    expect(r.methodResponses[3][1].destroyed).toEqual([id]);
  });

  it('an unknown creation id is a per-record error naming the property', async () => {
    const res = (await server.call('x:Role/set', { create: { r: { description: 'bad ref', memberTenantId: '#missing' } } }))[1];
    expect(res.created).toBeNull();
    expect(res.notCreated!.r.properties).toEqual(['memberTenantId']);
  });
});
