// The activity log's clean-up keeps up: a run that removed as many entries as one run may
// runs again a moment later until no entry older than the retention is left.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { utcDateTime } from '../../shared/schema/validate';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import { ACTIVITY, DAY_MS } from './names';
import { MAX_PURGED_PER_RUN, startActivityRetention } from './retention';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-activity-retention-'));
const store = new Store(openDatabase(dir));
afterAll(() => {
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = () => store.db.prepare(`SELECT count(*) FROM records WHERE type = '${ACTIVITY}'`).pluck().get() as number;

it('more old entries than one run removes are all gone soon after; a recent one stays', async () => {
  const base = { actorId: 'a1', actorName: 'alice', via: 'jmap', remoteIp: '127.0.0.1', objectType: 'x:Role', objectId: 'r', action: 'updated', properties: {}, changes: {} };
  const old = utcDateTime(new Date(Date.now() - 100 * DAY_MS));
  store.transaction(() => {
    for (let i = 0; i < MAX_PURGED_PER_RUN + 7; i++) store.insert(ACTIVITY, `old${i}`, { ...base, at: old }, []);
    store.insert(ACTIVITY, 'recent', { ...base, at: utcDateTime() }, []);
  });
  store.flushChanges();
  const retention = startActivityRetention(store, () => {}, 60 * 60_000, 20);
  try {
    expect(await retention.runNow()).toBe(MAX_PURGED_PER_RUN);
    for (let i = 0; i < 100 && count() > 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(count()).toBe(1);
    expect(store.get(ACTIVITY, 'recent')).not.toBeNull();
  } finally {
    await retention.close();
  }
});
