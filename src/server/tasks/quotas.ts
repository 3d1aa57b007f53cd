// RecomputeQuotas {accountId?}: Dovecot recounts a mailbox's quota from the mail itself
// (`doveadm quota recalc`), and Postern reads the counted usage back (`doveadm mailbox
// status -t messages vsize`, exact bytes) into the account. It fixes drift between the
// stored usage and the mail store (a lost quota_clone update, mail changed behind Dovecot's
// back). A usage report Dovecot sends meanwhile is not overwritten (recomputeUser).
// James's recomputeCurrentQuotas: processedQuotaRoots, failedQuotaRoots.

import type { Store } from '../store/records';
import { doveadm } from '../mail/doveadm';
import { recordUsage, usageReports } from '../mail/quotaUsage';
import type { TaskKind, TaskRun } from './kind';

type Obj = Record<string, unknown>;

/** Accounts with a mailbox (an address), by id: one, or every one. */
function targets(store: Store, accountId: string | null): { id: string; address: string }[] {
  if (accountId) {
    const a = store.get('x:Account', accountId);
    return typeof a?.emailAddress === 'string' ? [{ id: accountId, address: a.emailAddress }] : [];
  }
  const rows = store.db
    .prepare(`SELECT id, json_extract(data, '$."emailAddress"') AS address FROM records WHERE type = 'x:Account' AND json_extract(data, '$."emailAddress"') IS NOT NULL ORDER BY rid`)
    .all() as { id: string; address: string }[];
  return rows;
}

/** `messages=3 vsize=1234` (doveadm mailbox status -t) → numbers. */
export function parseStatusTotals(stdout: string): { messages: number; bytes: number } {
  const m = /messages=(\d+)/.exec(stdout);
  const v = /vsize=(\d+)/.exec(stdout);
  if (!m || !v) throw new Error(`doveadm mailbox status printed no totals: ${JSON.stringify(stdout.slice(0, 200))}`);
  return { messages: Number(m[1]), bytes: Number(v[1]) };
}

/** Times the totals are read again when Dovecot reported the user's usage meanwhile. */
const STATUS_ATTEMPTS = 3;

/**
 * Recounts one user's quota and stores it; returns the usage. A usage report from Dovecot
 * arriving while `doveadm mailbox status` runs may be newer than what it prints: then the
 * totals are read again, and after STATUS_ATTEMPTS the reports (mail is flowing, and they
 * come from the recounted quota) are left to stand. `stored` says whether the recount was written.
 */
export async function recomputeUser(store: Store, dataDir: string, address: string, signal?: AbortSignal): Promise<{ messages: number; bytes: number; stored: boolean }> {
  await doveadm(dataDir, ['quota', 'recalc', '-u', address], { signal });
  let usage = { messages: 0, bytes: 0 };
  for (let attempt = 0; attempt < STATUS_ATTEMPTS; attempt++) {
    const seen = usageReports(store, address);
    const { stdout } = await doveadm(dataDir, ['mailbox', 'status', '-u', address, '-t', 'messages vsize', '*'], { signal });
    usage = parseStatusTotals(stdout);
    // Nothing awaited between this test and the write: no report can come in between.
    if (usageReports(store, address) === seen) {
      recordUsage(store, address, usage);
      return { ...usage, stored: true };
    }
  }
  return { ...usage, stored: false };
}

async function run(t: TaskRun): Promise<void> {
  const accountId = typeof t.input.accountId === 'string' ? t.input.accountId : null;
  const list = targets(t.store, accountId);
  if (accountId && list.length === 0) throw new Error(`Account ${accountId} has no mailbox (no address) to recompute`);
  const failed: string[] = [];
  let processed = 0;
  t.progress({ initialCount: list.length, processedCount: 0, failedCount: 0, remainingCount: list.length });
  for (const { address } of list) {
    if (t.signal.aborted) break;
    try {
      await recomputeUser(t.store, t.dataDir, address, t.signal);
      processed++;
    } catch (e) {
      if (t.signal.aborted) break;
      failed.push(address);
      t.log(`RecomputeQuotas: ${address}: ${(e as Error).message}`);
      // A single account's failure is the task's failure: say why.
      if (accountId) {
        t.info({ processedQuotaRoots: processed, failedQuotaRoots: Object.fromEntries(failed.map((f) => [f, true])) });
        throw e;
      }
    }
    t.progress({ processedCount: processed, failedCount: failed.length, remainingCount: list.length - processed - failed.length });
  }
  t.info({ processedQuotaRoots: processed, failedQuotaRoots: Object.fromEntries(failed.map((f) => [f, true])) });
}

export const recomputeQuotasKind: TaskKind = {
  variant: 'RecomputeQuotas',
  label: 'Recompute mailbox quotas',
  fields: {
    properties: {
      accountId: {
        description: 'Postern extension: the account whose usage is recounted; none for every account with a mailbox',
        type: { type: 'objectId', objectName: 'x:Account', nullable: true },
        update: 'immutable',
      },
      processedQuotaRoots: { description: 'Mailboxes whose usage was recounted', type: { type: 'number', format: 'unsignedInteger', nullable: true }, update: 'serverSet' },
      failedQuotaRoots: { description: 'Addresses of the mailboxes that could not be recounted', type: { type: 'set', class: { type: 'string' } }, update: 'serverSet' },
    },
  },
  creatable: true,
  check(ctx, value: Obj) {
    if (typeof value.accountId !== 'string') return null;
    const a = ctx.store.get('x:Account', value.accountId);
    if (!a) return { type: 'invalidForeignKey', description: `No account ${value.accountId}`, properties: ['accountId'] };
    if (typeof a.emailAddress !== 'string') {
      return { type: 'invalidProperties', description: `Account ${String(a.name)} has no domain, so no mailbox: there is no quota to recompute`, properties: ['accountId'] };
    }
    return null;
  },
  // Recounting is idempotent: start again from the beginning.
  onRestart: 'resume',
  run,
};
