// One prepared statement per database and SQL text, made on first use: the lookups that
// code outside the store makes on its hot paths (an address at RCPT, a login, a usage
// report) compile their SQL once, and identical SQL in two places shares one statement.

import type Database from 'better-sqlite3';
import type { Store } from './records';

const byDb = new WeakMap<object, Map<string, Database.Statement>>();

/** The statement for `sql` on this store's database; `pluck` returns a row's first column only. */
export function statement(store: Store, sql: string, opts: { pluck?: boolean } = {}): Database.Statement {
  let cache = byDb.get(store.db);
  if (!cache) byDb.set(store.db, (cache = new Map()));
  const key = `${opts.pluck ? 'p' : 'r'}${sql}`;
  let stmt = cache.get(key);
  if (!stmt) {
    stmt = store.db.prepare(sql);
    if (opts.pluck) stmt.pluck();
    cache.set(key, stmt);
  }
  return stmt;
}
