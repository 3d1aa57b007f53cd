// A real Dovecot, started from the driver's generated files, authenticates the accounts of
// a MailDirectory through the checkpassword bridge, receives their mail over LMTP and
// serves it over IMAP; a created, changed or removed account takes effect at the next
// login, with no reload. (As root the daemon drops to its users, so this also proves the
// modes of mail/daemonAccess.ts.) Skipped only when Dovecot or dovecot-lmtpd is missing.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords';
import { Daemon } from '../services/daemon';
import { servicePaths, type ServiceSettings } from '../services/driver';
import { dovecotDriver } from '../services/dovecot';
import { firstLine, freePort, waitFor } from '../services/testing';
import { startMailAuth, type LoginGuard, type MailAuthServer } from './authSocket';
import { mailPaths } from './daemonAccess';
import { lmtpDeliver, saslPlain, TestDirectory } from './testing';

const run = promisify(execFile);
const driver = dovecotDriver({ protocol: 'imap' });
const install = await driver.detect();
const why = install.problem ?? 'Dovecot is not installed (apt-get install dovecot-core dovecot-imapd dovecot-lmtpd)';

/** Records what the bridge tells the sign-in guard; `blocked` refuses addresses. */
class RecordingGuard implements LoginGuard {
  fails: { ip?: string; user?: string }[] = [];
  blocked = new Set<string>();
  isBlocked = (ip: string) => this.blocked.has(ip);
  fail = (ip: string | undefined, user?: string) => {
    this.fails.push({ ip, user });
    return false;
  };
  succeed = () => {};
}

describe.skipIf(!install.installed)(`a real Dovecot on Postern's accounts${install.installed ? '' : ` (skipped: ${why})`}`, () => {
  let dataDir: string;
  let daemon: Daemon;
  let bridge: MailAuthServer;
  let port: number;
  let config: string;
  const directory = new TestDirectory();
  const guard = new RecordingGuard();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-mail-'));
    const mail = mailPaths(dataDir);
    bridge = await startMailAuth({ socketPath: mail.authSocket, mailRoot: mail.mailRoot, directory, guard });
    port = await freePort();
    const settings: ServiceSettings = {
      startOnBoot: false, bindAddress: '127.0.0.1', port, securePort: await freePort(),
      maxConnections: 20, memoryLimit: 256 * 1024 * 1024, secureMaxConnections: 20, secureMemoryLimit: 256 * 1024 * 1024,
    };
    const paths = servicePaths(mail.imapDir);
    const plan = await driver.prepare(settings, paths, install);
    config = paths.config;
    daemon = await Daemon.spawn(plan);
    await waitFor('Dovecot to greet', async () => (await firstLine(port, { timeoutMs: 1000 })).startsWith('* OK'), 15_000, 200);
    await waitFor('the LMTP socket', async () => fs.existsSync(mail.lmtpSocket), 5000, 100);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await bridge?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const client = (user: string, pass: string) =>
    new ImapFlow({
      host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass }, logger: false,
      connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000,
    });

  /** Logs in and returns INBOX's messages (subject and text), or the login error. */
  async function inbox(user: string, pass: string): Promise<{ subject: string; text: string }[] | Error> {
    const c = client(user, pass);
    try {
      await c.connect();
    } catch (e) {
      return e as Error;
    }
    try {
      await c.mailboxOpen('INBOX');
      const out: { subject: string; text: string }[] = [];
      if (c.mailbox && c.mailbox.exists > 0) {
        for await (const m of c.fetch('1:*', { envelope: true, source: true })) {
          out.push({ subject: m.envelope?.subject ?? '', text: m.source?.toString('utf8') ?? '' });
        }
      }
      return out;
    } finally {
      await c.logout().catch(() => c.close());
    }
  }

  // A failed login delays the next from the same address (Dovecot's auth penalty, 2 s and more).
  const SLOW = 40_000;
  const refused = (r: unknown) => r instanceof Error && (r as Error & { authenticationFailed?: boolean }).authenticationFailed === true;

  it('a new account logs in at once, by its address in any case', async () => {
    directory.put('user1@example.test', [hashPassword('first secret')]);
    expect(await inbox('user1@example.test', 'first secret')).toEqual([]);
    expect(await inbox('User1@Example.TEST', 'first secret')).toEqual([]);
  }, SLOW);

  it('LMTP delivers to the account (by its alias too) and IMAP reads the message back; unknown recipients are refused', async () => {
    directory.aliases.set('info@example.test', 'user1@example.test');
    const lmtp = mailPaths(dataDir).lmtpSocket;
    const r = await lmtpDeliver(lmtp, 'sender@remote.test', ['user1@example.test', 'nobody@example.test', 'info@example.test'],
      'From: sender@remote.test\nTo: user1@example.test\nSubject: Hello over LMTP\n\nFirst line\n.leading dot\n');
    expect(r.rcpt[0]).toMatch(/^250 /);
    expect(r.rcpt[1]).toMatch(/^550 5\.1\.1 /);
    expect(r.rcpt[2]).toMatch(/^250 /);
    expect(r.data).toHaveLength(2);
    for (const d of r.data) expect(d).toMatch(/^250 2\.0\.0 .*Saved/);
    const got = await inbox('user1@example.test', 'first secret');
    expect(Array.isArray(got) && got.map((m) => m.subject)).toEqual(['Hello over LMTP', 'Hello over LMTP']);
    expect((got as { text: string }[])[0].text).toMatch(/First line\r\n\.leading dot/);
    const maildir = path.join(dataDir, 'mail', 'example.test', 'user1');
    expect(fs.readdirSync(path.join(maildir, 'cur')).length + fs.readdirSync(path.join(maildir, 'new')).length).toBe(2);
  }, SLOW);

  it('a changed password changes the login at once; any usable secret (an app password) works', async () => {
    guard.fails = [];
    directory.put('user1@example.test', [hashPassword('second secret'), hashPassword('app password')]);
    expect(refused(await inbox('user1@example.test', 'first secret'))).toBe(true);
    expect(await inbox('user1@example.test', 'second secret')).toHaveLength(2);
    expect(await inbox('user1@example.test', 'app password')).toHaveLength(2);
    // The failure counted toward blocking the client's address, with the name it tried.
    expect(guard.fails).toEqual([{ ip: '127.0.0.1', user: 'user1@example.test' }]);
  }, SLOW);

  it('a blocked address cannot log in, even with the right password', async () => {
    guard.blocked.add('127.0.0.1');
    try {
      expect(refused(await inbox('user1@example.test', 'second secret'))).toBe(true);
    } finally {
      guard.blocked.clear();
    }
  }, SLOW);

  it('Postfix\'s SASL socket authenticates the same accounts', async () => {
    const sock = mailPaths(dataDir).authClientSocket;
    expect(await saslPlain(sock, 'user1@example.test', 'second secret', { rip: '127.0.0.1', secured: true })).toMatch(/^OK\t1\tuser=user1@example\.test/);
    expect(await saslPlain(sock, 'info@example.test', 'second secret', { rip: '127.0.0.1', secured: true })).toMatch(/^OK\t1\tuser=user1@example\.test/);
    expect(await saslPlain(sock, 'user1@example.test', 'wrong', { rip: '127.0.0.1', secured: true })).toMatch(/^FAIL\t1\t/);
  }, SLOW);

  it('doveadm sees the same: auth test and user lookups', async () => {
    const ok = await run('doveadm', ['-c', config, 'auth', 'test', 'user1@example.test', 'second secret'], { timeout: 15_000 });
    expect(ok.stdout).toMatch(/auth succeeded/);
    const bad = await run('doveadm', ['-c', config, 'auth', 'test', 'user1@example.test', 'nope'], { timeout: 15_000 }).catch((e: { code: number; stdout: string }) => e);
    expect(bad).toMatchObject({ code: 77 });
    const user = await run('doveadm', ['-c', config, 'user', 'info@example.test'], { timeout: 15_000 });
    expect(user.stdout).toContain(`home\t${path.join(dataDir, 'mail', 'example.test', 'user1')}`);
  }, SLOW);

  it('a removed account is refused at once: no login, no delivery', async () => {
    directory.accounts.delete('user1@example.test');
    expect(refused(await inbox('user1@example.test', 'second secret'))).toBe(true);
    const r = await lmtpDeliver(mailPaths(dataDir).lmtpSocket, 'sender@remote.test', ['user1@example.test'], 'Subject: late\n\nx\n');
    expect(r.rcpt[0]).toMatch(/^550 /);
    const unknown = await run('doveadm', ['-c', config, 'user', 'user1@example.test'], { timeout: 15_000 }).catch((e: { code: number }) => e);
    expect(unknown).toMatchObject({ code: 67 });
  }, SLOW);
});
