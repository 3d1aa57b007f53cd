// Every curl example of seeds 000 (ClusterRole), 001 (Role) and 004 (AllowedIp), sent as
// written to POST /api with Basic auth: success, or a precise per-property error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';
import { create, post, snapshot } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const USING = `"using": [
"urn:ietf:params:jmap:core",
"urn:stalwart:jmap"
]`;
/** The seeds' request bodies, verbatim apart from the method and its arguments. */
const body = (method: string, args: string) => `{
"methodCalls": [
[
"${method}",
${args},
"c1"
]
],
${USING}
}`;

const GET = `{
"ids": [
"id1"
]
}`;
const DESTROY = `{
"destroy": [
"id1"
]
}`;
const UPDATE_DESCRIPTION = `{
"update": {
"id1": {
"description": "updated value"
}
}
}`;
const UPDATE_REASON = `{
"update": {
"id1": {
"reason": "updated value"
}
}
}`;

async function send(method: string, args: string) {
  const r = await post(server, '/api', body(method, args));
  expect(r.status).toBe(200);
  expect(r.json.methodResponses).toHaveLength(1);
  const [name, res, callId] = r.json.methodResponses[0];
  expect(callId).toBe('c1');
  expect(name, JSON.stringify(res)).toBe(method);
  return res;
}

const withId = (args: string, id: string) => args.replace(/"id1"/g, JSON.stringify(id));

describe('seed 000: x:ClusterRole', () => {
  it('get id1: notFound', async () => {
    const res = await send('x:ClusterRole/get', GET);
    expect(res.list).toEqual([]);
    expect(res.notFound).toEqual(['id1']);
  });

  it('create without name: validationFailed Required name (the seed omits it)', async () => {
    const snap = snapshot(server, 'x:ClusterRole');
    const res = await send('x:ClusterRole/set', `{
"create": {
"new1": {
"description": "Example",
"listeners": {
"@type": "EnableAll"
},
"tasks": {
"@type": "EnableAll"
}
}
}
}`);
    expect(res.created).toBeNull();
    expect(res.notCreated.new1).toMatchObject({
      type: 'validationFailed',
      properties: ['name'],
      validationErrors: [{ type: 'Required', property: 'name' }],
    });
    expect(snapshot(server, 'x:ClusterRole')).toBe(snap);
  });

  it('create with a name: created', async () => {
    const res = await send('x:ClusterRole/set', `{
"create": {
"new1": {
"name": "example",
"description": "Example",
"listeners": {
"@type": "EnableAll"
},
"tasks": {
"@type": "EnableAll"
}
}
}
}`);
    expect(res.notCreated).toBeNull();
    expect(res.created.new1.id).toBeDefined();
  });

  it('update / destroy id1: notFound; with a real id: success', async () => {
    expect((await send('x:ClusterRole/set', UPDATE_DESCRIPTION)).notUpdated.id1.type).toBe('notFound');
    expect((await send('x:ClusterRole/set', DESTROY)).notDestroyed.id1.type).toBe('notFound');
    const id = await create(server, 'x:ClusterRole', { name: 'seed-000', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    expect((await send('x:ClusterRole/get', withId(GET, id))).list[0]).toMatchObject({ id, name: 'seed-000' });
    expect((await send('x:ClusterRole/set', withId(UPDATE_DESCRIPTION, id))).updated).toEqual({ [id]: null });
    expect(server.store.get('x:ClusterRole', id)!.description).toBe('updated value');
    expect((await send('x:ClusterRole/set', withId(DESTROY, id))).destroyed).toEqual([id]);
  });

  it('query by name', async () => {
    const res = await send('x:ClusterRole/query', `{
"filter": {
"name": "example"
}
}`);
    expect(res.ids).toHaveLength(1);
  });
});

describe('seed 001: x:Role', () => {
  it('get id1: notFound', async () => {
    expect((await send('x:Role/get', GET)).notFound).toEqual(['id1']);
  });

  const CREATE = `{
"create": {
"new1": {
"description": "Example",
"disabledPermissions": [],
"enabledPermissions": [],
"memberTenantId": "<Tenant id>",
"roleIds": []
}
}
}`;

  it('create with the placeholder "<Tenant id>": validationFailed Invalid memberTenantId', async () => {
    const snap = snapshot(server, 'x:Role');
    const res = await send('x:Role/set', CREATE);
    expect(res.created).toBeNull();
    expect(res.notCreated.new1).toMatchObject({
      type: 'validationFailed',
      properties: ['memberTenantId'],
      validationErrors: [{ type: 'Invalid', property: 'memberTenantId', value: '<Tenant id>' }],
    });
    expect(snapshot(server, 'x:Role')).toBe(snap);
  });

  it('create with a real tenant id: created, sets answered as objects', async () => {
    const t = await create(server, 'x:Tenant', { name: 'seed-tenant' });
    const res = await send('x:Role/set', CREATE.replace('<Tenant id>', t));
    expect(res.notCreated).toBeNull();
    const id = res.created.new1.id;
    expect((await send('x:Role/get', withId(GET, id))).list[0]).toEqual({
      id,
      description: 'Example',
      disabledPermissions: {},
      enabledPermissions: {},
      memberTenantId: t,
      roleIds: {},
    });
  });

  it('create with an unknown tenant id: invalidForeignKey memberTenantId', async () => {
    const res = await send('x:Role/set', CREATE.replace('<Tenant id>', 'nosuchtenant'));
    expect(res.notCreated.new1).toMatchObject({ type: 'invalidForeignKey', properties: ['memberTenantId'] });
  });

  it('update / destroy id1: notFound; with a real id: success', async () => {
    expect((await send('x:Role/set', UPDATE_DESCRIPTION)).notUpdated.id1.type).toBe('notFound');
    expect((await send('x:Role/set', DESTROY)).notDestroyed.id1.type).toBe('notFound');
    const id = await create(server, 'x:Role', { description: 'seed 001' });
    expect((await send('x:Role/set', withId(UPDATE_DESCRIPTION, id))).updated).toEqual({ [id]: null });
    expect(server.store.get('x:Role', id)!.description).toBe('updated value');
    expect((await send('x:Role/set', withId(DESTROY, id))).destroyed).toEqual([id]);
  });

  it('query by description', async () => {
    const res = await send('x:Role/query', `{
"filter": {
"description": "example"
}
}`);
    expect(res.ids).toHaveLength(1);
  });
});

describe('seed 004: x:AllowedIp', () => {
  it('get id1: notFound', async () => {
    expect((await send('x:AllowedIp/get', GET)).notFound).toEqual(['id1']);
  });

  it('create {}: validationFailed Required address (the seed omits it)', async () => {
    const snap = snapshot(server, 'x:AllowedIp');
    const res = await send('x:AllowedIp/set', `{
"create": {
"new1": {}
}
}`);
    expect(res.created).toBeNull();
    expect(res.notCreated.new1).toMatchObject({
      type: 'validationFailed',
      properties: ['address'],
      validationErrors: [{ type: 'Required', property: 'address' }],
    });
    expect(snapshot(server, 'x:AllowedIp')).toBe(snap);
  });

  it('create with an address: created with createdAt', async () => {
    const res = await send('x:AllowedIp/set', `{
"create": {
"new1": {"address": "192.0.2.0/24", "reason": "example"}
}
}`);
    expect(res.created.new1.createdAt).toMatch(/Z$/);
  });

  it('update / destroy id1: notFound; with a real id: success', async () => {
    expect((await send('x:AllowedIp/set', UPDATE_REASON)).notUpdated.id1.type).toBe('notFound');
    expect((await send('x:AllowedIp/set', DESTROY)).notDestroyed.id1.type).toBe('notFound');
    const id = await create(server, 'x:AllowedIp', { address: '198.51.100.9' });
    expect((await send('x:AllowedIp/set', withId(UPDATE_REASON, id))).updated).toEqual({ [id]: null });
    expect(server.store.get('x:AllowedIp', id)!.reason).toBe('updated value');
    expect((await send('x:AllowedIp/set', withId(DESTROY, id))).destroyed).toEqual([id]);
  });

  it('query by address text', async () => {
    const res = await send('x:AllowedIp/query', `{
"filter": {
"address": "example"
}
}`);
    expect(res.ids).toEqual([]);
    const res2 = await send('x:AllowedIp/query', `{"filter": {"address": "192.0.2."}}`);
    expect(res2.ids).toHaveLength(1);
  });
});

describe('the seeds\' Bearer header', () => {
  it('an unknown bearer token is 401 with a problem body, not 500', async () => {
    const res = await fetch(`${server.url}/api`, {
      method: 'POST',
      headers: { Authorization: 'Bearer $TOKEN', 'Content-Type': 'application/json' },
      body: body('x:Role/get', GET),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
