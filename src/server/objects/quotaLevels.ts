// How a mailbox's limits resolve (issue 12): the account's own, else its domain's, else the
// global defaults on x:Email; and the server-set values that follow from them and the usage.
// Pure reads of the store: the schema is in quotas.ts, the background refresh and the
// session kicks in quotaRefresh.ts.

import type { Store } from '../store/records';
import { SINGLETON_ID } from './define';

type Obj = Record<string, unknown>;

/** The two of Stalwart's StorageQuota keys Postern enforces (James's count and size). */
export const COUNT_KEY = 'maxEmails';
export const SIZE_KEY = 'maxDiskQuota';
/** The singleton holding the global defaults (quotas.ts defines it). */
export const EMAIL_SETTINGS = 'x:Email';

/** One level's setting: null (not set), 0 (unlimited) or a limit. */
export type Level = number | null;
export interface Levels { count: Level; size: Level }

const level = (v: unknown): Level => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
export const mapLevels = (quotas: unknown): Levels => {
  const q = (quotas && typeof quotas === 'object' ? quotas : {}) as Obj;
  return { count: level(q[COUNT_KEY]), size: level(q[SIZE_KEY]) };
};

/** The global levels of an x:Email value (stored or being written). */
export const globalOf = (v: Obj | null): Levels => ({ count: level(v?.maxMessages), size: level(v?.maxDiskQuota) });
export const globalLevels = (store: Store): Levels => globalOf(store.get(EMAIL_SETTINGS, SINGLETON_ID));
export const domainLevels = (store: Store, domainId: unknown): Levels =>
  typeof domainId === 'string' ? mapLevels(store.get('x:Domain', domainId)?.quotas) : { count: null, size: null };
export const accountLevels = (account: Obj): Levels => mapLevels(account.quotas);
export const sameLevels = (a: Levels, b: Levels) => a.count === b.count && a.size === b.size;

/** The limit that applies: the first level that sets one; null when unlimited. */
export function resolve(...levels: Level[]): number | null {
  const first = levels.find((l) => l !== null) ?? null;
  return first === null || first === 0 ? null : first;
}

/** The limits that apply to an account under these domain and global levels. */
export function effectiveLimits(account: Obj, domain: Levels, global: Levels): Levels {
  const own = accountLevels(account);
  return { count: resolve(own.count, domain.count, global.count), size: resolve(own.size, domain.size, global.size) };
}

const ratio = (used: number, limit: number | null) => (limit === null ? 0 : Math.round((used / limit) * 1e6) / 1e6);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** The server-set quota values of an account with these levels and this usage. */
export function quotaValues(account: Obj, domain: Levels, global: Levels): Obj {
  const used = { size: num(account.usedDiskQuota), count: num(account.usedEmails) };
  const { count, size } = effectiveLimits(account, domain, global);
  const rc = ratio(used.count, count);
  const rs = ratio(used.size, size);
  return {
    usedDiskQuota: used.size, usedEmails: used.count, computedMaxEmails: count, computedMaxDiskQuota: size,
    occupationRatioCount: rc, occupationRatioSize: rs, occupationRatio: Math.max(rc, rs),
  };
}
