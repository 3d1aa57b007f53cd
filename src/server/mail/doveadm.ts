// doveadm against Postern's private Dovecot (the IMAP service), never the system one:
// every call names the generated configuration DATA_DIR/services/imap/dovecot.conf with
// -c, so doveadm finds that instance's base_dir (its auth-userdb socket for user lookups,
// its doveadm-server and indexer sockets) and never reads /etc/dovecot.
//
// Mail commands (`-u user …`) look the user up through the running instance's userdb
// (the checkpassword bridge), so they need the IMAP service started; when it is not,
// the error says so instead of repeating doveadm's socket error. The Dovecot user name
// is the account's email address.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mailPaths } from './daemonAccess';

export class DoveadmError extends Error {
  constructor(message: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'DoveadmError';
  }
}

export interface DoveadmOptions {
  signal?: AbortSignal;
  /** Default 30 s; the process is killed when it runs longer. */
  timeoutMs?: number;
  /** Called with stdout as it arrives (`doveadm -v index` prints its `\rN/M` progress counter there). */
  onOutput?: (chunk: string) => void;
  /** Called with stderr as it arrives (doveadm's log lines). */
  onLog?: (chunk: string) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const KILL_AFTER_MS = 5000;
/** Output kept from one call: a search over a large mailbox prints a line per mail. */
const MAX_OUTPUT = 256 * 1024 * 1024;

/** The private instance's configuration and run directory. */
export function doveadmPaths(dataDir: string) {
  const dir = mailPaths(dataDir).imapDir;
  return { config: path.join(dir, 'dovecot.conf'), run: path.join(dir, 'run') };
}

/** Why doveadm cannot reach the private instance right now, or null when it is running. */
export function dovecotStopped(dataDir: string): string | null {
  const p = doveadmPaths(dataDir);
  if (!fs.existsSync(p.config)) return 'the IMAP service (Dovecot) has never been started here: it has no configuration yet';
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(p.run, 'master.pid'), 'utf8').trim());
  } catch {
    return 'the IMAP service (Dovecot) is stopped';
  }
  if (!Number.isInteger(pid) || pid <= 0) return 'the IMAP service (Dovecot) is stopped';
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return 'the IMAP service (Dovecot) is stopped';
  }
  return null;
}

/** The doveadm binary: beside dovecot on PATH, or Debian's place. */
function binary(): string {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin']) {
    const file = path.join(dir, 'doveadm');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new DoveadmError('doveadm is not installed (apt-get install dovecot-core)', null);
}

/** doveadm's useful complaint: its error lines without the "doveadm(user): Error:" prefixes, joined. */
function complaint(stderr: string): string {
  const all = stderr.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.replace(/^doveadm(\([^)]*\))?(<[^>]*>)?: /, ''));
  // With -v doveadm also prints Info lines: the errors are what matters, when there are any.
  const errors = all.filter((l) => /^(Fatal|Error|Panic): /.test(l));
  return (errors.length ? errors : all).map((l) => l.replace(/^(Fatal|Error|Panic|Warning|Info): /, '')).join('; ').slice(0, 2000);
}

/** The command words of an argument list ('fts rescan' of ['-v', 'fts', 'rescan', '-u', …]), for messages. */
function commandWords(args: string[]): string {
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    if (args[i].startsWith('-')) {
      if (words.length) break;
      if (args[i] === '-f' || args[i] === '-o') i++;
    } else words.push(args[i]);
  }
  return words.join(' ');
}

/** doveadm's exit code for a failure that may pass (EX_TEMPFAIL: "User lookup failed: Internal error" while Dovecot starts). */
export const EX_TEMPFAIL = 75;
/** Waits between the tries of a call that failed with EX_TEMPFAIL: five tries, 1.5 s of waiting at most. */
export const TEMPFAIL_BACKOFF_MS = [100, 200, 400, 800];

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Runs doveadm against the private Dovecot, bounded by timeoutMs (default 30 s, each try)
 * and signal. A temporary failure (exit 75) is tried again a few times, a little later
 * each time (TEMPFAIL_BACKOFF_MS), before it counts. Throws DoveadmError with doveadm's
 * stderr in the message; a missing binary or stopped service gives a message that says so.
 */
export async function doveadm(dataDir: string, args: string[], opts: DoveadmOptions = {}): Promise<{ stdout: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await doveadmOnce(dataDir, args, opts);
    } catch (e) {
      const wait = TEMPFAIL_BACKOFF_MS[attempt];
      if (!(e instanceof DoveadmError) || e.exitCode !== EX_TEMPFAIL || wait === undefined || opts.signal?.aborted) throw e;
      await pause(wait, opts.signal);
    }
  }
}

function doveadmOnce(dataDir: string, args: string[], opts: DoveadmOptions): Promise<{ stdout: string }> {
  const what = `doveadm ${commandWords(args)}`;
  if (opts.signal?.aborted) return Promise.reject(new DoveadmError(`${what}: cancelled before it started`, null));
  const stopped = dovecotStopped(dataDir);
  if (stopped) return Promise.reject(new DoveadmError(`${what}: ${stopped}`, null));
  let bin: string;
  try {
    bin = binary();
  } catch (e) {
    return Promise.reject(e);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { config } = doveadmPaths(dataDir);
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const child = execFile(bin, ['-c', config, ...args], { maxBuffer: MAX_OUTPUT, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (!err) return resolve({ stdout });
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (e.code === 'ENOENT') return reject(new DoveadmError('doveadm is not installed (apt-get install dovecot-core)', null));
        if (timedOut) return reject(new DoveadmError(`${what}: no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}, stopped`, null));
        if (opts.signal?.aborted) return reject(new DoveadmError(`${what}: cancelled`, null));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new DoveadmError(`${what}: its output exceeded ${MAX_OUTPUT} bytes`, null));
        const code = typeof e.code === 'number' ? e.code : null;
        const msg = complaint(stderr);
        // The instance went away between the check above and the call.
        if (/connect\([^)]*\) failed: (No such file or directory|Connection refused)/.test(msg) && dovecotStopped(dataDir)) {
          return reject(new DoveadmError(`${what}: the IMAP service (Dovecot) is stopped`, code));
        }
        reject(new DoveadmError(`${what} failed${code !== null ? ` (exit ${code})` : ''}: ${msg || e.message}`, code));
      });
    // SIGTERM lets doveadm stop between mails; one that does not is killed.
    const stop = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), KILL_AFTER_MS).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    const { onOutput, onLog } = opts;
    if (onOutput) child.stdout?.on('data', (d: string) => onOutput(d));
    if (onLog) child.stderr?.on('data', (d: string) => onLog(d));
    const onAbort = stop;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `doveadm -f tab …` parsed into rows keyed by the header line's names. */
export async function doveadmTable(dataDir: string, args: string[], opts: DoveadmOptions = {}): Promise<Record<string, string>[]> {
  const { stdout } = await doveadm(dataDir, ['-f', 'tab', ...args], opts);
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      row[name] = cells[i] ?? '';
    });
    return row;
  });
}
