// `npm run bench:queue`: the mail queue's listing speed against issue 13's target (a queue
// of 10,000 messages lists a filtered page in ≤ 50 ms p50).
//
// The store mirror is filled directly: BENCH_QUEUE (10000) synthetic `postqueue -j`
// entries (2 recipients each over 100 remote domains, 9 in 10 deferred with a delay
// reason, the rest held) are turned into x:QueuedMessage records by the mirror's own code
// (messageRecord, writeMirror). Queueing 10,000 real messages through Postfix and the
// content filter would take minutes of a shared machine, so Postfix's own `postqueue -j`
// time is not in these figures. Then, in this process, through the JMAP request handler
// (runRequest, as POST /jmap runs it) with the type's refresh hook left out:
// - a filtered page: x:QueuedMessage/query {to: <a domain>} sorted by due (Stalwart's sort), limit 50,
//   calculateTotal, plus x:QueuedMessage/get of its ids; each round a different domain;
// - the same with the sender filter and with the queue filter (hold);
// - the refresh's store side: parsing 10,000 listing lines into records and diffing them
//   into the store, unchanged, and with one message in a hundred changed.
// Figures are printed beside their targets; nothing is asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callerFor } from '../src/server/auth/caller';
import { runRequest } from '../src/server/jmap/api';
import { messageRecord, writeMirror, QUEUED_MESSAGE } from '../src/server/mail/queue/mirror';
import type { PostqueueEntry } from '../src/server/mail/queue/postfix';
import { CATALOGUE } from '../src/server/objects';
import type { Catalogue } from '../src/server/objects/define';
import { startTestServer } from '../src/server/testing';

const COUNT = Number(process.env.BENCH_QUEUE ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const TARGET_MS = 50;
const LIFETIMES = { normal: 5 * 86400, bounce: 5 * 86400 };

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const hex = (n: number) => n.toString(16).toUpperCase().padStart(11, '0');

function entry(i: number, now: number): PostqueueEntry {
  const held = i % 10 === 9;
  return {
    queue_name: held ? 'hold' : 'deferred',
    queue_id: hex(0x10000000000 + i * 7919),
    arrival_time: Math.floor(now / 1000) - (i % 5000),
    message_size: 1000 + (i % 97) * 113,
    sender: `sender${i % 500}@client${i % 20}.test`,
    recipients: [0, 1].map((k) => ({ address: `user${i}x${k}@remote${(i + k) % 100}.test`, delay_reason: `connect to mx.remote${(i + k) % 100}.test[192.0.2.${(i % 250) + 1}]:25: Connection timed out` })),
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-queue-'));
  const server = await startTestServer(dir);
  const store = server.store;
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  const now = Date.now();
  const entries = Array.from({ length: COUNT }, (_, i) => entry(i, now));
  const lines = entries.map((e) => JSON.stringify(e)).join('\n');
  const build = (text: string) => {
    const out = new Map<string, Record<string, unknown>>();
    for (const l of text.split('\n')) {
      const e = JSON.parse(l) as PostqueueEntry;
      out.set(e.queue_id, messageRecord(e, e.queue_name === 'deferred' ? now + 300_000 + (e.arrival_time % 600) * 1000 : undefined, LIFETIMES, undefined));
    }
    return out;
  };
  let t = performance.now();
  writeMirror(store, build(lines));
  console.log(`mirror filled with ${COUNT} messages in ${ms(performance.now() - t)}`);
  t = performance.now();
  const first = build(lines);
  const firstParse = performance.now() - t;
  t = performance.now();
  writeMirror(store, first);
  console.log(`refresh, store side, nothing changed: parse ${COUNT} listing lines ${ms(firstParse)}, diff ${ms(performance.now() - t)}`);

  const adminId = store.findBy('x:Account', 'name', 'admin');
  const caller = adminId ? callerFor(store, adminId) : null;
  if (!caller) throw new Error('no admin account');
  // The type as the server has it, without the refresh (no Postfix behind this store).
  const { refresh: _refresh, ...listed } = CATALOGUE.resolveObject(QUEUED_MESSAGE)!.def;
  const catalogue: Catalogue = { schema: CATALOGUE.schema, resolveObject: (n) => (n === QUEUED_MESSAGE ? { def: listed } : CATALOGUE.resolveObject(n)) };
  const page = async (filter: Record<string, unknown>) => {
    const body = JSON.stringify({
      using: ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'],
      methodCalls: [
        ['x:QueuedMessage/query', { filter, sort: [{ property: 'due', isAscending: true }], limit: 50, calculateTotal: true }, 'q'],
        ['x:QueuedMessage/get', { '#ids': { resultOf: 'q', name: 'x:QueuedMessage/query', path: '/ids' } }, 'g'],
      ],
    });
    const start = performance.now();
    const res = await runRequest({ store, catalogue, sessionState: () => 's' }, caller, body);
    const took = performance.now() - start;
    const [q, g] = (res as unknown as { methodResponses: [string, Record<string, unknown>][] }).methodResponses;
    if (q[0] !== 'x:QueuedMessage/query' || g[0] !== 'x:QueuedMessage/get') throw new Error(JSON.stringify(q[1]).slice(0, 300));
    return { took, total: q[1].total as number, got: (g[1].list as unknown[]).length };
  };
  const measure = async (label: string, filterOf: (i: number) => Record<string, unknown>) => {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const r = await page(filterOf(i));
      times.push(r.took);
      total = r.total;
    }
    const p50 = pct(times, 50);
    console.log(`${label.padEnd(52)} p50 ${ms(p50).padStart(9)}  p95 ${ms(pct(times, 95)).padStart(9)}  (${total} match)  target ≤ ${TARGET_MS} ms p50: ${p50 <= TARGET_MS ? 'met' : 'NOT met'}`);
  };
  await measure('filtered page: recipient domain (a new one each time)', (i) => ({ to: `remote${(i * 37) % 100}.test` }));
  await measure('filtered page: sender (a new one each time)', (i) => ({ returnPath: `sender${(i * 13) % 500}@` }));
  await measure('filtered page: queue hold', () => ({ queueName: 'hold' }));
  await measure('filtered page: search text (a new one each time)', (i) => ({ text: `user${i * 101}x` }));

  t = performance.now();
  const same = build(lines);
  const parsed = performance.now() - t;
  t = performance.now();
  const unchanged = writeMirror(store, same);
  console.log(`the same after the lists above (their results kept current): parse ${ms(parsed)}, diff ${ms(performance.now() - t)} (${unchanged} records written)`);
  const changed = build(lines);
  let n = 0;
  for (const [id, rec] of changed) if (n++ % 100 === 0) changed.set(id, { ...rec, queueName: 'active', held: false });
  t = performance.now();
  const written = writeMirror(store, changed);
  console.log(`refresh, store side: diff with 1 message in 100 changed ${ms(performance.now() - t)} (${written} records written)`);
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
