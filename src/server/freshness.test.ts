// Reads are never stale after another process writes: `npm run unblock` right after a start
// shows at once, and one request never contradicts itself.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { main as cli } from './cli';
import { startTestServer, type GetResponse, type QueryResponse, type TestServer } from './testing';
import { create, get } from './testkit';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quiet = { log: () => {}, error: (line: string) => expect.fail(line) };

/** One request reading the block three ways: all records, by id, and by query. */
async function readBlock(s: TestServer, id: string) {
  const r = await s.api([
    ['x:BlockedIp/get', { ids: null }, 'all'],
    ['x:BlockedIp/get', { ids: [id] }, 'one'],
    ['x:BlockedIp/query', { filter: { address: '192.0.2.7' }, calculateTotal: true }, 'q'],
  ]);
  const [all, one, q] = r.methodResponses.map(([, args]) => args) as [GetResponse, GetResponse, QueryResponse];
  return { listed: all.list.some((b) => b.id === id), found: one.list.length === 1, queried: q.ids.includes(id), total: q.total, states: [all.state, one.state, q.queryState] };
}

it('an external delete right after start is seen within 1 s by /get with ids: null', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-fresh-'));
  server = await startTestServer(dir);
  const id = await create(server, 'x:BlockedIp', { address: '192.0.2.7', reason: 'manual' });
  server = await server.restart();
  // Fill what the server remembers between writes (states, the small-type snapshot, totals).
  expect(await readBlock(server, id)).toMatchObject({ listed: true, found: true, queried: true, total: 1 });
  const before = (await get(server, 'x:BlockedIp', [])).state;

  expect(cli(['unblock', '192.0.2.7'], { ...process.env, DATA_DIR: dir }, quiet)).toBe(0);
  const deleted = Date.now();
  let seen = await readBlock(server, id);
  while (seen.listed && Date.now() - deleted < 3000) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await readBlock(server, id);
  }
  expect(Date.now() - deleted).toBeLessThan(1000);
  expect(seen).toMatchObject({ listed: false, found: false, queried: false, total: 0 });
  // The state moved, and all three reads of the one request agree on it.
  expect(new Set(seen.states).size).toBe(1);
  expect(seen.states[0]).not.toBe(before);
});
