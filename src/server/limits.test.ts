// Requests that try to make the server do too much get a clear error, not a stall or a 500.

import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('bounds responses that references would blow up', async () => {
  const calls: unknown[] = [['Core/echo', { x: 'A'.repeat(1000) }, 'c0']];
  for (let i = 1; i < 40; i++) {
    const ref = { resultOf: `c${i - 1}`, name: 'Core/echo', path: '' };
    calls.push(['Core/echo', { '#a': ref, '#b': ref }, `c${i}`]);
  }
  const started = Date.now();
  const r = await server.api(calls);
  expect(r.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(r.methodResponses.some(([name, args]) => name === 'error' && args.type === 'requestTooLarge')).toBe(true);
  expect((await server.raw('/healthz')).status).toBe(200);
});

it('does not hand out creation ids of a /set that was rolled back', async () => {
  const r = await server.api([
    ['x:Tenant/set', { create: { a: { name: 'rolled-back' } }, destroy: [1] }, 's'],
    ['x:Tenant/get', { ids: ['#a'] }, 'g'],
  ]);
  expect(r.methodResponses[0][0]).toBe('error');
  expect(r.methodResponses[1][0]).toBe('error');
  expect(r.methodResponses[1][1].type).toBe('invalidArguments');
  const [, q] = await server.call('x:Tenant/query', { filter: { name: 'rolled-back' } });
  expect(q.ids).toEqual([]);
});

it('limits how many passwords one request may set', async () => {
  const create = Object.fromEntries(
    Array.from({ length: 25 }, (_, i) => [`u${i}`, { '@type': 'User', name: `many-${i}`, credentials: { 0: { '@type': 'Password', secret: `pw-${i}-long-enough` } } }]),
  );
  const [, r] = await server.call('x:Account/set', { create });
  expect(Object.keys(r.created!)).toHaveLength(20);
  expect(Object.values(r.notCreated!).every((e) => e.type === 'tooLarge')).toBe(true);
});

it('refuses filters too large for SQLite with unsupportedFilter', async () => {
  const conditions = Array.from({ length: 3000 }, (_, i) => ({ name: `n${i}` }));
  const [name, e] = await server.call('x:Tenant/query', { filter: { operator: 'OR', conditions } });
  expect([name, e.type]).toEqual(['error', 'unsupportedFilter']);
});

it('does not resolve names inherited by every JavaScript object', async () => {
  const [name, e] = await server.call('constructor/get', {});
  expect([name, e.type]).toEqual(['error', 'unknownMethod']);
  const r = await server.api([
    ['Core/echo', { a: 1 }, 'e'],
    ['Core/echo', { '#x': { resultOf: 'e', name: 'Core/echo', path: '/constructor' } }, 'f'],
  ]);
  expect(r.methodResponses[1][1].type).toBe('invalidResultReference');
});

it('answers a malformed request target with 400', async () => {
  const url = new URL(server.url);
  const status = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write('GET http://[/ HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.once('data', (d) => {
      resolve(d.toString().split('\r\n')[0]);
      socket.destroy();
    });
    socket.on('error', reject);
  });
  expect(status).toMatch(/^HTTP\/1\.1 400/);
});
