// The dict proxy protocol as Dovecot's quota_clone speaks it (mail/quotaUsage.ts): both
// protocol versions (the user in the hello, 2.3 before 2.3.17; per transaction, after),
// the replies the client waits for, escaping, and broken input closing the connection.
// The real Dovecot round trip is in quota.test.ts.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import { missingQuotaModules, quotaConfig, quotaUsageSocket } from '../services/dovecotQuota';
import { pluginContext } from '../services/dovecotPlugins';
import { servicePaths } from '../services/driver';
import { dictCommand, MAX_OPEN_TRANSACTIONS, recordUsage, reportUsage, startQuotaUsage, unescapeDict, usageReports, type Usage } from './quotaUsage';
import { mailPaths } from './daemonAccess';

const session = () => {
  const conn = { user: null as string | null, transactions: new Map<string, Usage>(), users: new Map<string, string>() };
  const commits: [string, Usage][] = [];
  const send = (line: string) => dictCommand(conn, line, (user, usage) => commits.push([user, usage]));
  return { send, commits };
};

describe('the usage dict', () => {
  it('protocol 3: the user comes with BEGIN; COMMIT answers O<id> after storing both values', () => {
    const { send, commits } = session();
    expect(send('H3\t2\t0\t\tusage')).toBeNull();
    expect(send('B1\talice@example.test')).toBeNull();
    expect(send('S1\tpriv/quota/storage\t12345')).toBeNull();
    expect(send('S1\tpriv/quota/messages\t7')).toBeNull();
    expect(commits).toEqual([]);
    expect(send('C1')).toBe('O1');
    expect(commits).toEqual([['alice@example.test', { bytes: 12345, messages: 7 }]]);
  });

  it('protocol 2: the user comes with HELLO; async commit, rollback, lookups and iterations', () => {
    const { send, commits } = session();
    send('H2\t2\t0\tbob@example.test\tusage');
    send('B4');
    send('S4\tpriv/quota/messages\t3');
    expect(send('D4')).toBe('AO4');
    send('B5');
    send('S5\tpriv/quota/messages\t9');
    expect(send('R5')).toBeNull();
    expect(send('Lpriv/quota/storage')).toBe('N');
    expect(send('I0\t0\tpriv/quota/')).toBe('');
    expect(commits).toEqual([['bob@example.test', { messages: 3 }]]);
  });

  it('refuses what it does not understand', () => {
    const { send } = session();
    expect(send('H9\t0\t0\tx\tusage')).toBe('close');
    expect(send('S7\tpriv/quota/storage\t1')).toBe('close'); // no such transaction
    send('B8');
    expect(send('S8\tpriv/quota/storage\tlots')).toBe('close');
    expect(send('Zwhat')).toBe('close');
  });

  it('bounds what one connection holds: transactions begun and never ended, overlong user names', () => {
    const { send } = session();
    send('H3\t2\t0\t\tusage');
    for (let i = 1; i <= MAX_OPEN_TRANSACTIONS; i++) expect(send(`B${i}\tu@example.test`)).toBeNull();
    expect(send(`B${MAX_OPEN_TRANSACTIONS + 1}\tu@example.test`)).toBe('close');
    // Ending one makes room again.
    expect(send('R1')).toBeNull();
    expect(send(`B${MAX_OPEN_TRANSACTIONS + 1}\tu@example.test`)).toBeNull();
    expect(send(`B0\t${'x'.repeat(2000)}`)).toBe('close');
    expect(session().send(`H2\t2\t0\t${'x'.repeat(2000)}\tusage`)).toBe('close');
  });

  it('unescapes Dovecot tab escapes', () => {
    expect(unescapeDict('a\x01tb\x01nc\x011d\x010')).toBe('a\tb\nc\x01d\0');
    expect(unescapeDict('plain')).toBe('plain');
  });
});

describe('usage reports', () => {
  it('are counted per user, whatever the case, so a recount can tell a newer report came in; a recount itself is not one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-usage-'));
    const db = openDatabase(dir);
    try {
      const store = new Store(db);
      expect(usageReports(store, 'Someone@example.test')).toBe(0);
      expect(reportUsage(store, 'someone@example.test', { bytes: 10 })).toBe(false); // no such account: counted anyway
      expect(usageReports(store, 'SOMEONE@example.test')).toBe(1);
      recordUsage(store, 'someone@example.test', { bytes: 20 });
      expect(usageReports(store, 'someone@example.test')).toBe(1);
      expect(usageReports(store, 'other@example.test')).toBe(0);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the usage socket', () => {
  it('only its owner may connect; a client that never reads its replies stops being read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-usage-'));
    const db = openDatabase(dir);
    const served = await startQuotaUsage(dir, new Store(db), () => {});
    const client = net.connect(served.socketPath);
    try {
      expect(fs.statSync(served.socketPath).mode & 0o777).toBe(0o600);
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
      client.pause(); // reads nothing: every lookup's reply stays with the server
      const chunk = 'Lpriv/quota/storage\n'.repeat(50_000); // 1 MB of lookups
      for (let i = 0; i < 8; i++) client.write(chunk);
      await new Promise((r) => setTimeout(r, 500));
      // The server stopped reading once its queue of replies was full: most of the 8 MB is still here.
      expect(client.writableLength).toBeGreaterThan(4 * 1024 * 1024);
    } finally {
      client.destroy();
      await served.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the quota plugin section', () => {
  it('enables quota, quota_clone to the usage socket, imap_quota and the RCPT check; IMAP instance only', () => {
    const dataDir = '/srv/postern';
    const paths = servicePaths(mailPaths(dataDir).imapDir);
    const s = quotaConfig(pluginContext('imap', paths, { unprivilegedUser: null }), true);
    expect(s.mailPlugins).toEqual(['quota', 'quota_clone']);
    expect(s.imapPlugins).toEqual(['imap_quota']);
    const text = s.lines.join('\n');
    expect(text).toContain('quota = count:User quota');
    expect(text).toContain('quota_vsizes = yes');
    expect(text).toContain(`quota_clone_dict = proxy:${quotaUsageSocket(dataDir)}:usage`);
    expect(text).toContain('lmtp_rcpt_check_quota = yes');
    expect(text).not.toMatch(/quota_rule/); // the limits are the userdb's
    expect(quotaConfig(pluginContext('pop3', paths, { unprivilegedUser: null }), true).lines).toEqual([]);
    expect(() => quotaConfig(pluginContext('imap', servicePaths(mailPaths('/srv/a:b').imapDir), { unprivilegedUser: null }), true)).toThrow(/':'/);
  });

  it('is empty when a quota module is not installed, and names the missing modules', () => {
    const paths = servicePaths(mailPaths('/srv/postern').imapDir);
    expect(quotaConfig(pluginContext('imap', paths, { unprivilegedUser: null }), false)).toEqual({ mailPlugins: [], lines: [] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-quota-modules-'));
    try {
      expect(missingQuotaModules([dir])).toEqual(['lib10_quota_plugin.so', 'lib20_quota_clone_plugin.so', 'lib11_imap_quota_plugin.so']);
      fs.writeFileSync(path.join(dir, 'lib10_quota_plugin.so'), '');
      fs.writeFileSync(path.join(dir, 'lib11_imap_quota_plugin.so'), '');
      expect(missingQuotaModules([dir])).toEqual(['lib20_quota_clone_plugin.so']);
      fs.writeFileSync(path.join(dir, 'lib20_quota_clone_plugin.so'), '');
      expect(missingQuotaModules([dir])).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
