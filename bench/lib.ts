// Helpers for the server benchmark: a small keep-alive HTTP load generator, child
// processes, and /proc readings. Dependency-free (node:http only); loopback only.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST = '127.0.0.1';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'];

export interface Target {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  body: string;
}

/** One request on `agent`; resolves with the status and the whole body. */
export function request(agent: http.Agent, t: Target, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...t.headers };
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const req = http.request({ host: HOST, port: t.port, method: t.method, path: t.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function keepAliveAgent(connections: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

export interface LoadOptions {
  connections: number;
  /** Measured window (after warm-up). */
  durationMs: number;
  warmupMs?: number;
  /** Upper bound on measured requests. */
  maxRequests?: number;
  /** Request body for the i-th request (undefined for GET). */
  body?: (i: number) => string | undefined;
  /** Throws when a reply is wrong; called on the first reply and every 100th. */
  check?: (r: Reply) => void;
  /** Server process whose CPU time is reported. */
  serverPid?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  latencies: number[];
  clientCpu: number;
  serverCpu: number | null;
}

/**
 * N concurrent keep-alive connections, each sending its next request as soon as the
 * previous reply is read (closed loop), for a bounded time and request count.
 */
export async function load(t: Target, o: LoadOptions): Promise<LoadResult> {
  const agent = keepAliveAgent(o.connections);
  let counter = 0;
  const runPhase = async (ms: number, max: number, record: boolean) => {
    const latencies: number[] = [];
    let requests = 0;
    let errors = 0;
    const end = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < end && requests + errors < max) {
        const i = counter++;
        const start = performance.now();
        try {
          const r = await request(agent, t, o.body?.(i));
          if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 300)}`);
          if (o.check && i % 100 === 0) o.check(r);
          if (record) latencies.push(performance.now() - start);
          requests++;
        } catch (e) {
          errors++;
          if (errors === 1) console.error(`    ! ${t.method} ${t.path}: ${(e as Error).message}`);
          if (errors > 20) throw e;
        }
      }
    };
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: o.connections }, worker));
    return { latencies, requests, errors, seconds: (performance.now() - startedAt) / 1000 };
  };
  try {
    if (o.warmupMs) await runPhase(o.warmupMs, Infinity, false);
    const cpu0 = process.cpuUsage();
    const srv0 = o.serverPid ? cpuSeconds(o.serverPid) : null;
    const r = await runPhase(o.durationMs, o.maxRequests ?? Infinity, true);
    const cpu = process.cpuUsage(cpu0);
    const srv1 = o.serverPid ? cpuSeconds(o.serverPid) : null;
    return {
      ...r,
      rps: r.requests / r.seconds,
      clientCpu: (cpu.user + cpu.system) / 1e6 / r.seconds,
      serverCpu: srv0 !== null && srv1 !== null ? (srv1 - srv0) / r.seconds : null,
    };
  } finally {
    agent.destroy();
  }
}

/** Sequential requests on one keep-alive connection: latency without queueing. */
export async function latencies(
  t: Target,
  bodies: (i: number) => string | undefined,
  o: { samples: number; maxMs: number; warmup?: number; check?: (r: Reply, i: number) => void },
): Promise<number[]> {
  const agent = keepAliveAgent(1);
  const out: number[] = [];
  try {
    for (let i = 0; i < (o.warmup ?? 0); i++) await request(agent, t, bodies(-1 - i));
    const end = performance.now() + o.maxMs;
    for (let i = 0; i < o.samples && performance.now() < end; i++) {
      const body = bodies(i);
      const start = performance.now();
      const r = await request(agent, t, body);
      const ms = performance.now() - start;
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 300)}`);
      o.check?.(r, i);
      out.push(ms);
    }
  } finally {
    agent.destroy();
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** A port that was free a moment ago (the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Everything the child wrote, for error messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a child process in its own process group (so `stop` reaches its children too). */
export function startChild(cmd: string, args: string[], env: Record<string, string>, cwd: string): Child {
  const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  proc.stderr!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    pid: proc.pid!,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        process.kill(-proc.pid!, signal);
      } catch {
        proc.kill(signal);
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls GET `path` until it answers 200; returns the milliseconds from `since`. */
export async function waitForHttp(port: number, path: string, child: Child, since: number, timeoutMs = 30_000): Promise<number> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    while (performance.now() - since < timeoutMs) {
      if (child.proc.exitCode !== null) throw new Error(`The server exited (${child.proc.exitCode}):\n${child.output()}`);
      try {
        const r = await request(agent, { port, method: 'GET', path });
        if (r.status === 200) return performance.now() - since;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`No answer on ${path} within ${timeoutMs} ms:\n${child.output()}`);
  } finally {
    agent.destroy();
  }
}

/** A /proc/<pid>/status field in MB (VmRSS, VmHWM). */
export function procMemMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU seconds of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------
// JMAP bodies and Postern processes, shared by the benchmarks

export function envelope(methodCalls: unknown[]): string {
  return JSON.stringify({ using: USING, methodCalls });
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The members of method responses the benchmarks read. */
export interface MethodArgs {
  list: Record<string, unknown>[];
  ids: string[];
  notFound?: string[];
  total?: number;
  created?: Record<string, Record<string, unknown>> | null;
  notCreated?: Record<string, unknown> | null;
  updated?: Record<string, unknown> | null;
  notUpdated?: Record<string, unknown> | null;
  destroyed?: string[] | null;
  notDestroyed?: Record<string, unknown> | null;
}

/** Responses of a JMAP reply, failing on HTTP or method-level errors. */
export function responses(r: Reply): [string, MethodArgs, string][] {
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  const body = JSON.parse(r.body);
  const list = body.methodResponses as [string, MethodArgs, string][];
  for (const [name, args] of list) if (name === 'error') throw new Error(`method error: ${JSON.stringify(args)}`);
  return list;
}

/** Distinct addresses spread over 10.0.0.0/8, not in insertion order (odd multiplier mod 2^24). */
export function address(i: number): string {
  const n = Number((BigInt(i) * 2654435761n) % 16777216n);
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Postern from its sources in a child process (`node --import tsx src/server/main.ts`, or
 * through the tsx CLI as `npm run serve` does) on `dataDir`, without a built console.
 */
export function startPosternChild(dataDir: string, port: number, adminPassword: string, viaTsxCli = false): Child {
  const env = {
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: adminPassword,
    STATIC_DIR: path.join(dataDir, 'no-console'),
    NODE_NAME: 'bench-node',
    WEBADMIN_PORT: 'off',
  };
  return viaTsxCli
    ? startChild(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server/main.ts'], env, ROOT)
    : startChild(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], env, ROOT);
}
