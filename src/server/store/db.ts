// Opens the SQLite database in DATA_DIR and brings its schema up to date. Migrations
// are numbered and applied once, in order; PRAGMA user_version records the last one.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type DB = Database.Database;

const MIGRATIONS: string[] = [
  // 1: records of every object type, their references, change log and states.
  `CREATE TABLE records (
     rid INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     id TEXT NOT NULL,
     data TEXT NOT NULL,
     UNIQUE (type, id)
   );
   CREATE TABLE refs (
     to_type TEXT NOT NULL, to_id TEXT NOT NULL, from_type TEXT NOT NULL, from_id TEXT NOT NULL,
     PRIMARY KEY (to_type, to_id, from_type, from_id)
   ) WITHOUT ROWID;
   CREATE INDEX refs_from ON refs (from_type, from_id);
   CREATE TABLE changes (
     type TEXT NOT NULL, modseq INTEGER NOT NULL, id TEXT NOT NULL, kind INTEGER NOT NULL,
     PRIMARY KEY (type, modseq)
   ) WITHOUT ROWID;
   CREATE TABLE states (type TEXT PRIMARY KEY, modseq INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
  // 2: OAuth artefacts (authorization codes, tokens, sessions, grants) of oidc-provider.
  `CREATE TABLE oauth (
     model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL,
     grant_id TEXT, uid TEXT, user_code TEXT, expires_at INTEGER,
     PRIMARY KEY (model, id)
   ) WITHOUT ROWID;
   CREATE INDEX oauth_grant ON oauth (grant_id) WHERE grant_id IS NOT NULL;
   CREATE INDEX oauth_uid ON oauth (uid) WHERE uid IS NOT NULL;
   CREATE INDEX oauth_expiry ON oauth (expires_at) WHERE expires_at IS NOT NULL;`,
  // 3: records of one type in creation order without a sort (unsorted list pages, /get of all).
  `CREATE INDEX records_type ON records (type);`,
  // 4: x:Service's requiredPermissions and page are computed when read, no longer stored.
  `UPDATE records SET data = json_remove(data, '$.requiredPermissions', '$.page') WHERE type = 'x:Service';`,
];

export function openDatabase(dataDir: string): DB {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'postern.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database was written by a newer Postern (schema ${current}; this one knows ${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
