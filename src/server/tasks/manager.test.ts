// The task manager on a real server: order, cancel, failure, restart, retention, progress
// throttling, and the refusals of x:Task/set. The test kinds (./testing) count steps.

import { RUNS } from './testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, startTestServer, type JmapRecord, type TestServer } from '../testing';
import { getOne, query, set, snapshot } from '../testkit';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/db';
import { ChangeKind, Store } from '../store/records';
import type { TaskKind } from './kind';
import { TaskManager } from './manager';
import { STOPPED_REASON, TASK } from './status';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const steps = (label: string, extra: Record<string, unknown> = {}) => ({ '@type': 'TestSteps', label, steps: 2, stepMs: 10, ...extra });

async function createTasks(values: Record<string, Record<string, unknown>>): Promise<Record<string, string>> {
  const res = await set(server, TASK, { create: values });
  expect(res.notCreated, JSON.stringify(res.notCreated)).toBeNull();
  return Object.fromEntries(Object.entries(res.created!).map(([k, v]) => [k, v.id]));
}

const task = async (id: string) => (await getOne(server, TASK, id)) as JmapRecord;
const statusType = (t: JmapRecord) => (t.status as { '@type': string })['@type'];

async function until(id: string, state: string, s = server) {
  for (let i = 0; i < 500; i++) {
    const t = (await getOne(s, TASK, id))!;
    if (statusType(t) === state) return t;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Task ${id} never became ${state}`);
}

describe('running tasks', () => {
  it('runs tasks one at a time in submission order and records dates, progress and results', async () => {
    RUNS.length = 0;
    const ids = await createTasks({ a: steps('a'), b: steps('b'), c: steps('c') });
    const fresh = await task(ids.c);
    expect(fresh.status).toMatchObject({ '@type': 'Pending' });
    expect(fresh.submittedAt).toEqual(expect.any(String));
    await server.tasks.whenIdle();
    expect(RUNS).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    for (const id of Object.values(ids)) {
      const t = await task(id);
      expect(t.status).toMatchObject({ '@type': 'Completed', createdAt: t.submittedAt, startedAt: t.startedAt, completedAt: t.completedAt });
      expect(t.progress).toEqual({ initialCount: 2, processedCount: 2, failedCount: 0, remainingCount: 0 });
      expect(t.doneSteps).toBe(2);
      expect(t.failedAt).toBeNull();
      expect(t.cancelledAt).toBeNull();
    }
  });

  it('a task whose work throws ends Failed with the reason; the next one still runs', async () => {
    const ids = await createTasks({ f: steps('f', { steps: 3, failAt: 2 }), g: steps('g') });
    await server.tasks.whenIdle();
    const f = await task(ids.f);
    expect(f.status).toMatchObject({ '@type': 'Failed', failureReason: 'Step 2 of f failed', failedAttemptNumber: 1 });
    expect(f.failureReason).toBe('Step 2 of f failed');
    expect(f.failedAt).toEqual(expect.any(String));
    expect(f.progress).toMatchObject({ processedCount: 1, remainingCount: 2 });
    expect(statusType(await task(ids.g))).toBe('Completed');
  });

  it('writes progress at most four times a second, and announces each write', async () => {
    let announced = 0;
    const off = server.store.onChange((types) => void (types.has(TASK) && announced++));
    const since = server.store.modseq(TASK);
    const started = Date.now();
    const { p } = await createTasks({ p: steps('p', { steps: 60, stepMs: 10 }) });
    await server.tasks.whenIdle();
    const elapsed = Date.now() - started;
    off();
    const updates = server.store.changesSince(TASK, since, 10_000).filter((c) => c.id === p && c.kind === ChangeKind.Updated).length;
    // Running, progress writes, the final write: never more than one per 250 ms in between.
    expect(updates).toBeGreaterThanOrEqual(3);
    expect(updates).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 3);
    expect(announced).toBeGreaterThanOrEqual(updates);
    expect((await task(p)).progress).toEqual({ initialCount: 60, processedCount: 60, failedCount: 0, remainingCount: 0 });
  });
});

describe('push', () => {
  it('a running task’s progress reaches the push stream as StateChange events', async () => {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/jmap/eventsource/?types=x:Task&closeafter=no&ping=0`, { headers: { Authorization: basic('admin', ADMIN_PASSWORD) }, signal: abort.signal });
    expect(res.status).toBe(200);
    const states: string[] = [];
    const reading = (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: '', done: true }));
        if (done) return;
        buffer += value;
        for (let m = /event: state\ndata: (.*)\n\n/.exec(buffer); m; m = /event: state\ndata: (.*)\n\n/.exec(buffer)) {
          buffer = buffer.slice(m.index + m[0].length);
          const change = JSON.parse(m[1]) as { changed: Record<string, Record<string, string>> };
          states.push(...Object.values(change.changed).map((c) => c[TASK]).filter(Boolean));
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    await createTasks({ pushed: steps('pushed', { steps: 8, stepMs: 100 }) });
    await server.tasks.whenIdle();
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await reading;
    // Created, Running, a few progress writes, Completed: several events, the last one current.
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(states.at(-1)).toBe(server.store.state(TASK));
  });
});

describe('cancel', () => {
  it('a waiting task is cancelled at once; a running one at its next step', async () => {
    RUNS.length = 0;
    const ids = await createTasks({ long: steps('long', { steps: 20, stepMs: 300 }), wait: steps('wait') });
    await until(ids.long, 'Running');
    const res = await set(server, TASK, { update: { [ids.wait]: { status: { '@type': 'CancelRequested' } }, [ids.long]: { 'status/@type': 'CancelRequested' } } });
    expect(res.notUpdated, JSON.stringify(res.notUpdated)).toBeNull();
    const waited = await task(ids.wait);
    expect(waited.status).toMatchObject({ '@type': 'Cancelled', startedAt: null, cancelledAt: waited.cancelledAt });
    expect(waited.cancelledAt).toEqual(expect.any(String));
    expect(waited.startedAt).toBeNull();
    expect(statusType(await task(ids.long))).toBe('CancelRequested');
    await server.tasks.whenIdle();
    const long = await task(ids.long);
    expect(long.status).toMatchObject({ '@type': 'Cancelled', startedAt: long.startedAt });
    expect(long.cancelledAt).toEqual(expect.any(String));
    expect(RUNS).toEqual(['start long', 'stopped long']);
  });

  it('cancelling a finished task is refused with the reason, and changes nothing', async () => {
    const { done } = await createTasks({ done: steps('done') });
    await server.tasks.whenIdle();
    const before = snapshot(server, TASK);
    const res = await set(server, TASK, { update: { [done]: { status: { '@type': 'CancelRequested' } } } });
    expect(res.notUpdated![done]).toMatchObject({ type: 'invalidProperties', properties: ['status'] });
    expect(res.notUpdated![done].description).toMatch(/already ended \(completed at .*\): a finished task cannot be cancelled/);
    expect(snapshot(server, TASK)).toBe(before);
  });

  it('no other change of status is accepted; inputs are read-only; results are the server\u2019s', async () => {
    // Long steps: no progress is written while the store is compared.
    const ids = await createTasks({ long: steps('held', { steps: 3, stepMs: 1500 }), next: steps('next') });
    await until(ids.long, 'Running');
    const before = snapshot(server, TASK);
    const res = await set(server, TASK, {
      update: {
        [ids.next]: { status: { '@type': 'Completed' } },
        [ids.long]: { label: 'other' },
        nope: { status: { '@type': 'CancelRequested' } },
      },
    });
    expect(res.notUpdated![ids.next]).toMatchObject({ type: 'invalidProperties', properties: ['status'] });
    expect(res.notUpdated![ids.next].description).toMatch(/Only a cancel/);
    expect(res.notUpdated![ids.long].type).toBe('invalidPatch');
    expect(res.notUpdated!.nope.type).toBe('notFound');
    const res2 = await set(server, TASK, { update: { [ids.long]: { doneSteps: 5 } } });
    expect(res2.notUpdated![ids.long]).toMatchObject({ type: 'invalidProperties', properties: ['doneSteps'] });
    expect(snapshot(server, TASK)).toBe(before);
    await set(server, TASK, { update: { [ids.long]: { status: { '@type': 'CancelRequested' } } } });
    await server.tasks.whenIdle();
  });
});

describe('create and destroy', () => {
  it('refuses bad new tasks precisely and stores nothing', async () => {
    const before = snapshot(server, TASK);
    const res = await set(server, TASK, {
      create: {
        running: steps('r', { status: { '@type': 'Running' } }),
        internal: { '@type': 'TestInternal', label: 'i' },
        refused: steps('refuse'),
        unknown: { '@type': 'NoSuchKind' },
        dates: steps('d', { startedAt: '2020-01-01T00:00:00Z' }),
        badSteps: steps('b', { steps: -1 }),
      },
    });
    expect(res.created).toBeNull();
    const e = res.notCreated!;
    expect(e.running).toMatchObject({ type: 'invalidProperties', properties: ['status'] });
    expect(e.internal).toMatchObject({ type: 'forbidden', properties: ['@type'] });
    expect(e.refused).toMatchObject({ type: 'invalidProperties', properties: ['label'], description: 'label: refused by the kind' });
    expect(e.unknown.type).toBe('validationFailed');
    expect(e.dates).toMatchObject({ type: 'invalidProperties', properties: ['startedAt'] });
    expect(e.badSteps.type).toBe('validationFailed');
    expect(snapshot(server, TASK)).toBe(before);
  });

  it('only finished tasks can be destroyed (history clean-up)', async () => {
    const ids = await createTasks({ long: steps('d1', { steps: 300, stepMs: 10 }), waiting: steps('d2') });
    await until(ids.long, 'Running');
    const res = await set(server, TASK, { destroy: [ids.long, ids.waiting] });
    expect(res.notDestroyed![ids.long]).toMatchObject({ type: 'forbidden' });
    expect(res.notDestroyed![ids.long].description).toMatch(/in progress: cancel it first/);
    expect(res.notDestroyed![ids.waiting].description).toMatch(/waiting: cancel it first/);
    await set(server, TASK, { update: { [ids.long]: { status: { '@type': 'CancelRequested' } } } });
    await server.tasks.whenIdle();
    expect((await set(server, TASK, { destroy: [ids.long, ids.waiting] })).destroyed).toEqual([ids.long, ids.waiting]);
  });
});

describe('lists', () => {
  it('filters on the status variant and @type, newest first', async () => {
    const ids = await createTasks({ x: { '@type': 'TestResume', label: 'x' }, y: steps('y', { failAt: 1 }) });
    await server.tasks.whenIdle();
    const byStatus = await query(server, TASK, { filter: { status: 'Failed' }, sort: [{ property: 'submittedAt', isAscending: false }] });
    expect(byStatus.ids[0]).toBe(ids.y);
    for (const id of byStatus.ids) expect(statusType(await task(id))).toBe('Failed');
    const byType = await query(server, TASK, { filter: { '@type': 'TestResume', status: 'Completed' } });
    expect(byType.ids).toContain(ids.x);
    const [name, err] = await server.call('x:Task/query', { filter: { status: 'Bogus' } });
    expect(name).toBe('error');
    expect(err).toMatchObject({ type: 'invalidArguments' });
    expect(err.description).toMatch(/status takes one of Pending, Running, CancelRequested, Completed, Cancelled, Failed/);
  });
});

describe('history retention', () => {
  it('removes finished tasks older than x:TaskManager.historyRetention, and nothing else', async () => {
    const [, got] = await server.call('x:TaskManager/get', { ids: ['singleton'] });
    expect((got.list as JmapRecord[])[0].historyRetention).toBe(7 * 24 * 3600 * 1000);
    const ids = await createTasks({ old: steps('old'), recent: steps('recent') });
    await server.tasks.whenIdle();
    const { store } = server;
    store.transaction(() => {
      const rec = store.get(TASK, ids.old)!;
      store.update(TASK, ids.old, { ...rec, completedAt: new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z') }, []);
    });
    store.flushChanges();
    const res = await set(server, 'x:TaskManager', { update: { singleton: { historyRetention: 60_000 } } });
    expect(res.notUpdated, JSON.stringify(res.notUpdated)).toBeNull();
    const bad = await set(server, 'x:TaskManager', { update: { singleton: { historyRetention: 5 } } });
    expect(bad.notUpdated!.singleton.type).toBe('validationFailed');
    await server.tasks.purge();
    expect(await getOne(server, TASK, ids.old)).toBeUndefined();
    expect(statusType(await task(ids.recent))).toBe('Completed');
    await set(server, 'x:TaskManager', { update: { singleton: { historyRetention: 7 * 24 * 3600 * 1000 } } });
  });
});

describe('restart', () => {
  it('a task running when the server stopped is marked failed; a waiting one still runs', async () => {
    const ids = await createTasks({ long: steps('crash', { steps: 1000, stepMs: 10 }), after: steps('after') });
    await until(ids.long, 'Running');
    server = await server.restart();
    await server.tasks.whenIdle();
    const long = await task(ids.long);
    expect(long.status).toMatchObject({ '@type': 'Failed', failureReason: STOPPED_REASON });
    expect(long.failureReason).toBe(STOPPED_REASON);
    expect(statusType(await task(ids.after))).toBe('Completed');
  });

  it('a resumable kind runs again from the start; a requested cancel ends cancelled', async () => {
    RUNS.length = 0;
    const ids = await createTasks({ again: { '@type': 'TestResume', label: 'again', steps: 20, stepMs: 20 } });
    await until(ids.again, 'Running');
    server = await server.restart();
    await server.tasks.whenIdle();
    expect(RUNS.filter((r) => r === 'start again')).toHaveLength(2);
    expect(statusType(await task(ids.again))).toBe('Completed');

    const { c } = await createTasks({ c: steps('c2', { steps: 1000, stepMs: 10 }) });
    await until(c, 'Running');
    // A cancel the manager has not seen yet when the server stops.
    const { store } = server;
    store.transaction(() => {
      const rec = store.get(TASK, c)!;
      store.update(TASK, c, { ...rec, status: { ...(rec.status as object), '@type': 'CancelRequested' } }, []);
    });
    server = await server.restart();
    await server.tasks.whenIdle();
    expect(statusType(await task(c))).toBe('Cancelled');
  });

  it('a task run again from the start shows nothing of what the cut-short run reported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-resume-'));
    const store = new Store(openDatabase(dir));
    // Runs until it is stopped, reporting nothing: what the record shows comes from before.
    const held: TaskKind = {
      variant: 'Held', label: 'held', creatable: true, onRestart: 'resume',
      fields: { properties: { count: { description: 'A result', type: { type: 'number', nullable: true }, update: 'serverSet' } } },
      run: (t) => new Promise((resolve) => (t.signal.aborted ? resolve() : t.signal.addEventListener('abort', () => resolve()))),
    };
    const at = '2026-01-01T00:00:00Z';
    store.transaction(() => {
      store.insert(TASK, 'cut', {
        '@type': 'Held', status: { '@type': 'Running', createdAt: at, startedAt: at }, due: at, submittedAt: at, startedAt: at,
        completedAt: null, failedAt: null, cancelledAt: null, failureReason: null, count: 7,
        progress: { initialCount: 10, processedCount: 7, failedCount: 0, remainingCount: 3 },
      }, []);
    });
    const manager = new TaskManager({ store, dataDir: dir, kinds: [held] });
    try {
      manager.start();
      const rec = store.get(TASK, 'cut')!;
      expect(rec.status).toMatchObject({ '@type': 'Running' });
      expect(rec.startedAt).not.toBe(at);
      expect(rec.count).toBeNull();
      expect(rec.progress).toBeNull();
    } finally {
      await manager.close();
      store.db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
