// Helpers for tests that talk to a supervised daemon: free ports, raw IMAP sockets, and
// the records they read. Used by the vitest suites here and by e2e/services.

import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { SetError } from '../../shared/jmap/errors';

/** The members of an x:Service record, as clients read it, that tests look at. */
export interface ServiceRecord {
  status: string;
  running: boolean;
  installed: boolean;
  pid: number | null;
  startedAt: string | null;
  uptime: number | null;
  version: string | null;
  configPath: string;
  logPath: string;
  effectiveConfig: string | null;
  lastError: string | null;
  restartRequired: boolean;
  maxConnections: number;
}

/** The members of an x:ServiceAction record that tests look at. */
export interface ServiceActionRecord {
  id: string;
  state: 'pending' | 'running' | 'done' | 'failed';
  message: string | null;
  isRunning: boolean;
  finishedAt: string | null;
}

/** A /set response, or the method error that replaced it (then only `type` is there). */
export interface SetResponse {
  type?: string;
  created: Record<string, ServiceActionRecord> | null;
  notCreated: Record<string, SetError> | null;
  updated: Record<string, unknown> | null;
  notUpdated: Record<string, SetError> | null;
}

/** What makes one JMAP call in a test: the test server. */
interface Calls {
  call(name: string, args: object): Promise<[string, unknown]>;
}

/** One JMAP call whose response the test reads as `T`. */
export async function callAs<T>(server: Calls, name: string, args: object): Promise<[string, T]> {
  const [n, r] = await server.call(name, args);
  return [n, r as T];
}

/** The x:Service (or x:ServiceAction) records with these ids, as /get returns them. */
export async function getRecords<T extends ServiceRecord | ServiceActionRecord>(
  server: Calls, type: 'x:Service' | 'x:ServiceAction', ids: string[],
): Promise<T[]> {
  return (await callAs<{ list: T[] }>(server, `${type}/get`, { ids }))[1].list;
}

/** Creates one x:ServiceAction under the creation id "a". */
export async function createAction(server: Calls, action: Record<string, unknown>): Promise<SetResponse> {
  return (await callAs<SetResponse>(server, 'x:ServiceAction/set', { create: { a: action } }))[1];
}

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Connects (optionally with TLS) and returns the server's first line, or the error code. */
export function firstLine(port: number, opts: { host?: string; tls?: boolean; timeoutMs?: number } = {}): Promise<string> {
  const { host = '127.0.0.1', timeoutMs = 5000 } = opts;
  return new Promise((resolve) => {
    const s = opts.tls ? tls.connect({ port, host, rejectUnauthorized: false }) : net.connect(port, host);
    let buf = '';
    const done = (v: string) => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done('TIMEOUT'), timeoutMs);
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      if (buf.includes('\n')) done(buf.slice(0, buf.indexOf('\n')).trim());
    });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    s.on('close', () => done(buf.trim() || 'CLOSED'));
  });
}

/** An open IMAP connection that records everything the server sent. */
export interface Held {
  lines: string[];
  closed: boolean;
  close(): void;
}

/** Opens a connection and keeps it open, without logging in. */
export function hold(port: number, host = '127.0.0.1'): Held {
  const s = net.connect(port, host);
  const held: Held = { lines: [], closed: false, close: () => s.destroy() };
  s.setEncoding('latin1');
  s.on('data', (d: string) => held.lines.push(...d.split('\r\n').filter(Boolean)));
  s.on('error', () => {});
  s.on('close', () => {
    held.closed = true;
  });
  return held;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Processes whose command line names `configPath`: daemons of that service still alive. */
export function processesUsing(configPath: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(configPath)) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

/** Live (not zombie) child processes of `pid`: a daemon's helpers, while it runs. */
export function childrenOf(pid: number): number[] {
  return liveProcesses().filter((p) => p.ppid === pid).map((p) => p.pid);
}

/** Whether `pid` is a live (not zombie) process. */
export function isAlive(pid: number): boolean {
  return liveProcesses().some((p) => p.pid === pid);
}

function liveProcesses(): { pid: number; ppid: number }[] {
  const out: { pid: number; ppid: number }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') out.push({ pid: Number(entry), ppid: Number(ppid) });
    } catch {
      // gone
    }
  }
  return out;
}
