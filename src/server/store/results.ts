// Query results that stay cheap under writes: a type's record count and the ordered ids of
// filtered queries, remembered per type modseq and brought up to date from the change log
// (a write costs a look at the records it changed, not a recount of the type).

import type Database from 'better-sqlite3';
import type { DB } from './db';

/** One ORDER BY term. The last term of every order is `rid`, the tie-break. */
export interface SortTerm {
  expr: string;
  nocase: boolean;
  desc: boolean;
}

/** A condition over `data`; `rowWhere` is its form for a few given rows, when `where` scans an index. */
export interface Condition {
  where: string;
  params: unknown[];
  rowWhere?: string;
}

export interface LoggedChange {
  modseq: number;
  id: string;
  kind: number;
}

/** What the cache needs of the store: states and the change log, read outside transactions. */
export interface ResultSource {
  db: DB;
  modseq(type: string): number;
  changesSince(type: string, modseq: number, limit: number): LoggedChange[];
  cached(sql: string): Database.Statement<unknown[]>;
  /** Tells the store a whole type was scanned (its work meter counts the rows). */
  visited(type: string): void;
}

export function orderSql(order: SortTerm[]): string {
  return order.map((t) => `${t.expr}${t.nocase ? ' COLLATE NOCASE' : ''} ${t.desc ? 'DESC' : 'ASC'}`).join(', ');
}

/** Past this many changes since an entry was computed, computing it again is cheaper. */
const MAX_DELTA = 256;
/** Bounds on what is remembered: entries, and ids over all entries. */
const MAX_ENTRIES = 64;
const MAX_IDS = 200_000;
/** A result larger than this is not remembered (its list would crowd out every other). */
const MAX_RESULT = 50_000;

interface Entry {
  type: string;
  modseq: number;
  ids: string[];
  /** Per id, the values of its sort terms as SQLite returns them (rid last). */
  keys: unknown[][];
}

class Incomparable extends Error {}

const rank = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'number' || typeof v === 'bigint' ? 1 : typeof v === 'string' ? 2 : 3);

/**
 * SQLite's order of two values: NULL, then numbers, then text (BINARY: by code point;
 * NOCASE: ASCII letters folded). Throws Incomparable where UTF-16 order and SQLite's
 * UTF-8 order could differ (surrogates) or for blobs: the caller then asks SQLite.
 */
export function compareSqlite(a: unknown, b: unknown, nocase: boolean): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 3) throw new Incomparable();
  const x = a as string, y = b as string;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    let p = x.charCodeAt(i), q = y.charCodeAt(i);
    if (p === q) continue;
    if (nocase) {
      if (p >= 65 && p <= 90) p += 32;
      if (q >= 65 && q <= 90) q += 32;
      if (p === q) continue;
    }
    if ((p >= 0xd800 && p <= 0xdfff) || (q >= 0xd800 && q <= 0xdfff)) throw new Incomparable();
    return p - q;
  }
  return x.length - y.length;
}

function compareKeys(order: SortTerm[], a: unknown[], b: unknown[]): number {
  for (let i = 0; i < order.length; i++) {
    const c = compareSqlite(a[i], b[i], order[i].nocase);
    if (c !== 0) return order[i].desc ? -c : c;
  }
  return 0;
}

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private readonly totals = new Map<string, { modseq: number; n: number }>();
  /** Queries whose result was past MAX_RESULT, and the state then. */
  private readonly tooLarge = new Map<string, number>();
  private idsHeld = 0;

  constructor(private readonly src: ResultSource) {}

  /** Records of a type: the last count plus creates minus destroys logged since. */
  countAll(type: string, literal: string): number {
    // One statement reads the count and the state it belongs to from the same snapshot.
    const recount = () =>
      this.src.cached(`SELECT (SELECT count(*) FROM records WHERE type = ${literal}), coalesce((SELECT modseq FROM states WHERE type = ${literal}), 0)`)
        .raw(true)
        .get() as [number, number];
    if (this.src.db.inTransaction) return recount()[0];
    const modseq = this.src.modseq(type);
    const hit = this.totals.get(type);
    if (hit?.modseq === modseq) return hit.n;
    const log = hit ? this.delta(type, hit.modseq) : null;
    let n: number, at: number;
    if (hit && log) {
      n = hit.n;
      for (const c of log) n += c.kind === 0 ? 1 : c.kind === 2 ? -1 : 0; // ChangeKind.Created, .Destroyed
      at = log.length ? log[log.length - 1].modseq : hit.modseq;
    } else {
      [n, at] = recount();
    }
    // Remembered under the state the store reports too, which can lag behind another process.
    this.totals.set(type, { modseq: Math.max(at, modseq), n });
    return n;
  }

  /**
   * The ids of `type` matching `where`, in `order`: the whole result, shared (callers must
   * not change it). Null when it is too large to remember; the caller then asks SQLite.
   */
  matching(type: string, literal: string, cond: Condition, order: SortTerm[]): readonly string[] | null {
    if (this.src.db.inTransaction) return null;
    const { where, params } = cond;
    const key = `${type}\u0000${where}\u0000${JSON.stringify(params)}\u0000${orderSql(order)}`;
    const modseq = this.src.modseq(type);
    const large = this.tooLarge.get(key);
    // Tried again once enough has changed that the result may have shrunk below the bound.
    if (large !== undefined && modseq - large < MAX_DELTA) return null;
    let entry = this.entries.get(key);
    if (entry && entry.modseq !== modseq && !this.catchUp(entry, literal, cond.rowWhere ?? where, params, order)) {
      this.drop(key, entry);
      entry = undefined;
    }
    if (!entry) {
      this.src.visited(type);
      const rows = this.select(literal, where, params, order, '', MAX_RESULT + 1);
      if (rows.length > MAX_RESULT) {
        if (this.tooLarge.size >= MAX_ENTRIES) this.tooLarge.clear();
        this.tooLarge.set(key, modseq);
        return null;
      }
      this.tooLarge.delete(key);
      entry = { type, modseq, ids: rows.map((r) => r[0] as string), keys: rows.map((r) => r.slice(1)) };
      this.idsHeld += entry.ids.length;
    } else {
      this.entries.delete(key); // re-inserted below: the Map's order is the LRU order
    }
    this.entries.set(key, entry);
    this.evict();
    return entry.ids;
  }

  /** Changes since `modseq`, or null when they are too many or the log has a gap. */
  private delta(type: string, modseq: number): LoggedChange[] | null {
    const log = this.src.changesSince(type, modseq, MAX_DELTA + 1);
    if (log.length > MAX_DELTA) return null;
    for (let i = 0; i < log.length; i++) if (log[i].modseq !== modseq + i + 1) return null;
    return log;
  }

  /** Applies the logged changes to an entry: changed ids leave, those still matching come back in place. */
  private catchUp(entry: Entry, literal: string, where: string, params: unknown[], order: SortTerm[]): boolean {
    const log = this.delta(entry.type, entry.modseq);
    if (!log) return false;
    if (log.length) {
      const changed = [...new Set(log.map((c) => c.id))];
      const gone = new Set(changed);
      const ids: string[] = [], keys: unknown[][] = [];
      for (let i = 0; i < entry.ids.length; i++) {
        if (gone.has(entry.ids[i])) continue;
        ids.push(entry.ids[i]);
        keys.push(entry.keys[i]);
      }
      // One statement whatever the number of ids (json_each), so the statement cache stays small.
      const rows = this.select(literal, where, params, order, 'id IN (SELECT value FROM json_each(?))', -1, [JSON.stringify(changed)]);
      try {
        for (const row of rows) {
          const k = row.slice(1);
          let lo = 0, hi = ids.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (compareKeys(order, keys[mid], k) < 0) lo = mid + 1;
            else hi = mid;
          }
          ids.splice(lo, 0, row[0] as string);
          keys.splice(lo, 0, k);
        }
      } catch (e) {
        if (e instanceof Incomparable) return false;
        throw e;
      }
      if (ids.length > MAX_RESULT) return false;
      this.idsHeld += ids.length - entry.ids.length;
      entry.ids = ids;
      entry.keys = keys;
      entry.modseq = log[log.length - 1].modseq;
    }
    // The type's state may still be the one remembered before another process wrote.
    entry.modseq = Math.max(entry.modseq, this.src.modseq(entry.type));
    return true;
  }

  private select(literal: string, where: string, params: unknown[], order: SortTerm[], extra: string, limit: number, extraParams: unknown[] = []) {
    const conds = [where, extra].filter(Boolean).map((c) => `(${c})`).join(' AND ');
    const sql = `SELECT id, ${order.map((t) => t.expr).join(', ')} FROM records WHERE type = ${literal}${conds ? ` AND ${conds}` : ''} ORDER BY ${orderSql(order)} LIMIT ?`;
    return this.src.cached(sql).raw(true).all(...params, ...extraParams, limit) as unknown[][];
  }

  private drop(key: string, entry: Entry) {
    this.entries.delete(key);
    this.idsHeld -= entry.ids.length;
  }

  private evict() {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.idsHeld <= MAX_IDS) break;
      this.drop(key, entry);
    }
  }
}
