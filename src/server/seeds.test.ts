// Every curl example of seeds 000 (ClusterRole), 001 (Role) and 004 (AllowedIp), sent as
// written to POST /api with Basic auth: success, or a precise per-property error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ResponseTo, type TestServer } from './testing';
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

async function send<N extends string>(method: N, args: string): Promise<ResponseTo<N>> {
  const r = await post(server, '/api', body(method, args));
  expect(r.status).toBe(200);
  expect(r.json.methodResponses).toHaveLength(1);
  const [name, res, callId] = r.json.methodResponses![0];
  expect(callId).toBe('c1');
  expect(name, JSON.stringify(res)).toBe(method);
  return res as ResponseTo<N>;
}

const withId = (args: string, id: string) => args.replace(/"id1"/g, JSON.stringify(id));

/** The seed's create leaves out a required property: validationFailed naming it, nothing stored. */
async function refusedWithout(type: string, create: string, property: string) {
  const snap = snapshot(server, type);
  const res = await send(`${type}/set`, create);
  expect(res.created).toBeNull();
  expect(res.notCreated!.new1).toMatchObject({
    type: 'validationFailed',
    properties: [property],
    validationErrors: [{ type: 'Required', property }],
  });
  expect(snapshot(server, type)).toBe(snap);
}

/** The seed's update and destroy: notFound for id1, then success once `make` gives a real record. */
async function updateAndDestroy(type: string, update: string, property: string, make: () => Promise<string>) {
  expect((await send(`${type}/set`, update)).notUpdated!.id1.type).toBe('notFound');
  expect((await send(`${type}/set`, DESTROY)).notDestroyed!.id1.type).toBe('notFound');
  const id = await make();
  expect((await send(`${type}/set`, withId(update, id))).updated).toEqual({ [id]: null });
  expect(server.store.get(type, id)![property]).toBe('updated value');
  expect((await send(`${type}/set`, withId(DESTROY, id))).destroyed).toEqual([id]);
}

/** The seed's query: a text condition for "example" on one property. */
const queryExample = (type: string, property: string) => send(`${type}/query`, `{
"filter": {
"${property}": "example"
}
}`);

describe('seed 000: x:ClusterRole', () => {
  it('get id1: notFound', async () => {
    const res = await send('x:ClusterRole/get', GET);
    expect(res.list).toEqual([]);
    expect(res.notFound).toEqual(['id1']);
  });

  it('create without name: validationFailed Required name (the seed omits it)', async () => {
    await refusedWithout('x:ClusterRole', `{
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
}`, 'name');
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
    expect(res.created!.new1.id).toBeDefined();
  });

  it('update / destroy id1: notFound; with a real id: success', async () => {
    await updateAndDestroy('x:ClusterRole', UPDATE_DESCRIPTION, 'description', async () => {
      const id = await create(server, 'x:ClusterRole', { name: 'seed-000', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
      expect((await send('x:ClusterRole/get', withId(GET, id))).list[0]).toMatchObject({ id, name: 'seed-000' });
      return id;
    });
  });

  it('query by name', async () => {
    const res = await queryExample('x:ClusterRole', 'name');
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
    expect(res.notCreated!.new1).toMatchObject({
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
    const id = res.created!.new1.id;
    expect((await send('x:Role/get', withId(GET, id))).list[0]).toEqual({
      id,
      builtIn: false,
      description: 'Example',
      disabledPermissions: {},
      enabledPermissions: {},
      memberTenantId: t,
      roleIds: {},
    });
  });

  it('create with an unknown tenant id: invalidForeignKey memberTenantId', async () => {
    const res = await send('x:Role/set', CREATE.replace('<Tenant id>', 'nosuchtenant'));
    expect(res.notCreated!.new1).toMatchObject({ type: 'invalidForeignKey', properties: ['memberTenantId'] });
  });

  it('update / destroy id1: notFound; with a real id: success', async () => {
    await updateAndDestroy('x:Role', UPDATE_DESCRIPTION, 'description', () => create(server, 'x:Role', { description: 'seed 001' }));
  });

  it('query by description', async () => {
    const res = await queryExample('x:Role', 'description');
    expect(res.ids).toHaveLength(1);
  });
});

describe('seed 004: x:AllowedIp', () => {
  it('get id1: notFound', async () => {
    expect((await send('x:AllowedIp/get', GET)).notFound).toEqual(['id1']);
  });

  it('create {}: validationFailed Required address (the seed omits it)', async () => {
    await refusedWithout('x:AllowedIp', `{
"create": {
"new1": {}
}
}`, 'address');
  });

  it('create with an address: created with createdAt', async () => {
    const res = await send('x:AllowedIp/set', `{
"create": {
"new1": {"address": "192.0.2.0/24", "reason": "example"}
}
}`);
    expect(res.created!.new1.createdAt).toMatch(/Z$/);
  });

  it('update / destroy id1: notFound; with a real id: success', async () => {
    await updateAndDestroy('x:AllowedIp', UPDATE_REASON, 'reason', () => create(server, 'x:AllowedIp', { address: '198.51.100.9' }));
  });

  it('query by address text', async () => {
    const res = await queryExample('x:AllowedIp', 'address');
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
