// oidc-provider's storage adapter on SQLite, so codes, tokens and grants survive restarts.

import type { DB } from '../store/db';

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

/** Ends every OAuth session, grant and token of an account (its password changed, say). */
export function endAccountSessions(db: DB, accountId: string): void {
  db.prepare("DELETE FROM oauth WHERE json_extract(payload, '$.accountId') = ?").run(accountId);
}

export function sqliteAdapterFactory(db: DB) {
  const stmt = {
    upsert: db.prepare(
      `INSERT INTO oauth (model, id, payload, grant_id, uid, user_code, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`,
    ),
    find: db.prepare('SELECT payload, expires_at FROM oauth WHERE model = ? AND id = ?'),
    findByUid: db.prepare('SELECT payload, expires_at FROM oauth WHERE model = ? AND uid = ?'),
    findByUserCode: db.prepare('SELECT payload, expires_at FROM oauth WHERE model = ? AND user_code = ?'),
    destroy: db.prepare('DELETE FROM oauth WHERE model = ? AND id = ?'),
    revokeByGrant: db.prepare('DELETE FROM oauth WHERE grant_id = ?'),
    consume: db.prepare(`UPDATE oauth SET payload = json_set(payload, '$.consumed', ?) WHERE model = ? AND id = ?`),
    purge: db.prepare('DELETE FROM oauth WHERE expires_at IS NOT NULL AND expires_at < ?'),
  };
  const live = (row: unknown): Payload | undefined => {
    const r = row as { payload: string; expires_at: number | null } | undefined;
    if (!r || (r.expires_at !== null && r.expires_at < Date.now())) return undefined;
    return JSON.parse(r.payload);
  };
  let writes = 0;

  return class SqliteAdapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number) {
      // Expired access tokens are kept a day (oidc-provider checks expiry itself), so an
      // expired token is told apart from an unknown one and is not counted as an attack.
      const grace = this.model === 'AccessToken' ? 86_400 : 0;
      const expiresAt = typeof expiresIn === 'number' ? Date.now() + (expiresIn + grace) * 1000 : null;
      stmt.upsert.run(this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, payload.userCode ?? null, expiresAt);
      if (++writes % 500 === 0) stmt.purge.run(Date.now());
    }

    async find(id: string) {
      return live(stmt.find.get(this.model, id));
    }

    async findByUid(uid: string) {
      return live(stmt.findByUid.get(this.model, uid));
    }

    async findByUserCode(userCode: string) {
      return live(stmt.findByUserCode.get(this.model, userCode));
    }

    async consume(id: string) {
      stmt.consume.run(Math.floor(Date.now() / 1000), this.model, id);
    }

    async destroy(id: string) {
      stmt.destroy.run(this.model, id);
    }

    async revokeByGrantId(grantId: string) {
      stmt.revokeByGrant.run(grantId);
    }
  };
}
