// API keys: shown once, stored hashed, usable as Bearer tokens, revocable.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { text } from '../testkit';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const withKey = (key: string) =>
  fetch(`${server.url}/api/account`, { headers: { Authorization: `Bearer ${key}` } });

it('creates a key that works as a Bearer token until it is deleted', async () => {
  const [, r] = await server.call('x:ApiKey/set', { create: { k: { description: 'backup script' } } });
  const { id, accountId } = r.created!.k;
  const secret = text(r.created!.k.secret);
  expect(secret).toMatch(/^pst_/);
  expect(accountId).toBeTruthy();

  const stored = server.store.get('x:ApiKey', id)!;
  const raw = secret.slice(`pst_${id}_`.length);
  expect(raw.length).toBeGreaterThan(30);
  expect(stored.secret).not.toContain(raw);
  const [, got] = await server.call('x:ApiKey/get', { ids: [id] });
  expect(got.list[0].secret).toBeNull();

  const res = await withKey(secret);
  expect(res.status).toBe(200);
  expect((await res.json()).name).toBe('admin');

  await server.call('x:ApiKey/set', { destroy: [id] });
  expect((await withKey(secret)).status).toBe(401);
});

it('refuses an expired key and a key with a wrong secret', async () => {
  const [, r] = await server.call('x:ApiKey/set', {
    create: { old: { description: 'old', expiresAt: '2020-01-01T00:00:00Z' }, ok: { description: 'ok' } },
  });
  expect((await withKey(text(r.created!.old.secret))).status).toBe(401);
  const good = text(r.created!.ok.secret);
  const tampered = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
  expect((await withKey(tampered)).status).toBe(401);
  expect((await withKey(good)).status).toBe(200);
});

it('does not let a client set the secret or the owner', async () => {
  const [, r] = await server.call('x:ApiKey/set', { create: { k: { description: 'x', secret: 'mine', accountId: 'abc' } } });
  expect(r.notCreated!.k).toMatchObject({ type: 'invalidProperties' });
  expect(r.notCreated!.k.properties!.sort()).toEqual(['accountId', 'secret']);
});
