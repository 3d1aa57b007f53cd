// `npm run bench:tasks`: the task list's speed against issue 11's target (≤ 20 ms p50 over
// 10,000 historic tasks).
//
// An embedded server (in this process, on 127.0.0.1, temporary DATA_DIR, WebAdmin on a free
// port) gets BENCH_TASKS (10000) finished tasks written into its store as the task manager
// writes them (Completed, Failed and Cancelled, submitted over the last six days, so the
// history retention keeps them), then one real task through x:Task/set, run to its end.
// Then, one request at a time, 40 of each after a warm-up:
// - the Tasks list page: x:Task/query sorted by submittedAt, newest first (limit 50,
//   calculateTotal) plus x:Task/get on its #ids: unfiltered first and random page, filtered
//   by status (Failed) and by status and @type;
// - the same page while a task is being submitted between two pages (the list changed);
// - WebAdmin `GET /tasks?status=failed&limit=50` and `GET /tasks/{id}`.
// Figures are printed beside their targets; nothing is asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { utcDateTime } from '../src/shared/schema/validate';
import { apiKey } from '../src/server/webadmin/testing';
import { startTestServer } from '../src/server/testing';
import { newId } from '../src/server/jmap/set';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const STATES = ['Completed', 'Completed', 'Completed', 'Failed', 'Cancelled'] as const;

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const verdict = (p50: number, target: number) => (p50 <= target ? 'met' : 'MISSED');

/** A finished task as the manager leaves it. */
function historic(i: number, now: number): Record<string, unknown> {
  const state = STATES[i % STATES.length];
  const submitted = utcDateTime(new Date(now - 6 * 86_400_000 + Math.floor((i * 6 * 86_400_000) / TASKS)));
  const started = submitted;
  const ended = submitted;
  const base = {
    '@type': 'CleanupTasks', olderThan: 86_400_000, removedTasksCount: state === 'Completed' ? i % 7 : null,
    due: submitted, submittedAt: submitted, startedAt: started, completedAt: null, failedAt: null, cancelledAt: null,
    progress: { initialCount: 10, processedCount: state === 'Completed' ? 10 : 4, failedCount: 0, remainingCount: state === 'Completed' ? 0 : 6 },
    failureReason: null,
  };
  if (state === 'Completed') return { ...base, completedAt: ended, status: { '@type': 'Completed', createdAt: submitted, startedAt: started, completedAt: ended } };
  if (state === 'Cancelled') return { ...base, cancelledAt: ended, status: { '@type': 'Cancelled', createdAt: submitted, startedAt: started, cancelledAt: ended } };
  const reason = `Benchmark failure ${i}`;
  return { ...base, failedAt: ended, failureReason: reason, status: { '@type': 'Failed', createdAt: submitted, startedAt: started, failedAt: ended, failedAttemptNumber: 1, failureReason: reason } };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-tasks-'));
  const server = await startTestServer(dir, { webadminPort: 0 });
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  const { store } = server;
  const seeded = performance.now();
  const now = Date.now();
  store.transaction(() => {
    for (let i = 0; i < TASKS; i++) store.insert('x:Task', newId(), historic(i, now), []);
  });
  store.flushChanges();
  store.analyze(true);
  console.log(`seeded ${TASKS} historic tasks in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const [name, created] = await server.call('x:Task/set', { create: { t: { '@type': 'CleanupTasks', olderThan: 30 * 86_400_000 } } });
  if (name !== 'x:Task/set' || created.notCreated) throw new Error(JSON.stringify(created));
  await server.tasks.whenIdle();

  const page = async (filter: Record<string, unknown> | undefined, position: number) => {
    const start = performance.now();
    const res = await server.api([
      ['x:Task/query', { ...(filter ? { filter } : {}), sort: [{ property: 'submittedAt', isAscending: false }], position, limit: 50, calculateTotal: true }, 'q'],
      ['x:Task/get', { '#ids': { resultOf: 'q', name: 'x:Task/query', path: '/ids' } }, 'g'],
    ]);
    if (res.methodResponses[0][0] !== 'x:Task/query') throw new Error(JSON.stringify(res.methodResponses[0]));
    return performance.now() - start;
  };
  const measure = async (label: string, f: () => Promise<number>, target = 20) => {
    await f();
    const times: number[] = [];
    for (let i = 0; i < 40; i++) times.push(await f());
    const p50 = pct(times, 50);
    console.log(`${label}: p50 ${ms(p50)}, p95 ${ms(pct(times, 95))}   target p50 ≤ ${target} ms: ${verdict(p50, target)}`);
  };
  const random = () => Math.floor(Math.random() * (TASKS - 50));
  await measure('Tasks list, newest first, first page', () => page(undefined, 0));
  await measure('Tasks list, newest first, random page', () => page(undefined, random()));
  await measure('Tasks list, status Failed', () => page({ status: 'Failed' }, 0));
  await measure('Tasks list, status Completed and @type, random page', () => page({ status: 'Completed', '@type': 'CleanupTasks' }, Math.floor(Math.random() * (TASKS / 2))));
  await measure('Tasks list, status Failed, after a task was submitted', async () => {
    await server.call('x:Task/set', { create: { t: { '@type': 'CleanupTasks', olderThan: 30 * 86_400_000 } } });
    await server.tasks.whenIdle();
    return page({ status: 'Failed' }, 0);
  });

  const key = await apiKey(server);
  const web = async (p: string) => {
    const start = performance.now();
    const res = await fetch(server.webadminUrl + p, { headers: { Authorization: `Bearer ${key}` } });
    await res.text();
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    return performance.now() - start;
  };
  await measure('WebAdmin GET /tasks?status=failed&limit=50', () => web('/tasks?status=failed&limit=50'));
  const [, any] = await server.call('x:Task/query', { limit: 1 });
  const id = (any.ids as string[])[0];
  await measure('WebAdmin GET /tasks/{id}', () => web(`/tasks/${id}`));
  const start = performance.now();
  await web('/tasks');
  console.log(`WebAdmin GET /tasks (all ${TASKS + 41} reports, one request): ${ms(performance.now() - start)}   (no target)`);

  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
