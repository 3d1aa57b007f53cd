// Uploaded binary data (RFC 8620 §6), kept in SQLite's `blobs` table (migration 6).
//
// Each blob belongs to the account that uploaded it, and only that account reads it. An
// upload nothing refers to yet is pending: it expires UPLOAD_TTL_MS after the upload and
// is deleted by a bounded sweep (at most SWEEP_BATCH rows per upload or download), so a
// sweep never holds the database for long. `keep` is for the object that comes to
// reference a blob (a message): from then on the blob lives as long as that object.

import { randomBytes } from 'node:crypto';
import type { DB } from './db';

export const UPLOAD_TTL_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 100;
/** Pending (unreferenced) bytes one account may hold: uploads past this wait for expiry or use. */
export const MAX_PENDING_BYTES_PER_ACCOUNT = 500_000_000;

export interface StoredBlob {
  accountId: string;
  blobId: string;
  type: string;
  size: number;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new blob id: "B" and 26 random base32 letters (RFC 8620 §1.2 id characters). */
function newBlobId(): string {
  let s = 'B';
  for (const b of randomBytes(26)) s += ID_ALPHABET[b & 31];
  return s;
}

export class BlobStore {
  constructor(
    private readonly db: DB,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes of pending uploads the account holds now. */
  pendingBytes(accountId: string): number {
    const row = this.db
      .prepare('SELECT coalesce(sum(size), 0) AS n FROM blobs WHERE account_id = ? AND expires_at IS NOT NULL AND expires_at > ?')
      .get(accountId, this.now()) as { n: number };
    return row.n;
  }

  put(accountId: string, type: string, data: Buffer): StoredBlob {
    this.sweep();
    const blobId = newBlobId();
    const now = this.now();
    this.db
      .prepare('INSERT INTO blobs (id, account_id, type, size, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(blobId, accountId, type, data.length, data, now, now + UPLOAD_TTL_MS);
    return { accountId, blobId, type, size: data.length };
  }

  /** The blob, when it exists, has not expired and belongs to `accountId`; null otherwise (the same for all three). */
  get(accountId: string, blobId: string): (StoredBlob & { data: Buffer }) | null {
    this.sweep();
    const row = this.db
      .prepare('SELECT type, size, data FROM blobs WHERE id = ? AND account_id = ? AND (expires_at IS NULL OR expires_at > ?)')
      .get(blobId, accountId, this.now()) as { type: string; size: number; data: Buffer } | undefined;
    return row ? { accountId, blobId, type: row.type, size: row.size, data: row.data } : null;
  }

  /** The blob is referenced by an object now: it no longer expires. False when it is not (or no longer) there. */
  keep(accountId: string, blobId: string): boolean {
    const res = this.db
      .prepare('UPDATE blobs SET expires_at = NULL WHERE id = ? AND account_id = ? AND (expires_at IS NULL OR expires_at > ?)')
      .run(blobId, accountId, this.now());
    return res.changes > 0;
  }

  /** Deletes up to SWEEP_BATCH expired uploads; returns how many. */
  sweep(limit = SWEEP_BATCH): number {
    return this.db
      .prepare('DELETE FROM blobs WHERE rowid IN (SELECT rowid FROM blobs WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?)')
      .run(this.now(), limit).changes;
  }
}
