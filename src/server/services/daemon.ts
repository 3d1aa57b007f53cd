// One supervised daemon process: spawned in the foreground, watched for exit, stopped
// with SIGTERM then SIGKILL. It stays in the server's process group, so whatever kills
// the server's group (a terminal, systemd, a test runner) takes the daemon along; its
// helpers exit on their own when their master is gone. Daemons are also told to stop
// when the Node process exits, and one left behind by a server that was killed alone
// is found by its pid file and stopped before a new one starts.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { LaunchPlan } from './driver';

export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The supervisor asked for it (stop / restart / shutdown). */
  expected: boolean;
}

const live = new Set<Daemon>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous: the master finishes its own shutdown after we are gone.
  process.on('exit', () => {
    for (const d of live) d.signal('SIGTERM');
  });
}

const OUTPUT_LINES = 40;

export class Daemon {
  readonly pid: number;
  readonly startedAt = new Date();
  readonly exited: Promise<DaemonExit>;
  exit: DaemonExit | null = null;
  private stopRequested = false;
  private readonly output: string[] = [];

  private constructor(private readonly child: ChildProcess) {
    this.pid = child.pid!;
    live.add(this);
    installExitHook();
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) this.output.push(line.trimEnd());
      }
      if (this.output.length > OUTPUT_LINES) this.output.splice(0, this.output.length - OUTPUT_LINES);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(this);
        this.exit = { code, signal, expected: this.stopRequested };
        resolve(this.exit);
      });
    });
  }

  /** Starts the plan; rejects when the command cannot be executed at all. */
  static spawn(plan: LaunchPlan): Promise<Daemon> {
    return new Promise((resolve, reject) => {
      const child = spawn(plan.command, plan.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.once('error', reject);
      child.once('spawn', () => {
        child.removeListener('error', reject);
        child.on('error', () => {}); // a later kill() of a dead process is not an error
        resolve(new Daemon(child));
      });
    });
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** What the daemon wrote to stdout / stderr (early fatal errors land here). */
  recentOutput(): string[] {
    return [...this.output];
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.alive) return; // the pid may belong to someone else by now
    try {
      process.kill(this.pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 8000): Promise<DaemonExit> {
    this.stopRequested = true;
    if (!this.alive) return this.exit!;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/**
 * A daemon still running from an earlier server process (that crashed or was killed)
 * holds the ports and the pid file. Stops it if its command line names `configPath`.
 */
export async function stopLeftover(pidFile: string, configPath: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return false;
  }
  const ours = () => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(configPath);
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 1 || !ours()) {
    fs.rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 80 && ours(); i++) await new Promise((r) => setTimeout(r, 100));
  if (ours()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  fs.rmSync(pidFile, { force: true });
  return true;
}
