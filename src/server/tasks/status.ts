// The names the task object, the task manager and the WebAdmin routes share: the x:Task
// status union, which states are finished, and the SQL that reads a stored task's state.

export const TASK = 'x:Task';
export const TASK_MANAGER = 'x:TaskManager';

export const STATUS_NAMES = ['Pending', 'Running', 'CancelRequested', 'Completed', 'Cancelled', 'Failed'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/** States a task never leaves. */
export const FINISHED: readonly StatusName[] = ['Completed', 'Cancelled', 'Failed'];
/** States the manager still owes work (or a verdict) for. */
export const UNFINISHED: readonly StatusName[] = ['Pending', 'Running', 'CancelRequested'];

export const isFinished = (s: unknown): boolean => FINISHED.includes(s as StatusName);

/** The stored task's state, as SQL; the filter compiler writes a union filter the same way (its index serves both). */
export const STATUS_SQL = `json_extract(data, '$."status"."@type"')`;
export const STATUS_INDEX = `CREATE INDEX IF NOT EXISTS ix_x_Task_status_type ON records (${STATUS_SQL}, rid) WHERE type = '${TASK}'`;

/** `IN ('A', 'B')` over trusted status names. */
export const statusIn = (names: readonly StatusName[]) => `${STATUS_SQL} IN (${names.map((n) => `'${n}'`).join(', ')})`;

/** When a finished task ended, as SQL (retention is measured from there). */
export const ENDED_SQL = `coalesce(json_extract(data, '$."completedAt"'), json_extract(data, '$."cancelledAt"'), json_extract(data, '$."failedAt"'))`;

/** The reason a task that was running when the server stopped is marked failed with. */
export const STOPPED_REASON = 'The server stopped while this task was running';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RETENTION_MS = 7 * DAY_MS;

export const statusOf = (rec: Record<string, unknown> | null | undefined): StatusName | null => {
  const s = rec?.status as { '@type'?: unknown } | undefined;
  return typeof s?.['@type'] === 'string' ? (s['@type'] as StatusName) : null;
};
