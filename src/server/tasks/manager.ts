// Runs x:Task records. /set is synchronous, so tasks are picked up from the change log (as
// services/actions.ts does for service actions): each created task joins the queue and the
// tasks run one at a time in submission order. The manager writes status, dates, progress
// and results back (progress at most PROGRESS_MS apart per task) and announces every write,
// so /changes and the push stream follow a task as it moves.
//
// Restart: what a previous run left unfinished is settled at start. A Pending task still
// runs; a Running one runs again from the start when its kind says that is safe
// (onRestart 'resume'), otherwise it is marked Failed with STOPPED_REASON; one whose cancel
// was requested is Cancelled (it did stop). A close of the server aborts the running task
// and leaves its record as it is, so a close and a crash end the same way.

import { utcDateTime } from '../../shared/schema/validate';
import { ChangeKind, type Data, type Store } from '../store/records';
import { purgeFinished } from './history';
import { TaskCancelled, type TaskKind, type TaskProgress, type TaskRun } from './kind';
import { TASK_KINDS } from './kinds';
import { dropReferences, referencesOf } from './references';
import { DEFAULT_RETENTION_MS, STATUS_INDEX, statusIn, statusOf, STOPPED_REASON, TASK, TASK_MANAGER, UNFINISHED } from './status';

/** Least time between two progress writes of one task: at most four a second. */
export const PROGRESS_MS = 250;
const BATCH = 500;
/** How long a close waits for the running task to stop at its signal. */
const CLOSE_WAIT_MS = 5000;

export interface TaskManagerOptions {
  store: Store;
  dataDir: string;
  /** The kinds it runs (TASK_KINDS; tests give their own). */
  kinds?: readonly TaskKind[];
  log?: (msg: string) => void;
  /** How often finished tasks past the retention are removed (default ten minutes). */
  retentionIntervalMs?: number;
}

interface Current {
  id: string;
  controller: AbortController;
  /** Why the signal was aborted: a cancel request, or the server closing. */
  reason: 'cancel' | 'close' | null;
  progress: TaskProgress | null;
  info: Data;
  dirty: boolean;
  lastWrite: number;
  timer: NodeJS.Timeout | null;
  done: Promise<void>;
  /** When it started (Date.now()). */
  since: number;
}

const ZERO: TaskProgress = { initialCount: 0, processedCount: 0, failedCount: 0, remainingCount: 0 };

export class TaskManager {
  private readonly store: Store;
  private readonly kinds: Map<string, TaskKind>;
  private readonly log: (msg: string) => void;
  private seen = 0;
  private readonly queue: string[] = [];
  private current: Current | null = null;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private scheduled = new Set<string>();
  private idle: (() => void)[] = [];
  private purging: Promise<number> | null = null;

  constructor(private readonly opts: TaskManagerOptions) {
    this.store = opts.store;
    this.kinds = new Map((opts.kinds ?? TASK_KINDS).map((k) => [k.variant, k]));
    this.log = opts.log ?? (() => {});
  }

  /** Settles what a previous run left unfinished, then runs the queue and keeps the history bounded. */
  start(): void {
    const { store } = this;
    store.db.exec(STATUS_INDEX);
    this.seen = store.modseq(TASK);
    for (const id of store.queryIds(TASK, statusIn(UNFINISHED), [], 'rid', -1, 0)) this.recover(id);
    store.flushChanges();
    this.seen = store.modseq(TASK);
    this.unsubscribe = store.onChange((types) => {
      if (types.has(TASK)) this.later('drain', () => this.drain());
      if (types.has(TASK_MANAGER)) this.later('purge', () => void this.purge());
    });
    this.retentionTimer = setInterval(() => void this.purge(), this.opts.retentionIntervalMs ?? 10 * 60_000);
    this.retentionTimer.unref();
    this.later('purge', () => void this.purge());
    this.pump();
  }

  private recover(id: string) {
    const rec = this.store.get(TASK, id)!;
    const state = statusOf(rec);
    const status = rec.status as Data;
    const now = utcDateTime();
    if (state === 'Pending') {
      this.queue.push(id);
    } else if (state === 'CancelRequested') {
      this.write(id, { status: { '@type': 'Cancelled', createdAt: status.createdAt, startedAt: status.startedAt ?? null, cancelledAt: now }, cancelledAt: now }, true);
    } else if (this.kinds.get(String(rec['@type']))?.onRestart === 'resume') {
      this.log(`Task ${id} (${String(rec['@type'])}) was running when the server stopped: it runs again from the start`);
      // From the start: what the cut-short run reported (progress, results) goes with it.
      const results = Object.entries(this.kinds.get(String(rec['@type']))!.fields.properties).filter(([, p]) => p.update === 'serverSet').map(([n]) => [n, null]);
      this.write(id, { ...Object.fromEntries(results), status: { '@type': 'Pending', createdAt: status.createdAt, due: rec.due }, startedAt: null, progress: null });
      this.queue.push(id);
    } else {
      this.log(`Task ${id} (${String(rec['@type'])}) was running when the server stopped: marked failed`);
      this.fail(id, rec, STOPPED_REASON);
    }
  }

  /** Stops the running task (its record stays as it is: the next start settles it) and the timers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    const cur = this.current;
    if (cur) {
      cur.reason ??= 'close';
      cur.controller.abort(new Error('The server is stopping'));
      if (cur.timer) clearTimeout(cur.timer);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([cur.done, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    await this.purging?.catch(() => 0);
    for (const f of this.idle.splice(0)) f();
  }

  /** Resolves once every task submitted so far has finished (tests and benchmarks). */
  whenIdle(): Promise<void> {
    this.drain();
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** What the manager is doing now (health checks): the running task and since when, how many wait. */
  state(): { closed: boolean; running: { id: string; since: number } | null; waiting: number } {
    const cur = this.current;
    return { closed: this.closed, running: cur ? { id: cur.id, since: cur.since } : null, waiting: this.queue.length };
  }

  private isIdle = () => this.closed || (!this.current && this.queue.length === 0);

  /** Removes finished tasks that ended longer ago than x:TaskManager.historyRetention. */
  purge(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    if (this.purging) return this.purging;
    const retention = this.store.get(TASK_MANAGER, 'singleton')?.historyRetention;
    const ms = typeof retention === 'number' ? retention : DEFAULT_RETENTION_MS;
    this.purging = purgeFinished(this.store, new Date(Date.now() - ms), { closed: () => this.closed })
      .catch((e: unknown) => {
        this.log(`Task history clean-up failed: ${(e as Error).message}`);
        return 0;
      })
      .finally(() => (this.purging = null));
    return this.purging;
  }

  /** Looks at the tasks created or changed since the last look. */
  private drain() {
    if (this.closed) return;
    for (;;) {
      const changes = this.store.changesSince(TASK, this.seen, BATCH);
      for (const c of changes) {
        this.seen = c.modseq;
        if (c.kind === ChangeKind.Created) {
          if (statusOf(this.store.get(TASK, c.id)) === 'Pending') this.queue.push(c.id);
        } else if (c.kind === ChangeKind.Updated && this.current?.id === c.id && !this.current.reason) {
          if (statusOf(this.store.get(TASK, c.id)) === 'CancelRequested') {
            this.current.reason = 'cancel';
            this.current.controller.abort(new TaskCancelled('The task was cancelled'));
          }
        }
      }
      if (changes.length < BATCH) break;
    }
    this.pump();
  }

  /** Starts the next waiting task when none runs. */
  private pump() {
    while (!this.closed && !this.current && this.queue.length) {
      const id = this.queue.shift()!;
      const rec = this.store.get(TASK, id);
      if (statusOf(rec) === 'Pending') this.begin(id, rec!); // cancelled or removed meanwhile: skipped
    }
    if (this.isIdle()) for (const f of this.idle.splice(0)) f();
  }

  private begin(id: string, rec: Data) {
    const kind = this.kinds.get(String(rec['@type']));
    if (!kind) {
      this.fail(id, rec, `This server has no task kind ${String(rec['@type'])}`);
      return;
    }
    const started = utcDateTime();
    const status = rec.status as Data;
    this.write(id, { status: { '@type': 'Running', createdAt: status.createdAt, startedAt: started }, startedAt: started });
    const controller = new AbortController();
    const cur: Current = { id, controller, reason: null, progress: null, info: {}, dirty: false, lastWrite: 0, timer: null, done: Promise.resolve(), since: Date.now() };
    this.current = cur;
    const results = new Set(Object.entries(kind.fields.properties).filter(([, p]) => p.update === 'serverSet').map(([n]) => n));
    const input: Data = {};
    for (const [k, p] of Object.entries(kind.fields.properties)) if (p.update !== 'serverSet' && k in rec) input[k] = rec[k];
    const run: TaskRun = {
      id,
      input,
      signal: controller.signal,
      progress: (p) => {
        cur.progress = { ...ZERO, ...cur.progress, ...p };
        this.changed(cur);
      },
      info: (fields) => {
        for (const [k, v] of Object.entries(fields)) {
          if (results.has(k)) cur.info[k] = v;
          else this.log(`Task ${id} (${kind.variant}) reported ${k}, which is not one of its result fields`);
        }
        this.changed(cur);
      },
      store: this.store,
      dataDir: this.opts.dataDir,
      log: (msg) => this.log(`[task ${id} ${kind.variant}] ${msg}`),
    };
    cur.done = Promise.resolve()
      .then(() => kind.run(run))
      .then(
        () => this.finish(cur, null),
        (e: unknown) => this.finish(cur, e),
      );
  }

  /** Progress or results moved: written now, or when PROGRESS_MS passed since the last write. */
  private changed(cur: Current) {
    cur.dirty = true;
    if (cur.timer || this.closed) return;
    const wait = cur.lastWrite + PROGRESS_MS - Date.now();
    if (wait <= 0) this.flushProgress(cur);
    else cur.timer = setTimeout(() => this.flushProgress(cur), wait);
  }

  private flushProgress(cur: Current) {
    cur.timer = null;
    if (!cur.dirty || this.current !== cur) return;
    cur.dirty = false;
    cur.lastWrite = Date.now();
    this.write(cur.id, { ...cur.info, ...(cur.progress ? { progress: cur.progress } : {}) });
  }

  private finish(cur: Current, error: unknown) {
    if (cur.timer) clearTimeout(cur.timer);
    cur.timer = null;
    this.current = null;
    if (this.closed) return; // the record stays as it is: the next start settles it
    const rec = this.store.get(TASK, cur.id);
    if (rec) {
      const status = rec.status as Data;
      const now = utcDateTime();
      const moved = { ...cur.info, ...(cur.progress ? { progress: cur.progress } : {}) };
      if (cur.reason === 'cancel') {
        this.write(cur.id, { ...moved, status: { '@type': 'Cancelled', createdAt: status.createdAt, startedAt: status.startedAt, cancelledAt: now }, cancelledAt: now }, true);
      } else if (error) {
        const reason = error instanceof Error && error.message ? error.message : String(error);
        this.fail(cur.id, { ...rec, ...moved }, reason);
      } else {
        this.write(cur.id, { ...moved, status: { '@type': 'Completed', createdAt: status.createdAt, startedAt: status.startedAt, completedAt: now }, completedAt: now }, true);
      }
    }
    this.pump();
  }

  private fail(id: string, rec: Data, reason: string) {
    const status = rec.status as Data;
    const now = utcDateTime();
    const { progress } = rec;
    this.write(id, {
      ...(progress !== undefined ? { progress } : {}),
      status: { '@type': 'Failed', createdAt: status.createdAt, startedAt: status.startedAt ?? null, failedAt: now, failedAttemptNumber: 1, failureReason: reason },
      failedAt: now,
      failureReason: reason,
    }, true);
  }

  /** Writes fields of a task and announces it; `finished`: the task no longer holds its references. */
  private write(id: string, fields: Data, finished = false) {
    if (this.closed) return;
    const { store } = this;
    let wrote = false;
    store.transaction(() => {
      const cur = store.get(TASK, id);
      if (!cur) return;
      store.update(TASK, id, { ...cur, ...fields }, finished ? [] : referencesOf(store, id));
      if (finished) dropReferences(store, id);
      wrote = true;
    });
    if (wrote) store.flushChanges();
  }

  /** Runs `fn` once soon, however many changes asked for it meanwhile. */
  private later(key: string, fn: () => void) {
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    setImmediate(() => {
      this.scheduled.delete(key);
      if (!this.closed) fn();
    });
  }
}
