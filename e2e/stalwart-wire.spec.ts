// The stand-in itself (e2e/stalwart/) speaks as design/wire.md says a Stalwart 0.16
// server does: these checks keep the test double honest, so that e2e/stalwart.spec.ts
// tests the console against Stalwart's semantics and not against something kinder.

import { expect, test } from '@playwright/test';
import { ADMIN, STALWART_URL } from './env';
import { basic, jmap } from './helpers';

test.use({ baseURL: STALWART_URL });

const auth = { Authorization: basic(ADMIN.username, ADMIN.password) };

test('the schema sits behind a 302 to its hash, served gzip and immutable; the caller must sign in', async ({ request }) => {
  expect((await request.get('/api/schema', { maxRedirects: 0 })).status()).toBe(401);
  const first = await request.get('/api/schema', { headers: auth, maxRedirects: 0 });
  expect(first.status()).toBe(302);
  expect(first.headers().location).toMatch(/^\/api\/schema\/[0-9a-f]{64}$/);
  const doc = await request.get(first.headers().location, { headers: auth });
  expect(doc.status()).toBe(200);
  expect(doc.headers()['content-encoding']).toBe('gzip');
  expect(doc.headers()['cache-control']).toContain('immutable');
  const schema = await doc.json();
  expect(schema.objects['x:Account/User']).toEqual({ type: 'view', objectName: 'x:Account' });
  expect(schema.forms['x:DataStore'].sections[0].fields.map((f: { name: string }) => f.name)).toEqual(['@type']);
});

test('a 401 says how to authenticate, as problem+json', async ({ request }) => {
  const res = await request.get('/jmap/session');
  expect(res.status()).toBe(401);
  expect(res.headers()['www-authenticate']).toContain('Bearer');
  expect(res.headers()['content-type']).toContain('application/problem+json');
  expect((await res.json()).status).toBe(401);
});

test('/api/account, the session and OAuth discovery have Stalwart’s shape', async ({ request }) => {
  const account = await (await request.get('/api/account', { headers: auth })).json();
  expect(account).toMatchObject({ edition: 'oss', locale: 'en_US' });
  expect(account.permissions).toContain('sysAccountCreate');
  const session = await (await request.get('/jmap/session', { headers: auth })).json();
  const id = session.primaryAccounts['urn:stalwart:jmap'];
  expect(session.accounts[id].accountCapabilities['urn:stalwart:jmap']).toEqual({});
  const discovery = await (await request.get('/api/discover/admin')).json();
  expect(discovery).toMatchObject({ authorization_endpoint: `${STALWART_URL}/login`, token_endpoint: `${STALWART_URL}/auth/token`, code_challenge_methods_supported: ['S256'] });
  expect(discovery).not.toHaveProperty('revocation_endpoint');
});

test('no state, no /changes, AND-only filters, unknown properties dropped', async ({ request }) => {
  const [[, get], [, changes], [, or], [, unindexed], [, set]] = await jmap(request, [
    ['x:Role/get', { ids: null, properties: ['name', 'noSuchProperty'] }, 'g'],
    ['x:Role/changes', { sinceState: '0' }, 'c'],
    ['x:Role/query', { filter: { operator: 'OR', conditions: [{ name: 'a' }, { name: 'b' }] } }, 'o'],
    ['x:Role/query', { filter: { description: 'x' } }, 'u'],
    ['x:Domain/set', { create: { d: { name: `wire-${Date.now()}.test` } } }, 's'],
  ]);
  expect(get).not.toHaveProperty('state');
  for (const r of get.list as Record<string, unknown>[]) expect(Object.keys(r).sort()).toEqual(['id', 'name']);
  expect(changes.type).toBe('unknownMethod');
  expect(or.type).toBe('unsupportedFilter');
  expect(unindexed.type).toBe('unsupportedFilter');
  expect(set).not.toHaveProperty('newState');
  expect(set).not.toHaveProperty('oldState');
  const [[, and]] = await jmap(request, [['x:Role/query', { filter: { operator: 'AND', conditions: [{ name: 'Help desk' }] } }, 'q']]);
  expect(and.ids).toHaveLength(1);
  await jmap(request, [['x:Domain/set', { destroy: [Object.values(set.created as Record<string, { id: string }>)[0].id] }, 'd']]);
});

test('x:Action is create-only and answers in created; x:Task keeps its internal variants to itself', async ({ request }) => {
  const [[, run], [, read], [, query], [, task]] = await jmap(request, [
    ['x:Action/set', { create: { a: { '@type': 'ClassifySpam', message: 'Subject: hello\nMessage-ID: <1@x>\nDate: today\n\nhi', remoteIp: '192.0.2.1', ehloDomain: 'mx.example', envFrom: 'a@b.example', envRcptTo: { 'c@d.example': true } } } }, 'a'],
    ['x:Action/get', { ids: ['anything'] }, 'g'],
    ['x:Action/query', {}, 'q'],
    ['x:Task/set', { create: { t: { '@type': 'DestroyAccount' } } }, 't'],
  ]);
  expect((run.created as Record<string, Record<string, unknown>>).a).toMatchObject({ score: 0, result: 'ham', tags: {} });
  expect(read).toMatchObject({ list: [], notFound: ['anything'] });
  expect(query).toMatchObject({ type: 'invalidArguments' });
  expect((task.notCreated as Record<string, { type: string }>).t.type).toBe('forbidden');
});

test('secrets are stored hashed and never read back; a bad value names its property', async ({ request }) => {
  const name = `wire${Date.now().toString(36)}`;
  const [[, domains]] = await jmap(request, [['x:Domain/query', { filter: { name: 'example.test' } }, 'q']]);
  const domainId = (domains.ids as string[])[0];
  const [[, bad], [, good]] = await jmap(request, [
    ['x:Account/set', { create: { b: { '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password' } }, quotas: { maxNothing: 1 } } } }, 'b'],
    ['x:Account/set', { create: { g: { '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: 'Wire-Passw0rd' } } } } }, 'g'],
  ]);
  expect((bad.notCreated as Record<string, unknown>).b).toEqual({
    type: 'validationFailed',
    validationErrors: [{ type: 'Required', property: 'credentials/0/secret' }, { type: 'Invalid', property: 'quotas/maxNothing', value: 'maxNothing' }],
  });
  const id = (good.created as Record<string, { id: string }>).g.id;
  const [[, got]] = await jmap(request, [['x:Account/get', { ids: [id] }, 'g']]);
  expect(JSON.stringify(got.list)).not.toContain('Wire-Passw0rd');
  expect((got.list as { credentials: Record<string, object> }[])[0].credentials[0]).not.toHaveProperty('secret');
  expect((await request.get('/jmap/session', { headers: { Authorization: basic(name, 'Wire-Passw0rd') } })).status()).toBe(200);
  await jmap(request, [['x:Account/set', { destroy: [id] }, 'd']]);
});
