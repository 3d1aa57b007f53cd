// Test helpers for the mail queue: a real server (startTestServer) whose SMTP service, the
// private Postfix, runs on free loopback ports with no relay, so remote mail waits in the
// deferred queue with its reason; a relay sink (smtp-server) on 127.0.0.1 to deliver to.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import { postfixDriver } from '../../services/postfix';
import { mailSink, type MailSink } from '../testing';
import { createAction, freePort, getRecords, waitFor, type ServiceActionRecord } from '../../services/testing';
import { startTestServer, type TestServer } from '../../testing';
import type { Config } from '../../config';

const install = await postfixDriver({ store: null, directory: { isLocalDomain: () => false, mailbox: () => null, aliasTargets: () => null, login: () => null } }).detect();
/** Why the real-Postfix tests cannot run here, or null. */
export const postfixSkipReason = install.installed ? null : (install.problem ?? 'Postfix is not installed (apt-get install postfix)');

type Obj = Record<string, unknown>;
const ENV = ['POSTERN_SMTP_PORT', 'POSTERN_SUBMISSION_PORT', 'POSTERN_SMTP_ADDRESS'];

export interface QueueServer {
  server: TestServer;
  smtpPort: number;
  /** Sends one message over SMTP to the running Postfix. */
  send(from: string, to: string | string[], subject: string): Promise<void>;
  /** The queue as the JMAP API lists it (every record, refreshed). */
  queued(): Promise<(Obj & { id: string })[]>;
  /** Waits until `n` messages wait in the deferred queue. */
  waitDeferred(n: number): Promise<(Obj & { id: string })[]>;
  close(): Promise<void>;
}

/** A data directory the postfix user can reach the sockets in (mkdtemp makes it 0700). */
function searchableDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-queue-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export async function startQueueServer(overrides: Partial<Config> = {}): Promise<QueueServer> {
  const saved = ENV.map((k) => process.env[k]);
  const smtpPort = await freePort();
  Object.assign(process.env, { POSTERN_SMTP_PORT: String(smtpPort), POSTERN_SUBMISSION_PORT: String(await freePort()), POSTERN_SMTP_ADDRESS: '127.0.0.1' });
  const server = await startTestServer(searchableDir(), overrides);
  ENV.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  const r = await createAction(server, { serviceId: 'smtp', action: 'start' });
  expect(r.notCreated, JSON.stringify(r.notCreated)).toBeNull();
  const actionId = r.created!.a.id;
  const action = await waitFor('SMTP to start', async () => {
    const [a] = await getRecords<ServiceActionRecord>(server, 'x:ServiceAction', [actionId]);
    return a.state === 'done' || a.state === 'failed' ? a : null;
  }, 40_000, 200);
  expect(action.state, action.message ?? '').toBe('done');
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, name: 'client.test', tls: { rejectUnauthorized: false } });
  const queued = async () => {
    const [name, res] = await server.call('x:QueuedMessage/get', { ids: null });
    if (name !== 'x:QueuedMessage/get') throw new Error(JSON.stringify(res));
    return (res as { list: (Obj & { id: string })[] }).list;
  };
  return {
    server,
    smtpPort,
    async send(from, to, subject) {
      const info = await mailer.sendMail({ from, to, subject, text: `body of ${subject}` });
      expect(info.rejected).toEqual([]);
    },
    queued,
    waitDeferred: (n) => waitFor(`${n} deferred messages`, async () => {
      const list = await queued();
      return list.filter((m) => m.queueName === 'deferred').length === n ? list : null;
    }, 30_000, 300),
    close: () => server.close(),
  };
}

export interface Sink extends MailSink { port: number }

/** An SMTP server on 127.0.0.1:port that keeps what it receives (the relay). */
export async function relaySink(port: number): Promise<Sink> {
  return { port, ...(await mailSink({ port })) };
}

/** Stores a relay route to 127.0.0.1:port (the SMTP service applies it at once and flushes the queue). */
export async function setRelay(server: TestServer, port: number): Promise<string> {
  const [, r] = await server.call('x:MtaRoute/set', { create: { r: { '@type': 'Relay', name: 'sink', address: '127.0.0.1', port, allowInvalidCerts: true } } });
  const res = r as { created?: Record<string, { id: string }>; notCreated?: unknown };
  expect(res.notCreated ?? null, JSON.stringify(res.notCreated)).toBeNull();
  return res.created!.r.id;
}

/** Creates an x:Task and waits until it is finished; returns the task record. */
export async function runTask(server: TestServer, value: Obj): Promise<Obj> {
  const [, r] = await server.call('x:Task/set', { create: { t: value } });
  const res = r as { created?: Record<string, { id: string }>; notCreated?: Record<string, unknown> | null };
  expect(res.notCreated ?? null, JSON.stringify(res.notCreated)).toBeNull();
  const id = res.created!.t.id;
  return waitFor('the task to finish', async () => {
    const [, g] = await server.call('x:Task/get', { ids: [id] });
    const task = (g as { list: Obj[] }).list[0];
    const status = (task?.status as { '@type'?: string } | undefined)?.['@type'];
    return status === 'Completed' || status === 'Failed' || status === 'Cancelled' ? task : null;
  }, 30_000, 200);
}
