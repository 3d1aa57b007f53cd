// What follows a change of the limits that apply to mailboxes (issue 12), once the write
// that changed them has committed:
//
// - The stored limits and ratios that lists read (quotaLevels.ts quotaValues) are brought up
//   to date. An account's own write does it in its transaction (quotas.ts
//   completeQuotaValues). A domain's or the global defaults reach thousands of accounts: they
//   are rewritten in the background, in slices of at most SLICE_MS and SLICE_WRITES with the
//   event loop free in between (logins, deliveries, list pages; betweenSlices), each slice
//   one transaction with its changes logged. Dovecot has the new limits at once regardless: the userdb answer resolves them
//   when asked (mail/userdbExtras.ts).
// - Crash recovery: what is left to refresh is also kept in the store's meta table
//   (REFRESH_META, written in the very transaction that changed the default, so it commits
//   or rolls back with it, and cleared once the refresh is done). A server that stopped or
//   crashed before the end refreshes those accounts again when it starts
//   (resumeQuotaRefresh, called by mail/quotaUsage.ts startQuotaUsage); rewriting only the
//   accounts whose values differ, running again is harmless.
// - Open IMAP sessions of the mailboxes whose limits changed are ended (mail/quotaUsage.ts
//   listens here), because Dovecot fixes a session's quota at login. A change is queued by the
//   write's afterWrite (inside its transaction) and handed on only after the transaction is
//   over and only if the store no longer holds what applied before: a refused or
//   rolled-back write ends no session (a later write superseding it still counts, so the
//   changes handed on together cover every step). A domain's or the global change is handed on at once, as a test of
//   which accounts it concerns, not as the batches of the refresh go by.

import type { Store } from '../store/records';
import { deepEqual } from '../../shared/equal';
import { SINGLETON_ID } from './define';
import { domainLevels, effectiveLimits, EMAIL_SETTINGS, globalLevels, globalOf, mapLevels, quotaValues, sameLevels, type Levels } from './quotaLevels';
import { statement } from '../store/statements';

type Obj = Record<string, unknown>;

/**
 * Rewrites server-set values of an account outside a client's /set (usage from Dovecot,
 * a domain's or the global defaults changing): same references, a logged change.
 */
export function rewriteAccount(store: Store, id: string, data: Obj): void {
  store.update('x:Account', id, data, store.refsOf('x:Account', id));
}

/** Longest a refresh slice holds the event loop. */
export const SLICE_MS = 10;
/**
 * Most accounts a slice rewrites. The query result cache applies up to 256 changes to a
 * cached list incrementally (store/results.ts MAX_DELTA) and runs the query again past
 * that (~150 ms for the fullest mailboxes of 100,000): a list page asked after the few
 * slices that run during its round trip must see fewer. Measured (bench:quotas, 10,000
 * users): 200 → refresh 9.2 s, pages p50 35 ms; 80 → 3.1 s, p50 5 ms.
 */
export const SLICE_WRITES = 80;
/** Accounts read at once within a slice. */
const READ = 100;
/** The meta key of the refresh still to do: `{"all":bool,"domains":[ids]}`. */
export const REFRESH_META = 'quotas.refreshPending';

/**
 * Refreshes accounts of `ids` from `from` on, in one transaction, until SLICE_MS have passed
 * or SLICE_WRITES were rewritten (at least one account). Returns the index of the first
 * account not looked at.
 */
function refreshSlice(store: Store, ids: string[], from: number): number {
  const deadline = performance.now() + SLICE_MS;
  const global = globalLevels(store);
  const domains = new Map<string, Levels>();
  let i = from;
  let written = 0;
  store.transaction(() => {
    while (i < ids.length) {
      const chunk = ids.slice(i, i + READ);
      const records = store.getMany('x:Account', chunk);
      for (const id of chunk) {
        i++;
        const data = records.get(id);
        if (data) {
          const d = typeof data.domainId === 'string' ? data.domainId : '';
          if (!domains.has(d)) domains.set(d, domainLevels(store, data.domainId));
          const values = quotaValues(data, domains.get(d)!, global);
          if (!Object.keys(values).every((k) => data[k] === values[k])) {
            rewriteAccount(store, id, { ...data, ...values });
            written++;
          }
        }
        if (written >= SLICE_WRITES || performance.now() >= deadline) return;
      }
    }
  });
  store.flushChanges();
  return i;
}

interface Pending { all: boolean; domains: Set<string>; runningAll: boolean; running: Set<string>; task: Promise<void> | null }
const pending = new WeakMap<Store, Pending>();
const pendingOf = (store: Store): Pending => {
  let p = pending.get(store);
  if (!p) pending.set(store, (p = { all: false, domains: new Set(), runningAll: false, running: new Set(), task: null }));
  return p;
};

const markerOf = (p: Pending) => JSON.stringify({ all: p.all || p.runningAll, domains: [...new Set([...p.running, ...p.domains])] });

/**
 * Schedules the refresh of a domain's accounts (`domainId`) or of every account (null), to
 * run once the write that asked for it is over. Called inside that write's transaction, the
 * persisted marker commits or rolls back with it.
 */
export function scheduleRefresh(store: Store, domainId: string | null): void {
  const p = pendingOf(store);
  if (domainId === null) p.all = true;
  else p.domains.add(domainId);
  store.setMeta(REFRESH_META, markerOf(p));
  p.task ??= runRefresh(store, p);
}

/** At start: schedules what a previous run left to refresh (REFRESH_META). Returns what it resumed. */
export function resumeQuotaRefresh(store: Store): { all: boolean; domains: string[] } | null {
  const raw = store.getMeta(REFRESH_META);
  if (!raw) return null;
  let left: { all?: unknown; domains?: unknown };
  try {
    left = JSON.parse(raw) as typeof left;
  } catch {
    left = { all: true }; // unreadable: refresh everything
  }
  const domains = Array.isArray(left.domains) ? left.domains.filter((d): d is string => typeof d === 'string') : [];
  const all = left.all === true;
  if (!all && domains.length === 0) return null;
  if (all) scheduleRefresh(store, null);
  for (const d of domains) scheduleRefresh(store, d);
  return { all, domains };
}

const yieldLoop = () => new Promise<void>((r) => setImmediate(r));
/** Others' work in the turn after a slice above which they get a GAP_MS pause before the next one. */
const BUSY_MS = 0.3;
const GAP_MS = 5;

/**
 * Between two slices: the event loop runs once (setImmediate); when other work ran in that
 * turn (requests, deliveries), it gets GAP_MS more before the next slice, so a request
 * that needs several turns is not held SLICE_MS at each; when nothing else ran, the
 * refresh goes on at once.
 */
async function betweenSlices(): Promise<void> {
  const start = performance.now();
  await yieldLoop();
  if (performance.now() - start > BUSY_MS) await new Promise<void>((r) => setTimeout(r, GAP_MS));
}

async function runRefresh(store: Store, p: Pending): Promise<void> {
  await yieldLoop(); // after the transaction that scheduled it
  try {
    while (p.all || p.domains.size) {
      if (!store.db.open) return;
      const ids = p.all ? (statement(store, `SELECT id FROM records WHERE type = 'x:Account'`, { pluck: true }).all() as string[])
        : [...p.domains].flatMap((d) => statement(store, `SELECT id FROM records WHERE type = 'x:Account' AND json_extract(data, '$."domainId"') = ?`, { pluck: true }).all(d) as string[]);
      p.runningAll ||= p.all;
      for (const d of p.domains) p.running.add(d);
      p.all = false;
      p.domains.clear();
      for (let i = 0; i < ids.length; ) {
        if (!store.db.open) return; // the marker stays: the next start finishes
        i = refreshSlice(store, ids, i);
        await betweenSlices();
      }
    }
    p.runningAll = false;
    p.running.clear();
    if (store.db.open) store.setMeta(REFRESH_META, '');
  } finally {
    p.task = null;
  }
}

/** Resolves once no scheduled refresh is left (tests and benchmarks wait on it). */
export async function refreshSettled(store: Store): Promise<void> {
  for (let p = pending.get(store); p?.task; p = pending.get(store)) await p.task;
}

/** Which accounts a committed change of limits concerns: by Dovecot user name (the address) and the account now stored under it. */
export type LimitsChange = (address: string, account: Obj | null) => boolean;
type LimitsListener = (store: Store, change: LimitsChange) => void;
const listeners = new Set<LimitsListener>();

/** Hears every committed change of the limits that apply to some mailboxes. */
export function onLimitsChanged(fn: LimitsListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Changes queued by writes, each with the test that the write committed. */
const queued = new WeakMap<Store, { committed: () => boolean; change: LimitsChange }[]>();

function queueChange(store: Store, committed: () => boolean, change: LimitsChange): void {
  if (listeners.size === 0) return;
  let q = queued.get(store);
  if (!q) {
    queued.set(store, (q = []));
    setImmediate(() => handOn(store));
  }
  q.push({ committed, change });
}

function handOn(store: Store): void {
  // A synchronous transaction is over by now; one held open elsewhere is waited out.
  if (store.db.open && store.db.inTransaction) return void setImmediate(() => handOn(store));
  const q = queued.get(store) ?? [];
  queued.delete(store);
  if (!store.db.open) return;
  const changes = q.filter((c) => c.committed()).map((c) => c.change);
  if (changes.length === 0) return;
  const change: LimitsChange = (address, account) => changes.some((c) => c(address, account));
  for (const l of listeners) l(store, change);
}

const limitsOf = (v: Obj) => [v.computedMaxEmails ?? null, v.computedMaxDiskQuota ?? null];

/** An account written (its afterWrite; `next` holds its computed limits): its sessions end if the limits that apply changed. */
export function accountQuotasWritten(store: Store, id: string, next: Obj, prev: Obj | null): void {
  if (!prev) return;
  // What applied before: the old values under today's defaults (the stored ones may be behind a refresh).
  const before = limitsOf(quotaValues(prev, domainLevels(store, prev.domainId), globalLevels(store)));
  const after = limitsOf(next);
  if (deepEqual(before, after)) return;
  const addresses = new Set([prev.emailAddress, next.emailAddress].filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase()));
  if (addresses.size === 0) return;
  // Committed unless the store still holds what applied before (rolled back).
  const committed = () => {
    const stored = store.get('x:Account', id);
    return !!stored && !deepEqual(limitsOf(quotaValues(stored, domainLevels(store, stored.domainId), globalLevels(store))), before);
  };
  queueChange(store, committed, (address) => addresses.has(address.toLowerCase()));
}

const limitsDiffer = (a: Levels, b: Levels) => a.count !== b.count || a.size !== b.size;

/** A domain written (its afterWrite): its accounts follow a changed default; sessions of those whose limits change end. */
export function domainQuotasWritten(store: Store, id: string, next: Obj, prev: Obj | null): void {
  if (!prev) return;
  const was = mapLevels(prev.quotas);
  const now = mapLevels(next.quotas);
  if (sameLevels(was, now)) return;
  scheduleRefresh(store, id);
  queueChange(
    store,
    () => !sameLevels(mapLevels(store.get('x:Domain', id)?.quotas), was),
    (_address, account) => {
      if (!account || account.domainId !== id) return false;
      const global = globalLevels(store);
      return limitsDiffer(effectiveLimits(account, was, global), effectiveLimits(account, now, global));
    },
  );
}

/** The global defaults written (x:Email's afterWrite): every account follows; sessions of those whose limits change end. */
export function globalQuotasWritten(store: Store, next: Obj, prev: Obj | null): void {
  const was = globalOf(prev);
  const now = globalOf(next);
  if (sameLevels(was, now)) return;
  scheduleRefresh(store, null);
  queueChange(
    store,
    () => !sameLevels(globalOf(store.get(EMAIL_SETTINGS, SINGLETON_ID)), was),
    (_address, account) => {
      if (!account) return false;
      const domain = domainLevels(store, account.domainId);
      return limitsDiffer(effectiveLimits(account, domain, was), effectiveLimits(account, domain, now));
    },
  );
}
