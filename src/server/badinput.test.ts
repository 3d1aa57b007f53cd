// Bad input: each gets the precise error naming the property, stored data is unchanged,
// and nothing ever produces an HTTP 500 or a serverFail.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type TestServer } from './testing';
import { create, nextIp, post, set, snapshot, stored, uniq } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ALL = { '@type': 'EnableAll' };
type Obj = Record<string, any>;

/** Creates `value` as `n`, expects it refused with `type`, naming exactly `properties`, and nothing stored. */
async function refused(type: string, value: Obj, errType: string, properties: string[]) {
  const snap = snapshot(server, type);
  const res = await set(server, type, { create: { n: value } });
  expect(res.created, JSON.stringify(res)).toBeNull();
  const err = res.notCreated.n;
  expect(err.type, JSON.stringify(err)).toBe(errType);
  expect([...err.properties].sort()).toEqual([...properties].sort());
  expect(typeof err.description).toBe('string');
  if (errType === 'validationFailed') {
    expect([...new Set(err.validationErrors.map((e: Obj) => e.property))].sort()).toEqual([...properties].sort());
  }
  expect(snapshot(server, type)).toBe(snap);
  return err;
}

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
      const [name, res] = r.json.methodResponses[0];
      if (name === 'x:Role/set') expect(res.notCreated.n.properties).toEqual(['description']);
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

describe('wrong types name the property', () => {
  it.each([
    ['x:Role', { description: 42 }, ['description']],
    ['x:Role', { description: 'x', enabledPermissions: 'sysRoleGet' }, ['enabledPermissions']],
    ['x:Role', { description: 'x', enabledPermissions: ['notAPermission'] }, ['enabledPermissions']],
    ['x:Role', { description: 'x', enabledPermissions: { sysRoleGet: false } }, ['enabledPermissions/sysRoleGet']],
    ['x:Role', { description: 'x', roleIds: 5 }, ['roleIds']],
    ['x:Role', { description: 'x', memberTenantId: 7 }, ['memberTenantId']],
    ['x:Role', { description: 'x', memberTenantId: '<Tenant id>' }, ['memberTenantId']],
    ['x:Role', { description: 'x'.repeat(1025) }, ['description']],
    ['x:Role', { description: 'ok', memberTenantId: [], roleIds: 'r' }, ['memberTenantId', 'roleIds']],
    ['x:ClusterRole', { name: 'ct1', tasks: 'EnableAll', listeners: ALL }, ['tasks']],
    ['x:ClusterRole', { name: 'ct2', tasks: { '@type': 'Bogus' }, listeners: ALL }, ['tasks/@type']],
    ['x:ClusterRole', { name: 'ct3', tasks: {}, listeners: ALL }, ['tasks/@type']],
    ['x:ClusterRole', { name: 'ct4', tasks: { '@type': 'EnableSome', taskTypes: { notATask: true } }, listeners: ALL }, ['tasks/taskTypes']],
    ['x:ClusterRole', { name: 12, tasks: ALL, listeners: ALL }, ['name']],
    ['x:NetworkListener', { name: 'nl1', protocol: 'gopher', bind: ['0.0.0.0:70'] }, ['protocol']],
    ['x:NetworkListener', { name: 'nl2', protocol: 'imap', bind: [] }, ['bind']],
    ['x:NetworkListener', { name: 'nl3', protocol: 'imap', bind: ['nope'] }, ['bind']],
    ['x:NetworkListener', { name: 'nl4', protocol: 'imap', bind: ['0.0.0.0:70000'] }, ['bind']],
    ['x:NetworkListener', { name: 'nl5', protocol: 'imap', bind: ['0.0.0.0:143'], tlsImplicit: 'yes' }, ['tlsImplicit']],
    ['x:AllowedIp', { address: 123 }, ['address']],
    ['x:AllowedIp', { address: '192.0.2.1', reason: ['why'] }, ['reason']],
    ['x:Account', { '@type': 'Robot', name: 'robot' }, ['@type']],
    ['x:Account', { '@type': 'User', name: 'pwnum', password: 12345 }, ['password']],
  ] as const)('%s %j', async (type, value, props) => {
    await refused(type, value as Obj, 'validationFailed', [...props]);
  });

  it('a MaxLength error carries the limit', async () => {
    const err = await refused('x:Tenant', { name: 'n'.repeat(256) }, 'validationFailed', ['name']);
    expect(err.validationErrors[0]).toMatchObject({ type: 'MaxLength', property: 'name', required: 255 });
  });
});

describe('missing required properties (the seed examples)', () => {
  it.each([
    ['x:ClusterRole', { description: 'Example', listeners: ALL, tasks: ALL }, ['name']],
    ['x:ClusterRole', { name: 'req-cr' }, ['tasks', 'listeners']],
    ['x:AllowedIp', {}, ['address']],
    ['x:Role', {}, ['description']],
    ['x:Role', { description: '   ' }, ['description']],
    ['x:Tenant', { description: 'no name' }, ['name']],
    // bind is a set with minItems 1: missing, it is empty and too short.
    ['x:NetworkListener', { name: 'req-nl' }, ['protocol', 'bind']],
    ['x:Account', { name: 'no-type' }, ['@type']],
  ] as const)('%s %j', async (type, value, props) => {
    const err = await refused(type, value as Obj, 'validationFailed', [...props]);
    for (const e of err.validationErrors) expect(['Required', 'MinItems']).toContain(e.type);
  });
});

describe('bad IP masks', () => {
  it.each(['10.0.0.0/99', '10.0.0.0/7', '10.0.0.0/', '10.0.0.0/a', '256.1.1.1', '1.2.3', '01.2.3.4', '::/7', '1::2::3', 'abc', '', '2001:db8::/129'])(
    '%j is Invalid address with the value',
    async (address) => {
      const err = await refused('x:AllowedIp', { address }, 'validationFailed', ['address']);
      expect(err.validationErrors[0]).toMatchObject({ property: 'address' });
      expect(['Invalid', 'Required']).toContain(err.validationErrors[0].type);
      if (address !== '') expect(err.validationErrors[0]).toMatchObject({ type: 'Invalid', value: address });
    },
  );

  it('x:BlockedIp checks masks the same way', async () => {
    await refused('x:BlockedIp', { address: '10.0.0.0/99' }, 'validationFailed', ['address']);
  });
});

describe('bad dates', () => {
  it.each(['tomorrow', '2030-02-30T00:00:00Z', '2030-01-01', '2030-01-01T25:00:00Z', '2030-13-01T00:00:00Z', '01/02/2030', 1893456000, '2030-01-01T00:00:00'])(
    'expiresAt %j',
    async (expiresAt) => {
      const err = await refused('x:AllowedIp', { address: nextIp(), expiresAt }, 'validationFailed', ['expiresAt']);
      expect(err.validationErrors[0]).toMatchObject({ type: 'Invalid', property: 'expiresAt', value: expiresAt });
    },
  );

  it('a bad date on update leaves the record unchanged', async () => {
    const id = await create(server, 'x:AllowedIp', { address: nextIp(), expiresAt: '2030-01-01T00:00:00Z' });
    const before = stored(server, 'x:AllowedIp', id);
    const res = await set(server, 'x:AllowedIp', { update: { [id]: { expiresAt: '2030-02-31T00:00:00Z' } } });
    expect(res.notUpdated[id]).toMatchObject({ type: 'validationFailed', properties: ['expiresAt'] });
    expect(stored(server, 'x:AllowedIp', id)).toEqual(before);
  });
});

describe('unknown properties', () => {
  it('on create: invalidProperties naming them', async () => {
    await refused('x:Role', { description: 'x', colour: 'red' }, 'invalidProperties', ['colour']);
    await refused('x:ClusterRole', { name: uniq('u'), tasks: { '@type': 'EnableAll', taskTypes: {} }, listeners: ALL }, 'invalidProperties', ['tasks/taskTypes']);
    await refused('x:ClusterRole', { name: uniq('u'), tasks: ALL, listeners: { '@type': 'EnableAll', extra: 1 } }, 'invalidProperties', ['listeners/extra']);
    await refused('x:Account', { '@type': 'Group', name: uniq('g'), password: 'groups have none' }, 'invalidProperties', ['password']);
  });

  it('on update: invalidProperties naming them, record unchanged', async () => {
    const id = await create(server, 'x:Role', { description: 'unknown upd' });
    const before = stored(server, 'x:Role', id);
    const res = await set(server, 'x:Role', { update: { [id]: { description: 'changed', colour: 'red', 'shape/x': 1 } } });
    expect(res.notUpdated[id].type).toBe('invalidProperties');
    expect([...res.notUpdated[id].properties].sort()).toEqual(['colour', 'shape/x']);
    expect(stored(server, 'x:Role', id)).toEqual(before);
  });
});

describe('read-only and server-set properties', () => {
  it('createdAt cannot be sent on create', async () => {
    await refused('x:AllowedIp', { address: nextIp(), createdAt: '2020-01-01T00:00:00Z' }, 'invalidProperties', ['createdAt']);
  });

  it('id cannot be sent on create', async () => {
    await refused('x:Tenant', { id: 'myid', name: uniq('t') }, 'invalidProperties', ['id']);
  });

  it.each([
    ['x:AllowedIp', () => ({ address: nextIp() }), { createdAt: '2020-01-01T00:00:00Z' }, ['createdAt']],
    ['x:AllowedIp', () => ({ address: nextIp() }), { address: '192.0.2.200' }, ['address']],
    ['x:ClusterRole', () => ({ name: uniq('ro'), tasks: ALL, listeners: ALL }), { name: 'renamed' }, ['name']],
    ['x:NetworkListener', () => ({ name: uniq('ro'), protocol: 'imap', bind: ['0.0.0.0:143'] }), { name: 'renamed' }, ['name']],
    ['x:Account', () => ({ '@type': 'Group', name: uniq('ro') }), { name: 'renamed' }, ['name']],
    ['x:Account', () => ({ '@type': 'Group', name: uniq('ro') }), { '@type': 'User' }, ['@type']],
  ] as const)('%s update %j is invalidPatch, record unchanged', async (type, make, patch, props) => {
    const id = await create(server, type, make() as Obj);
    const before = stored(server, type, id);
    const res = await set(server, type, { update: { [id]: { ...patch, ...(type === 'x:AllowedIp' ? { reason: 'also this' } : {}) } } });
    expect(res.updated).toBeNull();
    expect(res.notUpdated[id].type).toBe('invalidPatch');
    expect(res.notUpdated[id].properties).toEqual(props);
    expect(stored(server, type, id)).toEqual(before);
  });

  it('sending a read-only property with its current value is fine', async () => {
    const name = uniq('same');
    const id = await create(server, 'x:ClusterRole', { name, tasks: ALL, listeners: ALL });
    const res = await set(server, 'x:ClusterRole', { update: { [id]: { name, description: 'ok' } } });
    expect(res.updated).toEqual({ [id]: null });
  });

  it('overlapping patch paths are invalidPatch', async () => {
    const id = await create(server, 'x:ClusterRole', { name: uniq('ov'), tasks: { '@type': 'EnableSome', taskTypes: {} }, listeners: ALL });
    const before = stored(server, 'x:ClusterRole', id);
    const res = await set(server, 'x:ClusterRole', { update: { [id]: { tasks: ALL, 'tasks/taskTypes/outboundMta': true } } });
    expect(res.notUpdated[id].type).toBe('invalidPatch');
    expect(res.notUpdated[id].properties.length).toBeGreaterThan(0);
    expect(stored(server, 'x:ClusterRole', id)).toEqual(before);
  });

  it('a patch that is not an object is invalidPatch', async () => {
    const id = await create(server, 'x:Tenant', { name: uniq('np') });
    const res = await set(server, 'x:Tenant', { update: { [id]: 'name=x' } });
    expect(res.notUpdated[id].type).toBe('invalidPatch');
  });
});

describe('creation ids that are JavaScript object keys', () => {
  it('a create with creation id "__proto__" is reported in created', async () => {
    const name = uniq('proto');
    const r = await post(server, '/jmap/', `{"using":${JSON.stringify(USING)},"methodCalls":[["x:Tenant/set",{"create":{"__proto__":{"name":"${name}"}}},"c"]]}`);
    expect(r.status).toBe(200);
    const res = r.json.methodResponses[0][1];
    const [, found] = await server.call('x:Tenant/query', { filter: { name } });
    // Every creation id is in created or notCreated (RFC 8620 §5.3).
    const inCreated = res.created !== null && Object.hasOwn(res.created, '__proto__');
    const inNotCreated = res.notCreated !== null && Object.hasOwn(res.notCreated, '__proto__');
    expect(inCreated || inNotCreated, JSON.stringify(res)).toBe(true);
    if (inCreated) expect(found.ids).toEqual([res.created.__proto__.id]);
    else expect(found.ids).toEqual([]);
  });

  it('an update or destroy of id "__proto__" is reported in notUpdated / notDestroyed', async () => {
    const r = await post(
      server,
      '/jmap/',
      `{"using":${JSON.stringify(USING)},"methodCalls":[["x:Tenant/set",{"update":{"__proto__":{"description":"x"}},"destroy":["__proto__"]},"c"]]}`,
    );
    const res = r.json.methodResponses[0][1];
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
    'x:Tenant': ['name', 'description'],
    'x:Account': ['@type', 'name', 'description', 'roles', 'memberTenantId'],
    'x:ClusterRole': ['name', 'description', 'tasks', 'listeners'],
    'x:NetworkListener': ['name', 'protocol', 'bind', 'tlsImplicit'],
    'x:AllowedIp': ['address', 'reason', 'expiresAt'],
    'x:BlockedIp': ['address', 'reason', 'expiresAt'],
  };

  it.each(Object.keys(templates))('%s', async (type) => {
    for (const prop of props[type]) {
      const create: Obj = {};
      BAD.forEach((v, i) => (create[`c${i}`] = { ...templates[type](), [prop]: v }));
      const before = JSON.parse(snapshot(server, type)).length;
      const [name, res] = await server.call(`${type}/set`, { create });
      expect(name, `${type}.${prop}: ${JSON.stringify(res)}`).toBe(`${type}/set`);
      const created = Object.keys(res.created ?? {});
      const failed = Object.keys(res.notCreated ?? {});
      expect([...created, ...failed].sort()).toEqual(Object.keys(create).sort());
      for (const cid of failed) {
        const err = res.notCreated[cid];
        expect(['validationFailed', 'invalidProperties', 'invalidForeignKey', 'primaryKeyViolation']).toContain(err.type);
        expect(err.properties.length, `${type}.${prop}=${JSON.stringify(create[cid][prop])}`).toBeGreaterThan(0);
        for (const p of err.properties) expect(p === prop || p.startsWith(`${prop}/`), `${type}.${prop}: ${p}`).toBe(true);
      }
      expect(JSON.parse(snapshot(server, type)).length).toBe(before + created.length);
      // Whatever was accepted reads back.
      if (created.length) {
        const [, got] = await server.call(`${type}/get`, { ids: created.map((c) => res.created[c].id) });
        expect(got.notFound).toEqual([]);
      }
      // The same values as patches on an existing record.
      const id = (await set(server, type, { create: { base: templates[type]() } })).created.base.id;
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
