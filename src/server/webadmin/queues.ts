// Seed 002 › Administrating mail queues, over x:QueuedMessage (the private Postfix's queue):
//   GET /mailQueues                          the queue names
//   GET /mailQueues/{q}                      {name, size}
//   GET /mailQueues/{q}/mails?limit=n        [{name, sender, recipients, nextDelivery}], next attempt first
//   DELETE /mailQueues/{q}/mails?sender=a | ?name=id | ?recipient=a
//                                            task DeleteQueuedMessages → 201 {"taskId"}
//   DELETE /mailQueues/{q}/mails             task ClearMailQueue → 201 {"taskId"}
//   PATCH /mailQueues/{q}?delayed=true {"delayed": false}
//                                            retry every delayed message of the queue now (204):
//                                            all are checked first (409, nothing changed, when
//                                            any cannot be retried), then retried in one /set
//                                            (its apply hook: one `postqueue -f` for the whole
//                                            deferred queue when remote mail goes to the relay)
// Queue names: Postfix's five (maildrop, incoming, active, deferred, hold), listed by
// GET /mailQueues. James's two names are accepted for them: `outgoing` (mail waiting for
// remote delivery, tried again later) is Postfix's `deferred`, and `spool` (mail just
// taken in, before it is routed) is `incoming`; the answer names the queue as asked.
// A mail's `name` is its Postfix queue id; a bounce's sender (<>) is null.

import { retryProblems } from '../mail/queue/writes';
import type { Calls, Rec } from './calls';
import { conflict, invalid, notFound } from './errors';
import { noContent, ok, type Reply, type Route } from './router';

const QUEUED = 'x:QueuedMessage';
const TASK = 'x:Task';
export const QUEUE_NAMES = ['active', 'deferred', 'hold', 'incoming', 'maildrop'];
export const JAMES_ALIASES: Record<string, string> = { outgoing: 'deferred', spool: 'incoming' };
const SELECTORS = ['sender', 'name', 'recipient'] as const;
/** A time that has come: what "retry now" sets nextRetry to (Stalwart's Retry now does the same). */
const RETRY_NOW = '2000-01-01T00:00:00Z';

/** The Postfix queue a path names, or 400 (not a name) / 404 (no such queue). */
function queueOf(raw: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) throw invalid('Mail queue is not valid', `${JSON.stringify(raw)} is not a mail queue name (letters, digits, . _ -)`);
  const name = JAMES_ALIASES[raw] ?? raw;
  if (!QUEUE_NAMES.includes(name)) {
    throw notFound(`The mail queue ${raw} does not exist`, `The mail queues are ${QUEUE_NAMES.join(', ')} (and ${Object.keys(JAMES_ALIASES).join(', ')}, James's names for ${Object.values(JAMES_ALIASES).join(', ')})`);
  }
  return name;
}

/** At most this many updates in one /set (the JMAP limit, maxObjectsInSet). */
const SET_CHUNK = 1000;

/** The ids of the queue's messages, next attempt first (`due`, Stalwart's sort; the mirror refreshed first). */
async function idsIn(calls: Calls, queue: string): Promise<string[]> {
  await calls.refresh(QUEUED, 'query');
  return calls.queryAll(QUEUED, { queueName: queue }, [{ property: 'due', isAscending: true }, { property: 'createdAt', isAscending: true }]);
}

function limitOf(query: URLSearchParams): number | null {
  const raw = query.get('limit');
  if (raw === null) return null;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalid('Invalid limit', `limit must be a strictly positive integer, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

const mailOf = (r: Rec) => ({
  name: r.id,
  sender: r.returnPath === '<>' ? null : r.returnPath,
  recipients: Object.keys((r.recipients ?? {}) as object),
  nextDelivery: r.nextRetry ?? null,
});

function startTask(calls: Calls, value: Record<string, unknown>, message: string): Reply {
  const taskId = calls.create(TASK, value, message);
  return { status: 201, body: { taskId }, headers: { Location: `/tasks/${taskId}` } };
}

function deleteMails(calls: Calls, raw: string, query: URLSearchParams): Reply {
  const queueName = queueOf(raw);
  const unknown = [...new Set(query.keys())].filter((k) => !(SELECTORS as readonly string[]).includes(k));
  if (unknown.length) throw invalid('Invalid request', `Unknown query parameter ${unknown.join(', ')}: give one of ${SELECTORS.join(', ')}, or none to clear the queue`);
  const given = SELECTORS.filter((k) => query.has(k));
  if (!given.length) return startTask(calls, { '@type': 'ClearMailQueue', queueName }, `The mail queue ${raw} could not be cleared`);
  if (given.length > 1 || query.getAll(given[0]).length > 1) {
    throw invalid('Invalid request', `Give exactly one of ${SELECTORS.join(', ')}, once (this request gives ${given.join(', ')})`);
  }
  const key = given[0];
  const value = query.get(key)!;
  if (!value) throw invalid('Invalid request', `${key} is empty`);
  return startTask(calls, { '@type': 'DeleteQueuedMessages', queueName, [key]: value }, `Mails of ${raw} could not be deleted`);
}

async function flush(calls: Calls, raw: string, query: URLSearchParams, body: string): Promise<Reply> {
  const queue = queueOf(raw);
  if (query.get('delayed') !== 'true' || [...query.keys()].some((k) => k !== 'delayed')) {
    throw invalid('Invalid request', 'Only ?delayed=true is supported: it names the delayed mails of the queue');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('Invalid request', 'The body must be JSON: {"delayed": false}');
  }
  const p = parsed as Record<string, unknown> | null;
  if (!p || typeof p !== 'object' || Array.isArray(p) || Object.keys(p).length !== 1 || p.delayed !== false) {
    throw invalid('Invalid request', 'The body must be exactly {"delayed": false}: removing the delay (a flush) is the only change supported');
  }
  if (queue === 'hold') throw invalid('Invalid request', 'Held mail is not delayed: release it instead (x:QueuedMessage held: false)');
  const now = Date.now();
  const ids = await idsIn(calls, queue);
  const delayed = calls.getMany(QUEUED, ids, ['nextRetry', 'recipients']).filter((r) => typeof r.nextRetry === 'string' && Date.parse(r.nextRetry) > now);
  // Every delayed mail is checked before any is retried: a refused flush changes nothing.
  const problems = await retryProblems(calls.store, delayed);
  if (problems.length) {
    throw conflict(`${problems.length} of ${delayed.length} delayed mails of ${raw} cannot be retried now: nothing was retried`, problems.slice(0, 3).join('; '));
  }
  const refused: string[] = [];
  for (let i = 0; i < delayed.length; i += SET_CHUNK) {
    const update = Object.fromEntries(delayed.slice(i, i + SET_CHUNK).map((r) => [r.id, { nextRetry: RETRY_NOW }]));
    const res = await calls.setApplied(QUEUED, { update });
    for (const [id, e] of Object.entries((res.notUpdated ?? {}) as Record<string, { type?: string; description?: string }>)) {
      // Delivered (or deleted) since the listing: nothing left to retry.
      if (e.type !== 'notFound') refused.push(`${id}: ${e.description ?? 'refused'}`);
    }
  }
  if (refused.length) throw conflict(`${refused.length} of ${delayed.length} delayed mails of ${raw} were not retried`, refused.slice(0, 3).join('; '));
  return noContent();
}

export function queueRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/mailQueues',
      handler: async ({ calls }) => {
        // Reading the list is reading the queue: the same permission, and the same error when Postfix is out of reach.
        await calls.refresh(QUEUED, 'query');
        calls.queryAll(QUEUED, { id: [] });
        return ok(QUEUE_NAMES);
      },
    },
    {
      method: 'GET',
      path: '/mailQueues/:queue',
      handler: async ({ params, calls }) => ok({ name: params.queue, size: (await idsIn(calls, queueOf(params.queue))).length }),
    },
    {
      method: 'PATCH',
      path: '/mailQueues/:queue',
      handler: async ({ params, calls, query, body }) => flush(calls, params.queue, query, await body()),
    },
    {
      method: 'GET',
      path: '/mailQueues/:queue/mails',
      handler: async ({ params, calls, query }) => {
        const queue = queueOf(params.queue);
        const limit = limitOf(query);
        const ids = await idsIn(calls, queue);
        const wanted = limit === null ? ids : ids.slice(0, limit);
        return ok(calls.getMany(QUEUED, wanted, ['returnPath', 'recipients', 'nextRetry']).map(mailOf));
      },
    },
    {
      method: 'DELETE',
      path: '/mailQueues/:queue/mails',
      handler: ({ params, calls, query }) => deleteMails(calls, params.queue, query),
    },
  ];
}
