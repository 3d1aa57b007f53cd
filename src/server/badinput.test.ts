// Bad requests: malformed envelopes, hostile creation ids and fuzzed values never produce
// an HTTP 500 or a serverFail, and every refusal names its property.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type Obj, type SetResponse, type TestServer } from './testing';
import { nextIp, post, set, snapshot, stored, uniq } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ALL = { '@type': 'EnableAll' };

describe('malformed requests never give 500', () => {
  it.each([
    ['{"using":', 'notJSON'],
    ['\u0000\u0001', 'notJSON'],
    ['{"using":["urn:ietf:params:jmap:core"],"methodCalls":[["Core/echo",{},"c"]]', 'notJSON'],
    ['{"using":["urn:ietf:params:jmap:core"],"methodCalls":[["Core/echo",{},"c"]],"extra":1}', 'notRequest'],
    ['{"using":[1],"methodCalls":[]}', 'notRequest'],
    ['{"using":[],"methodCalls":[[1,2,3]]}', 'notRequest'],
    ['true', 'notRequest'],
    ['123', 'notRequest'],
  ])('%j → %s', async (body, type) => {
    for (const path of ['/jmap/', '/api']) {
      const r = await post(server, path, body);
      expect(r.status).toBe(400);
      expect(r.json.type).toBe(`urn:ietf:params:jmap:error:${type}`);
    }
  });

  it('an empty methodCalls list is a valid request', async () => {
    const r = await post(server, '/jmap/', JSON.stringify({ using: USING, methodCalls: [] }));
    expect(r.status).toBe(200);
    expect(r.json.methodResponses).toEqual([]);
  });

  it('deeply nested JSON never gives HTTP 500', async () => {
    const depth = 100_000;
    const body = `{"using":["urn:ietf:params:jmap:core"],"methodCalls":[["Core/echo",{"a":${'['.repeat(depth)}${']'.repeat(depth)}},"c"]]}`;
    const r = await post(server, '/jmap/', body);
    expect(r.status).not.toBe(500);
    expect(r.text).not.toMatch(/RangeError|at \w+ \(/);
  });

  it('deep nesting inside a /set value never gives 500', async () => {
    const depth = 50_000;
    const body = `{"using":${JSON.stringify(USING)},"methodCalls":[["x:Role/set",{"create":{"n":{"description":${'['.repeat(depth)}${']'.repeat(depth)}}}},"c"]]}`;
    const r = await post(server, '/jmap/', body);
    expect(r.status).not.toBe(500);
    if (r.status === 200) {
      const [name, res] = r.json.methodResponses![0];
      if (name === 'x:Role/set') expect((res as SetResponse).notCreated!.n.properties).toEqual(['description']);
      else expect(res.type).not.toBe('serverFail');
    }
  });

  it('an oversized request is a limit problem and stores nothing', async () => {
    const snap = snapshot(server, 'x:Role');
    const description = 'x'.repeat(10_000_001);
    const r = await post(server, '/jmap/', JSON.stringify({ using: USING, methodCalls: [['x:Role/set', { create: { n: { description } } }, 'c']] }));
    expect(r.status).toBe(400);
    expect(r.json.type).toBe('urn:ietf:params:jmap:error:limit');
    expect(r.json.limit).toBe('maxSizeRequest');
    expect(snapshot(server, 'x:Role')).toBe(snap);
  });

  it('garbage credentials are 401, not 500', async () => {
    for (const header of ['Basic !!!', 'Basic', 'Bearer x', 'Basic ' + Buffer.from('nocolon').toString('base64'), 'Digest a=b', '\u00ff']) {
      const res = await fetch(`${server.url}/jmap/session`, { headers: { Authorization: header } }).catch(() => null);
      if (res) expect(res.status, header).toBe(401);
    }
  });

  it('unknown routes and methods are problems, not 500', async () => {
    expect((await server.raw('/api/nope')).status).toBe(404);
    expect((await server.raw('/jmap/', { method: 'GET' })).status).toBe(404);
    expect((await server.raw('/jmap/session', { method: 'DELETE' })).status).toBe(404);
  });

  it('too many ids in /get or records in /set is requestTooLarge', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `id${i}`);
    const [n1, e1] = await server.call('x:Role/get', { ids });
    expect(n1).toBe('error');
    expect(e1.type).toBe('requestTooLarge');
    const [n2, e2] = await server.call('x:Role/set', { destroy: ids });
    expect(n2).toBe('error');
    expect(e2.type).toBe('requestTooLarge');
  });

  it('filters nested too deep, bad filter values and bad collations are method errors', async () => {
    let filter: Obj = { reason: 'x' };
    for (let i = 0; i < 40; i++) filter = { operator: 'AND', conditions: [filter] };
    for (const args of [
      { filter },
      { filter: { reason: { $gt: 1 } } },
      { filter: { reason: 5 } },
      { filter: { operator: 'XOR', conditions: [] } },
      { filter: { operator: 'AND' } },
      { filter: { createdAtIsGreaterThan: 17 } },
      { sort: [{ property: 'reason', collation: 'i;unicode-casemap-bogus' }] },
      { sort: [{ property: 'reason', isAscending: 'yes' }] },
      { sort: ['reason'] },
      { anchor: 'not an id!' },
    ]) {
      const [name, err] = await server.call('x:AllowedIp/query', args);
      expect(name, JSON.stringify(args)).toBe('error');
      expect(['invalidArguments', 'unsupportedFilter', 'unsupportedSort', 'anchorNotFound']).toContain(err.type);
    }
  });
});

describe('creation ids that are JavaScript object keys', () => {
  it('a create with creation id "__proto__" is reported in created', async () => {
    const name = uniq('proto');
    const r = await post(server, '/jmap/', `{"using":${JSON.stringify(USING)},"methodCalls":[["x:Tenant/set",{"create":{"__proto__":{"name":"${name}"}}},"c"]]}`);
    expect(r.status).toBe(200);
    const res = r.json.methodResponses![0][1] as SetResponse;
    const [, found] = await server.call('x:Tenant/query', { filter: { name } });
    // Every creation id is in created or notCreated (RFC 8620 §5.3).
    const inCreated = res.created !== null && Object.hasOwn(res.created, '__proto__');
    const inNotCreated = res.notCreated !== null && Object.hasOwn(res.notCreated, '__proto__');
    expect(inCreated || inNotCreated, JSON.stringify(res)).toBe(true);
    if (inCreated) expect(found.ids).toEqual([res.created!.__proto__.id]);
    else expect(found.ids).toEqual([]);
  });

  it('an update or destroy of id "__proto__" is reported in notUpdated / notDestroyed', async () => {
    const r = await post(
      server,
      '/jmap/',
      `{"using":${JSON.stringify(USING)},"methodCalls":[["x:Tenant/set",{"update":{"__proto__":{"description":"x"}},"destroy":["__proto__"]},"c"]]}`,
    );
    const res = r.json.methodResponses![0][1] as SetResponse;
    expect(res.notUpdated !== null && Object.hasOwn(res.notUpdated, '__proto__'), JSON.stringify(res)).toBe(true);
    expect(res.notDestroyed !== null && Object.hasOwn(res.notDestroyed, '__proto__'), JSON.stringify(res)).toBe(true);
  });
});

describe('fuzz: no bad value gives serverFail, every refusal names its property', () => {
  const BAD: unknown[] = [42, -1, 1.5, true, 'x'.repeat(2000), '', ' ', {}, [], [null], null, '#nope', '\u0000', { a: { b: 1 } }, ['a', 'b'], '2030-99-99T00:00:00Z', '::1/200'];
  const templates: Record<string, () => Obj> = {
    'x:Role': () => ({ description: 'fuzz' }),
    'x:Tenant': () => ({ name: uniq('fz') }),
    'x:Account': () => ({ '@type': 'Group', name: uniq('fz') }),
    'x:ClusterRole': () => ({ name: uniq('fz'), tasks: ALL, listeners: ALL }),
    'x:NetworkListener': () => ({ name: uniq('fz'), protocol: 'imap', bind: ['0.0.0.0:143'] }),
    'x:AllowedIp': () => ({ address: nextIp() }),
    'x:BlockedIp': () => ({ address: nextIp() }),
  };
  const props: Record<string, string[]> = {
    'x:Role': ['description', 'memberTenantId', 'roleIds', 'enabledPermissions', 'disabledPermissions'],
    'x:Tenant': ['name', 'description', 'logo'],
    'x:Account': ['@type', 'name', 'description', 'roles', 'memberTenantId'],
    'x:ClusterRole': ['name', 'description', 'tasks', 'listeners'],
    'x:NetworkListener': ['name', 'protocol', 'bind', 'tlsImplicit'],
    'x:AllowedIp': ['address', 'reason', 'expiresAt'],
    'x:BlockedIp': ['address', 'reason', 'description', 'expiresAt'],
  };

  it.each(Object.keys(templates))('%s', async (type) => {
    for (const prop of props[type]) {
      const create: Record<string, Obj> = {};
      BAD.forEach((v, i) => (create[`c${i}`] = { ...templates[type](), [prop]: v }));
      const before = JSON.parse(snapshot(server, type)).length;
      const [name, res] = await server.call(`${type}/set`, { create });
      expect(name, `${type}.${prop}: ${JSON.stringify(res)}`).toBe(`${type}/set`);
      const created = Object.keys(res.created ?? {});
      const failed = Object.keys(res.notCreated ?? {});
      expect([...created, ...failed].sort()).toEqual(Object.keys(create).sort());
      for (const cid of failed) {
        const err = res.notCreated![cid];
        expect(['validationFailed', 'invalidProperties', 'invalidForeignKey', 'primaryKeyViolation']).toContain(err.type);
        expect(err.properties!.length, `${type}.${prop}=${JSON.stringify(create[cid][prop])}`).toBeGreaterThan(0);
        for (const p of err.properties!) expect(p === prop || p.startsWith(`${prop}/`), `${type}.${prop}: ${p}`).toBe(true);
      }
      expect(JSON.parse(snapshot(server, type)).length).toBe(before + created.length);
      // Whatever was accepted reads back.
      if (created.length) {
        const [, got] = await server.call(`${type}/get`, { ids: created.map((c) => res.created![c].id) });
        expect(got.notFound).toEqual([]);
      }
      // The same values as patches on an existing record.
      const id = (await set(server, type, { create: { base: templates[type]() } })).created!.base.id;
      const snap = stored(server, type, id);
      for (const v of BAD) {
        const [n2, r2] = await server.call(`${type}/set`, { update: { [id]: { [prop]: v } } });
        expect(n2, `${type}.${prop} update ${JSON.stringify(v)}: ${JSON.stringify(r2)}`).toBe(`${type}/set`);
        if (r2.notUpdated) {
          expect(r2.notUpdated[id].properties?.length ?? 0, JSON.stringify(r2.notUpdated[id])).toBeGreaterThan(0);
          expect(stored(server, type, id)).toEqual(snap);
        } else {
          await server.call(`${type}/set`, { update: { [id]: { [prop]: snap![prop] } } });
        }
      }
    }
  });
});
