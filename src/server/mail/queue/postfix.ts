// The private Postfix's queue, read and changed with Postfix's own tools, always against
// Postern's instance (`-c DATA_DIR/services/smtp/etc`), never the system one:
// - `postqueue -j` lists it (one JSON object per message: queue_name, queue_id,
//   arrival_time, message_size, sender, recipients[{address, delay_reason}]);
// - `postcat -e` reads envelope details (client address, server port, original recipients)
//   and `postcat -bh` the message itself;
// - `postsuper -d/-h/-H` deletes, holds and releases (ids on stdin, `-` as the argument);
// - `postqueue -i ID` retries one message now, `postqueue -f` the whole deferred queue.
// A private configuration directory is honoured only for root (postqueue(1)), postsuper is
// the superuser's (postsuper(1)) and the queue files are the postfix user's: without root
// every call fails with a message that says so. With the SMTP service stopped, postqueue
// reads the queue files itself (Postfix warns "Mail system is down"), postsuper still
// works, but a retry needs the running instance.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runningAsRoot } from '../daemonAccess';

export class QueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueError';
  }
}

/** The five queues of a Postfix instance (postqueue(1) queue_name), in the order mail passes them. */
export const POSTFIX_QUEUES = ['maildrop', 'incoming', 'active', 'deferred', 'hold'] as const;
export type PostfixQueueName = (typeof POSTFIX_QUEUES)[number];
export const isPostfixQueue = (q: unknown): q is PostfixQueueName => typeof q === 'string' && (POSTFIX_QUEUES as readonly string[]).includes(q);

export interface PostqueueRecipient { address: string; delay_reason?: string }
export interface PostqueueEntry {
  queue_name: string;
  queue_id: string;
  arrival_time: number;
  message_size: number;
  forced_expire?: boolean;
  sender: string;
  recipients: PostqueueRecipient[];
}

/** What `postcat -e` tells about one message beyond the listing. */
export interface Envelope { clientAddress: string | null; serverPort: number | null; originalRecipients: Map<string, string> }

export interface PostfixTools {
  /** config_directory of the instance. */
  config: string;
  /** Directory of postqueue, postsuper, postcat (POSTERN_POSTFIX's, else /usr/sbin). */
  sbin: string;
  isRoot: () => boolean;
}

/** A Postfix queue id (short hex or long form): letters and digits only, never an option or ALL. */
export const QUEUE_ID = /^[A-Za-z0-9]{6,64}$/;

/** Every id goes to postsuper, postcat or postqueue only once it is known to be a queue id. */
function checkIds(ids: string[]): void {
  const bad = ids.find((id) => typeof id !== 'string' || !QUEUE_ID.test(id));
  if (bad !== undefined) throw new QueueError(`Not a Postfix queue id: ${JSON.stringify(String(bad).slice(0, 80))} (6 to 64 letters and digits)`);
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 512 * 1024 * 1024;

/** The tools for the instance under DATA_DIR (the SMTP service's directory, services/smtp). */
export function postfixTools(dataDir: string, env: NodeJS.ProcessEnv = process.env): PostfixTools {
  const binary = env.POSTERN_POSTFIX || '/usr/sbin/postfix';
  return { config: path.join(dataDir, 'services', 'smtp', 'etc'), sbin: path.dirname(binary), isRoot: runningAsRoot };
}

const ROOT_NEEDED = (what: string) =>
  `${what} needs root: Postfix honours Postern's private configuration directory, and postsuper and postcat work, only for the superuser (run Postern as root, as the SMTP service itself requires)`;

function ready(t: PostfixTools, what: string): void {
  if (!t.isRoot()) throw new QueueError(ROOT_NEEDED(what));
  if (!fs.existsSync(path.join(t.sbin, 'postqueue'))) throw new QueueError(`${what} needs Postfix, which is not installed on this node (apt-get install postfix)`);
  if (!fs.existsSync(path.join(t.config, 'main.cf'))) {
    throw new QueueError(`${what} needs the SMTP service's Postfix instance, which was never set up here: start the SMTP service once (Settings › Services)`);
  }
}

interface RunResult { stdout: string; stderr: string; code: number | null }

function run(t: PostfixTools, tool: string, args: string[], opts: { input?: string; timeoutMs?: number; signal?: AbortSignal; binary?: boolean } = {}): Promise<RunResult & { raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = execFile(path.join(t.sbin, tool), ['-c', t.config, ...args], {
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, encoding: 'buffer', signal: opts.signal,
    }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e && (e.name === 'AbortError')) return reject(new QueueError(`${tool} was stopped: the task was cancelled`));
      if (e && e.killed) return reject(new QueueError(`${tool} did not finish within ${Math.round((opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`));
      if (e && typeof e.code === 'string') return reject(new QueueError(`${tool} could not be run: ${e.message}`));
      resolve({ raw: stdout, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), code: e ? Number(e.code ?? 1) : 0 });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Postfix's own words for a failure: its fatal line, without the program prefix. */
function fatal(tool: string, r: RunResult): string {
  const line = r.stderr.split('\n').find((l) => /fatal:/.test(l)) ?? r.stderr.trim().split('\n').pop() ?? '';
  return `${tool} failed: ${line.replace(/^\S+: (fatal: )?/, '') || `exit status ${r.code}`}`;
}

/** The whole queue, as `postqueue -j` lists it. */
export async function listQueue(t: PostfixTools, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PostqueueEntry[]> {
  // An instance never set up (the SMTP service never started here) has no queue, so no mail.
  if (t.isRoot() && fs.existsSync(path.join(t.sbin, 'postqueue')) && !fs.existsSync(path.join(t.config, 'main.cf'))) return [];
  ready(t, 'Reading the mail queue');
  const r = await run(t, 'postqueue', ['-j'], { timeoutMs });
  if (r.code !== 0) throw new QueueError(fatal('postqueue', r));
  const out: PostqueueEntry[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    let entry: PostqueueEntry;
    try {
      entry = JSON.parse(line) as PostqueueEntry;
    } catch {
      throw new QueueError(`postqueue -j printed a line that is not JSON: ${line.slice(0, 120)}`);
    }
    if (!entry || typeof entry !== 'object' || typeof entry.queue_id !== 'string' || !QUEUE_ID.test(entry.queue_id) || !Array.isArray(entry.recipients)) {
      throw new QueueError(`postqueue -j listed something that is not a queued message: ${line.slice(0, 120)}`);
    }
    out.push(entry);
  }
  return out;
}

/**
 * Envelope details of these messages (one postcat run per 200). Messages gone meanwhile are
 * left out; so are those not read by `deadline` (ms since the epoch), when one is given:
 * what was read by then is returned.
 */
export async function readEnvelopes(t: PostfixTools, ids: string[], timeoutMs = DEFAULT_TIMEOUT_MS, deadline = Infinity): Promise<Map<string, Envelope>> {
  checkIds(ids);
  ready(t, 'Reading queued messages');
  const out = new Map<string, Envelope>();
  for (let i = 0; i < ids.length; i += 200) {
    const left = Math.min(timeoutMs, deadline - Date.now());
    if (left < 100) break;
    let r: RunResult;
    try {
      r = await run(t, 'postcat', ['-e', '-q', ...ids.slice(i, i + 200)], { timeoutMs: left });
    } catch (e) {
      if (out.size || deadline !== Infinity) break;
      throw e;
    }
    let cur: Envelope | null = null;
    let orcpt: string | null = null;
    for (const line of r.stdout.split('\n')) {
      const head = /^\*\*\* ENVELOPE RECORDS \S+\/([A-Za-z0-9]+) \*\*\*$/.exec(line);
      if (head) {
        cur = { clientAddress: null, serverPort: null, originalRecipients: new Map() };
        orcpt = null;
        out.set(head[1], cur);
        continue;
      }
      if (!cur) continue;
      let m: RegExpExecArray | null;
      // log_client_address is the original client's also after the content filter (XFORWARD); client_address the last hop's.
      if ((m = /^named_attribute: log_client_address=(\S+)$/.exec(line))) cur.clientAddress = m[1];
      else if ((m = /^named_attribute: client_address=(\S+)$/.exec(line))) cur.clientAddress ??= m[1];
      // 0 after a reinjection over a socket: the port the mail came in on is not known then.
      else if ((m = /^named_attribute: server_port=(\d+)$/.exec(line))) cur.serverPort = Number(m[1]) || null;
      // The DSN original recipient (RFC 3461 ORCPT) comes just before the recipient it is for.
      else if ((m = /^named_attribute: dsn_orig_rcpt=(.+)$/.exec(line))) orcpt = m[1];
      else if ((m = /^recipient: (.+)$/.exec(line))) {
        if (orcpt) cur.originalRecipients.set(m[1], orcpt);
        orcpt = null;
      } else if (line.startsWith('*** MESSAGE CONTENTS')) cur = null;
    }
  }
  return out;
}

/** The message as it was received (headers and body, `postcat -bh`); null when it is no longer queued. */
export async function readMessage(t: PostfixTools, id: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer | null> {
  checkIds([id]);
  ready(t, 'Reading a queued message');
  const r = await run(t, 'postcat', ['-bh', '-q', id], { timeoutMs });
  if (r.code !== 0) {
    if (/No such file|not found|open queue file/i.test(r.stderr)) return null;
    throw new QueueError(fatal('postcat', r));
  }
  return r.raw;
}

export type SuperOp = 'delete' | 'hold' | 'release';
const SUPER_FLAG: Record<SuperOp, string> = { delete: '-d', hold: '-h', release: '-H' };
const SUPER_DONE: Record<SuperOp, RegExp> = {
  delete: /^postsuper: ([A-Za-z0-9]+): removed$/,
  hold: /^postsuper: ([A-Za-z0-9]+): placed on hold$/,
  release: /^postsuper: ([A-Za-z0-9]+): released from hold$/,
};

/**
 * Runs postsuper over these ids (in `queue` only, when given) and returns the ids it acted
 * on, read from its report: postsuper also exits non-zero when only its log could not be
 * written (the instance stopped), after the work was done.
 */
export async function postsuper(t: PostfixTools, op: SuperOp, ids: string[], opts: { queue?: PostfixQueueName; signal?: AbortSignal } = {}): Promise<Set<string>> {
  checkIds(ids);
  if (opts.queue !== undefined && !isPostfixQueue(opts.queue)) throw new QueueError(`Not a Postfix queue: ${JSON.stringify(opts.queue)}`);
  ready(t, op === 'delete' ? 'Deleting queued mail' : op === 'hold' ? 'Holding queued mail' : 'Releasing held mail');
  const done = new Set<string>();
  if (!ids.length) return done;
  const r = await run(t, 'postsuper', [SUPER_FLAG[op], '-', ...(opts.queue ? [opts.queue] : [])], { input: ids.join('\n') + '\n', signal: opts.signal, timeoutMs: 60_000 });
  for (const line of r.stderr.split('\n')) {
    const m = SUPER_DONE[op].exec(line.trim());
    if (m) done.add(m[1]);
  }
  if (r.code !== 0 && !done.size && !/open logfile/.test(r.stderr)) throw new QueueError(fatal('postsuper', r));
  return done;
}

const STOPPED = /mail system is down|Connection refused|connect to the Postfix/i;
const STOPPED_WHY = 'the SMTP service is stopped: start it (Settings › Services) to retry delivery';

/** Asks the running instance to try these messages now (`postqueue -i`, one run each, eight at a time). */
export async function retryNow(t: PostfixTools, ids: string[]): Promise<Map<string, string | null>> {
  checkIds(ids);
  ready(t, 'Retrying queued mail');
  const out = new Map<string, string | null>();
  const one = async (id: string) => {
    const r = await run(t, 'postqueue', ['-i', id]);
    if (r.code === 0) out.set(id, null);
    else if (STOPPED.test(r.stderr)) out.set(id, STOPPED_WHY);
    else out.set(id, fatal('postqueue', r));
  };
  const queue = [...ids];
  await Promise.all(Array.from({ length: Math.min(8, queue.length) }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await one(id);
  }));
  return out;
}

/**
 * Asks the running instance to try all deferred mail now (`postqueue -f`, one run): null
 * when asked, else why not. Like every Postfix flush it lifts defer_transports: only for
 * an instance that sends remote mail to a relay.
 */
export async function flushQueue(t: PostfixTools): Promise<string | null> {
  ready(t, 'Retrying queued mail');
  const r = await run(t, 'postqueue', ['-f']);
  if (r.code === 0) return null;
  return STOPPED.test(r.stderr) ? STOPPED_WHY : fatal('postqueue', r);
}

/** maximal_queue_lifetime and bounce_queue_lifetime in seconds (postconf, remembered per main.cf change). */
const lifetimes = new Map<string, { mtime: number; normal: number; bounce: number }>();
export async function queueLifetimes(t: PostfixTools, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ normal: number; bounce: number }> {
  const mtime = fs.statSync(path.join(t.config, 'main.cf')).mtimeMs;
  const known = lifetimes.get(t.config);
  if (known && known.mtime === mtime) return known;
  const r = await run(t, 'postconf', ['-h', 'maximal_queue_lifetime', 'bounce_queue_lifetime'], { timeoutMs });
  if (r.code !== 0) throw new QueueError(fatal('postconf', r));
  const [normal, bounce] = r.stdout.trim().split('\n').map(seconds);
  const value = { mtime, normal: normal ?? 5 * 86400, bounce: bounce ?? 5 * 86400 };
  lifetimes.set(t.config, value);
  return value;
}

/** A Postfix time value (`5d`, `3600s`, `2h`; a bare number is days here, as postconf(5) says for these two). */
function seconds(v: string): number {
  const m = /^(\d+)([smhdw]?)$/.exec(v.trim());
  if (!m) return 5 * 86400;
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, '': 86400 }[m[2] as 's'];
  return Number(m[1]) * unit;
}

/**
 * When each deferred message is next tried: qmgr sets a deferred queue file's modification
 * time to its next attempt (the queue is scanned for files whose time has come).
 */
export function deferredTimes(t: PostfixTools, queueDir = path.join(path.dirname(t.config), 'queue')): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (e.isFile()) {
        try {
          out.set(e.name, fs.statSync(p).mtimeMs);
        } catch {
          // delivered or moved meanwhile
        }
      }
    }
  };
  walk(path.join(queueDir, 'deferred'), 0);
  return out;
}
