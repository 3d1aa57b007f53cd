// RFC 8620 core: the session, the request envelope, result and creation-id references,
// request-level problem details and method-level errors, Core/echo.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type TestServer } from './testing';
import { create, makeUser, post, uniq } from './testkit';

let server: TestServer;
let accountId: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.raw('/jmap/session');
  accountId = (await res.json()).primaryAccounts['urn:stalwart:jmap'];
});
afterAll(() => server.close());

describe('session (RFC 8620 §2)', () => {
  it.each(['/.well-known/jmap', '/jmap/session'])('GET %s is a complete session', async (path) => {
    const res = await server.raw(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const s = await res.json();
    const core = s.capabilities['urn:ietf:params:jmap:core'];
    for (const k of ['maxSizeUpload', 'maxConcurrentUpload', 'maxSizeRequest', 'maxConcurrentRequests', 'maxCallsInRequest', 'maxObjectsInGet', 'maxObjectsInSet']) {
      expect(typeof core[k], k).toBe('number');
    }
    expect(Array.isArray(core.collationAlgorithms)).toBe(true);
    expect(s.capabilities['urn:stalwart:jmap']).toEqual({});
    const id = s.primaryAccounts['urn:stalwart:jmap'];
    expect(typeof id).toBe('string');
    expect(s.accounts[id].accountCapabilities['urn:stalwart:jmap']).toEqual({});
    expect(s.accounts[id].name).toBe('admin');
    expect(typeof s.accounts[id].isPersonal).toBe('boolean');
    expect(typeof s.accounts[id].isReadOnly).toBe('boolean');
    expect(s.username).toBe('admin');
    expect(s.apiUrl).toMatch(/^http:\/\/.+\/jmap\/$/);
    expect(s.eventSourceUrl).toContain('{types}');
    expect(s.eventSourceUrl).toContain('{closeafter}');
    expect(s.eventSourceUrl).toContain('{ping}');
    expect(s.downloadUrl).toContain('{blobId}');
    expect(s.uploadUrl).toContain('{accountId}');
    expect(typeof s.state).toBe('string');
    expect(s.state.length).toBeGreaterThan(0);
  });

  it('the apiUrl of the session accepts requests', async () => {
    const s = await (await server.raw('/jmap/session')).json();
    const path = new URL(s.apiUrl).pathname;
    const r = await post(server, path, JSON.stringify({ using: USING, methodCalls: [['Core/echo', { hello: 1 }, 'c0']] }));
    expect(r.status).toBe(200);
    expect(r.json.methodResponses).toEqual([['Core/echo', { hello: 1 }, 'c0']]);
  });

  it('the sessionState of a response equals the session state', async () => {
    const s = await (await server.raw('/jmap/session')).json();
    const r = await server.api([['Core/echo', {}, 'c']]);
    expect(r.sessionState).toBe(s.state);
  });

  it('without credentials the session is a 401 problem with a challenge', async () => {
    const res = await fetch(`${server.url}/jmap/session`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Basic/);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await res.json();
    expect(body.status).toBe(401);
  });

  it('a wrong password is a 401', async () => {
    const res = await server.raw('/jmap/session', { password: 'wrong' });
    expect(res.status).toBe(401);
  });

  it('each user sees their own account in the session', async () => {
    const u = await makeUser(server, ['sysRoleGet']);
    const s = await (await server.raw('/jmap/session', { user: u.user, password: u.password })).json();
    expect(s.primaryAccounts['urn:stalwart:jmap']).toBe(u.accountId);
    expect(s.username).toBe(u.user);
    expect(Object.keys(s.accounts)).toEqual([u.accountId]);
  });
});

describe('request envelope (RFC 8620 §3.3, §3.4)', () => {
  it('runs calls in order and answers with their call ids', async () => {
    const desc = uniq('order ');
    const r = await server.api([
      ['x:Role/set', { create: { a: { description: desc } } }, 'first'],
      ['x:Role/query', { filter: { description: desc } }, 'second'],
      ['Core/echo', { n: 3 }, 'third'],
    ]);
    expect(r.status).toBe(200);
    expect(r.methodResponses.map((m: any) => [m[0], m[2]])).toEqual([
      ['x:Role/set', 'first'],
      ['x:Role/query', 'second'],
      ['Core/echo', 'third'],
    ]);
    // The query saw the record created by the call before it.
    expect(r.methodResponses[1][1].ids).toEqual([r.methodResponses[0][1].created.a.id]);
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
    const t2 = r.methodResponses[0][1].created.t2.id;
    const rid = r.methodResponses[1][1].created.r.id;
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
    const [name, got] = r.methodResponses[1];
    expect(name).toBe('x:Role/get');
    expect(got.list.map((x: any) => x.id)).toEqual(ids);
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
    const got = r.methodResponses[1][1];
    expect(got.list.map((x: any) => x.description).sort()).toEqual([`${desc} a`, `${desc} b`]);
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
    const tid = r.methodResponses[0][1].created.t1.id;
    const res = r.methodResponses[1][1];
    expect(res.notCreated).toBeNull();
    const rid = res.created.r1.id;
    const role = server.store.get('x:Role', rid)!;
    expect(role.memberTenantId).toBe(tid);
  });

  it('roleIds {"#r1": true} refers to a role created in an earlier call', async () => {
    const r = await server.api([
      ['x:Role/set', { create: { r1: { description: 'base' } } }, 'c1'],
      ['x:Role/set', { create: { r2: { description: 'derived', roleIds: { '#r1': true } } } }, 'c2'],
      ['x:Role/get', { ids: ['#r2'], properties: ['roleIds'] }, 'c3'],
    ]);
    const r1 = r.methodResponses[0][1].created.r1.id;
    const r2 = r.methodResponses[1][1].created.r2.id;
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
    expect(server.store.get('x:Role', res.created.child.id)!.roleIds).toEqual({ [res.created.base.id]: true });
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
    expect(server.store.get('x:Role', res.created.child.id)!.roleIds).toEqual({ [res.created.base.id]: true });
  });

  it('update and destroy accept #creationId for records created earlier in the request', async () => {
    const r = await server.api([
      ['x:Role/set', { create: { x: { description: 'to update' } } }, 'c1'],
      ['x:Role/set', { update: { '#x': { description: 'updated via #x' } } }, 'c2'],
      ['x:Role/get', { ids: ['#x'], properties: ['description'] }, 'c3'],
      ['x:Role/set', { destroy: ['#x'] }, 'c4'],
    ]);
    const id = r.methodResponses[0][1].created.x.id;
    expect(r.methodResponses[1][1].updated).toEqual({ [id]: null });
    expect(r.methodResponses[2][1].list).toEqual([{ id, description: 'updated via #x' }]);
    expect(r.methodResponses[3][1].destroyed).toEqual([id]);
  });

  it('an unknown creation id is a per-record error naming the property', async () => {
    const res = (await server.call('x:Role/set', { create: { r: { description: 'bad ref', memberTenantId: '#missing' } } }))[1];
    expect(res.created).toBeNull();
    expect(res.notCreated.r.properties).toEqual(['memberTenantId']);
  });
});

describe('request-level errors (RFC 8620 §3.6.1, RFC 7807)', () => {
  const expectProblem = (r: Awaited<ReturnType<typeof post>>, type: string) => {
    expect(r.status).toBe(400);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.json.type).toBe(`urn:ietf:params:jmap:error:${type}`);
    expect(r.json.status).toBe(400);
    expect(typeof r.json.detail).toBe('string');
  };

  it.each(['{', 'not json', '{"using": [}', ''])('notJSON for %j', async (body) => {
    expectProblem(await post(server, '/jmap/', body), 'notJSON');
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"hello"'],
    ['missing using', JSON.stringify({ methodCalls: [] })],
    ['missing methodCalls', JSON.stringify({ using: USING })],
    ['using not an array', JSON.stringify({ using: 'urn:ietf:params:jmap:core', methodCalls: [] })],
    ['methodCalls not an array', JSON.stringify({ using: USING, methodCalls: {} })],
    ['a call that is not a triple', JSON.stringify({ using: USING, methodCalls: [['Core/echo', {}]] })],
    ['a call with non-object arguments', JSON.stringify({ using: USING, methodCalls: [['Core/echo', [], 'c']] })],
    ['a call with a non-string id', JSON.stringify({ using: USING, methodCalls: [['Core/echo', {}, 1]] })],
    ['createdIds not an object', JSON.stringify({ using: USING, methodCalls: [], createdIds: [] })],
  ])('notRequest for %s', async (_label, body) => {
    expectProblem(await post(server, '/jmap/', body), 'notRequest');
  });

  it('unknownCapability names the capability', async () => {
    const r = await post(server, '/jmap/', JSON.stringify({ using: [...USING, 'urn:example:nope'], methodCalls: [] }));
    expectProblem(r, 'unknownCapability');
    expect(r.json.detail).toContain('urn:example:nope');
  });

  it('limit maxCallsInRequest', async () => {
    const s = await (await server.raw('/jmap/session')).json();
    const max = s.capabilities['urn:ietf:params:jmap:core'].maxCallsInRequest;
    const calls = Array.from({ length: max + 1 }, (_, i) => ['Core/echo', {}, `c${i}`]);
    const r = await post(server, '/jmap/', JSON.stringify({ using: USING, methodCalls: calls }));
    expectProblem(r, 'limit');
    expect(r.json.limit).toBe('maxCallsInRequest');
    // Exactly the maximum is fine.
    const ok = await post(server, '/jmap/', JSON.stringify({ using: USING, methodCalls: calls.slice(0, max) }));
    expect(ok.status).toBe(200);
    expect(ok.json.methodResponses).toHaveLength(max);
  });

  it('limit maxSizeRequest', async () => {
    const s = await (await server.raw('/jmap/session')).json();
    const max = s.capabilities['urn:ietf:params:jmap:core'].maxSizeRequest;
    const padding = 'x'.repeat(max);
    const r = await post(server, '/jmap/', JSON.stringify({ using: USING, methodCalls: [['Core/echo', { padding }, 'c']] }));
    expectProblem(r, 'limit');
    expect(r.json.limit).toBe('maxSizeRequest');
  });

  it('the same problems on POST /api', async () => {
    expectProblem(await post(server, '/api', '{'), 'notJSON');
    expectProblem(await post(server, '/api', '[]'), 'notRequest');
  });
});

describe('method-level errors (RFC 8620 §3.6.2)', () => {
  const one = async (name: string, args: object, opts?: { user?: string; password?: string }) => {
    const r = await server.api([[name, args, 'm1'], ['Core/echo', { after: true }, 'm2']], opts);
    expect(r.status).toBe(200);
    // The error does not stop the calls after it.
    expect(r.methodResponses[1]).toEqual(['Core/echo', { after: true }, 'm2']);
    expect(r.methodResponses[0][0]).toBe('error');
    expect(r.methodResponses[0][2]).toBe('m1');
    return r.methodResponses[0][1];
  };

  it.each(['Foo/get', 'x:Role/frobnicate', 'x:Nope/get', 'Core/nope', 'get', 'x:Role/'])('unknownMethod for %s', async (name) => {
    expect((await one(name, {})).type).toBe('unknownMethod');
  });

  it('unknownMethod when urn:stalwart:jmap is not in using', async () => {
    const r = await server.api([['x:Role/get', {}, 'c']], { using: ['urn:ietf:params:jmap:core'] });
    expect(r.methodResponses[0][1].type).toBe('unknownMethod');
  });

  it('invalidArguments for an unknown argument', async () => {
    const e = await one('x:Role/get', { ids: null, bogus: 1 });
    expect(e.type).toBe('invalidArguments');
    expect(e.description).toContain('bogus');
  });

  it('invalidArguments for unknown names in properties, naming them', async () => {
    const e = await one('x:Role/get', { ids: null, properties: ['description', 'nope', 'alsoNope'] });
    expect(e.type).toBe('invalidArguments');
    expect(e.description).toContain('nope');
    expect(e.properties).toEqual(['nope', 'alsoNope']);
  });

  it.each([
    ['x:Role/get', { ids: 'abc' }],
    ['x:Role/get', { ids: [1, 2] }],
    ['x:Role/get', { properties: 'description' }],
    ['x:Role/set', { create: [] }],
    ['x:Role/set', { update: 'x' }],
    ['x:Role/set', { destroy: {} }],
    ['x:Role/set', { ifInState: 5 }],
    ['x:Role/query', { limit: -1 }],
    ['x:Role/query', { limit: 1.5 }],
    ['x:Role/query', { position: 'a' }],
    ['x:Role/query', { calculateTotal: 'yes' }],
    ['x:Role/query', { sort: {} }],
    ['x:Role/query', { filter: [] }],
    ['x:Role/changes', {}],
    ['x:Role/changes', { sinceState: 1 }],
    ['x:Role/changes', { sinceState: '0', maxChanges: 0 }],
    ['x:Role/queryChanges', {}],
  ])('invalidArguments: %s %j', async (name, args) => {
    expect((await one(name, args)).type).toBe('invalidArguments');
  });

  it('accountNotFound for another account id', async () => {
    for (const name of ['x:Role/get', 'x:Role/set', 'x:Role/query', 'x:Role/changes']) {
      const args: Record<string, unknown> = { accountId: 'nosuchaccount' };
      if (name.endsWith('changes')) args.sinceState = '0';
      expect((await one(name, args)).type, name).toBe('accountNotFound');
    }
  });

  it('the caller\'s own account id is accepted', async () => {
    const [name] = await server.call('x:Role/get', { accountId, ids: [] });
    expect(name).toBe('x:Role/get');
  });

  it('forbidden for a call the user has no permission for', async () => {
    const u = await makeUser(server, ['sysRoleGet']);
    const e = await one('x:Tenant/get', { ids: null }, u);
    expect(e.type).toBe('forbidden');
    expect(e.description).toContain('sysTenantGet');
  });
});

describe('GET /api/schema', () => {
  it('describes the implemented objects, the Permission enum and the layouts', async () => {
    const res = await server.raw('/api/schema');
    expect(res.status).toBe(200);
    const doc = await res.json();
    for (const name of ['x:Role', 'x:ClusterRole', 'x:AllowedIp', 'x:BlockedIp', 'x:NetworkListener', 'x:ClusterNode', 'x:Tenant', 'x:Account']) {
      expect(doc.objects[name], name).toMatchObject({ type: 'object' });
      expect(doc.forms[name] ?? doc.lists[name], name).toBeDefined();
    }
    expect(doc.objects['x:Role'].permissionPrefix).toBe('sysRole');
    expect(doc.fields['x:ClusterRole'].properties.name.update).toBe('immutable');
    expect(doc.fields['x:AllowedIp'].properties.createdAt.update).toBe('serverSet');
    const perms = doc.enums.Permission.map((p: { name: string }) => p.name);
    for (const p of ['sysRoleCreate', 'sysAllowedIpDestroy', 'sysClusterRoleGet', 'sysTenantQuery']) expect(perms).toContain(p);
    // Every permission the admin holds is in the enum, and the enum is what the admin holds.
    const admin = await (await server.raw('/api/account')).json();
    expect([...admin.permissions].sort()).toEqual([...perms].sort());
    const paths: string[] = [];
    const walk = (prefix: string, items: any[]) => {
      for (const it of items) {
        if (it.link) paths.push(`${prefix} › ${it.link.name} → ${it.link.viewName}`);
        else if (it.container) walk(`${prefix} › ${it.container.name}`, it.container.items);
        else if (it.type === 'link') paths.push(`${prefix} › ${it.name} → ${it.viewName}`);
        else if (it.type === 'container') walk(`${prefix} › ${it.name}`, it.items);
      }
    };
    for (const l of doc.layouts) walk(l.name, l.items);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Management › Directory › Roles → x:Role',
        'Settings › Cluster › Roles → x:ClusterRole',
        expect.stringMatching(/^Settings › Security › .+ → x:AllowedIp$/),
        expect.stringMatching(/^Settings › Security › .+ → x:BlockedIp$/),
      ]),
    );
  });
});
