// x:QueuedMessage writes carried out on the Postfix queue after the /set committed (the
// type's apply hook), and the message content behind its blob id.
//
// - destroy: `postsuper -d` (Stalwart: cancel the message).
// - update `nextRetry` to a time that has come: retry it now; a held message is released
//   first. A future time is refused: Postfix has no way to postpone one. A retry in Postfix
//   always lifts defer_transports for the message (qmgr's flush flags, for `postqueue -i`
//   and `postqueue -f` alike), so a message with any recipient outside our domains is
//   retried only once the running instance sends remote mail to the relay route
//   (relayState.ts): otherwise Postfix would look the remote domain up and connect to it
//   itself, which this server never does. When remote mail goes to the relay and the retry
//   covers every deferred message (or is a bulk one), one `postqueue -f` does it; else
//   `postqueue -i` per message, eight at a time.
// - update `held` (Postern extension): true holds it (`postsuper -h`, queue "hold"), false
//   releases it (`postsuper -H`).
// - update `recipients`: removing every recipient cancels the message, as in Stalwart (a
//   message with no recipient left is removed); removing only some is refused: Postfix
//   cannot cancel one recipient of a queued message.
// A write Postfix refused is undone in the store and answered with why; a message that left
// the queue meanwhile (delivered, returned, deleted) is answered notFound, as in Stalwart.

import { deepEqual } from '../../../shared/equal';
import type { SetError } from '../../../shared/jmap/errors';
import type { Caller } from '../../auth/caller';
import type { AppliedWrites, ApplyFailures, Rec, WriteContext } from '../../objects/define';
import { mailDirectory, splitAddress } from '../directory';
import type { Store } from '../../store/records';
import { dataDirOf, invalidateQueue, queueIdOfBlob, QUEUED_MESSAGE, refreshQueue } from './mirror';
import { flushQueue, listQueue, postfixTools, postsuper, readMessage, retryNow, type PostfixTools } from './postfix';
import { remoteDeliveryProblem } from './relayState';
import { ProblemError } from '../../jmap/errors';

type Obj = Record<string, unknown>;
const MUTABLE = new Set(['nextRetry', 'held', 'recipients']);
/** A retry time this close ahead still counts as "now" (clocks of client and server differ). */
const NOW_SLACK_MS = 60_000;

const refused = (property: string, description: string): SetError => ({ type: 'invalidProperties', properties: [property], description });
const failed = (description: string): SetError => ({ type: 'serverFail', description });
const GONE = 'The message is no longer queued: it was delivered, returned to its sender or deleted meanwhile';
const gone = (): SetError => ({ type: 'notFound', description: GONE });
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The recipients Postfix would hand to another server: their domain is not one of ours
 * (the queue holds recipients after alias expansion, so a forward outside is one of them).
 */
export function remoteRecipients(store: Store, data: Obj): string[] {
  const directory = mailDirectory(store);
  return Object.keys((data.recipients ?? {}) as Obj).filter((a) => {
    const parts = splitAddress(a);
    return !parts || !directory.isLocalDomain(parts[1]);
  });
}

/**
 * Why a retry now cannot be done for this message, or null. `remote` is why remote mail
 * cannot be retried now (remoteDeliveryProblem), or null when it goes to the relay route:
 * a message with a remote recipient is then refused whatever its recorded delay reason
 * (a held message never tried, a reason left from a relay since removed).
 */
export function retryProblem(store: Store, data: Obj, remote: string | null): string | null {
  if (remote === null) return null;
  const waiting = remoteRecipients(store, data);
  if (!waiting.length) return null;
  return `${waiting.join(', ')} ${waiting.length > 1 ? 'wait' : 'waits'} for a relay route: ${remote}, and retrying now would make Postfix look the domain up and deliver to it directly`;
}

/**
 * Why each of these messages cannot be retried now (`id: reason`), checked before anything
 * is changed: a refused bulk retry (WebAdmin's flush) changes nothing.
 */
export async function retryProblems(store: Store, records: (Obj & { id: string })[], tools?: PostfixTools): Promise<string[]> {
  if (!records.length) return [];
  const remote = await remoteStatus(store, tools ?? postfixTools(dataDirOf(store)));
  return records.flatMap((r) => {
    const why = retryProblem(store, r, remote);
    return why ? [`${r.id}: ${why}`] : [];
  });
}

/** remoteDeliveryProblem, with a failure to ask Postfix as the reason. */
async function remoteStatus(store: Store, t: PostfixTools): Promise<string | null> {
  try {
    return await remoteDeliveryProblem(store, t);
  } catch (e) {
    return `whether Postfix sends it to the relay route could not be checked (${reason(e)})`;
  }
}

interface Plan { hold: string[]; release: string[]; remove: string[]; retry: string[] }

/** What one update asks of Postfix, or why it cannot be done. */
function planUpdate(store: Store, id: string, next: Rec, prev: Rec, plan: Plan, remote: string | null): SetError | null {
  const changed = Object.keys({ ...next, ...prev }).filter((k) => k !== 'id' && !deepEqual(next[k], prev[k]));
  const other = changed.filter((k) => !MUTABLE.has(k));
  if (other.length) return refused(other[0], `${other.join(', ')} cannot be changed: Postfix decides ${other.length > 1 ? 'them' : 'it'}`);
  if (changed.includes('recipients')) {
    const before = (prev.recipients ?? {}) as Obj;
    const after = (next.recipients ?? {}) as Obj;
    const kept = Object.keys(after);
    if (kept.some((a) => !(a in before) || !deepEqual(after[a], before[a]))) {
      return refused('recipients', 'A recipient can only be removed (which cancels its delivery): its details are Postfix\'s');
    }
    if (kept.length) {
      const gone = Object.keys(before).filter((a) => !(a in after));
      return refused('recipients', `Postfix cannot cancel delivery to ${gone.join(', ')} alone: remove every recipient (or delete the message) to cancel it, for all of its recipients`);
    }
    plan.remove.push(id);
    return null;
  }
  const held = prev.held === true;
  let holdNext = held;
  if (changed.includes('held')) {
    holdNext = next.held === true;
    (holdNext ? plan.hold : plan.release).push(id);
  }
  if (changed.includes('nextRetry')) {
    const when = typeof next.nextRetry === 'string' ? Date.parse(next.nextRetry) : NaN;
    if (Number.isNaN(when)) return refused('nextRetry', 'Give a time that has come to retry now; Postfix schedules the attempts itself');
    if (when > Date.now() + NOW_SLACK_MS) return refused('nextRetry', 'Postfix cannot postpone a delivery attempt: give a time that has come to retry now');
    if (changed.includes('held') && holdNext) return refused('nextRetry', 'A message being held is not retried: release it (held: false) to retry it');
    const problem = retryProblem(store, prev, remote);
    if (problem) return refused('nextRetry', problem);
    if (held && !changed.includes('held')) plan.release.push(id);
    plan.retry.push(id);
  }
  return null;
}

function restore(store: Store, failures: ApplyFailures, done: AppliedWrites) {
  store.transaction(() => {
    for (const id of Object.keys(failures.created ?? {})) if (store.get(QUEUED_MESSAGE, id)) store.delete(QUEUED_MESSAGE, id);
    for (const id of Object.keys(failures.updated ?? {})) {
      const prev = done.updated.get(id)?.prev;
      if (!prev) continue;
      const { id: _id, ...data } = prev;
      if (store.get(QUEUED_MESSAGE, id)) store.update(QUEUED_MESSAGE, id, data, []);
      else store.insert(QUEUED_MESSAGE, id, data, []);
    }
    for (const id of Object.keys(failures.destroyed ?? {})) {
      const prev = done.destroyed.get(id);
      if (!prev || store.get(QUEUED_MESSAGE, id)) continue;
      const { id: _id, ...data } = prev;
      store.insert(QUEUED_MESSAGE, id, data, []);
    }
  });
  store.flushChanges();
}

/**
 * Runs one postsuper step (hold or release). An id postsuper did not act on: a message that
 * left the queue meanwhile is `vanished` (notFound); one already where it was asked to go
 * (held, or released, by someone else meanwhile) is done; anything else fails with `why`.
 */
async function superStep(t: PostfixTools, op: 'hold' | 'release', ids: string[], why: string, fail: (id: string, e: SetError) => void, vanished: Set<string>) {
  if (!ids.length) return;
  let done: Set<string>;
  try {
    done = await postsuper(t, op, ids);
  } catch (e) {
    for (const id of ids) fail(id, failed(reason(e)));
    return;
  }
  const missed = ids.filter((id) => !done.has(id));
  if (!missed.length) return;
  let queues: Map<string, string>;
  try {
    queues = new Map((await listQueue(t)).map((e) => [e.queue_id, e.queue_name]));
  } catch (e) {
    for (const id of missed) fail(id, failed(`${why} (${reason(e)})`));
    return;
  }
  for (const id of missed) {
    const queue = queues.get(id);
    if (queue === undefined) {
      vanished.add(id);
      fail(id, gone());
    } else if ((queue === 'hold') !== (op === 'hold')) fail(id, failed(why));
  }
}

/** From this many messages on, a retry flushes the whole deferred queue (when that is safe). */
const FLUSH_ALL_AT = 200;

/**
 * Retries these messages now. When remote mail goes to the relay route (`remote` null) and
 * they are every deferred message the mirror holds, or at least FLUSH_ALL_AT of them (a bulk
 * retry, in /set batches), one `postqueue -f` schedules the whole deferred queue in one go;
 * the others it takes along were due to be tried anyway, and go to the relay too. Otherwise
 * one `postqueue -i` each: without the relay a flush of the whole queue would also lift
 * defer_transports for remote mail deferred since the check.
 */
async function retryStep(store: Store, t: PostfixTools, ids: string[], remote: string | null, fail: (id: string, e: SetError) => void) {
  if (!ids.length) return;
  const asked = new Set(ids);
  let everyDeferred = remote === null;
  if (everyDeferred && ids.length < FLUSH_ALL_AT) {
    for (const [id, data] of store.all(QUEUED_MESSAGE)) {
      if (data.queueName === 'deferred' && !asked.has(id)) {
        everyDeferred = false;
        break;
      }
    }
  }
  try {
    if (everyDeferred) {
      const why = await flushQueue(t);
      if (why) for (const id of ids) fail(id, failed(`Not retried: ${why}`));
      return;
    }
    for (const [id, why] of await retryNow(t, ids)) if (why) fail(id, failed(`Not retried: ${why}`));
  } catch (e) {
    for (const id of ids) fail(id, failed(reason(e)));
  }
}

/** The apply hook of x:QueuedMessage. */
export async function applyQueueWrites(ctx: WriteContext, done: AppliedWrites, tools?: PostfixTools): Promise<ApplyFailures> {
  const store = ctx.store;
  const t = tools ?? postfixTools(dataDirOf(store));
  const failures: ApplyFailures = {};
  const fail = (kind: 'updated' | 'destroyed' | 'created', id: string, e: SetError) => {
    (failures[kind] ??= {})[id] = e;
  };
  for (const id of done.created.keys()) fail('created', id, refused('id', 'Queued messages are made by Postfix when mail arrives'));
  // Whether remote mail may be retried: asked of the instance once, only when a retry is asked.
  const retries = [...done.updated.values()].some(({ next, prev }) => !deepEqual(next.nextRetry, prev.nextRetry));
  const remote = retries ? await remoteStatus(store, t) : 'it was not checked';
  const plan: Plan = { hold: [], release: [], remove: [], retry: [] };
  for (const [id, { next, prev }] of done.updated) {
    const e = planUpdate(store, id, next, prev, plan, remote);
    if (e) fail('updated', id, e);
  }
  const destroy = [...done.destroyed.keys()];
  // A message gone meanwhile (delivered) is gone as asked: postsuper just has nothing to do.
  const failDestroy = (id: string, e: SetError) => fail('destroyed', id, e);
  const failUpdate = (id: string, e: SetError) => fail('updated', id, e);
  if (destroy.length) {
    try {
      await postsuper(t, 'delete', destroy);
    } catch (e) {
      for (const id of destroy) failDestroy(id, failed(reason(e)));
    }
  }
  if (plan.remove.length) {
    try {
      // Removed now, or gone already (delivered meanwhile): no record either way.
      await postsuper(t, 'delete', plan.remove);
      store.transaction(() => {
        for (const id of plan.remove) if (store.get(QUEUED_MESSAGE, id)) store.delete(QUEUED_MESSAGE, id);
      });
      store.flushChanges();
    } catch (e) {
      for (const id of plan.remove) failUpdate(id, failed(reason(e)));
    }
  }
  const vanished = new Set<string>();
  await superStep(t, 'hold', plan.hold, 'Postfix did not hold it: it is being delivered right now', failUpdate, vanished);
  await superStep(t, 'release', plan.release, 'Postfix did not release it from hold', failUpdate, vanished);
  await retryStep(store, t, plan.retry.filter((id) => !failures.updated?.[id]), remote, failUpdate);
  if (failures.created || failures.updated || failures.destroyed) restore(store, failures, done);
  if (vanished.size) {
    // Gone from Postfix: its record goes too, whatever the listing below manages.
    store.transaction(() => {
      for (const id of vanished) if (store.get(QUEUED_MESSAGE, id)) store.delete(QUEUED_MESSAGE, id);
    });
    store.flushChanges();
  }
  invalidateQueue(store);
  // The records now say what Postfix did (new queue, new retry time); a listing that fails leaves that for the next call.
  await refreshQueue(store, { force: true, tools: t }).catch(() => undefined);
  return failures;
}

/**
 * GET of a queued message's blob: its content as received (message/rfc822), for a caller
 * who may read the queue, while the message is queued; null otherwise (the download
 * answers 404, as for any blob the caller cannot read). 503 when Postfix cannot be asked.
 */
export async function queuedMessageBlob(store: Store, caller: Caller, blobId: string, tools?: PostfixTools): Promise<{ type: string; size: number; data: Buffer } | null> {
  const id = queueIdOfBlob(blobId);
  if (!id || !caller.permissions.has('sysQueuedMessageGet')) return null;
  if (!store.get(QUEUED_MESSAGE, id)) return null;
  try {
    const data = await readMessage(tools ?? postfixTools(dataDirOf(store)), id);
    return data ? { type: 'message/rfc822', size: data.length, data } : null;
  } catch (e) {
    throw new ProblemError(503, 'about:blank', `The queued message cannot be read from Postfix: ${reason(e)}`, { title: 'Service Unavailable' });
  }
}
