// The content filter's decisions on one message, on a real store, with an SMTP server on a
// UNIX socket standing in for Postfix's reinjection smtpd (it refuses or defers chosen
// recipients): each outcome's answers per recipient and the repository it lands in.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemSet } from '../../bootstrap';
import { openDatabase } from '../../store/db';
import { Store } from '../../store/records';
import { mailDirectory } from '../directory';
import { RE2JS } from 're2js';
import { DlpRules, expressionProblem, firstMatch } from './dlp';
import { processMail, type FilterDeps } from './process';
import { ensureBuiltInRepositories, MAIL, repositoryFor } from './repositoryStore';

let dir: string;
let store: Store;
let deps: FilterDeps;
let domainId: string;
const received: { to: string[]; body: string }[] = [];
let server: SMTPServer;

const env = (recipients: string[], sender = 'boss@example.test') => ({ sender, recipients, remoteAddr: '192.0.2.7', remoteHost: 'client.test' });
const msg = (subject: string, body: string, extra = '') => Buffer.from(`From: Boss <boss@example.test>\r\nTo: user1@example.test\r\n${extra}Subject: ${subject}\r\n\r\n${body}\r\n`);
const parked = (purpose: 'quarantine' | 'addressError' | 'error') => [...store.all(MAIL)].filter(([, d]) => d.repositoryId === repositoryFor(store, purpose)).map(([, d]) => d);
const rule = (value: Record<string, unknown>) => systemSet(store, 'x:DlpRule', { create: { r: { domainId, ...value } } });
const clearRules = () => systemSet(store, 'x:DlpRule', { destroy: [...store.all('x:DlpRule')].map(([id]) => id) });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-process-'));
  store = new Store(openDatabase(dir));
  domainId = (systemSet(store, 'x:Domain', { create: { d: { name: 'example.test' } } }).created as Record<string, { id: string }>).d.id;
  for (const name of ['user1', 'refused', 'later']) systemSet(store, 'x:Account', { create: { u: { '@type': 'User', name, domainId } } });
  ensureBuiltInRepositories(store);
  const socket = path.join(dir, 'reinject.sock');
  server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true,
    onRcptTo(address, _s, cb) {
      if (address.address.startsWith('refused@')) return cb(Object.assign(new Error('5.7.1 not here'), { responseCode: 550 }));
      if (address.address.startsWith('later@')) return cb(Object.assign(new Error('4.2.0 busy'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(socket, () => r()));
  deps = { store, directory: mailDirectory(store), rules: new DlpRules(store), reinjectSocket: socket, log: () => {} };
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the content filter on one message', () => {
  it('passes a clean mail on to Postfix and answers 250 per recipient', async () => {
    const answers = await processMail(deps, env(['user1@example.test', 'someone@remote.test']), msg('hello', 'nothing here'));
    expect(answers.map((a) => a.code)).toEqual([250, 250]);
    expect(received.at(-1)).toMatchObject({ to: ['user1@example.test', 'someone@remote.test'], body: expect.stringContaining('Subject: hello') });
  });

  it('quarantines on a DLP match of the sender, the recipients (To/Cc headers) or the content (HTML too)', async () => {
    const before = received.length;
    rule({ ruleId: 'who', expression: '^boss@', targetsSender: true });
    let answers = await processMail(deps, env(['user1@example.test']), msg('s1', 'x'));
    expect(answers).toEqual([{ code: 250, text: expect.stringMatching(/set aside in quarantine/) }]);
    clearRules();
    rule({ ruleId: 'cc', expression: 'auditor@', targetsRecipients: true });
    await processMail(deps, env(['user1@example.test']), msg('s2', 'x', 'Cc: auditor@remote.test\r\n'));
    clearRules();
    rule({ ruleId: 'html', expression: 'top\\s+secret', targetsContent: true, explanation: 'classified' });
    await processMail(deps, env(['user1@example.test']), Buffer.from('From: boss@example.test\r\nSubject: s3\r\nContent-Type: text/html\r\n\r\n<b>top   secret</b>\r\n'));
    // The domain's aliases are the domain.
    systemSet(store, 'x:Domain', { update: { [domainId]: { aliases: { 'alias.test': true } } } });
    await processMail(deps, env(['user1@example.test'], 'boss@alias.test'), msg('s3b', 'top secret'));
    // A rule of example.test does not apply to mail from another domain.
    answers = await processMail(deps, env(['user1@example.test'], 'x@remote.test'), msg('s4', 'top secret'));
    expect(answers[0].text).toMatch(/passed the content filter/);
    clearRules();
    expect(parked('quarantine').map((m) => [m.subject, m.error])).toEqual([
      ['s1', 'DLP rule "who" of example.test matched the sender'],
      ['s2', 'DLP rule "cc" of example.test matched the recipients'],
      ['s3', 'DLP rule "html" of example.test matched the content: classified'],
      ['s3b', 'DLP rule "html" of example.test matched the content: classified'],
    ]);
    expect(received.length).toBe(before + 1);
  });

  it('sets a local address without a mailbox, and a recipient Postfix refuses, aside in address-error', async () => {
    const answers = await processMail(deps, env(['ghost@example.test', 'refused@example.test', 'user1@example.test']), msg('mixed', 'x'));
    expect(answers.map((a) => a.code)).toEqual([250, 250, 250]);
    expect(received.at(-1)!.to).toEqual(['user1@example.test']);
    expect(parked('addressError').map((m) => [Object.keys(m.recipients as object), m.error])).toEqual([
      [['ghost@example.test'], 'No mailbox has the address ghost@example.test'],
      [['refused@example.test'], 'Postfix refused the recipient permanently: refused@example.test: 550 5.7.1 not here'],
    ]);
  });

  it('answers 451 for a recipient Postfix defers, and for all when Postfix cannot be reached; nothing is parked', async () => {
    const count = [...store.all(MAIL)].length;
    const answers = await processMail(deps, env(['later@example.test', 'user1@example.test']), msg('defer', 'x'));
    expect(answers.map((a) => a.code)).toEqual([451, 250]);
    const gone = await processMail({ ...deps, reinjectSocket: path.join(dir, 'nothing.sock') }, env(['user1@example.test']), msg('down', 'x'));
    expect(gone).toEqual([{ code: 451, text: expect.stringMatching(/cannot be reached/) }]);
    expect([...store.all(MAIL)].length).toBe(count);
  });

  it('a processing error sets the mail aside in error with the reason (250); when even that fails, 451', async () => {
    const broken = { ...deps, rules: { any: () => true, forDomain: () => { throw new Error('rule store unreadable'); } } as unknown as DlpRules };
    const answers = await processMail(broken, env(['user1@example.test']), msg('oops', 'x'));
    expect(answers[0]).toMatchObject({ code: 250, text: expect.stringMatching(/set aside in error/) });
    expect(parked('error').map((m) => [m.subject, m.error, m.state, m.remoteAddr])).toEqual([['oops', 'processing failed: rule store unreadable', 'error', '192.0.2.7']]);
    const closed = new Store(openDatabase(path.join(dir, 'closed')));
    closed.db.close();
    const lost = await processMail({ ...broken, store: closed }, env(['user1@example.test']), msg('kept', 'x'));
    expect(lost).toEqual([{ code: 451, text: '4.3.0 content filter failure, try again later' }]);
  });

  it('a mail set aside is committed with synchronous=FULL before the 250 (the store otherwise runs NORMAL: a power cut could lose it)', async () => {
    const seen: unknown[] = [];
    const transaction = store.transaction.bind(store);
    store.transaction = <T,>(fn: () => T): T => transaction(() => {
      seen.push(store.db.pragma('synchronous', { simple: true }));
      return fn();
    });
    try {
      const answers = await processMail(deps, env(['ghost@example.test']), msg('durable', 'x'));
      expect(answers[0]).toMatchObject({ code: 250, text: expect.stringMatching(/address-error/) });
    } finally {
      store.transaction = transaction;
    }
    expect(seen).toEqual([2]); // FULL: the WAL is synced at that commit
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL again for everything else
  });

  it('expressions are RE2: a pathological pattern runs in linear time, backreferences and lookarounds are refused', () => {
    expect(expressionProblem('(a+)+$')).toBeNull();
    const pattern = RE2JS.compile('(a+)+$');
    const start = Date.now();
    expect(firstMatch([{ ruleId: 'x', expression: '(a+)+$', explanation: null, targetsSender: false, targetsRecipients: false, targetsContent: true, pattern }], { sender: [], recipients: [], content: [`${'a'.repeat(100_000)}!`] })).toBeNull();
    expect(Date.now() - start).toBeLessThan(2000);
    expect(expressionProblem('(a)\\1')).toMatch(/not a valid regular expression/);
    expect(expressionProblem('(?=a)')).toMatch(/not a valid regular expression/);
  });
});
