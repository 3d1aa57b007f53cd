// Push (RFC 8620 §7.3): StateChange events for x: types, only those the caller may read.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from './testing';
import { userAccount } from './testkit';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A push event (RFC 8620 §7.1): new states by account, then by type. */
interface StateChange {
  '@type': string;
  changed: Record<string, Record<string, string>>;
}

/** Opens the stream and resolves with the first `state` event's data. */
async function firstStateEvent(auth: string, types = '*'): Promise<{ events: Promise<StateChange | null>; abort: () => void; opened: Promise<number> }> {
  const abort = new AbortController();
  const res = fetch(`${server.url}/jmap/eventsource/?types=${types}&closeafter=state&ping=0`, { headers: { Authorization: auth }, signal: abort.signal });
  const events = res.then(async (r) => {
    const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += value;
      const m = /event: state\ndata: (.*)\n\n/.exec(buffer);
      if (m) return JSON.parse(m[1]) as StateChange;
    }
  });
  return { events, abort: () => abort.abort(), opened: res.then((r) => r.status) };
}

it('tells a reader of x:AllowedIp its new state after a /set', async () => {
  const { events, opened } = await firstStateEvent(basic('admin', 'test-admin-password'), 'x:AllowedIp');
  expect(await opened).toBe(200);
  const [, r] = await server.call('x:AllowedIp/set', { create: { a: { address: '203.0.113.9' } } });
  const change = (await events)!;
  expect(change['@type']).toBe('StateChange');
  const [account] = Object.values(change.changed);
  expect(account).toEqual({ 'x:AllowedIp': r.newState });
});

it('does not tell a caller about types it may not read', async () => {
  const [, role] = await server.call('x:Role/set', { create: { r: { description: 'tenants only', enabledPermissions: { sysTenantGet: true } } } });
  await server.call('x:Account/set', {
    create: { u: userAccount('push-reader', 'push-Passw0rd', [role.created!.r.id]) },
  });
  const { events, opened } = await firstStateEvent(basic('push-reader', 'push-Passw0rd'));
  expect(await opened).toBe(200);
  await server.call('x:AllowedIp/set', { create: { a: { address: '203.0.113.10' } } });
  await server.call('x:Tenant/set', { create: { t: { name: 'push-tenant' } } });
  const change = (await events)!;
  const [account] = Object.values(change.changed);
  expect(Object.keys(account)).toEqual(['x:Tenant']);
});

it('limits how many streams one account keeps open', async () => {
  const open = [];
  for (let i = 0; i < 16; i++) open.push(await firstStateEvent(basic('admin', 'test-admin-password')));
  expect(await Promise.all(open.map((o) => o.opened))).toEqual(new Array(16).fill(200));
  const extra = await firstStateEvent(basic('admin', 'test-admin-password'));
  expect(await extra.opened).toBe(429);
  for (const o of [...open, extra]) {
    o.abort();
    o.events.catch(() => undefined);
  }
});
