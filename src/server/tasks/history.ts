// The task history's clean-up: finished tasks that ended before a cut-off are removed. The
// manager runs it on a timer (x:TaskManager.historyRetention); the CleanupTasks kind runs
// it on request (James's `DELETE /tasks?olderThan=`), and reports what it removed.

import { utcDateTime } from '../../shared/schema/validate';
import type { Store } from '../store/records';
import type { TaskKind } from './kind';
import { ENDED_SQL, FINISHED, statusIn, TASK } from './status';

const BATCH = 500;

/**
 * Removes finished tasks that ended before `cutoff` (never `except`), in batches of one
 * transaction each, announcing every batch. Stops between batches when `signal` is aborted
 * or `closed()` says the store is closing.
 */
export async function purgeFinished(
  store: Store,
  cutoff: Date,
  opts: { except?: string; signal?: AbortSignal; onBatch?: (removed: number) => void; closed?: () => boolean } = {},
): Promise<number> {
  const where = `${statusIn(FINISHED)} AND ${ENDED_SQL} < ? AND id != ?`;
  const params = [utcDateTime(cutoff), opts.except ?? ''];
  let removed = 0;
  for (;;) {
    if (opts.signal?.aborted || opts.closed?.()) break;
    const ids = store.queryIds(TASK, where, params, 'rid', BATCH, 0);
    if (ids.length === 0) break;
    store.transaction(() => {
      for (const id of ids) store.delete(TASK, id);
    });
    store.flushChanges();
    removed += ids.length;
    opts.onBatch?.(removed);
    if (ids.length < BATCH) break;
    await new Promise((r) => setImmediate(r)); // requests are answered between batches
  }
  return removed;
}

/** Finished tasks that ended before `cutoff`: how many a clean-up would remove. */
export function countFinishedBefore(store: Store, cutoff: Date): number {
  return store.count(TASK, `${statusIn(FINISHED)} AND ${ENDED_SQL} < ?`, [utcDateTime(cutoff)]);
}

/** Housekeeping: remove finished tasks older than `olderThan` now, whatever the retention says. */
export const cleanupTasksKind: TaskKind = {
  variant: 'CleanupTasks',
  label: 'Clean up the task history',
  fields: {
    properties: {
      olderThan: {
        description: 'Postern extension: finished tasks that ended longer ago than this (milliseconds) are removed',
        type: { type: 'number', format: 'duration', min: 0 },
        update: 'immutable',
      },
      removedTasksCount: { description: 'Finished tasks removed', type: { type: 'number', format: 'unsignedInteger', nullable: true }, update: 'serverSet' },
    },
    defaults: { olderThan: 7 * 24 * 60 * 60 * 1000 },
  },
  creatable: true,
  // It removes tasks: only a caller who may remove them one by one may start it.
  check: (ctx) =>
    ctx.caller.permissions.has('sysTaskDestroy')
      ? null
      : { type: 'forbidden', description: 'Cleaning the task history up removes tasks: it needs the permission to remove tasks (sysTaskDestroy)', properties: ['@type'] },
  jamesType: 'tasks-cleanup',
  jamesInfo: (r) => ({ removedTasksCount: r.removedTasksCount ?? 0, olderThan: r.olderThan }),
  // Removing what is already old is safe to start again from the beginning.
  onRestart: 'resume',
  async run(t) {
    const cutoff = new Date(Date.now() - Number(t.input.olderThan));
    const initial = countFinishedBefore(t.store, cutoff);
    t.progress({ initialCount: initial, processedCount: 0, failedCount: 0, remainingCount: initial });
    const removed = await purgeFinished(t.store, cutoff, {
      except: t.id,
      signal: t.signal,
      onBatch: (n) => t.progress({ processedCount: n, remainingCount: Math.max(0, initial - n) }),
    });
    t.info({ removedTasksCount: removed });
  },
};
