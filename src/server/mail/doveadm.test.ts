// doveadm against a real private Dovecot: it reaches that instance (never /etc/dovecot),
// parses tables, and says precisely why a call failed: unknown user, stopped service,
// timeout, cancellation, nothing configured; a temporary failure (exit 75) is tried again.
// The live part is skipped only when Dovecot is missing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords';
import { doveadm, DoveadmError, doveadmTable, dovecotStopped, TEMPFAIL_BACKOFF_MS } from './doveadm';
import { liveDovecotMissing, startLiveDovecot, type LiveDovecot } from './dovecotTesting';
import { lmtpDeliver, TestDirectory } from './testing';

const missing = await liveDovecotMissing();

describe('doveadm without a running instance', () => {
  it('says the IMAP service was never started, or is stopped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-doveadm-'));
    try {
      await expect(doveadm(dir, ['mailbox', 'list', '-u', 'a@b.test'])).rejects.toThrow(/doveadm mailbox list: the IMAP service \(Dovecot\) has never been started here/);
      fs.mkdirSync(path.join(dir, 'services', 'imap', 'run'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'services', 'imap', 'dovecot.conf'), '');
      expect(dovecotStopped(dir)).toBe('the IMAP service (Dovecot) is stopped');
      fs.writeFileSync(path.join(dir, 'services', 'imap', 'run', 'master.pid'), '999999999\n');
      const e = await doveadm(dir, ['index', '-u', 'a@b.test', 'INBOX']).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DoveadmError);
      expect(e).toMatchObject({ message: 'doveadm index: the IMAP service (Dovecot) is stopped', exitCode: null });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A doveadm of our own on PATH (the module looks there first) that fails with EX_TEMPFAIL
// as Dovecot does while it is still starting, a given number of times, then answers.
describe('a temporary failure (exit 75) is tried again, a bounded number of times', () => {
  let dir: string;
  let savedPath: string | undefined;
  const calls = () => Number(fs.readFileSync(path.join(dir, 'calls'), 'utf8'));
  const failTimes = (n: number) => {
    fs.writeFileSync(path.join(dir, 'calls'), '0');
    fs.writeFileSync(path.join(dir, 'fail'), String(n));
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-tempfail-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'doveadm'), [
      '#!/bin/sh',
      `n=$(($(cat ${dir}/calls) + 1)); echo $n > ${dir}/calls`,
      `if [ "$n" -le "$(cat ${dir}/fail)" ]; then echo "doveadm(a@b.test): Error: User lookup failed: Internal error" >&2; exit 75; fi`,
      'if [ "$5" = "unknown" ]; then echo "doveadm(x): Error: User doesn\'t exist" >&2; exit 67; fi',
      'echo "done $n"',
    ].join('\n') + '\n', { mode: 0o755 });
    fs.mkdirSync(path.join(dir, 'services', 'imap', 'run'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'services', 'imap', 'dovecot.conf'), '');
    fs.writeFileSync(path.join(dir, 'services', 'imap', 'run', 'master.pid'), `${process.pid}\n`);
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('succeeds once the failure passes', async () => {
    failTimes(2);
    expect((await doveadm(dir, ['user', '-u', 'a@b.test'])).stdout.trim()).toBe('done 3');
    expect(calls()).toBe(3);
  });

  it('gives up after five tries and about 1.5 s of waiting, with doveadm\'s reason', async () => {
    failTimes(100);
    const started = Date.now();
    const e = await doveadm(dir, ['index', '-u', 'a@b.test', 'INBOX']).catch((x: unknown) => x);
    const took = Date.now() - started;
    expect(e).toMatchObject({ exitCode: 75, message: 'doveadm index failed (exit 75): User lookup failed: Internal error' });
    expect(calls()).toBe(TEMPFAIL_BACKOFF_MS.length + 1);
    expect(took).toBeGreaterThanOrEqual(TEMPFAIL_BACKOFF_MS.reduce((a, b) => a + b, 0));
    expect(took).toBeLessThan(5000);
  });

  it('other failures are not tried again, and a cancel ends the waiting', async () => {
    failTimes(0);
    await expect(doveadm(dir, ['user', '-u', 'unknown'])).rejects.toMatchObject({ exitCode: 67 });
    expect(calls()).toBe(1);
    failTimes(100);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    await expect(doveadm(dir, ['user', '-u', 'a@b.test'], { signal: controller.signal })).rejects.toThrow(/cancelled/);
    // Without the cancel it would try five times over 1.5 s.
    expect(Date.now() - started).toBeLessThan(700);
    expect(calls()).toBeLessThan(TEMPFAIL_BACKOFF_MS.length + 1);
  });
});

describe.skipIf(missing !== null)(`doveadm on the private Dovecot${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let live: LiveDovecot;
  const directory = new TestDirectory();
  const user = 'reader@example.test';

  beforeAll(async () => {
    directory.put(user, [hashPassword('secret one')]);
    live = await startLiveDovecot(directory);
    for (let i = 1; i <= 3; i++) {
      const r = await lmtpDeliver(live.lmtpSocket, 'sender@remote.test', [user], `Message-ID: <m${i}@remote.test>\nSubject: number ${i}\n\nbody ${i}\n`);
      expect(r.data[0]).toMatch(/^250 /);
    }
  }, 60_000);

  afterAll(async () => {
    await live?.close();
  });

  it('talks to this instance: its users, its mailboxes, parsed tables', async () => {
    expect((await doveadm(live.dataDir, ['user', '-f', 'home', user])).stdout.trim()).toBe(path.join(live.dataDir, 'mail', 'example.test', 'reader'));
    const rows = await doveadmTable(live.dataDir, ['mailbox', 'status', '-u', user, 'messages uidnext', 'INBOX']);
    expect(rows).toEqual([{ mailbox: 'INBOX', messages: '3', uidnext: '4' }]);
    // The header search goes through the full-text index (n-grams: it may match more); the fetched header decides.
    const found = (await doveadmTable(live.dataDir, ['fetch', '-u', user, 'mailbox-guid uid hdr.message-id', 'header', 'message-id', '<m2@remote.test>']))
      .filter((r) => r['hdr.message-id'] === '<m2@remote.test>');
    expect(found.map((r) => r.uid)).toEqual(['2']);
    expect(found[0]['mailbox-guid']).toMatch(/^[0-9a-f]{32}$/);
    expect(await doveadmTable(live.dataDir, ['search', '-u', user, 'header', 'message-id', 'qqqqqqqq'])).toEqual([]);
  });

  it('an unknown user fails with doveadm\'s reason and exit code', async () => {
    const e = await doveadm(live.dataDir, ['index', '-u', 'nobody@example.test', 'INBOX']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DoveadmError);
    expect(e).toMatchObject({ exitCode: 67, message: "doveadm index failed (exit 67): User doesn't exist" });
  });

  it('streams output, and is stopped by its timeout or its signal', async () => {
    const chunks: string[] = [];
    await doveadm(live.dataDir, ['-v', 'fts', 'rescan', '-u', user]);
    await doveadm(live.dataDir, ['-v', 'index', '-u', user, 'INBOX'], { onOutput: (c) => chunks.push(c) });
    expect(chunks.join('')).toMatch(/\r3\/3/);
    const controller = new AbortController();
    controller.abort();
    await expect(doveadm(live.dataDir, ['mailbox', 'list', '-u', user], { signal: controller.signal })).rejects.toThrow(/cancelled before it started/);
    await expect(doveadm(live.dataDir, ['mailbox', 'list', '-u', user], { timeoutMs: 1 })).rejects.toThrow(/doveadm mailbox list: no answer within 1 ms, stopped/);
  });

  it('a stopped service is named as such', async () => {
    await live.stop();
    try {
      await expect(doveadm(live.dataDir, ['mailbox', 'list', '-u', user])).rejects.toThrow('doveadm mailbox list: the IMAP service (Dovecot) is stopped');
    } finally {
      await live.restart();
    }
    expect((await doveadm(live.dataDir, ['mailbox', 'list', '-u', user])).stdout.trim()).toBe('INBOX');
  }, 60_000);
});
