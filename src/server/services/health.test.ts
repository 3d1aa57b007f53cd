// The health checker on a real store (no server around it): the disk thresholds, the task
// manager's checks (a queue nobody runs, a task that does not move, a stopped manager), the
// services' records, and the LMTP probe against a real Dovecot. Records are written only
// when a result changes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { utcDateTime } from '../../shared/schema/validate';
import { hashPassword } from '../auth/passwords';
import { liveDovecotMissing, startLiveDovecot } from '../mail/dovecotTesting';
import { TestDirectory } from '../mail/testing';
import { openDatabase } from '../store/db';
import { Store, type Data } from '../store/records';
import { DISK_THRESHOLDS, HEALTH, HealthChecker, lmtpAnswers, type HealthOptions } from './health';

describe('HealthChecker', () => {
  let dir: string;
  let store: Store;
  const checkers: HealthChecker[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-health-'));
    store = new Store(openDatabase(dir));
  });
  afterEach(async () => {
    for (const c of checkers.splice(0)) await c.close();
    store.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function round(opts: Partial<HealthOptions> = {}): Promise<Record<string, Data>> {
    const c = new HealthChecker({ store, dataDir: dir, intervalMs: 3_600_000, ...opts });
    checkers.push(c);
    c.start();
    await c.runNow(0);
    return Object.fromEntries([...store.all(HEALTH)]);
  }

  it('writes one record per component; services it has no record of are unhealthy', async () => {
    const r = await round();
    expect(Object.keys(r).sort()).toEqual(['disk', 'imap', 'lmtp', 'smtp', 'store', 'tasks']);
    expect(r.store).toMatchObject({ componentName: 'Store', status: 'healthy', cause: null, remedy: null });
    expect(r.imap).toMatchObject({ componentName: 'IMAP', status: 'unhealthy', cause: 'The IMAP service is not set up on this server' });
    expect(r.lmtp.cause).toMatch(/LMTP is served by the IMAP service/);
    expect(r.tasks.status).toBe('healthy');
  });

  it('disk space: degraded and unhealthy below the thresholds, with the figures', async () => {
    expect((await round()).disk.status).toBe(fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize > DISK_THRESHOLDS.degradedFreeBytes ? 'healthy' : 'degraded');
    const low = await round({ disk: { ...DISK_THRESHOLDS, degradedFreeBytes: Number.MAX_SAFE_INTEGER } });
    expect(low.disk).toMatchObject({ status: 'degraded', cause: expect.stringMatching(/^Disk space is running low: [\d.]+ GiB free of [\d.]+ GiB \([\d.]+%\) on the file system of /) });
    const none = await round({ disk: { ...DISK_THRESHOLDS, unhealthyFreeRatio: 1.1 } });
    expect(none.disk).toMatchObject({ status: 'unhealthy', cause: expect.stringMatching(/^Almost no disk space left/) });
  });

  it('services: the x:Service record, then the port itself', async () => {
    store.transaction(() => {
      store.insert('x:Service', 'imap', { status: 'failed', lastError: 'Dovecot exited\nmore lines', logPath: '/x/dovecot.log', software: 'Dovecot' }, []);
      store.insert('x:Service', 'smtp', { status: 'running', bindAddress: '127.0.0.1', port: 1, software: 'Postfix' }, []);
    });
    const r = await round();
    expect(r.imap).toMatchObject({ status: 'unhealthy', cause: 'The IMAP service failed: Dovecot exited', remedy: expect.stringMatching(/\/x\/dovecot\.log/) });
    expect(r.smtp).toMatchObject({ status: 'unhealthy', cause: expect.stringMatching(/^The SMTP service runs but port 1 is not answering/) });
  });

  it('tasks: a queue nobody runs is unhealthy; a task that does not move is degraded; a stopped manager is unhealthy', async () => {
    const old = utcDateTime(new Date(Date.now() - 60_000));
    store.transaction(() => store.insert('x:Task', 'w1', { '@type': 'FullReIndexing', status: { '@type': 'Pending' }, submittedAt: old }, []));
    expect((await round()).tasks).toMatchObject({ status: 'unhealthy', cause: expect.stringMatching(/^Task w1 has waited more than 30 s and no task is running/) });
    store.transaction(() => store.insert('x:Task', 'r1', { '@type': 'ReIndexUser', status: { '@type': 'Running' }, progress: { processedCount: 5 } }, []));
    const c = new HealthChecker({ store, dataDir: dir, intervalMs: 3_600_000, stuckTaskMs: 50 });
    checkers.push(c);
    await c.runNow(0);
    expect(store.get(HEALTH, 'tasks')?.status).toBe('healthy'); // first seen: moving as far as anyone knows
    await new Promise((r) => setTimeout(r, 80));
    await c.runNow(0);
    expect(store.get(HEALTH, 'tasks')).toMatchObject({ status: 'degraded', cause: 'Task r1 (ReIndexUser) has reported no progress for 0 min' });
    const stopped = await round({ tasks: { state: () => ({ closed: true, running: null, waiting: 0 }) } });
    expect(stopped.tasks).toMatchObject({ status: 'unhealthy', cause: 'The task manager has stopped: no task runs' });
  });

  it('an unchanged result is not written again (quiet change log)', async () => {
    await round();
    const modseq = store.modseq(HEALTH);
    const c = checkers[0];
    await c.runNow(0);
    await c.runNow(0);
    expect(store.modseq(HEALTH)).toBe(modseq);
  });
});

const missing = await liveDovecotMissing();

describe.skipIf(missing !== null)('lmtpAnswers on a real Dovecot', () => {
  let live: Awaited<ReturnType<typeof startLiveDovecot>> | null = null;
  afterAll(async () => {
    await live?.close();
  });

  it('answers null while LMTP greets and accepts LHLO; names the problem otherwise', async () => {
    const directory = new TestDirectory();
    directory.put('a@example.test', [hashPassword('x secret')]);
    live = await startLiveDovecot(directory);
    expect(await lmtpAnswers(live.lmtpSocket)).toBeNull();
    await live.stop();
    expect(await lmtpAnswers(live.lmtpSocket)).toMatch(/ECONNREFUSED|does not exist/);
    expect(await lmtpAnswers(path.join(live.dataDir, 'nothing.sock'))).toBe('its socket does not exist');
  }, 60_000);
});
