// The SMTP service supervised like IMAP, through the JMAP API: its x:Service record, start
// and stop by x:ServiceAction with the port measured (220), start on boot from the
// environment, and the relay route (x:MtaRoute) with its precise errors and its effect on
// the running Postfix. Skipped only when not root or Postfix is not installed.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { INSTALL_HINT, postfixDriver } from './postfix';
import { createAction, firstLine, freePort, getRecords, waitFor, type ServiceActionRecord, type ServiceRecord } from './testing';

const install = await postfixDriver({ store: null, directory: { isLocalDomain: () => false, mailbox: () => null, aliasTargets: () => null, login: () => null } }).detect();
const skipReason = install.installed ? null : (install.problem ?? 'Postfix is not installed (apt-get install postfix)');

type Obj = Record<string, unknown>;

/** A data directory the postfix user can reach the sockets in (mkdtemp makes it 0700). */
function searchableDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-smtp-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}
type SmtpRecord = ServiceRecord & { ports: Record<string, boolean>; software: string; installHint: string };

const smtp = async (server: TestServer) => (await getRecords<SmtpRecord>(server, 'x:Service', ['smtp']))[0];

async function act(server: TestServer, action: string): Promise<ServiceActionRecord> {
  const r = await createAction(server, { serviceId: 'smtp', action });
  expect(r.notCreated, JSON.stringify(r.notCreated)).toBeNull();
  const id = r.created!.a.id;
  return waitFor(`${action} to finish`, async () => {
    const [a] = await getRecords<ServiceActionRecord>(server, 'x:ServiceAction', [id]);
    return a.state === 'done' || a.state === 'failed' ? a : null;
  }, 30_000, 150);
}

async function routeSet(server: TestServer, args: Obj): Promise<Obj> {
  const [, r] = await server.call('x:MtaRoute/set', args);
  return r as Obj;
}

describe.skipIf(!!skipReason)(`SMTP service supervised through JMAP ${skipReason ? `— skipped: ${skipReason}` : ''}`, () => {
  let server: TestServer;
  let port: number;
  let submission: number;
  const saved = { ...process.env };

  beforeAll(async () => {
    port = await freePort();
    submission = await freePort();
    Object.assign(process.env, { POSTERN_SMTP_PORT: String(port), POSTERN_SUBMISSION_PORT: String(submission), POSTERN_SMTP_ADDRESS: '127.0.0.1' });
    server = await startTestServer(searchableDir());
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    for (const k of ['POSTERN_SMTP_PORT', 'POSTERN_SUBMISSION_PORT', 'POSTERN_SMTP_ADDRESS', 'POSTERN_SMTP_START_ON_BOOT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('registers the record with the ports from the environment', async () => {
    expect(await smtp(server)).toMatchObject({
      status: 'stopped', installed: true, software: 'Postfix', version: install.version,
      ports: { [String(port)]: true, [String(submission)]: true },
    });
  });

  it('starts through an x:ServiceAction: both ports greet 220, remote delivery is off', async () => {
    const a = await act(server, 'start');
    expect(a.state, a.message ?? '').toBe('done');
    expect(a.message).toMatch(/started \(pid \d+\); 220/);
    const s = await smtp(server);
    expect(s).toMatchObject({ status: 'running', running: true, lastError: null });
    expect(s.effectiveConfig).toMatch(/^defer_transports = smtp$/m);
    expect(s.effectiveConfig).toMatch(/^smtp_dns_support_level = disabled$/m);
    expect(await firstLine(port)).toMatch(/^220 /);
    expect(await firstLine(submission)).toMatch(/^220 /);
    const status = await act(server, 'status');
    expect(status.message).toMatch(new RegExp(`port ${port} answers: 220`));
  }, 40_000);

  it('accepts mail for the directory\'s addresses at once, and refuses unknown ones with 550', async () => {
    const [, d] = await server.call('x:Domain/set', { create: { d: { name: 'example.test' } } });
    const domainId = (d as unknown as { created: Record<string, Obj> }).created.d.id as string;
    const [, u] = await server.call('x:Account/set', {
      create: { u: { '@type': 'User', name: 'user1', domainId, credentials: { 0: { '@type': 'Password', secret: 'secret-1' } } } },
    });
    expect((u as unknown as { notCreated: unknown }).notCreated).toBeNull();
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, tls: { rejectUnauthorized: false }, name: 'client.test' });
    const ok = await mailer.sendMail({ from: 'a@client.test', to: 'user1@example.test', text: 'hello' });
    expect(ok.accepted).toEqual(['user1@example.test']);
    const err = await mailer.sendMail({ from: 'a@client.test', to: 'user9@example.test', text: 'hello' }).then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(550);
  }, 20_000);

  it('refuses bad relay routes with the property and the reason', async () => {
    const r = await routeSet(server, {
      create: {
        a: { '@type': 'Relay', name: 'bad', address: 'not a host', protocol: 'lmtp', authSecret: { '@type': 'Value', secret: 'pw' } },
      },
    });
    const err = (r.notCreated as Record<string, Obj>).a;
    expect(err.type).toBe('validationFailed');
    expect(err.properties).toEqual(expect.arrayContaining(['address', 'protocol', 'authUsername']));
    expect(fs.readFileSync(path.join(server.dataDir, 'services', 'smtp', 'etc', 'main.cf'), 'utf8')).not.toMatch(/^relayhost = \[/m);
  });

  it('applies a relay route to the running Postfix at once, and never shows its password', async () => {
    const relayPort = await freePort();
    const r = await routeSet(server, {
      create: {
        a: { '@type': 'Relay', name: 'smarthost', address: '127.0.0.1', port: relayPort, authUsername: 'me', authSecret: { '@type': 'Value', secret: 'relay-pw' } },
      },
    });
    expect(r.notCreated).toBeNull();
    const id = (r.created as Record<string, Obj>).a.id as string;
    expect(JSON.stringify(r.created)).not.toContain('relay-pw');
    const [, g] = await server.call('x:MtaRoute/get', { ids: [id] });
    const route = (g as unknown as { list: Obj[] }).list[0];
    expect(route).toMatchObject({ name: 'smarthost', port: relayPort, protocol: 'smtp', implicitTls: false, authSecret: { '@type': 'Value', secret: null } });
    expect(JSON.stringify(g)).not.toContain('relay-pw');
    await waitFor('the relay in effect', async () => {
      const s = await smtp(server);
      return /relayhost/.test(fs.readFileSync(path.join(server.dataDir, 'services', 'smtp', 'etc', 'main.cf'), 'utf8')) && s.status === 'running';
    }, 10_000, 100);
    const main = fs.readFileSync(path.join(server.dataDir, 'services', 'smtp', 'etc', 'main.cf'), 'utf8');
    expect(main).toMatch(new RegExp(`^relayhost = \\[127\\.0\\.0\\.1\\]:${relayPort}$`, 'm'));
    expect(main).toMatch(/^defer_transports =$/m);
    expect(main).not.toContain('relay-pw');
    const auth = path.join(server.dataDir, 'services', 'smtp', 'etc', 'relay-auth');
    expect(fs.readFileSync(auth, 'utf8')).toBe(`[127.0.0.1]:${relayPort} me:relay-pw\n`);
    expect(fs.statSync(auth).mode & 0o077).toBe(0);

    const second = await routeSet(server, { create: { b: { '@type': 'Relay', name: 'another', address: '127.0.0.1' } } });
    expect((second.notCreated as Record<string, Obj>).b).toMatchObject({ type: 'validationFailed', properties: ['name'] });

    // An update that leaves the password as read back keeps it.
    const u = await routeSet(server, { update: { [id]: { ...route, description: 'changed' } } });
    expect(u.notUpdated).toBeNull();
    await waitFor('the password kept', async () => fs.readFileSync(auth, 'utf8').includes('me:relay-pw'), 5000, 100);

    const d = await routeSet(server, { destroy: [id] });
    expect(d.destroyed).toEqual([id]);
    await waitFor('remote delivery off again', async () =>
      /^defer_transports = smtp$/m.test(fs.readFileSync(path.join(server.dataDir, 'services', 'smtp', 'etc', 'main.cf'), 'utf8')), 10_000, 100);
    expect(fs.existsSync(auth)).toBe(false);
  }, 40_000);

  it('applies a new message size and connection limit on restart', async () => {
    const [, bad] = await server.call('x:Service/set', { update: { smtp: { maxMessageSize: 10 } } });
    expect((bad as unknown as { notUpdated: Record<string, Obj> }).notUpdated.smtp).toMatchObject({ type: 'validationFailed', properties: ['maxMessageSize'] });
    const [, ok] = await server.call('x:Service/set', { update: { smtp: { maxMessageSize: 3_000_000, maxConnections: 4 } } });
    expect((ok as unknown as { updated: Obj }).updated).toEqual({ smtp: null });
    await waitFor('restart required', async () => (await smtp(server)).restartRequired, 5000, 100);
    const a = await act(server, 'restart');
    expect(a.state, a.message ?? '').toBe('done');
    const s = await smtp(server);
    expect(s).toMatchObject({ status: 'running', restartRequired: false });
    expect(s.effectiveConfig).toMatch(/^message_size_limit = 3000000$/m);
    const master = fs.readFileSync(path.join(server.dataDir, 'services', 'smtp', 'etc', 'master.cf'), 'utf8');
    expect(master).toMatch(new RegExp(`^${port}\\s+inet\\s+n\\s+-\\s+n\\s+-\\s+4\\s+smtpd`, 'm'));
  }, 40_000);

  it('stops: the port refuses connections', async () => {
    const a = await act(server, 'stop');
    expect(a.state).toBe('done');
    expect((await smtp(server)).status).toBe('stopped');
    expect(await firstLine(port, { timeoutMs: 2000 })).toBe('ECONNREFUSED');
  }, 30_000);

  it('a start that cannot bind fails and says which port is taken', async () => {
    const blocker = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const a = await act(server, 'start');
      expect(a.state).toBe('failed');
      const s = await smtp(server);
      expect(s.status).toBe('failed');
      expect(s.lastError).toContain(`Could not prepare Postfix: port ${port} on 127.0.0.1 is already in use by another program`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 40_000);

  it('starts on boot when POSTERN_SMTP_START_ON_BOOT says so for a new record', async () => {
    process.env.POSTERN_SMTP_START_ON_BOOT = 'true';
    const fresh = await startTestServer(searchableDir());
    try {
      const s = await waitFor('SMTP started on boot', async () => {
        const r = await smtp(fresh);
        return r.status === 'running' || r.status === 'failed' ? r : null;
      }, 30_000, 200);
      expect(s.status, s.lastError ?? '').toBe('running');
    } finally {
      await fresh.close();
      delete process.env.POSTERN_SMTP_START_ON_BOOT;
    }
  }, 60_000);
});

describe('SMTP service when Postfix is not installed', () => {
  let server: TestServer;
  const saved = process.env.POSTERN_POSTFIX;

  beforeAll(async () => {
    process.env.POSTERN_POSTFIX = '/nonexistent/sbin/postfix';
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
    if (saved === undefined) delete process.env.POSTERN_POSTFIX;
    else process.env.POSTERN_POSTFIX = saved;
  });

  it('says so and how to install it; a start fails with that; IMAP is unaffected', async () => {
    expect(await smtp(server)).toMatchObject({ status: 'notInstalled', installed: false, installHint: INSTALL_HINT });
    const a = await act(server, 'start');
    expect(a.state).toBe('failed');
    expect(a.message).toContain(`Postfix is not installed on this node. Install it with: ${INSTALL_HINT}`);
    const [imap] = await getRecords<ServiceRecord>(server, 'x:Service', ['imap']);
    expect(imap.status).not.toBe('failed');
  });
});
