// The x:QueuedMessage records mirror the private Postfix's queue: one record per queued
// message, its id the Postfix queue id. Before a call reads them, one `postqueue -j`
// (bounded in time) lists the queue and the store is made to match in one transaction:
// new messages get a record, changed ones are rewritten, gone ones (delivered, bounced,
// deleted) lose theirs. Listings run one at a time, at most once a second (a long queue:
// at most a quarter of the time), and calls that come together share one; a write through
// the API lists it again at once. When the queue cannot be read, or one refresh (listing,
// postconf, envelope reads together) takes longer than REFRESH_BUDGET_MS, the mirror stays
// as it was and the call fails with why (serverUnavailable).
//
// Postfix's facts in Stalwart's shape:
// - Postfix keeps a whole message in one queue; every recipient's queueName is that queue,
//   and the message's own `queueName` (Postern extension) says it too, for filtering.
// - The per-recipient delay reason is the TemporaryFailure's errorMessage; a remote
//   server's answer ("host X said: 450 4.2.0 …") is also split into its response fields.
// - nextRetry: a deferred message's queue file time (qmgr dates it to the next attempt);
//   a held one is never tried (null); one on its way (maildrop, incoming, active) is due
//   since it arrived. `due` (what Stalwart's `due` filter and its only sort read) is the same time.
// - expires: arrival plus maximal_queue_lifetime (bounce_queue_lifetime for bounces).

import path from 'node:path';
import { utcDateTime } from '../../../shared/schema/validate';
import { MethodError } from '../../jmap/errors';
import type { Store } from '../../store/records';
import { deferredTimes, listQueue, postfixTools, QueueError, queueLifetimes, readEnvelopes, type Envelope, type PostfixTools, type PostqueueEntry, type PostqueueRecipient } from './postfix';
import { statement } from '../../store/statements';

export const QUEUED_MESSAGE = 'x:QueuedMessage';
/** One listing may take this long before the call gives up. */
export const LIST_TIMEOUT_MS = 10_000;
/** One whole refresh may take this long; past it the call fails and the mirror is left as it was. */
export const REFRESH_BUDGET_MS = 15_000;
/** Listings closer together than this are shared (longer when listing takes long). */
export const MIN_INTERVAL_MS = 1000;
/** Messages whose envelope (client address, port, original recipients) one refresh reads at most. */
const ENVELOPES_PER_REFRESH = 1000;
/** Postfix's word for the null sender (<>) in its listing. */
const NULL_SENDER = 'MAILER-DAEMON';

type Obj = Record<string, unknown>;

/** DATA_DIR: the directory of the store's database file. */
export const dataDirOf = (store: Store) => path.dirname(store.db.name);

/** The blob id of a queued message's content: downloadable while the message is queued. */
export const blobIdOf = (queueId: string) => `Q${queueId}`;
export const queueIdOfBlob = (blobId: string): string | null => (/^Q[A-Za-z0-9]{6,64}$/.test(blobId) ? blobId.slice(1) : null);

const iso = (ms: number) => utcDateTime(new Date(ms));

/** A delay reason as Stalwart's DeliveryError: the kind of failure and the remote answer, when there was one. */
export function deliveryError(reason: string): Obj {
  const said = /^host (\S+?)\[[^\]]*\] said: (\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3}))? (.*?)(?: \(in reply to (.+?) command\))?$/s.exec(reason);
  if (said) {
    return {
      '@type': 'TemporaryFailure', errorType: 'unexpectedResponse', errorMessage: reason, errorCommand: said[5] ?? null,
      responseHostname: said[1], responseCode: Number(said[2]), responseEnhanced: said[3] ?? null, responseMessage: said[4],
    };
  }
  const type = /TLS|certificate|handshake/i.test(reason) ? 'tlsError'
    : /look up host|Host or domain name not found|Name or service not known|no MX|DNS/i.test(reason) ? 'dnsError'
      : /connect to|lost connection|Connection refused|timed out|unreachable|No route to host|conversation with/i.test(reason) ? 'connectionError'
        : /concurrency|too many connections/i.test(reason) ? 'concurrencyLimited'
          : /rate limit/i.test(reason) ? 'rateLimited' : 'io';
  const host = /(?:connect to|conversation with) ([^\s[]+)\[/.exec(reason);
  return { '@type': 'TemporaryFailure', errorType: type, errorMessage: reason, errorCommand: null, responseHostname: host?.[1] ?? null, responseCode: null, responseEnhanced: null, responseMessage: null };
}

function recipientRecord(r: PostqueueRecipient, queue: string, due: string | null, expiresAt: string, orcpt: string | null): Obj {
  return {
    status: r.delay_reason ? deliveryError(r.delay_reason) : { '@type': 'Scheduled' },
    queueName: queue,
    retryDue: due,
    expires: { '@type': 'Ttl', expiresAt },
    orcpt,
  };
}

/** The record of one listed message. */
export function messageRecord(e: PostqueueEntry, nextAttemptMs: number | undefined, lifetimes: { normal: number; bounce: number }, env: Envelope | undefined): Obj {
  const arrival = e.arrival_time * 1000;
  const returnPath = e.sender === NULL_SENDER || e.sender === '' ? '<>' : e.sender;
  const nextRetry = e.queue_name === 'hold' ? null : e.queue_name === 'deferred' && nextAttemptMs !== undefined ? iso(nextAttemptMs) : iso(arrival);
  const expiresAt = iso(arrival + (returnPath === '<>' ? lifetimes.bounce : lifetimes.normal) * 1000);
  const recipients: Record<string, Obj> = {};
  for (const r of e.recipients) recipients[r.address] = recipientRecord(r, e.queue_name, nextRetry, expiresAt, env?.originalRecipients.get(r.address) ?? null);
  return {
    returnPath,
    recipients,
    nextRetry,
    due: nextRetry,
    createdAt: iso(arrival),
    size: e.message_size,
    blobId: blobIdOf(e.queue_id),
    receivedFromIp: env?.clientAddress ?? null,
    receivedViaPort: env?.serverPort ?? null,
    queueName: e.queue_name,
    held: e.queue_name === 'hold',
    to: e.recipients.map((r) => r.address).join(' '),
    text: `${returnPath} ${e.recipients.map((r) => r.address).join(' ')}`,
  };
}

interface MirrorState { last: number; interval: number; running: Promise<void> | null; envelopes: Map<string, Envelope> }
const states = new WeakMap<object, MirrorState>();

function stateOf(store: Store): MirrorState {
  let s = states.get(store.db);
  if (!s) {
    s = { last: 0, interval: MIN_INTERVAL_MS, running: null, envelopes: new Map() };
    states.set(store.db, s);
  }
  return s;
}

/** Every mirror record's stored text, by id (the text compares faster than the parsed value). */
function storedTexts(store: Store): Map<string, string> {
  const stmt = statement(store, `SELECT id, data FROM records WHERE type = '${QUEUED_MESSAGE}'`);
  return new Map((stmt.all() as { id: string; data: string }[]).map((r) => [r.id, r.data]));
}

/** Makes the store match these listed messages (one transaction); returns how many records changed. */
export function writeMirror(store: Store, records: Map<string, Obj>): number {
  let changed = 0;
  store.transaction(() => {
    const stored = storedTexts(store);
    for (const id of stored.keys()) {
      if (records.has(id)) continue;
      store.delete(QUEUED_MESSAGE, id);
      changed++;
    }
    for (const [id, data] of records) {
      const before = stored.get(id);
      if (before === undefined) store.insert(QUEUED_MESSAGE, id, data, []);
      // The store writes JSON.stringify(data): the same text is the same record.
      else if (before !== JSON.stringify(data)) store.update(QUEUED_MESSAGE, id, data, []);
      else continue;
      changed++;
    }
  });
  store.flushChanges();
  return changed;
}

/** Time left until `deadline`, for one step bounded by `capMs` too; throws once it is spent. */
function left(deadline: number, capMs: number, budgetMs: number): number {
  const ms = deadline - Date.now();
  if (ms <= 0) throw new QueueError(`reading it took longer than ${Math.round(budgetMs / 1000)} s (listing, settings and envelopes together)`);
  return Math.min(capMs, ms);
}

async function listAndWrite(store: Store, tools: PostfixTools, st: MirrorState, budgetMs: number): Promise<void> {
  const deadline = Date.now() + budgetMs;
  const entries = await listQueue(tools, left(deadline, LIST_TIMEOUT_MS, budgetMs));
  const lifetimes = entries.length ? await queueLifetimes(tools, left(deadline, LIST_TIMEOUT_MS, budgetMs)) : { normal: 0, bounce: 0 };
  const times = deferredTimes(tools);
  const unknown = entries.map((e) => e.queue_id).filter((id) => !st.envelopes.has(id)).slice(0, ENVELOPES_PER_REFRESH);
  if (unknown.length) {
    // Envelope details are a bonus: the listing stands without them, and they get at most
    // half the time left, so that the listing is still written within the budget.
    const until = Date.now() + left(deadline, LIST_TIMEOUT_MS, budgetMs) / 2;
    const read = await readEnvelopes(tools, unknown, LIST_TIMEOUT_MS, until).catch(() => new Map<string, Envelope>());
    for (const [id, env] of read) st.envelopes.set(id, env);
  }
  const live = new Set(entries.map((e) => e.queue_id));
  for (const id of st.envelopes.keys()) if (!live.has(id)) st.envelopes.delete(id);
  const records = new Map<string, Obj>();
  for (const e of entries) records.set(e.queue_id, messageRecord(e, times.get(e.queue_id), lifetimes, st.envelopes.get(e.queue_id)));
  // Past the budget the call has given up: nothing is written then.
  left(deadline, 1, budgetMs);
  writeMirror(store, records);
}

/**
 * Brings the mirror up to date: at once when `force`, else unless a listing finished less
 * than MIN_INTERVAL_MS ago. Throws MethodError serverUnavailable when the queue cannot be
 * read, leaving the mirror as it was.
 */
export async function refreshQueue(store: Store, opts: { force?: boolean; tools?: PostfixTools; budgetMs?: number } = {}): Promise<void> {
  const st = stateOf(store);
  if (st.running && !opts.force) return st.running; // a listing under way answers this call too
  while (st.running) await st.running.catch(() => undefined);
  if (!opts.force && Date.now() - st.last < st.interval) return;
  const tools = opts.tools ?? postfixTools(dataDirOf(store));
  const started = Date.now();
  const run = listAndWrite(store, tools, st, opts.budgetMs ?? REFRESH_BUDGET_MS).then(
    () => {
      st.last = Date.now();
      // A long queue takes long to list: it is listed again at most a quarter of the time.
      st.interval = Math.max(MIN_INTERVAL_MS, 3 * (st.last - started));
    },
    (e: unknown) => {
      throw new MethodError('serverUnavailable', `The mail queue cannot be read from Postfix: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  st.running = run;
  try {
    await run;
  } finally {
    if (st.running === run) st.running = null;
  }
}

/** The mirror is out of date (a write changed the queue): the next call lists it again. */
export function invalidateQueue(store: Store): void {
  stateOf(store).last = 0;
}
