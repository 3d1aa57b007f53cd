// Which mail software this machine has, and in which version, for x:ServerInfo: Dovecot
// (`dovecot --version`), Postfix (`postconf -d -h mail_version`: the compiled-in value, so
// no configuration is read), and the Dovecot plugins Postern uses, Pigeonhole (Sieve) and
// fts-xapian, which print no version of their own: theirs is the Debian package's
// (`dpkg-query`), when the machine has dpkg. The tools run without a shell, each bounded
// by a timeout, once; the answer is kept and asked again in the background once it is
// older than ttlMs (a daemon installed meanwhile shows up). A read never waits longer than
// it asks to: before the first answer it sees that the check is still running.
// Binaries named by POSTERN_DOVECOT / POSTERN_POSTFIX (the ones the supervisor runs) are the ones asked.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { INSTALL_HINT as POSTFIX_INSTALL_HINT } from '../services/postfix';

export type DaemonKey = 'dovecot' | 'postfix' | 'pigeonhole' | 'ftsXapian';

export interface DaemonInfo {
  key: DaemonKey;
  name: string;
  /** What Postern uses it for. */
  role: string;
  installed: boolean;
  /** The version, when it could be read; null otherwise (see problem). */
  version: string | null;
  /** For software without a version of its own: the Debian package `version` is of. */
  package: string | null;
  /** How to install it, when it is missing. */
  installHint: string | null;
  /** Why the version is unknown although it is installed. */
  problem: string | null;
}

export interface ProbeOptions {
  /** Where the tools are looked for, in order; default PATH, then the usual bin and sbin directories. */
  searchDirs?: string[];
  /** Where Dovecot's plugin modules are looked for. */
  moduleDirs?: string[];
  /** Longest a tool may run, default 3 s. */
  timeoutMs?: number;
  /** Age after which the answer is asked again, default 5 minutes. */
  ttlMs?: number;
  /** The dovecot binary the supervisor runs (POSTERN_DOVECOT); looked for in searchDirs when not given. */
  dovecotBinary?: string;
  /** The postfix binary the supervisor runs (POSTERN_POSTFIX); its postconf is beside it. */
  postfixBinary?: string;
}

const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin', '/sbin', '/bin'];
const MODULE_DIRS = ['/usr/lib/dovecot/modules', '/usr/lib64/dovecot/modules', '/usr/local/lib/dovecot/modules'];
const DOVECOT_INSTALL_HINT = 'apt-get install dovecot-core dovecot-imapd dovecot-lmtpd';

type Run = (file: string, args: string[]) => Promise<string>;

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Finds a tool in `dirs`; a tool named in `fixed` (a configured binary) is there or nowhere. */
function finder(dirs: string[], fixed: Record<string, string | undefined> = {}) {
  return (name: string): string | null => {
    const named = fixed[name];
    if (named) return executable(named) ? named : null;
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (executable(file)) return file;
    }
    return null;
  };
}

function runner(timeoutMs: number): Run {
  return (file, args) =>
    new Promise((resolve, reject) => {
      execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 64 * 1024, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        const tool = path.basename(file);
        if (e.killed) return reject(new Error(`${tool} gave no answer within ${Math.round(timeoutMs / 100) / 10} s`));
        const line = stderr.split('\n').map((l) => l.trim()).find(Boolean);
        reject(new Error(`${tool} failed: ${line ?? e.message}`));
      });
    });
}

const firstWord = (s: string) => s.trim().split(/\s+/)[0] || null;

/** One program with a version of its own. */
async function program(run: Run, find: (n: string) => string | null, base: Omit<DaemonInfo, 'installed' | 'version' | 'problem' | 'package'>, tool: string, args: string[]): Promise<DaemonInfo> {
  const bin = find(tool);
  if (!bin) return { ...base, installed: false, version: null, package: null, problem: null };
  try {
    const version = firstWord(await run(bin, args));
    return { ...base, installHint: null, installed: true, version, package: null, problem: version ? null : `${tool} printed no version` };
  } catch (e) {
    return { ...base, installHint: null, installed: true, version: null, package: null, problem: (e as Error).message };
  }
}

/** A Dovecot plugin: installed when its module is there; its version is its Debian package's. */
async function plugin(run: Run, find: (n: string) => string | null, moduleDirs: string[], base: Omit<DaemonInfo, 'installed' | 'version' | 'problem' | 'package'>, module: string, pkg: string): Promise<DaemonInfo> {
  const installed = moduleDirs.some((d) => fs.existsSync(path.join(d, module)));
  if (!installed) return { ...base, installed, version: null, package: null, problem: null };
  const dpkg = find('dpkg-query');
  const known = { ...base, installHint: null, installed };
  if (!dpkg) return { ...known, version: null, package: pkg, problem: 'the plugin prints no version, and this machine has no dpkg-query to ask its package' };
  try {
    const version = (await run(dpkg, ['-W', '-f', '${Version}', pkg])).trim() || null;
    return { ...known, version, package: pkg, problem: version ? null : `dpkg knows no version of ${pkg}` };
  } catch (e) {
    return { ...known, version: null, package: pkg, problem: (e as Error).message };
  }
}

/** Every piece of mail software, probed once (the tools side by side). */
export async function probeDaemons(opts: ProbeOptions = {}): Promise<DaemonInfo[]> {
  const dirs = opts.searchDirs ?? [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SBIN_DIRS];
  // The binaries the supervisor runs (services/supervisor.ts defaultDrivers), when configured.
  const dovecot = opts.dovecotBinary ?? (process.env.POSTERN_DOVECOT || undefined);
  const postfix = opts.postfixBinary ?? (process.env.POSTERN_POSTFIX || undefined);
  const find = finder(dirs, { dovecot, postconf: postfix && path.join(path.dirname(postfix), 'postconf') });
  const run = runner(opts.timeoutMs ?? 3000);
  const moduleDirs = opts.moduleDirs ?? MODULE_DIRS;
  return Promise.all([
    program(run, find, { key: 'dovecot', name: 'Dovecot', role: 'IMAP and POP3 for mail clients, delivery into the mailboxes (LMTP)', installHint: DOVECOT_INSTALL_HINT }, 'dovecot', ['--version']),
    program(run, find, { key: 'postfix', name: 'Postfix', role: 'SMTP: receives and sends mail', installHint: POSTFIX_INSTALL_HINT }, 'postconf', ['-d', '-h', 'mail_version']),
    plugin(run, find, moduleDirs, { key: 'pigeonhole', name: 'Pigeonhole (Sieve)', role: 'Sieve filters on delivery, ManageSieve', installHint: 'apt-get install dovecot-sieve dovecot-managesieved' }, 'lib90_sieve_plugin.so', 'dovecot-sieve'),
    plugin(run, find, moduleDirs, { key: 'ftsXapian', name: 'fts-xapian', role: 'Full-text search in the mailboxes', installHint: 'apt-get install dovecot-fts-xapian' }, 'lib21_fts_xapian_plugin.so', 'dovecot-fts-xapian'),
  ]);
}

export interface DaemonSnapshot {
  daemons: DaemonInfo[] | null;
  /** When the answer was read (ms), null before the first one. */
  checkedAt: number | null;
}

/** The answer kept between reads; `refresh` starts a probe when there is none or it is old. */
export class DaemonVersions {
  private snapshot: DaemonSnapshot = { daemons: null, checkedAt: null };
  private running: Promise<void> | null = null;

  constructor(private readonly opts: ProbeOptions = {}, private readonly probe: (o: ProbeOptions) => Promise<DaemonInfo[]> = probeDaemons) {}

  current(): DaemonSnapshot {
    return this.snapshot;
  }

  /** Probes when needed and waits for the answer at most maxWaitMs (it lands later otherwise). */
  async refresh(maxWaitMs = 1000, now = Date.now()): Promise<DaemonSnapshot> {
    const stale = this.snapshot.checkedAt === null || now - this.snapshot.checkedAt >= (this.opts.ttlMs ?? 5 * 60_000);
    if (stale && !this.running) {
      this.running = this.probe(this.opts)
        .then((daemons) => {
          this.snapshot = { daemons, checkedAt: Date.now() };
        })
        .catch(() => {
          // probeDaemons turns every failure into a daemon's problem; anything else leaves the old answer
        })
        .finally(() => {
          this.running = null;
        });
    }
    if (this.running) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.running, new Promise<void>((r) => (timer = setTimeout(r, maxWaitMs)))]);
      clearTimeout(timer);
    }
    return this.snapshot;
  }
}

/** The server's own. */
export const daemonVersions = new DaemonVersions();
