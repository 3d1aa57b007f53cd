// The DLP worker threads: DLP matching (parsing the mail and running up to hundreds of
// expressions over megabytes of text) never runs on the main thread, which also serves
// JMAP, WebAdmin, Dovecot's auth bridge and Postfix's lookups. Each worker runs one mail at
// a time; a mail whose parsing and rules take longer than the time limit has its worker
// terminated (a fresh one starts for the next mail) and fails with DlpTimeout, which the
// filter turns into a mail set aside in `error`.
//
// The worker's file: beside this module as dlpWorker.ts when running from source (tsx,
// vitest: the worker gets tsx's loader, registered before the file is imported, since a
// worker shares none of its parent's transforms), and as dlpWorker.mjs beside main.mjs in
// the esbuild bundle (a second entry point of `npm run build:server`).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DlpTarget, MessageDescription, RuleSpec } from './dlpMatch';

/** How long one mail's DLP (parsing and every rule of its sender's domain) may take. */
export const DLP_TIME_LIMIT_MS = 10_000;

/** How long a new worker may take to load its module. */
const BOOT_LIMIT_MS = 30_000;

/** One worker per core, at most 2 (the filter processes at most 2 mails at once). */
export const DLP_WORKERS = Math.max(1, Math.min(2, os.availableParallelism()));

export interface DlpJob {
  id: number;
  domainId: string;
  /** The rule-set version (x:DlpRule's modseq) the rules belong to. */
  version: number;
  /** Sent when this worker has not compiled this version of the domain's rules yet. */
  rules?: RuleSpec[];
  env: { sender: string | null; recipients: string[] };
  raw: Uint8Array;
}

export interface DlpResult {
  match: { ruleId: string; explanation: string | null; target: DlpTarget } | null;
  description: MessageDescription;
  /** Rules left out because their expression no longer compiles. */
  skipped: { ruleId: string; message: string }[];
}

export type DlpReply = ({ id: number } & DlpResult) | { id: number; error: string } | { ready: true };

/** The mail's DLP took longer than the limit; its worker was terminated. */
export class DlpTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`DLP took longer than ${limitMs / 1000} s`);
  }
}

export type DlpInput = Omit<DlpJob, 'id' | 'rules' | 'raw'> & { rules: RuleSpec[]; raw: Buffer };

interface Pending { input: DlpInput; resolve(r: DlpResult): void; reject(e: Error): void }

interface Slot {
  worker: Worker;
  /** The rule-set version this worker has compiled, by domain id. */
  known: Map<string, number>;
  /** Its module is loaded (a worker under tsx takes about a second to load). */
  ready: boolean;
  job: (Pending & { id: number; timer: NodeJS.Timeout | null }) | null;
}

function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./dlpWorker.mjs', here));
  const file = new URL('./dlpWorker.ts', here).href;
  // tsx's ESM API registers its loader in this thread (Node 20 applies neither the parent's
  // loader nor `--import tsx` in execArgv to a worker's entry); its ESM file per tsx's exports.
  const pkg = createRequire(here).resolve('tsx/package.json');
  const api = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
  const tsx = pathToFileURL(path.join(path.dirname(pkg), api)).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); });`;
  return new Worker(boot, { eval: true });
}

export class DlpPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly timeLimitMs: number;

  constructor(opts: { size?: number; timeLimitMs?: number } = {}) {
    this.size = opts.size ?? DLP_WORKERS;
    this.timeLimitMs = opts.timeLimitMs ?? DLP_TIME_LIMIT_MS;
  }

  /** Parses the mail and runs the rules on it in a worker. Rejects with DlpTimeout past the time limit. */
  run(input: DlpInput): Promise<DlpResult> {
    if (this.closed) return Promise.reject(new Error('the DLP workers are stopped (the server is closing)'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates the workers; queued mails fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the DLP workers are stopped (the server is closing)'));
    await Promise.all(this.slots.splice(0).map((s) => this.drop(s, new Error('the DLP workers are stopped (the server is closing)'))));
  }

  private dispatch() {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.send(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), known: new Map(), ready: false, job: null };
    slot.worker.unref();
    const fail = (e: Error) => {
      if (!this.slots.includes(slot)) return;
      void this.drop(slot, e);
      this.dispatch();
    };
    // A worker that never loads fails its mail rather than holding it (Postfix's LMTP client would wait for minutes).
    const boot = setTimeout(() => !slot.ready && fail(new Error(`the DLP worker did not load within ${BOOT_LIMIT_MS / 1000} s`)), BOOT_LIMIT_MS);
    boot.unref();
    slot.worker.on('message', (reply: DlpReply) => this.answer(slot, reply));
    slot.worker.on('error', (e) => fail(new Error(`the DLP worker failed: ${e.message}`)));
    slot.worker.on('exit', (code) => fail(new Error(`the DLP worker stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private send(slot: Slot, p: Pending) {
    const { input } = p;
    const id = this.nextId++;
    const fresh = slot.known.get(input.domainId) !== input.version;
    const job: DlpJob = { id, domainId: input.domainId, version: input.version, env: input.env, raw: input.raw, ...(fresh ? { rules: input.rules } : {}) };
    slot.job = { ...p, id, timer: null };
    if (slot.ready) this.startClock(slot);
    slot.worker.ref();
    slot.worker.postMessage(job);
    // Known once sent: the worker compiles before it matches, and a worker that fails is dropped with what it knew.
    slot.known.set(input.domainId, input.version);
  }

  /** The time limit of the worker's job, from now. */
  private startClock(slot: Slot) {
    if (!slot.job || slot.job.timer) return;
    slot.job.timer = setTimeout(() => {
      void this.drop(slot, new DlpTimeout(this.timeLimitMs));
      this.dispatch();
    }, this.timeLimitMs);
  }

  private answer(slot: Slot, reply: DlpReply) {
    if ('ready' in reply) {
      slot.ready = true;
      this.startClock(slot);
      return;
    }
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    if (job.timer) clearTimeout(job.timer);
    slot.job = null;
    slot.worker.unref();
    if ('error' in reply) job.reject(new Error(reply.error));
    else job.resolve({ match: reply.match, description: reply.description, skipped: reply.skipped });
    this.dispatch();
  }

  /** Removes a worker (terminated), failing its mail with `why`. */
  private async drop(slot: Slot, why: Error): Promise<void> {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (slot.job) {
      if (slot.job.timer) clearTimeout(slot.job.timer);
      slot.job.reject(why);
      slot.job = null;
    }
    await slot.worker.terminate().catch(() => undefined);
  }
}

let shared: DlpPool | null = null;

/** The process's DLP workers (started on first use; idle workers do not keep the process alive). */
export function sharedDlpPool(): DlpPool {
  shared ??= new DlpPool();
  return shared;
}
