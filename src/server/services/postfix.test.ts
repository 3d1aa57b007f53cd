// The SMTP service's Postfix, for real: the driver prepares a private instance on free
// ports, with an in-memory directory behind the socketmap and an LMTP sink standing in for
// Dovecot on the contract's socket. A real client (nodemailer) speaks SMTP to 127.0.0.1:
// local recipients are accepted and delivered over LMTP, unknown ones refused with 550,
// remote mail stays deferred with no connection attempt, and once a relay route is stored
// the held mail reaches a relay sink this test runs on 127.0.0.1.
// Skipped only when not root or Postfix is not installed (.ci/run installs it).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupDirectory } from '../mail/socketmap';
import { mailSink, type MailSink } from '../mail/testing';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import { Daemon } from './daemon';
import { servicePaths, type ServiceSettings } from './driver';
import { mailSockets, postfixDriver, type PostfixDriver } from './postfix';
import { postfixPaths, RELAY_TYPE } from './postfixConfig';
import { firstLine, freePort, waitFor } from './testing';

const run = promisify(execFile);

const install = await postfixDriver({ store: null, directory: { isLocalDomain: () => false, mailbox: () => null, aliasTargets: () => null, login: () => null } }).detect();
const skipReason = install.installed ? null : (install.problem ?? 'Postfix is not installed (apt-get install postfix)');

/** The directory behind the socketmap: example.test with user1, user2 and team → both. */
const directory: LookupDirectory = {
  isLocalDomain: (d) => d === 'example.test',
  mailbox: (a) => (['user1@example.test', 'user2@example.test'].includes(a) ? a : null),
  aliasTargets: (k) => {
    if (k === 'team@example.test') return ['user1@example.test', 'user2@example.test'];
    if (k === 'user1@example.test' || k === 'user2@example.test') return [k];
    return null;
  },
  login: (a) => (['user1@example.test', 'user2@example.test'].includes(a) ? { address: a } : null),
};

/**
 * A stand-in for Dovecot's auth client socket (helper of the real one: src/server/mail/authSocket.ts
 * with Dovecot): the auth client protocol's handshake and PLAIN, for one account.
 */
async function authStandIn(socketPath: string, user: string, password: string) {
  const server = net.createServer((socket) => {
    socket.write(`VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nSPID\t${process.pid}\nCUID\t1\nCOOKIE\t${'0'.repeat(32)}\nDONE\n`);
    let buf = '';
    const check = (id: string, resp: string) => {
      const [, u, p] = Buffer.from(resp, 'base64').toString('utf8').split('\0');
      socket.write(u === user && p === password ? `OK\t${id}\tuser=${u}\n` : `FAIL\t${id}\tuser=${u}\n`);
    };
    socket.on('data', (d) => {
      buf += d.toString('utf8');
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [cmd, id, ...args] = buf.slice(0, nl).split('\t');
        buf = buf.slice(nl + 1);
        const resp = args.find((a) => a.startsWith('resp='));
        if (cmd === 'AUTH' && resp) check(id, resp.slice(5));
        else if (cmd === 'AUTH') socket.write(`CONT\t${id}\t\n`);
        else if (cmd === 'CONT') check(id, args[0] ?? '');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(socketPath, () => r()));
  fs.chmodSync(socketPath, 0o666);
  return { close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface QueueEntry { queue_name: string; queue_id: string; recipients: { address: string; delay_reason?: string }[] }

describe.skipIf(!!skipReason)(`SMTP service (Postfix) ${skipReason ? `— skipped: ${skipReason}` : 'for real'}`, () => {
  let dataDir: string;
  let store: Store;
  let driver: PostfixDriver;
  let daemon: Daemon;
  let settings: ServiceSettings;
  let lmtp: MailSink;
  let auth: Awaited<ReturnType<typeof authStandIn>>;
  let etc: string;

  const mailer = (port: number, login?: { user: string; pass: string }) => nodemailer.createTransport({
    host: '127.0.0.1', port, secure: false, name: 'client.test', tls: { rejectUnauthorized: false }, auth: login,
    connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10_000,
  });
  const send = (to: string, subject: string, port = settings.port) =>
    mailer(port).sendMail({ from: 'sender@client.test', to, subject, text: `body of ${subject}` });

  const queue = async (): Promise<QueueEntry[]> => {
    const { stdout } = await run('/usr/sbin/postqueue', ['-c', etc, '-j'], { timeout: 10_000 });
    return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as QueueEntry);
  };
  const maillog = () => fs.readFileSync(path.join(dataDir, 'services', 'smtp', 'maillog'), 'utf8');

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-postfix-'));
    fs.chmodSync(dataDir, 0o755); // the postfix user reaches the sockets in it
    store = new Store(openDatabase(dataDir));
    driver = postfixDriver({ store, directory });
    const paths = servicePaths(path.join(dataDir, 'services', 'smtp'), driver.files);
    etc = postfixPaths(paths.dir).config;
    const lmtpSocket = mailSockets(paths.dir).lmtpSocket;
    fs.mkdirSync(path.dirname(lmtpSocket), { recursive: true, mode: 0o755 });
    lmtp = await mailSink({ socket: lmtpSocket }, { lmtp: true });
    auth = await authStandIn(mailSockets(paths.dir).authSocket, 'user1@example.test', 'secret-1');
    settings = {
      startOnBoot: false, bindAddress: '127.0.0.1', port: await freePort(), securePort: await freePort(),
      maxConnections: 10, memoryLimit: 64 * 1024 * 1024, secureMaxConnections: 5, secureMemoryLimit: 64 * 1024 * 1024,
      maxMessageSize: 2_000_000,
    };
    const plan = await driver.prepare(settings, paths, await driver.detect());
    daemon = await Daemon.spawn(plan);
    await waitFor('Postfix to greet', async () => (await firstLine(settings.port, { timeoutMs: 1000 })).startsWith('220'), 20_000, 200);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await driver?.close();
    await lmtp?.close();
    await auth?.close();
    store?.db.close();
  });

  it('greets with 220 on the SMTP and the submission port', async () => {
    expect(await firstLine(settings.port)).toMatch(/^220 \S+ ESMTP/);
    expect(await firstLine(settings.securePort)).toMatch(/^220 /);
  });

  it('accepts mail for a local mailbox and a list, and delivers it over LMTP', async () => {
    const one = await send('user1@example.test', 'to user1');
    expect(one.accepted).toEqual(['user1@example.test']);
    const team = await send('team@example.test', 'to team');
    expect(team.accepted).toEqual(['team@example.test']);
    await waitFor('LMTP deliveries', async () => lmtp.received.length >= 2 && lmtp.received.flatMap((r) => r.to).length >= 3, 20_000, 200);
    const to = lmtp.received.flatMap((r) => r.to).sort();
    expect(to).toEqual(['user1@example.test', 'user1@example.test', 'user2@example.test']);
    expect(lmtp.received.some((r) => r.body.includes('body of to team'))).toBe(true);
  }, 30_000);

  it('refuses an unknown local recipient with 550', async () => {
    const err = await send('nobody@example.test', 'unknown').then(() => null, (e: { responseCode?: number; response?: string }) => e);
    expect(err?.responseCode).toBe(550);
    expect(err?.response).toMatch(/nobody@example\.test/);
  });

  it('refuses a message over the size limit', async () => {
    const err = await mailer(settings.port)
      .sendMail({ from: 'a@client.test', to: 'user1@example.test', text: 'x'.repeat(2_100_000) })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(552);
  }, 30_000);

  it('requires authentication on the submission port', async () => {
    const err = await send('someone@remote.test', 'unauthenticated', settings.securePort).then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(554);
    const bad = await mailer(settings.securePort, { user: 'user1@example.test', pass: 'wrong' })
      .sendMail({ from: 'user1@example.test', to: 'someone@remote.test', text: 'x' })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(bad?.responseCode).toBe(535);
    expect(await queue()).toEqual([]);
  });

  it('takes mail for anywhere from an authenticated account on the submission port (after STARTTLS)', async () => {
    const r = await mailer(settings.securePort, { user: 'user1@example.test', pass: 'secret-1' })
      .sendMail({ from: 'user1@example.test', to: 'friend@remote.test', subject: 'submitted', text: 'hello' });
    expect(r.accepted).toEqual(['friend@remote.test']);
    expect(maillog()).toMatch(/sasl_method=PLAIN, sasl_username=user1@example\.test/);
  });

  it("refuses an authenticated account sending as someone else's address", async () => {
    const err = await mailer(settings.securePort, { user: 'user1@example.test', pass: 'secret-1' })
      .sendMail({ from: 'user2@example.test', to: 'friend@remote.test', subject: 'forged', text: 'hello' })
      .then(() => null, (e: { responseCode?: number; response?: string }) => e);
    expect(err?.responseCode).toBe(553);
    expect(err?.response).toMatch(/not owned by user user1@example\.test/);
  });

  it('holds remote mail in the queue, deferred, without connecting anywhere', async () => {
    const r = await send('someone@remote.test', 'held');
    expect(r.accepted).toEqual(['someone@remote.test']);
    const held = await waitFor('the message to be deferred', async () => {
      const q = await queue();
      return q.find((e) => e.queue_name === 'deferred' && e.recipients.some((x) => x.address === 'someone@remote.test'));
    }, 20_000, 250);
    expect(held.recipients[0].delay_reason).toMatch(/deferred transport/);
    expect(maillog()).not.toMatch(/postern-smtp\/smtp\[\d+\]: .*connect to/);
  }, 30_000);

  it('sends held and new remote mail to the relay once a route is stored', async () => {
    const relayPort = await freePort();
    const relay = await mailSink({ port: relayPort });
    try {
      store.transaction(() => store.insert(RELAY_TYPE, 'r1', {
        '@type': 'Relay', name: 'test-relay', address: '127.0.0.1', port: relayPort,
        protocol: 'smtp', implicitTls: false, allowInvalidCerts: true, authUsername: null, authSecret: { '@type': 'None' },
      }, []));
      store.flushChanges();
      await waitFor('the held message at the relay', async () => relay.received.some((m) => m.to.includes('someone@remote.test')), 30_000, 250);
      await send('other@remote.test', 'relayed');
      await waitFor('the new message at the relay', async () => relay.received.some((m) => m.to.includes('other@remote.test')), 30_000, 250);
      expect(await waitFor('an empty queue', async () => (await queue()).length === 0 || null, 10_000, 250)).toBe(true);
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('holds remote mail again when the route is removed', async () => {
    store.transaction(() => store.delete(RELAY_TYPE, 'r1'));
    store.flushChanges();
    await waitFor('main.cf without relay', async () => /^defer_transports = smtp$/m.test(fs.readFileSync(path.join(etc, 'main.cf'), 'utf8')), 10_000, 100);
    await driver.applyRelay(); // waits for the reload queued by the change
    await send('third@remote.test', 'held again');
    const held = await waitFor('the message to be deferred', async () =>
      (await queue()).find((e) => e.queue_name === 'deferred' && e.recipients.some((x) => x.address === 'third@remote.test')), 20_000, 250);
    expect(held).toBeTruthy();
  }, 30_000);
});
