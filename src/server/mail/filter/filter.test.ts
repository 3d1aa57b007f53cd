// The content filter for real: a private Postfix (the driver's files, content_filter on), a
// private Dovecot delivering over LMTP, and the filter between them. Mail from a domain
// with a matching DLP rule lands in quarantine and not in the mailbox; other mail is
// delivered; a list member with no mailbox (the server's own directory over the store) lands in address-error; once the rule is
// removed, ReprocessRepositoryMails delivers the quarantined mail.
// Skipped only when not root or Postfix/Dovecot is not installed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemSet } from '../../bootstrap';
import { Daemon } from '../../services/daemon';
import { servicePaths, type ServiceSettings } from '../../services/driver';
import { postfixDriver, type PostfixDriver } from '../../services/postfix';
import { firstLine, freePort, waitFor } from '../../services/testing';
import { openDatabase } from '../../store/db';
import { Store } from '../../store/records';
import { reprocessRepositoryMailsKind } from '../../tasks/repositories';
import { doveadm } from '../doveadm';
import { liveDovecotMissing, startLiveDovecot, type LiveDovecot } from '../dovecotTesting';
import { TestDirectory } from '../testing';
import { mailDirectory, type MailDirectory } from '../directory';
import { startContentFilter, type ContentFilter } from './server';
import { MAIL, mailMessage, repositoryFor } from './repositoryStore';

const postfixInstall = await postfixDriver({ store: null, directory: new TestDirectory() }).detect();
const skip = postfixInstall.installed ? await liveDovecotMissing() : (postfixInstall.problem ?? 'Postfix is not installed');

describe.skipIf(!!skip)(`content filter between Postfix and Dovecot ${skip ? `— skipped: ${skip}` : 'for real'}`, () => {
  let dataDir: string;
  let store: Store;
  let driver: PostfixDriver;
  let daemon: Daemon;
  let dovecot: LiveDovecot;
  let filter: ContentFilter;
  let port: number;
  let domainId: string;
  let directory: MailDirectory;

  const send = (from: string, to: string, subject: string, text: string) =>
    nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, name: 'client.test', ignoreTLS: true, connectionTimeout: 5000 })
      .sendMail({ from, to, subject, text });
  const inbox = async () => {
    const { stdout } = await doveadm(dataDir, ['-f', 'flow', 'fetch', '-u', 'user1@example.test', 'hdr.subject', 'mailbox', 'INBOX', 'ALL']);
    return stdout;
  };
  const mailsIn = (purpose: 'quarantine' | 'addressError' | 'error') => {
    const repo = repositoryFor(store, purpose);
    return [...store.all(MAIL)].filter(([, d]) => d.repositoryId === repo);
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-filter-'));
    fs.chmodSync(dataDir, 0o755);
    store = new Store(openDatabase(dataDir));
    domainId = (systemSet(store, 'x:Domain', { create: { d: { name: 'example.test' } } }).created as Record<string, { id: string }>).d.id;
    // user1 has a mailbox; the list team goes to user1 and to ghost, who has none.
    systemSet(store, 'x:Account', { create: { u: { '@type': 'User', name: 'user1', domainId } } });
    systemSet(store, 'x:MailingList', { create: { l: { name: 'team', domainId, recipients: { 'user1@example.test': true, 'ghost@example.test': true } } } });
    directory = mailDirectory(store);
    systemSet(store, 'x:DlpRule', { create: { r: { domainId, ruleId: 'secret', expression: 'confid[e]ntial', explanation: 'secret documents', targetsContent: true } } });
    dovecot = await startLiveDovecot(directory, { dataDir });
    filter = await startContentFilter({ store, dataDir, directory });
    driver = postfixDriver({ store, directory, contentFilter: true });
    const paths = servicePaths(path.join(dataDir, 'services', 'smtp'), driver.files);
    port = await freePort();
    const settings: ServiceSettings = {
      startOnBoot: false, bindAddress: '127.0.0.1', port, securePort: await freePort(),
      maxConnections: 10, memoryLimit: 64 * 1024 * 1024, secureMaxConnections: 5, secureMemoryLimit: 64 * 1024 * 1024,
    };
    daemon = await Daemon.spawn(await driver.prepare(settings, paths, await driver.detect()));
    await waitFor('Postfix to greet', async () => (await firstLine(port, { timeoutMs: 1000 })).startsWith('220'), 20_000, 200);
  }, 90_000);

  afterAll(async () => {
    await daemon?.stop();
    await driver?.close();
    await filter?.close();
    await dovecot?.close();
    store?.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers mail that matches no rule to the mailbox', async () => {
    await send('boss@example.test', 'user1@example.test', 'harmless note', 'nothing to see');
    await waitFor('delivery', async () => (await inbox()).includes('harmless note'), 20_000, 200);
    expect(mailsIn('quarantine')).toEqual([]);
  }, 30_000);

  it('sets mail matching a DLP rule of the sender domain aside in quarantine, not in the mailbox', async () => {
    await send('boss@example.test', 'user1@example.test', 'quarterly', 'this is confidential');
    const [[, mail]] = await waitFor('quarantine', async () => (mailsIn('quarantine').length ? mailsIn('quarantine') : null), 20_000, 200);
    expect(mail).toMatchObject({ sender: 'boss@example.test', recipients: { 'user1@example.test': true }, state: 'dlp', subject: 'quarterly', remoteAddr: '127.0.0.1', remoteHost: 'client.test' });
    expect(mail.error).toBe('DLP rule "secret" of example.test matched the content: secret documents');
    expect(mail.textBody).toContain('this is confidential');
    expect(mailMessage(store, mail)!.toString()).toContain('Subject: quarterly');
    // Mail from another domain is not checked by example.test's rules.
    await send('someone@elsewhere.test', 'user1@example.test', 'outside', 'confidential too');
    await waitFor('delivery', async () => (await inbox()).includes('outside'), 20_000, 200);
    expect(await inbox()).not.toContain('quarterly');
    expect(mailsIn('quarantine')).toHaveLength(1);
  }, 40_000);

  it('sets a recipient without a mailbox aside in address-error and delivers to the others', async () => {
    await send('someone@elsewhere.test', 'team@example.test', 'to the team', 'hello');
    await waitFor('delivery', async () => (await inbox()).includes('to the team'), 20_000, 200);
    const [[, mail]] = await waitFor('address-error', async () => (mailsIn('addressError').length ? mailsIn('addressError') : null), 20_000, 200);
    expect(mail).toMatchObject({ recipients: { 'ghost@example.test': true }, state: 'address-error', error: 'No mailbox has the address ghost@example.test' });
  }, 30_000);

  const run = (input: Record<string, unknown>) => {
    const info: Record<string, unknown> = {};
    return reprocessRepositoryMailsKind.run({
      id: 't', input, signal: new AbortController().signal, progress: () => {}, info: (f) => Object.assign(info, f), store, dataDir, log: () => {},
    }).then(() => info);
  };

  it('reprocessing to the transport state hands a quarantined mail straight to Postfix, past the rules', async () => {
    await send('boss@example.test', 'user1@example.test', 'released', 'confidential but approved');
    const [mailId] = await waitFor('quarantine', async () => mailsIn('quarantine').find(([, d]) => d.subject === 'released'), 20_000, 200);
    const info = await run({ repositoryId: repositoryFor(store, 'quarantine'), mailIds: { [mailId]: true }, targetQueue: 'spool', targetState: 'transport' });
    expect(info).toMatchObject({ successfullyReprocessMailCount: 1, failedReprocessedMailCount: 0, targetProcessor: 'transport' });
    await waitFor('delivery after reprocessing', async () => (await inbox()).includes('released'), 20_000, 200);
    expect(store.get(MAIL, mailId)).toBeNull();
  }, 40_000);

  it('delivers the quarantined mail once the rule is removed and it is reprocessed', async () => {
    const [[mailId]] = mailsIn('quarantine');
    // With the rule still there, it is quarantined again (as a new mail).
    const again = await run({ repositoryId: repositoryFor(store, 'quarantine'), mailIds: {}, targetQueue: null, targetState: null });
    expect(again).toMatchObject({ successfullyReprocessMailCount: 1, failedReprocessedMailCount: 0 });
    expect(store.get(MAIL, mailId)).toBeNull();
    const [[requarantined]] = mailsIn('quarantine');
    const rules = [...store.all('x:DlpRule')].map(([id]) => id);
    expect(systemSet(store, 'x:DlpRule', { destroy: rules })).toMatchObject({ destroyed: rules, notDestroyed: null });
    const info = await run({ repositoryId: repositoryFor(store, 'quarantine'), mailIds: { [requarantined]: true }, targetQueue: null, targetState: null });
    expect(info).toMatchObject({ successfullyReprocessMailCount: 1, remainingCount: 0 });
    await waitFor('delivery after reprocessing', async () => (await inbox()).includes('quarterly'), 20_000, 200);
    expect(mailsIn('quarantine')).toEqual([]);
    expect(Number(store.get('x:MailRepository', repositoryFor(store, 'quarantine'))!.size)).toBe(0);
  }, 40_000);
});
