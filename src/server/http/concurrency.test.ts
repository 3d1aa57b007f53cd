// RFC 8620 §2 maxConcurrentRequests, enforced per caller: past the limit a request gets the
// limit error naming maxConcurrentRequests; other callers are not held up; a finished
// request frees its slot.

import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIMITS } from '../jmap/context';
import { ADMIN_PASSWORD, basic, USING, startTestServer, type TestServer } from '../testing';
import { makeUser } from '../testkit';
import { CallerSlots } from './concurrency';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const body = JSON.stringify({ using: USING, methodCalls: [['Core/echo', { hello: 'world' }, 'c']] });

/** A request whose body is sent only in part: it holds its slot until `finish`. */
function held(): { finish(): Promise<number> } {
  const url = new URL(`${server.url}/jmap/`);
  let status: Promise<number> = Promise.resolve(0);
  const req = http.request({
    host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false,
    headers: { Authorization: basic('admin', ADMIN_PASSWORD), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  status = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return {
    finish() {
      req.end(body.slice(10));
      return status;
    },
  };
}

async function post(user = 'admin', password = ADMIN_PASSWORD) {
  const res = await fetch(`${server.url}/jmap/`, { method: 'POST', headers: { Authorization: basic(user, password), 'Content-Type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it(`refuses a caller's request past ${LIMITS.maxConcurrentRequests} in progress with the limit error, others still pass`, async () => {
  const other = await makeUser(server, []);
  const open = Array.from({ length: LIMITS.maxConcurrentRequests }, held);
  // The held requests take their slots once authenticated: until then an extra one passes.
  let refused: { status: number; body: Record<string, unknown> } | null = null;
  for (let i = 0; i < 100 && !refused; i++) {
    const r = await post();
    if (r.status === 429) refused = r;
    else expect(r.status).toBe(200);
  }
  expect(refused, 'no request was refused').not.toBeNull();
  expect(refused!.body).toMatchObject({ type: 'urn:ietf:params:jmap:error:limit', limit: 'maxConcurrentRequests', status: 429 });
  // Another caller is not held up by the first one's requests.
  expect((await post(other.user, other.password)).status).toBe(200);
  // Finished requests free their slots.
  expect(await Promise.all(open.map((o) => o.finish()))).toEqual(open.map(() => 200));
  expect((await post()).status).toBe(200);
});

it('CallerSlots frees a slot when the work fails, and counts per caller', async () => {
  const slots = new CallerSlots('maxConcurrentUpload', 1);
  let release!: () => void;
  const first = slots.run('a', () => new Promise<void>((r) => (release = r)));
  await expect(slots.run('a', async () => 1)).rejects.toMatchObject({ status: 429, extra: { limit: 'maxConcurrentUpload' } });
  expect(await slots.run('b', async () => 2)).toBe(2);
  release();
  await first;
  await expect(slots.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  expect(slots.busy('a')).toBe(0);
  expect(await slots.run('a', async () => 3)).toBe(3);
});
