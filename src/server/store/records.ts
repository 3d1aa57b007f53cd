// Records of every object type in one SQLite table, with the change log that backs
// JMAP states, /changes and /queryChanges, and the reference index that backs
// referential integrity. Synchronous (better-sqlite3): a /set runs in one transaction.

import type Database from 'better-sqlite3';
import type { DB } from './db';
import { ResultCache, type Condition, type SortTerm } from './results';

export type Data = Record<string, unknown>;
export const enum ChangeKind { Created = 0, Updated = 1, Destroyed = 2 }

export interface Ref { objectName: string; id: string }

/** SQL for a top-level JSON property; must match the expression indexes exactly. */
export function propExpr(prop: string): string {
  if (!/^[@A-Za-z0-9_]+$/.test(prop)) throw new Error(`Bad property name ${prop}`);
  return `json_extract(data, '$."${prop}"')`;
}

/** Type names are literals in SQL so that SQLite can use the partial indexes. */
export function typeLiteral(type: string): string {
  if (!/^[A-Za-z0-9:/_-]+$/.test(type)) throw new Error(`Bad type name ${type}`);
  return `'${type}'`;
}

/** Name of the expression index on a property (`ux_` when it enforces uniqueness). */
export function indexName(type: string, prop: string, unique: boolean): string {
  return `${unique ? 'ux' : 'ix'}_${type.replace(/[^A-Za-z0-9]/g, '_')}_${prop.replace('@', '_')}`;
}

export class Store {
  private readonly stmt;
  private readonly listeners = new Set<(types: Map<string, string>) => void>();
  private readonly counts = new Map<string, { modseq: number; n: number }>();
  private pending = new Map<string, string>();
  private readonly results: ResultCache;
  /** Rows SQL scans have visited (whole filtered evaluations, index walks): the work meter reads it. */
  rowsVisited = 0;

  constructor(readonly db: DB) {
    this.stmt = {
      get: db.prepare('SELECT data FROM records WHERE type = ? AND id = ?'),
      insert: db.prepare('INSERT INTO records (type, id, data) VALUES (?, ?, ?)'),
      update: db.prepare('UPDATE records SET data = ? WHERE type = ? AND id = ?'),
      delete: db.prepare('DELETE FROM records WHERE type = ? AND id = ?'),
      state: db.prepare('SELECT modseq FROM states WHERE type = ?').pluck(),
      setState: db.prepare('INSERT INTO states (type, modseq) VALUES (?, ?) ON CONFLICT (type) DO UPDATE SET modseq = excluded.modseq'),
      logChange: db.prepare('INSERT INTO changes (type, modseq, id, kind) VALUES (?, ?, ?, ?)'),
      changes: db.prepare('SELECT modseq, id, kind FROM changes WHERE type = ? AND modseq > ? ORDER BY modseq LIMIT ?'),
      delRefs: db.prepare('DELETE FROM refs WHERE from_type = ? AND from_id = ?'),
      addRef: db.prepare('INSERT OR IGNORE INTO refs (to_type, to_id, from_type, from_id) VALUES (?, ?, ?, ?)'),
      referrers: db.prepare('SELECT from_type AS object, from_id AS id FROM refs WHERE to_type = ? AND to_id = ? LIMIT 50'),
      refsOf: db.prepare('SELECT to_type AS objectName, to_id AS id FROM refs WHERE from_type = ? AND from_id = ?'),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      states: db.prepare('SELECT type, modseq FROM states'),
    };
    this.results = new ResultCache({
      db,
      modseq: (type) => this.modseq(type),
      changesSince: (type, modseq, limit) => this.changesSince(type, modseq, limit),
      cached: (sql) => this.cached(sql),
      visited: (type) => this.visit(type, null),
    });
    // The baseline for noticing other processes' writes is taken now, before anything is
    // remembered: a write by the unblock command in the server's first second counts too.
    this.dataVersion = this.stmt.dataVersion.get() as number;
    for (const row of this.stmt.states.all() as { type: string; modseq: number }[]) this.knownStates.set(row.type, row.modseq);
  }

  /** Creates the indexes list pages sort and filter on, and unique constraints. Idempotent. */
  ensureIndexes(type: string, indexed: string[], unique: string[]): void {
    for (const p of indexed) {
      const name = indexName(type, p, false);
      // A unique index already serves sorting (its entries end with the rowid).
      if (unique.includes(p)) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
      else this.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON records (${propExpr(p)}, rid) WHERE type = ${typeLiteral(type)}`);
    }
    for (const p of unique) {
      this.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${indexName(type, p, true)} ON records (${propExpr(p)}) WHERE type = ${typeLiteral(type)}`);
    }
  }

  /**
   * Keeps the planner's statistics current. Without them SQLite sorts a whole type in a
   * temporary B-tree instead of walking the index a list page sorts by. Run at start when
   * there are none, then whenever the table has had as many writes as it had rows.
   */
  analyze(force = false): void {
    if (!force && this.hasStats && this.writesSinceAnalyze <= Math.max(1000, this.rowsAtAnalyze)) return;
    this.hasStats ||= !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
    if (!force && this.hasStats && this.writesSinceAnalyze <= Math.max(1000, this.rowsAtAnalyze)) return;
    this.db.exec('ANALYZE');
    this.hasStats = true;
    this.rowsAtAnalyze = this.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    this.writesSinceAnalyze = 0;
  }

  private writesSinceAnalyze = 0;
  private hasStats = false;
  private rowsAtAnalyze = 0;

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** A nested step that is rolled back alone when it throws (a SAVEPOINT). */
  step<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get(type: string, id: string): Data | null {
    const row = this.stmt.get.get(type, id) as { data: string } | undefined;
    return row ? JSON.parse(row.data) : null;
  }

  getMany(type: string, ids: string[]): Map<string, Data> {
    const out = new Map<string, Data>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.cached(`SELECT id, data FROM records WHERE type = ? AND id IN (${chunk.map(() => '?').join(',')})`)
        .all(type, ...chunk) as { id: string; data: string }[];
      for (const r of rows) out.set(r.id, JSON.parse(r.data));
    }
    return out;
  }

  /** Every record of a type, streamed. */
  *all(type: string): IterableIterator<[string, Data]> {
    for (const row of this.cached('SELECT id, data FROM records WHERE type = ?').iterate(type) as IterableIterator<{ id: string; data: string }>) {
      yield [row.id, JSON.parse(row.data)];
    }
  }

  /** Records of a type matching a WHERE clause over `data` (built from trusted parts only). */
  *findWhere(type: string, where: string): IterableIterator<[string, Data]> {
    const sql = `SELECT id, data FROM records WHERE type = ${typeLiteral(type)} AND (${where})`;
    for (const row of this.cached(sql).iterate() as IterableIterator<{ id: string; data: string }>) yield [row.id, JSON.parse(row.data)];
  }

  /** Ids matching a WHERE clause built by the filter compiler. */
  queryIds(type: string, where: string, params: unknown[], orderBy: string, limit: number, offset: number): string[] {
    this.visit(type, where || limit < 0 ? null : offset + limit);
    const sql = `SELECT id FROM records WHERE type = ${typeLiteral(type)}${where ? ` AND (${where})` : ''} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
    return this.cached(sql).pluck().all(...params, limit, offset) as string[];
  }

  /** Counts rows a statement visits: `rows`, or the whole type (outside transactions: requests). */
  private visit(type: string, rows: number | null) {
    if (!this.db.inTransaction) this.rowsVisited += rows ?? this.count(type, '', []);
  }

  /**
   * Records matching; without a condition, the type's count kept current from the change log.
   * A filtered count (a result too large to keep its ids) is remembered until the type changes.
   */
  count(type: string, where: string, params: unknown[]): number {
    if (!where) return this.results.countAll(type, typeLiteral(type));
    const key = `${type}\u0000${where}\u0000${JSON.stringify(params)}`;
    const modseq = this.db.inTransaction ? -1 : this.modseq(type);
    const hit = this.counts.get(key);
    if (hit && hit.modseq === modseq) return hit.n;
    this.visit(type, null);
    const n = this.cached(`SELECT count(*) FROM records WHERE type = ${typeLiteral(type)} AND (${where})`).pluck().get(...params) as number;
    if (modseq >= 0) {
      if (this.counts.size >= 256) this.counts.clear();
      this.counts.set(key, { modseq, n });
    }
    return n;
  }

  /**
   * Every id matching a condition in `order`, remembered per state and kept current from the
   * change log, so the pages and totals of a filtered list cost nothing between writes.
   * Shared: callers must not change it. Null when too large to remember (ask queryIds).
   */
  matching(type: string, cond: Condition, order: SortTerm[]): readonly string[] | null {
    return this.results.matching(type, typeLiteral(type), cond, order);
  }

  /** The distinct values of a top-level property among a type's records, sorted (an index serves it). */
  distinctValues(type: string, prop: string): unknown[] {
    const sql = `SELECT DISTINCT ${propExpr(prop)} AS v FROM records WHERE type = ${typeLiteral(type)} ORDER BY v`;
    return this.cached(sql).pluck().all() as unknown[];
  }

  /** Id of the record of `type` whose `prop` equals `value`, other than `except`. */
  findBy(type: string, prop: string, value: unknown, except?: string): string | null {
    const sql = `SELECT id FROM records WHERE type = ${typeLiteral(type)} AND ${propExpr(prop)} = ? AND id IS NOT ? LIMIT 1`;
    const v = typeof value === 'boolean' ? Number(value) : value;
    return (this.cached(sql).pluck().get(v, except ?? null) as string | undefined) ?? null;
  }

  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  private cached(sql: string): Database.Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size > 500) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  insert(type: string, id: string, data: Data, refs: Ref[]): void {
    this.stmt.insert.run(type, id, JSON.stringify(data));
    this.writeRefs(type, id, refs);
    this.logChange(type, id, ChangeKind.Created);
  }

  update(type: string, id: string, data: Data, refs: Ref[]): void {
    this.stmt.update.run(JSON.stringify(data), type, id);
    this.writeRefs(type, id, refs);
    this.logChange(type, id, ChangeKind.Updated);
  }

  delete(type: string, id: string): void {
    this.stmt.delete.run(type, id);
    this.stmt.delRefs.run(type, id);
    this.logChange(type, id, ChangeKind.Destroyed);
  }

  referrers(type: string, id: string): { object: string; id: string }[] {
    return this.stmt.referrers.all(type, id) as { object: string; id: string }[];
  }

  /** The references a record holds now (a rewrite that keeps them passes them back). */
  refsOf(type: string, id: string): Ref[] {
    return this.stmt.refsOf.all(type, id) as Ref[];
  }

  private writeRefs(type: string, id: string, refs: Ref[]) {
    this.stmt.delRefs.run(type, id);
    for (const r of refs) this.stmt.addRef.run(r.objectName, r.id, type, id);
  }

  /**
   * The type's current modseq. Remembered between writes, never while a transaction is
   * open (a rolled-back savepoint must not leave a state that was never committed).
   */
  modseq(type: string): number {
    const cached = this.modseqs.get(type);
    if (cached !== undefined) return cached;
    const value = (this.stmt.state.get(type) as number | undefined) ?? 0;
    if (!this.db.inTransaction) this.modseqs.set(type, value);
    return value;
  }

  private readonly modseqs = new Map<string, number>();
  private readonly snapshots = new Map<string, { modseq: number; records: [string, Data][] }>();

  /**
   * Every record of a small type in creation order, or null when there are more than
   * `limit`. Kept between writes: settings-like types are read far more than written.
   * The records are shared: callers must not change them.
   */
  smallSnapshot(type: string, limit: number): [string, Data][] | null {
    const modseq = this.modseq(type);
    const hit = this.snapshots.get(type);
    if (hit && hit.modseq === modseq) return hit.records;
    const rows = this.cached(`SELECT id, data FROM records WHERE type = ${typeLiteral(type)} ORDER BY rid LIMIT ?`).all(limit + 1) as {
      id: string;
      data: string;
    }[];
    if (rows.length > limit) return null;
    const records = rows.map((r): [string, Data] => [r.id, JSON.parse(r.data)]);
    if (!this.db.inTransaction) this.snapshots.set(type, { modseq, records });
    return records;
  }

  private dataVersion: number;
  /** Each type's state as this process last knew it: another process's writes are the difference. */
  private readonly knownStates = new Map<string, number>();

  /**
   * Notices writes by another process (the unblock command) through SQLite's
   * data_version, forgets the states and snapshots it remembered, and tells listeners
   * which types changed. Cheap (one pragma): run before every method call, and on a timer.
   * Remembered query results need no forgetting: they catch up from the change log.
   */
  pollExternalWrites(): void {
    if (this.db.inTransaction) return;
    const v = this.stmt.dataVersion.get() as number;
    if (v === this.dataVersion) return;
    this.dataVersion = v;
    const changed = new Map<string, string>();
    for (const row of this.stmt.states.all() as { type: string; modseq: number }[]) {
      if (this.knownStates.get(row.type) !== row.modseq) changed.set(row.type, String(row.modseq));
      this.knownStates.set(row.type, row.modseq);
    }
    this.modseqs.clear();
    this.snapshots.clear();
    if (changed.size) for (const l of this.listeners) l(changed);
  }

  state(type: string): string {
    return String(this.modseq(type));
  }

  private logChange(type: string, id: string, kind: ChangeKind) {
    this.writesSinceAnalyze++;
    this.modseqs.delete(type);
    this.snapshots.delete(type);
    const next = ((this.stmt.state.get(type) as number | undefined) ?? 0) + 1;
    this.stmt.setState.run(type, next);
    this.stmt.logChange.run(type, next, id, kind);
    this.pending.set(type, String(next));
  }

  changesSince(type: string, modseq: number, limit: number): { modseq: number; id: string; kind: ChangeKind }[] {
    return this.stmt.changes.all(type, modseq, limit) as { modseq: number; id: string; kind: ChangeKind }[];
  }

  getMeta(key: string): string | null {
    return (this.stmt.meta.get(key) as string | undefined) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  /** Tells listeners which types changed since the last call; run after a commit. */
  flushChanges(): void {
    if (this.pending.size === 0) return;
    for (const type of this.pending.keys()) this.modseqs.delete(type);
    this.analyze();
    const changed = new Map<string, string>();
    for (const type of this.pending.keys()) {
      changed.set(type, this.state(type));
      this.knownStates.set(type, this.modseq(type));
    }
    this.pending = new Map();
    for (const l of this.listeners) l(changed);
  }

  /** Forget changes of a rolled-back transaction. */
  discardPending(): void {
    for (const type of this.pending.keys()) {
      this.modseqs.delete(type);
      this.snapshots.delete(type);
    }
    this.pending = new Map();
  }

  onChange(listener: (types: Map<string, string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
