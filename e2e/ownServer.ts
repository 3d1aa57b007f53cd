// A Postern server a test starts, kills and starts again itself (the servers of
// playwright.config.ts live for the whole run): the same bundle, its own DATA_DIR under a
// temporary directory, its own port (8030–8035), and its mail daemons on free loopback ports.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/server/services/testing';
import { ADMIN } from './env';

export interface OwnServer {
  url: string;
  dataDir: string;
  mailPorts: { smtp: number; submission: number; imap: number; imaps: number };
  /** Starts the process (again, on the same data) and waits until it answers. */
  start(): Promise<void>;
  /** SIGKILL to the server alone, as a crash: its daemons are left behind, as they would be. */
  kill(): Promise<void>;
  /** SIGTERM: the server stops its daemons, then exits. */
  stop(): Promise<void>;
  /** What the server wrote to stderr, for a failure's message. */
  log(): string;
}

const bundle = process.env.E2E_SERVER_BUNDLE ?? 'dist-server/main.mjs';
const staticDir = path.resolve(process.env.E2E_STATIC_DIR ?? 'dist');

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

export async function ownServer(port: number, env: Record<string, string> = {}): Promise<OwnServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `postern-e2e-own-${port}-`));
  const mailPorts = { smtp: await freePort(), submission: await freePort(), imap: await freePort(), imaps: await freePort() };
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let stderr = '';

  async function start() {
    child = spawn(process.execPath, [bundle], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_PASSWORD: ADMIN.password,
        STATIC_DIR: staticDir,
        WEBADMIN_PORT: 'off',
        POSTERN_SMTP_PORT: String(mailPorts.smtp),
        POSTERN_SUBMISSION_PORT: String(mailPorts.submission),
        POSTERN_SMTP_ADDRESS: '127.0.0.1',
        POSTERN_SMTP_START_ON_BOOT: 'true',
        POSTERN_IMAP_PORT: String(mailPorts.imap),
        POSTERN_IMAP_SECURE_PORT: String(mailPorts.imaps),
        POSTERN_IMAP_ADDRESS: '127.0.0.1',
        POSTERN_IMAP_START_ON_BOOT: 'true',
        ...env,
      },
    });
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server on ${port} exited (${child.exitCode}): ${stderr}`);
      const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      if (up) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`server on ${port} did not answer within 60 s: ${stderr}`);
  }

  async function kill() {
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
    child = null;
  }

  async function stop() {
    if (!child) return;
    const c = child;
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await exited(c);
    clearTimeout(timer);
    child = null;
  }

  return { url, dataDir, mailPorts, start, kill, stop, log: () => stderr };
}
