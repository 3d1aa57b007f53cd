// Quotas on a real Dovecot (issue 12): the limits set over WebAdmin are what Dovecot's quota
// plugin enforces at the next LMTP delivery and IMAP APPEND (through the userdb answer of
// the server's own login bridge), a domain default applies to a user with none, and the
// usage Dovecot counts comes back to the account (quota_clone → mail/quotaUsage.ts) as
// mail arrives and is deleted; RecomputeQuotas recounts it. Skipped only without Dovecot.

import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon } from '../services/daemon';
import { servicePaths, type ServiceSettings } from '../services/driver';
import { dovecotDriver } from '../services/dovecot';
import { quotaUsageSocket } from '../services/dovecotQuota';
import { firstLine, freePort, waitFor } from '../services/testing';
import { create, get } from '../testkit';
import { startWebAdminTest, type WebAdminTest } from '../webadmin/testing';
import { mailPaths } from './daemonAccess';
import { lmtpDeliver } from './testing';

const driver = dovecotDriver({ protocol: 'imap' });
const install = await driver.detect();
const why = install.problem ?? 'Dovecot is not installed (apt-get install dovecot-core dovecot-imapd dovecot-lmtpd)';
const SLOW = 60_000;

/** A message of about `kb` KiB. */
const message = (subject: string, kb: number) =>
  `From: sender@remote.test\nTo: someone@example.test\nSubject: ${subject}\n\n${('x'.repeat(1023) + '\n').repeat(kb)}`;

describe.skipIf(!install.installed)(`quotas on a real Dovecot${install.installed ? '' : ` (skipped: ${why})`}`, () => {
  let t: WebAdminTest;
  let daemon: Daemon;
  let port: number;
  let lmtp: string;

  beforeAll(async () => {
    t = await startWebAdminTest();
    const mail = mailPaths(t.server.dataDir);
    lmtp = mail.lmtpSocket;
    port = await freePort();
    const settings: ServiceSettings = {
      startOnBoot: false, bindAddress: '127.0.0.1', port, securePort: await freePort(),
      maxConnections: 20, memoryLimit: 256 * 1024 * 1024, secureMaxConnections: 5, secureMemoryLimit: 256 * 1024 * 1024,
    };
    const paths = servicePaths(mail.imapDir);
    // The configuration the IMAP service writes: the quota plugin section included.
    const plan = await driver.prepare(settings, paths, install);
    expect(plan.configText).toContain(`quota_clone_dict = proxy:${quotaUsageSocket(t.server.dataDir)}:usage`);
    daemon = await Daemon.spawn(plan);
    await waitFor('Dovecot to greet', async () => (await firstLine(port, { timeoutMs: 1000 })).startsWith('* OK'), 15_000, 100);
    await waitFor('the LMTP socket', async () => fs.existsSync(lmtp), 5000, 50);
    for (const c of ['curl -XPUT http://ip:port/domains/example.test', 'curl -XPUT http://ip:port/domains/other.test']) expect((await t.curl(c)).status).toBe(204);
    for (const u of ['user1@example.test', 'user2@example.test', 'user3@other.test']) {
      expect((await t.call('PUT', `/users/${u}`, { body: '{"password":"quota secret 1"}' })).status).toBe(204);
    }
  }, SLOW);

  afterAll(async () => {
    await daemon?.stop();
    await t?.close();
  });

  const deliver = async (to: string, subject: string, kb: number) => {
    const r = await lmtpDeliver(lmtp, 'sender@remote.test', [to], message(subject, kb));
    return r.rcpt[0].startsWith('250') && r.data[0]?.startsWith('250') ? 'accepted' : `refused: ${r.rcpt[0]} ${r.data[0] ?? ''}`;
  };
  const detail = async (user: string) => (await t.call('GET', `/quota/users/${user}`)).json as {
    computed: { size: number | null; count: number | null };
    occupation: { size: number; count: number; ratio: { size: number; count: number; max: number } };
  };
  const imap = async (user: string) => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: 'quota secret 1' }, logger: false, socketTimeout: 15_000 });
    await c.connect();
    return c;
  };

  it('a 1 MB limit refuses the next delivery and an IMAP APPEND; raising it lets the next one in at once', async () => {
    expect((await t.call('PUT', '/quota/users/user1@example.test/size', { body: String(1024 * 1024) })).status).toBe(204);
    const results: string[] = [];
    for (let i = 1; i <= 4; i++) results.push(await deliver('user1@example.test', `m${i}`, 300));
    expect(results.slice(0, 3)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(results[3]).toMatch(/^refused: .*552 5\.2\.2 .*Quota exceeded/);
    // The usage Dovecot counted is on the account: about 900 KiB of 1 MiB.
    await waitFor('the usage to arrive', async () => (await detail('user1@example.test')).occupation.count === 3, 5000, 50);
    const d = await detail('user1@example.test');
    expect(d.computed.size).toBe(1024 * 1024);
    expect(d.occupation.size).toBeGreaterThan(900 * 1024);
    expect(d.occupation.ratio.size).toBeGreaterThan(0.85);
    expect(d.occupation.ratio.max).toBe(d.occupation.ratio.size);
    const c = await imap('user1@example.test');
    try {
      await expect(c.append('INBOX', message('appended', 300))).rejects.toThrow();
    } finally {
      await c.logout().catch(() => c.close());
    }
    expect((await t.call('PUT', '/quota/users/user1@example.test/size', { body: String(2 * 1024 * 1024) })).status).toBe(204);
    expect(await deliver('user1@example.test', 'm5', 300)).toBe('accepted');
  }, SLOW);

  it('a domain default applies to a user with no limit of its own, and not to one with its own', async () => {
    expect((await t.call('PUT', '/quota/domains/example.test', { body: '{"count":2,"size":null}' })).status).toBe(204);
    expect(await deliver('user2@example.test', 'a', 1)).toBe('accepted');
    expect(await deliver('user2@example.test', 'b', 1)).toBe('accepted');
    expect(await deliver('user2@example.test', 'c', 1)).toMatch(/^refused: .*552 5\.2\.2 /);
    expect(await deliver('user3@other.test', 'x', 1)).toBe('accepted'); // another domain
    // user1 has its own size limit but no count: the domain's count applies to it too.
    expect((await detail('user1@example.test')).computed).toEqual({ count: 2, size: 2 * 1024 * 1024 });
    expect(await deliver('user1@example.test', 'm6', 1)).toMatch(/^refused: .*552 5\.2\.2 /);
    expect((await t.call('PUT', '/quota/users/user1@example.test/count', { body: '-1' })).status).toBe(204);
    expect(await deliver('user1@example.test', 'm6', 1)).toBe('accepted');
  }, SLOW);

  it('usage follows deletes', async () => {
    const before = await detail('user2@example.test');
    expect(before.occupation.count).toBe(2);
    const c = await imap('user2@example.test');
    try {
      await c.mailboxOpen('INBOX');
      await c.messageDelete('1:*');
    } finally {
      await c.logout().catch(() => c.close());
    }
    await waitFor('the usage to drop', async () => (await detail('user2@example.test')).occupation.count === 0, 12_000, 100);
    expect((await detail('user2@example.test')).occupation.size).toBe(0);
    expect(await deliver('user2@example.test', 'again', 1)).toBe('accepted');
  }, SLOW);

  it('a changed limit ends the open IMAP sessions of the mailboxes it applies to, whose quota Dovecot fixed at login', async () => {
    const c = await imap('user3@other.test');
    const closed = new Promise<number>((resolve) => c.once('close', () => resolve(Date.now())));
    await c.mailboxOpen('INBOX');
    const start = Date.now();
    expect((await t.call('PUT', '/quota/domains/other.test/size', { body: '5000000' })).status).toBe(204);
    const at = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    expect(at).toBeGreaterThan(0);
    expect(at - start).toBeLessThan(2000);
    c.close();
    // Logged in again, the session has the new limit (GETQUOTAROOT through imap_quota).
    const again = await imap('user3@other.test');
    try {
      const q = await again.getQuota('INBOX');
      expect(q && q.storage?.limit).toBe(Math.ceil(5000000 / 1024) * 1024);
    } finally {
      await again.logout().catch(() => again.close());
    }
  }, SLOW);

  it('RecomputeQuotas recounts the usage from the mail store', async () => {
    const [account] = (await get(t.server, 'x:Account', null, { properties: ['emailAddress'] })).list.filter((a) => a.emailAddress === 'user1@example.test');
    // Drift: the stored usage no longer matches the mail (as after a lost update).
    const { recordUsage } = await import('./quotaUsage');
    recordUsage(t.server.store, 'user1@example.test', { bytes: 1, messages: 99 });
    expect((await detail('user1@example.test')).occupation.count).toBe(99);
    const task = await create(t.server, 'x:Task', { '@type': 'RecomputeQuotas', accountId: account.id });
    await waitFor('the task to complete', async () => {
      const [rec] = (await get(t.server, 'x:Task', [task])).list;
      return (rec?.status as { '@type': string } | undefined)?.['@type'] === 'Completed';
    }, 20_000, 100);
    const d = await detail('user1@example.test');
    expect(d.occupation.count).toBe(5);
    expect(d.occupation.size).toBeGreaterThan(1200 * 1024);
  }, SLOW);
});
