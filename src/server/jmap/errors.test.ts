// Request-level problem details (RFC 8620 §3.6.1, RFC 7807) and method-level errors (§3.6.2).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type TestServer } from '../testing';
import { makeUser, post } from '../testkit';

let server: TestServer;
let accountId: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.raw('/jmap/session');
  accountId = (await res.json()).primaryAccounts['urn:stalwart:jmap'];
});
afterAll(() => server.close());

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
