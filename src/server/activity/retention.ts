// The activity log's clean-up: entries older than x:ActivityLog.retention are removed, on a
// timer, a bounded amount of work per run (batches of one transaction each, at most
// MAX_BATCHES per run); what is left over goes in the next run.

import { utcDateTime } from '../../shared/schema/validate';
import { propExpr, type Store } from '../store/records';
import { ACTIVITY, ACTIVITY_LOG, DEFAULT_ACTIVITY_RETENTION_MS, MIN_ACTIVITY_RETENTION_MS } from './names';

const BATCH = 500;
const MAX_BATCHES = 20;
/** The most one run removes; a run that removed as many runs again after CATCH_UP_MS. */
export const MAX_PURGED_PER_RUN = BATCH * MAX_BATCHES;
const INTERVAL_MS = 10 * 60_000;
const CATCH_UP_MS = 1000;

/** The retention x:ActivityLog says (its default before it was ever written). */
export function activityRetention(store: Store): number {
  const v = store.get(ACTIVITY_LOG, 'singleton')?.retention;
  return typeof v === 'number' && v >= MIN_ACTIVITY_RETENTION_MS ? v : DEFAULT_ACTIVITY_RETENTION_MS;
}

/** Removes entries recorded before `now - retention`; returns how many (at most BATCH × MAX_BATCHES). */
export async function purgeActivity(store: Store, opts: { now?: number; closed?: () => boolean } = {}): Promise<number> {
  const cutoff = utcDateTime(new Date((opts.now ?? Date.now()) - activityRetention(store)));
  const at = propExpr('at');
  let removed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    if (opts.closed?.()) break;
    // Oldest first, walking the index on `at`.
    const ids = store.queryIds(ACTIVITY, `${at} < ?`, [cutoff], `${at}, rid`, BATCH, 0);
    if (ids.length === 0) break;
    store.transaction(() => {
      for (const id of ids) store.delete(ACTIVITY, id);
    });
    store.flushChanges();
    removed += ids.length;
    if (ids.length < BATCH) break;
    await new Promise((r) => setImmediate(r)); // requests are answered between batches
  }
  return removed;
}

export interface ActivityRetention {
  /** One clean-up now (tests; the timer runs the same). */
  runNow(now?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A record's history (its type and id, newest first), an author's changes and a type's
 * changes, newest first, are each one walk of an index.
 */
export function ensureActivityIndexes(store: Store): void {
  const [type, id, actor, at] = ['objectType', 'objectId', 'actorId', 'at'].map(propExpr);
  const where = `WHERE type = '${ACTIVITY}'`;
  store.db.exec(`CREATE INDEX IF NOT EXISTS ix_x_Activity_object ON records (${type}, ${id}, ${at}, rid) ${where};
    CREATE INDEX IF NOT EXISTS ix_x_Activity_actor_at ON records (${actor}, ${at}, rid) ${where};
    CREATE INDEX IF NOT EXISTS ix_x_Activity_type_at ON records (${type}, ${at}, rid) ${where};`);
}

/**
 * Runs the clean-up once soon after start, then every ten minutes; a run that hit its bound
 * runs again a moment later (more was written than one run removes), until it is caught up.
 */
export function startActivityRetention(store: Store, log: (msg: string) => void, intervalMs = INTERVAL_MS, catchUpMs = CATCH_UP_MS): ActivityRetention {
  ensureActivityIndexes(store);
  let closed = false;
  let running: Promise<number> = Promise.resolve(0);
  let catchUp: NodeJS.Timeout | undefined;
  const run = (now?: number) => {
    running = running.then(async () => {
      if (closed) return 0;
      const removed = await purgeActivity(store, { now, closed: () => closed }).catch((e: Error) => {
        log(`Activity log clean-up failed: ${e.message}`);
        return 0;
      });
      if (removed >= MAX_PURGED_PER_RUN && !closed) {
        clearTimeout(catchUp);
        catchUp = setTimeout(() => void run(now), catchUpMs);
        catchUp.unref();
      }
      return removed;
    });
    return running;
  };
  const first = setTimeout(() => void run(), 5_000);
  first.unref();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    runNow: run,
    async close() {
      closed = true;
      clearTimeout(first);
      clearTimeout(catchUp);
      clearInterval(timer);
      await running;
    },
  };
}
