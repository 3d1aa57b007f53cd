// Bad values: each gets the precise error naming the property, and stored data is unchanged.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Obj, type TestServer } from './testing';
import { create, nextIp, set, snapshot, stored, uniq } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ALL = { '@type': 'EnableAll' };

/** Creates `value` as `n`, expects it refused with `type`, naming exactly `properties`, and nothing stored. */
async function refused(type: string, value: Obj, errType: string, properties: string[]) {
  const snap = snapshot(server, type);
  const res = await set(server, type, { create: { n: value } });
  expect(res.created, JSON.stringify(res)).toBeNull();
  const err = res.notCreated!.n;
  expect(err.type, JSON.stringify(err)).toBe(errType);
  expect([...err.properties!].sort()).toEqual([...properties].sort());
  expect(typeof err.description).toBe('string');
  if (errType === 'validationFailed') {
    expect([...new Set(err.validationErrors!.map((e) => e.property))].sort()).toEqual([...properties].sort());
  }
  expect(snapshot(server, type)).toBe(snap);
  return err;
}

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
    ['x:Account', { '@type': 'User', name: 'pwnum', credentials: { 0: { '@type': 'Password', secret: 12345 } } }, ['credentials/0/secret']],
    ['x:Account', { '@type': 'User', name: 'nosecret', credentials: { 0: { '@type': 'Password' } } }, ['credentials/0/secret']],
    ['x:Account', { '@type': 'User', name: 'has@at' }, ['name']],
  ] as const)('%s %j', async (type, value, props) => {
    await refused(type, value as Obj, 'validationFailed', [...props]);
  });

  it('a MaxLength error carries the limit', async () => {
    const err = await refused('x:Tenant', { name: 'n'.repeat(256) }, 'validationFailed', ['name']);
    expect(err.validationErrors![0]).toMatchObject({ type: 'MaxLength', property: 'name', required: 255 });
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
    for (const e of err.validationErrors!) expect(['Required', 'MinItems']).toContain(e.type);
  });
});

describe('bad IP masks', () => {
  it.each(['10.0.0.0/99', '10.0.0.0/7', '10.0.0.0/', '10.0.0.0/a', '256.1.1.1', '1.2.3', '01.2.3.4', '::/7', '1::2::3', 'abc', '', '2001:db8::/129'])(
    '%j is Invalid address with the value',
    async (address) => {
      const err = await refused('x:AllowedIp', { address }, 'validationFailed', ['address']);
      expect(err.validationErrors![0]).toMatchObject({ property: 'address' });
      expect(['Invalid', 'Required']).toContain(err.validationErrors![0].type);
      if (address !== '') expect(err.validationErrors![0]).toMatchObject({ type: 'Invalid', value: address });
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
      expect(err.validationErrors![0]).toMatchObject({ type: 'Invalid', property: 'expiresAt', value: expiresAt });
    },
  );

  it('a bad date on update leaves the record unchanged', async () => {
    const id = await create(server, 'x:AllowedIp', { address: nextIp(), expiresAt: '2030-01-01T00:00:00Z' });
    const before = stored(server, 'x:AllowedIp', id);
    const res = await set(server, 'x:AllowedIp', { update: { [id]: { expiresAt: '2030-02-31T00:00:00Z' } } });
    expect(res.notUpdated![id]).toMatchObject({ type: 'validationFailed', properties: ['expiresAt'] });
    expect(stored(server, 'x:AllowedIp', id)).toEqual(before);
  });
});

describe('unknown properties', () => {
  it('on create: invalidProperties naming them', async () => {
    await refused('x:Role', { description: 'x', colour: 'red' }, 'invalidProperties', ['colour']);
    await refused('x:ClusterRole', { name: uniq('u'), tasks: { '@type': 'EnableAll', taskTypes: {} }, listeners: ALL }, 'invalidProperties', ['tasks/taskTypes']);
    await refused('x:ClusterRole', { name: uniq('u'), tasks: ALL, listeners: { '@type': 'EnableAll', extra: 1 } }, 'invalidProperties', ['listeners/extra']);
    await refused('x:Account', { '@type': 'Group', name: uniq('g'), credentials: {} }, 'invalidProperties', ['credentials']);
  });

  it('on update: invalidProperties naming them, record unchanged', async () => {
    const id = await create(server, 'x:Role', { description: 'unknown upd' });
    const before = stored(server, 'x:Role', id);
    const res = await set(server, 'x:Role', { update: { [id]: { description: 'changed', colour: 'red', 'shape/x': 1 } } });
    expect(res.notUpdated![id].type).toBe('invalidProperties');
    expect([...res.notUpdated![id].properties!].sort()).toEqual(['colour', 'shape/x']);
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
    expect(res.notUpdated![id].type).toBe('invalidPatch');
    expect(res.notUpdated![id].properties).toEqual(props);
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
    expect(res.notUpdated![id].type).toBe('invalidPatch');
    expect(res.notUpdated![id].properties!.length).toBeGreaterThan(0);
    expect(stored(server, 'x:ClusterRole', id)).toEqual(before);
  });

  it('a patch that is not an object is invalidPatch', async () => {
    const id = await create(server, 'x:Tenant', { name: uniq('np') });
    const res = await set(server, 'x:Tenant', { update: { [id]: 'name=x' } });
    expect(res.notUpdated![id].type).toBe('invalidPatch');
  });
});
