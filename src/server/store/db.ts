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
  // 5: x:Account in Stalwart 0.16's shape (issue 10), and the mail directory's name indexes.
  // The password hash becomes the first Password credential (the same hash: it still signs
  // in); the set of roles becomes Custom{roleIds}. Names are now local parts, unique per
  // domain, so the old index that made them unique server-wide goes. mail_domains holds
  // every x:Domain name and alias, mail_addresses every address of an account or a mailing
  // list (primary and aliases), keyed by local part and domain id: each address is owned once.
  // The Users and Groups lists walk (kind, address) in order, and count a kind from the same
  // index (`type` in it makes it covering: no row is read); the roles and permissions kind
  // indexes find, for the lock-out rule, who holds Admin or permissions of their own.
  `DROP INDEX IF EXISTS ux_x_Account_name;
   CREATE TABLE mail_domains (name TEXT PRIMARY KEY, domain_id TEXT NOT NULL, is_alias INTEGER NOT NULL) WITHOUT ROWID;
   CREATE INDEX mail_domains_id ON mail_domains (domain_id);
   CREATE TABLE mail_addresses (
     local TEXT NOT NULL, domain_id TEXT NOT NULL, owner_type TEXT NOT NULL, owner_id TEXT NOT NULL,
     is_alias INTEGER NOT NULL, enabled INTEGER NOT NULL,
     PRIMARY KEY (local, domain_id)
   ) WITHOUT ROWID;
   CREATE INDEX mail_addresses_owner ON mail_addresses (owner_id, owner_type);
   CREATE INDEX ix_x_Account_kind_emailAddress ON records (type, json_extract(data, '$."@type"'), json_extract(data, '$."emailAddress"'), rid) WHERE type = 'x:Account';
   CREATE INDEX ix_x_Account_roles_kind ON records (json_extract(data, '$.roles."@type"'), rid) WHERE type = 'x:Account';
   CREATE INDEX ix_x_Account_permissions_kind ON records (json_extract(data, '$.permissions."@type"'), rid) WHERE type = 'x:Account';
   UPDATE records SET data = json_set(data,
       '$.credentials', CASE WHEN json_type(data, '$.password') = 'text'
         THEN json_object('0', json_object('@type', 'Password', 'secret', json_extract(data, '$.password'), 'expiresAt', NULL, 'credentialId', '0'))
         ELSE json('{}') END,
       '$.memberGroupIds', json(coalesce(json_extract(data, '$.memberGroupIds'), '{}')))
     WHERE type = 'x:Account' AND json_extract(data, '$."@type"') = 'User';
   UPDATE records SET data = json_set(json_remove(data, '$.password'),
       '$.roles', json_object('@type', 'Custom', 'roleIds', json(coalesce(json_extract(data, '$.roles'), '{}'))),
       '$.permissions', json_object('@type', 'Inherit'),
       '$.domainId', NULL, '$.emailAddress', NULL, '$.aliases', json('{}'),
       '$.locale', coalesce(json_extract(data, '$.locale'), 'en_US'), '$.timeZone', NULL,
       '$.createdAt', coalesce(json_extract(data, '$.createdAt'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))
     WHERE type = 'x:Account';`,
  // 6: uploaded blobs (RFC 8620 §6; store/blobs.ts), and Stalwart 0.16's shapes (issue 9):
  // x:ClusterNode's name becomes hostname, with a nodeId (numbered in creation order) and
  // lastRenewal (its last start); x:BlockedIp.reason becomes a BlockReason (a free-text
  // reason moves to description, and the block is "manual"); x:Tenant gets createdAt, logo.
  `CREATE TABLE blobs (
     id TEXT PRIMARY KEY, account_id TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL,
     data BLOB NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER
   );
   CREATE INDEX blobs_expiry ON blobs (expires_at) WHERE expires_at IS NOT NULL;
   CREATE INDEX blobs_account ON blobs (account_id, expires_at);
   DROP INDEX IF EXISTS ux_x_ClusterNode_name;
   DROP INDEX IF EXISTS ix_x_ClusterNode_name;
   UPDATE records SET data = json_set(json_remove(data, '$.name'),
       '$.hostname', json_extract(data, '$.name'),
       '$.lastRenewal', coalesce(json_extract(data, '$.startedAt'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
       '$.nodeId', (SELECT count(*) FROM records AS r WHERE r.type = 'x:ClusterNode' AND r.rid <= records.rid))
     WHERE type = 'x:ClusterNode' AND json_type(data, '$.hostname') IS NULL;
   UPDATE records SET data = json_set(data,
       '$.description', CASE WHEN json_extract(data, '$.reason') IN ('rcptToFailure', 'authFailure', 'loitering', 'portScanning', 'manual', 'other')
         THEN json_extract(data, '$.description') ELSE json_extract(data, '$.reason') END,
       '$.reason', CASE WHEN json_extract(data, '$.reason') IN ('rcptToFailure', 'authFailure', 'loitering', 'portScanning', 'manual', 'other')
         THEN json_extract(data, '$.reason') ELSE 'manual' END)
     WHERE type = 'x:BlockedIp';
   UPDATE records SET data = json_set(data,
       '$.createdAt', coalesce(json_extract(data, '$.createdAt'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
       '$.logo', json_extract(data, '$.logo'),
       '$.description', json_extract(data, '$.description'))
     WHERE type = 'x:Tenant';`,
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

/** Brings the schema to `target` (the newest by default; tests stop earlier to write old data). */
export function migrate(db: DB, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database was written by a newer Postern (schema ${current}; this one knows ${MIGRATIONS.length})`);
  }
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
