// Seed 002 › Task management, over x:Task (src/server/tasks/):
//   GET    /tasks?status=&type=&offset=&limit=  execution reports, newest first (200; 400 bad status)
//   GET    /tasks/{id}                          the execution report (200; 400 malformed id; 404)
//   GET    /tasks/{id}/await?timeout=           waits for the end, then the report (200; 408 when the
//                                               timeout passes first; 400 malformed id or timeout; 404)
//   DELETE /tasks/{id}                          cancel (204; also while a cancel is under way;
//                                               409 when the task already ended; 400; 404)
//   DELETE /tasks?olderThan=                    newer James: clean the history up (201 {"taskId"})
// A report is James's: {submitDate, startedDate, completedDate, cancelledDate, failedDate,
// taskId, additionalInformation, status, type}; status waiting | inProgress |
// canceledRequested (newer James's name) | cancelled | completed | failed.

import { ID_PATTERN } from '../../shared/schema/validate';
import { LIMITS } from '../jmap/context';
import { TASK_KINDS } from '../tasks/kinds';
import { isFinished, statusOf, TASK, type StatusName } from '../tasks/status';
import type { Calls, Rec } from './calls';
import { conflict, invalid, notFound, WebAdminError } from './errors';
import { noContent, ok, type Route } from './router';

type Obj = Record<string, unknown>;

export const JAMES_STATUS: Record<StatusName, string> = {
  Pending: 'waiting',
  Running: 'inProgress',
  CancelRequested: 'canceledRequested',
  Cancelled: 'cancelled',
  Completed: 'completed',
  Failed: 'failed',
};
/** James's status names (both spellings of cancelled) → the x:TaskStatus variant. */
const FROM_JAMES: Record<string, StatusName> = {
  ...Object.fromEntries(Object.entries(JAMES_STATUS).map(([k, v]) => [v, k as StatusName])),
  canceled: 'Cancelled',
};

const kindOf = (variant: unknown) => TASK_KINDS.find((k) => k.variant === variant);

/** The James type name of every kind (`userReIndexing`), else its variant. */
const jamesType = (variant: unknown) => kindOf(variant)?.jamesType ?? String(variant);

/** The execution report of a task record. */
export function report(rec: Rec): Obj {
  const kind = kindOf(rec['@type']);
  const own = kind ? Object.keys(kind.fields.properties) : [];
  const info = kind?.jamesInfo ? kind.jamesInfo(rec) : Object.fromEntries(own.map((k) => [k, rec[k] ?? null]));
  const state = statusOf(rec) as StatusName;
  return {
    submitDate: rec.submittedAt ?? null,
    startedDate: rec.startedAt ?? null,
    completedDate: rec.completedAt ?? null,
    cancelledDate: rec.cancelledAt ?? null,
    failedDate: rec.failedAt ?? null,
    taskId: rec.id,
    additionalInformation: info,
    status: JAMES_STATUS[state] ?? state,
    type: jamesType(rec['@type']),
  };
}

/** A task id as the path gives it: 400 when it cannot be one. */
function taskId(raw: string): string {
  if (!ID_PATTERN.test(raw)) throw invalid('Invalid task ID', `${JSON.stringify(raw)} is not a task id (letters, digits, "-" and "_")`);
  return raw;
}

function findTask(calls: Calls, id: string): Rec {
  const [rec] = calls.getMany(TASK, [id]);
  if (!rec) throw notFound('Task ID was not found', `No task with id ${id}`);
  return rec;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const MAX_WAIT_MS = 365 * 86_400_000;

/** `30`, `500ms`, `3s`, `1m`, `2h`, `7d`, `2w` (a bare number is in `unit`) → milliseconds; 400 when malformed. */
export function parseDuration(name: string, raw: string, unit: 's' | 'd'): number {
  const m = /^(\d{1,12})\s*(ms|s|m|h|d|w)?$/.exec(raw.trim());
  if (!m) throw invalid(`Invalid ${name}`, `${name} must be a whole number with an optional unit (ms, s, m, h, d, w), such as 30s or 7d; got ${JSON.stringify(raw)}`);
  const ms = Number(m[1]) * UNITS[m[2] ?? unit];
  if (ms > MAX_WAIT_MS) throw invalid(`Invalid ${name}`, `${name} can be at most 365 days`);
  return ms;
}

function intParam(query: URLSearchParams, name: string, fallback: number | null): number | null {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw invalid(`Invalid ${name}`, `${name} must be a whole number, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

const sleep = (ms: number) =>
  new Promise<void>((r) => {
    setTimeout(r, ms).unref();
  });

/**
 * Waits until the task is finished or `timeoutMs` passed. The caller's permission is checked
 * by the first and the last read (through /get); the looks in between read the stored state
 * only, so an awaiter whose client went away costs one indexed read per pause, not a /get.
 */
async function awaitEnd(calls: Calls, id: string, timeoutMs: number, signal: AbortSignal): Promise<Rec> {
  const deadline = Date.now() + timeoutMs;
  let state = statusOf(findTask(calls, id));
  let pause = 25;
  while (!isFinished(state)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new WebAdminError(408, 'WrongState', 'The await timed out', `Task ${id} is still ${JAMES_STATUS[state as StatusName] ?? String(state)} after ${timeoutMs} ms`);
    }
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 500);
    // Nobody is waiting for the answer any more.
    if (signal.aborted) throw new WebAdminError(408, 'WrongState', 'The await ended', `The client of the await on task ${id} went away`);
    if (!calls.store.db.open) throw new WebAdminError(503, 'ServerError', 'The server is stopping', `Task ${id} was still awaited when the server stopped`);
    const stored = calls.store.get(TASK, id);
    if (!stored) break; // removed meanwhile: the read below answers 404
    state = statusOf(stored);
  }
  return findTask(calls, id);
}

export function taskRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/tasks',
      handler: ({ calls, query }) => {
        const filter: Obj = {};
        const status = query.get('status');
        if (status !== null) {
          const variant = FROM_JAMES[status];
          if (!variant) throw invalid('Invalid status value', `status must be one of ${[...Object.keys(FROM_JAMES)].join(', ')}; got ${JSON.stringify(status)}`);
          filter.status = variant;
        }
        const type = query.get('type');
        if (type !== null) {
          const kind = TASK_KINDS.find((k) => (k.jamesType ?? k.variant) === type || k.variant === type);
          if (!kind) throw invalid('Invalid type', `No task type ${JSON.stringify(type)}; the types are ${TASK_KINDS.map((k) => k.jamesType ?? k.variant).join(', ')}`);
          filter['@type'] = kind.variant;
        }
        const offset = intParam(query, 'offset', 0)!;
        const limit = intParam(query, 'limit', null);
        const sort = [{ property: 'submittedAt', isAscending: false }];
        // A page within /query's limit is one /query; otherwise every id from the offset on.
        const page = limit !== null && limit <= LIMITS.maxQueryLimit
          ? calls.queryPage(TASK, filter, sort, offset, limit)
          : calls.queryAll(TASK, filter, sort).slice(offset, limit === null ? undefined : offset + limit);
        return ok(calls.getMany(TASK, page).map(report));
      },
    },
    {
      method: 'DELETE',
      path: '/tasks',
      handler: ({ calls, query }) => {
        const raw = query.get('olderThan');
        if (raw === null) throw invalid('Invalid olderThan', 'DELETE /tasks cleans the history up and needs olderThan, such as ?olderThan=2w');
        const olderThan = parseDuration('olderThan', raw, 'd');
        const taskId = calls.create(TASK, { '@type': 'CleanupTasks', olderThan }, 'The task history clean-up could not be started');
        return { status: 201, body: { taskId } };
      },
    },
    {
      method: 'GET',
      path: '/tasks/:id',
      handler: ({ params, calls }) => ok(report(findTask(calls, taskId(params.id)))),
    },
    {
      method: 'GET',
      path: '/tasks/:id/await',
      handler: async ({ params, calls, query, signal }) => {
        const id = taskId(params.id);
        const raw = query.get('timeout');
        const timeout = raw === null ? MAX_WAIT_MS : parseDuration('timeout', raw, 's');
        return ok(report(await awaitEnd(calls, id, timeout, signal)));
      },
    },
    {
      method: 'DELETE',
      path: '/tasks/:id',
      handler: ({ params, calls }) => {
        const rec = findTask(calls, taskId(params.id));
        const state = statusOf(rec);
        // Already cancelled or being cancelled: 204 again, but only to a caller allowed to cancel
        // (the status sent back unchanged is an update that changes nothing).
        const wanted = state === 'CancelRequested' || state === 'Cancelled' ? state : 'CancelRequested';
        calls.update(TASK, rec.id, { status: { '@type': wanted } }, `Task ${rec.id} cannot be cancelled`, (e) =>
          e.type === 'invalidProperties' ? conflict(`Task ${rec.id} already ended: it cannot be cancelled`, e.description ?? null) : null,
        );
        return noContent();
      },
    },
  ];
}
