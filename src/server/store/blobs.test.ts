// Pending uploads expire an hour after upload unless kept; the sweep is bounded.

import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { BlobStore, UPLOAD_TTL_MS } from './blobs';
import { migrate } from './db';

function store() {
  const db = new Database(':memory:');
  migrate(db);
  let now = 1_000_000;
  return { db, blobs: new BlobStore(db, () => now), advance: (ms: number) => (now += ms) };
}

it('an upload expires after UPLOAD_TTL_MS; a kept one does not', async () => {
  const { blobs, advance } = store();
  const a = blobs.put('acc1', 'text/plain', Buffer.from('a'));
  const b = blobs.put('acc1', 'text/plain', Buffer.from('bb'));
  expect(blobs.pendingBytes('acc1')).toBe(3);
  expect(blobs.keep('acc1', b.blobId)).toBe(true);
  expect(blobs.keep('acc2', a.blobId)).toBe(false);
  advance(UPLOAD_TTL_MS - 1);
  expect(blobs.get('acc1', a.blobId)?.data.toString()).toBe('a');
  advance(1);
  expect(blobs.get('acc1', a.blobId)).toBeNull();
  expect(blobs.keep('acc1', a.blobId)).toBe(false);
  expect(blobs.get('acc1', b.blobId)?.data.toString()).toBe('bb');
  expect(blobs.pendingBytes('acc1')).toBe(0);
});

it('a blob is found only under its own account', () => {
  const { blobs } = store();
  const a = blobs.put('acc1', 'text/plain', Buffer.from('a'));
  expect(blobs.get('acc2', a.blobId)).toBeNull();
  expect(blobs.get('acc1', a.blobId)).toMatchObject({ accountId: 'acc1', type: 'text/plain', size: 1 });
});

it('the sweep deletes expired uploads in bounded batches', () => {
  const { db, blobs, advance } = store();
  for (let i = 0; i < 150; i++) blobs.put('acc1', 'application/octet-stream', Buffer.from([i]));
  advance(UPLOAD_TTL_MS);
  const rows = () => (db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n;
  expect(blobs.sweep()).toBe(100);
  expect(rows()).toBe(50);
  // Each upload sweeps a batch too.
  blobs.put('acc1', 'text/plain', Buffer.from('new'));
  expect(rows()).toBe(1);
});
