// A client that hangs up halfway through its request body: one log line without a stack,
// no answer, and the server keeps serving.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_PASSWORD, basic, startTestServer, type TestServer } from '../testing';
import { userAccount } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** Sends the headers and half of a declared body, then closes; resolves with what came back. */
function hangUp(authorization: string, waitMs: number): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST /jmap/ HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
      socket.write('{"using": ["urn:ietf:params:jmap:core"], "methodCalls": [');
      setTimeout(() => socket.destroy(), waitMs);
    });
    socket.on('data', (c: Buffer) => (received += c.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

/** console.error calls until `count` of them arrived (or a deadline passed). */
async function errorsDuring(count: number, run: () => Promise<unknown>): Promise<unknown[][]> {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    await run();
    await vi.waitFor(() => expect(spy.mock.calls.length).toBeGreaterThanOrEqual(count), { timeout: 3000 });
    await new Promise((r) => setTimeout(r, 50)); // room for a second line that must not come
    return spy.mock.calls.map((c) => [...c]);
  } finally {
    spy.mockRestore();
  }
}

describe('a client that closes the connection mid-body', () => {
  it('is logged as one line without a stack and answered nothing', async () => {
    const auth = basic('admin', ADMIN_PASSWORD);
    await server.raw('/api/account'); // credentials verified: the body is being read when it hangs up
    let answer = '';
    const calls = await errorsDuring(1, async () => (answer = await hangUp(auth, 100)));
    expect(answer).toBe('');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1);
    expect(calls[0][0]).toMatch(/^\[postern\] client 127\.0\.0\.1 closed the connection before the request was read$/);
    expect((await server.raw('/healthz')).status).toBe(200);
  });

  it('also while its credentials are still being checked', async () => {
    // A user never seen before: scrypt runs while the client is already gone.
    const [name] = await server.call('x:Account/set', { create: { u: userAccount('hangs-up', 'hangs-up-pw') } });
    expect(name).toBe('x:Account/set');
    const calls = await errorsDuring(1, () => hangUp(basic('hangs-up', 'hangs-up-pw'), 1));
    expect(calls).toHaveLength(1);
    expect(String(calls[0][0])).toMatch(/closed the connection before the request was read$/);
    const [n, r] = await server.call('x:Role/get', { ids: [] });
    expect(n).toBe('x:Role/get');
    expect(r.notFound).toEqual([]);
  });
});
