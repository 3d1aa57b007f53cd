// `npm run bench:activity`: what the activity log (x:Activity, issue 15) costs and how fast
// it reads.
//
// An embedded server (in this process, on 127.0.0.1, temporary DATA_DIR) gets BENCH_ACTIVITY
// (100000) entries written into its store as the recorder writes them: 12 object types,
// 5000 records, 25 authors, spread over the last 80 days (inside the 90-day retention).
// Then, one request at a time, 60 of each after a warm-up:
// - /set: one x:Role update (its description) per request, with the recorder on and off in
//   turns (off: the catalogue's recordWrite removed for the call), 200 of each, p50 of each
//   and the difference; and the recorder alone (one entry in its own transaction);
// - the Activity log page: x:Activity/query sorted by `at`, newest first (limit 50,
//   calculateTotal) plus x:Activity/get on its #ids: unfiltered, by author (a different one
//   each time), a record's History (objectType + objectId, a different record each time), a
//   time window (a different day each time), and author + type + time together; and the
//   History again right after a write (the log changed).
// Figures are printed beside their targets (p50 ≤ 20 ms for a page, ≤ 2 ms added to a
// /set); nothing is asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { utcDateTime } from '../src/shared/schema/validate';
import { startTestServer } from '../src/server/testing';
import { CATALOGUE, OBJECT_BY_NAME } from '../src/server/objects';
import { ACTIVITY } from '../src/server/activity/names';

const ENTRIES = Number(process.env.BENCH_ACTIVITY ?? 100_000);
const TYPES = ['x:Account', 'x:Domain', 'x:Role', 'x:MailingList', 'x:AddressForward', 'x:ApiKey', 'x:BlockedIp', 'x:AllowedIp', 'x:DlpRule', 'x:Task', 'x:MtaRoute', 'x:Tenant'];
const RECORDS = 5000;
const AUTHORS = 25;
const DAY = 86_400_000;

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const verdict = (p50: number, target: number) => (p50 <= target ? 'met' : 'MISSED');
const pick = (n: number) => Math.floor(Math.random() * n);
const recordId = (i: number) => `rec${String(i).padStart(6, '0')}`;

function entry(i: number, now: number): Record<string, unknown> {
  const r = i % RECORDS;
  const author = (i * 7) % AUTHORS;
  return {
    at: utcDateTime(new Date(now - 80 * DAY + Math.floor((i * 80 * DAY) / ENTRIES))),
    actorId: `acct${author}`,
    actorName: `author${author}@bench.test`,
    via: i % 5 === 0 ? 'webadmin' : 'jmap',
    remoteIp: `10.0.${author}.${r % 250}`,
    objectType: TYPES[r % TYPES.length],
    objectId: recordId(r),
    action: i < RECORDS ? 'created' : 'updated',
    properties: { description: true },
    changes: { description: JSON.stringify({ from: `old ${i}`, to: `new ${i}` }) },
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-activity-'));
  const server = await startTestServer(dir);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  const { store } = server;
  const seeded = performance.now();
  const now = Date.now();
  store.transaction(() => {
    for (let i = 0; i < ENTRIES; i++) store.insert(ACTIVITY, `act${String(i).padStart(7, '0')}`, entry(i, now), []);
  });
  store.flushChanges();
  store.analyze(true);
  console.log(`seeded ${ENTRIES} activity entries in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const [, made] = await server.call('x:Role/set', { create: { r: { description: 'bench role' } } });
  const roleId = (made.created as Record<string, { id: string }>).r.id;
  const recorder = CATALOGUE.recordWrite;
  let n = 0;
  const update = async (record: boolean) => {
    CATALOGUE.recordWrite = record ? recorder : undefined;
    const start = performance.now();
    const [name, res] = await server.call('x:Role/set', { update: { [roleId]: { description: `bench role ${++n}` } } });
    const took = performance.now() - start;
    CATALOGUE.recordWrite = recorder;
    if (name !== 'x:Role/set' || res.notUpdated) throw new Error(JSON.stringify(res));
    return took;
  };
  for (let i = 0; i < 10; i++) await update(i % 2 === 0);
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 400; i++) (i % 2 === 0 ? on : off).push(await update(i % 2 === 0));
  const [p50on, p50off] = [pct(on, 50), pct(off, 50)];
  console.log(`x:Role/set (one update), recording on:  p50 ${ms(p50on)}, p95 ${ms(pct(on, 95))}`);
  console.log(`x:Role/set (one update), recording off: p50 ${ms(p50off)}, p95 ${ms(pct(off, 95))}`);
  console.log(`  added by recording: p50 ${ms(p50on - p50off)}   target ≤ 2 ms: ${verdict(p50on - p50off, 2)}`);
  // The recorder alone, in its own transaction: what one entry costs the /set it is part of.
  const role = store.get('x:Role', roleId)!;
  const write = { def: OBJECT_BY_NAME.get('x:Role')!, action: 'updated' as const, id: roleId, via: 'jmap' as const, caller: { accountId: 'bench', name: 'bench', permissions: new Set<string>() } };
  const alone: number[] = [];
  for (let i = 0; i < 400; i++) {
    const start = performance.now();
    store.transaction(() => recorder!(store, { ...write, prev: role, next: { ...role, description: `alone ${i}` }, clientIp: '127.0.0.1' }));
    alone.push(performance.now() - start);
  }
  store.flushChanges();
  console.log(`  the recorder alone (one entry, in its own transaction): p50 ${ms(pct(alone, 50))}, p95 ${ms(pct(alone, 95))}`);

  const page = async (filter: Record<string, unknown> | undefined) => {
    const start = performance.now();
    const res = await server.api([
      [`${ACTIVITY}/query`, { ...(filter ? { filter } : {}), sort: [{ property: 'at', isAscending: false }], limit: 50, calculateTotal: true }, 'q'],
      [`${ACTIVITY}/get`, { '#ids': { resultOf: 'q', name: `${ACTIVITY}/query`, path: '/ids' } }, 'g'],
    ]);
    if (res.methodResponses[0][0] !== `${ACTIVITY}/query`) throw new Error(JSON.stringify(res.methodResponses[0]));
    return performance.now() - start;
  };
  const measure = async (label: string, f: () => Promise<number>, target = 20) => {
    await f();
    const times: number[] = [];
    for (let i = 0; i < 60; i++) times.push(await f());
    const p50 = pct(times, 50);
    console.log(`${label}: p50 ${ms(p50)}, p95 ${ms(pct(times, 95))}   target p50 ≤ ${target} ms: ${verdict(p50, target)}`);
  };
  const day = (d: number) => utcDateTime(new Date(now - d * DAY));
  const history = () => {
    const r = pick(RECORDS);
    return { objectType: TYPES[r % TYPES.length], objectId: recordId(r) };
  };
  await measure('Activity log, newest first, first page', () => page(undefined));
  await measure('Activity log, by author (a different one each time)', () => page({ actorName: `author${pick(AUTHORS)}@` }));
  await measure('Activity log, by author id', () => page({ actorId: `acct${pick(AUTHORS)}` }));
  await measure('History of one record (objectType + objectId, a different record each time)', () => page(history()));
  await measure('Activity log, one day (a different day each time)', () => {
    const d = 1 + pick(79);
    return page({ atIsGreaterThanOrEqual: day(d + 1), atIsLessThan: day(d) });
  });
  await measure('Activity log, author + object type + a week', () => {
    const d = 1 + pick(70);
    return page({ actorName: `author${pick(AUTHORS)}@`, objectType: TYPES[pick(TYPES.length)], atIsGreaterThanOrEqual: day(d + 7), atIsLessThan: day(d) });
  });
  await measure('History of one record, right after a write', async () => {
    await update(true);
    return page(history());
  });

  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
