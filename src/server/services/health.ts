// Health checks (seed 002's /healthcheck): one x:HealthCheck record per component, kept
// current by probing every few seconds, and at once when a service changes.
//
//   store     a read of the SQLite store, timed (slow: degraded)
//   imap      the x:Service record the supervisor keeps (watch.ts) and, when it says
//   smtp      running, a greeting read from its port right now
//   lmtp      Dovecot's LMTP socket answers LHLO (the path Postfix delivers through)
//   disk      free space of the file system holding DATA_DIR (statfs), with thresholds
//   tasks     the task manager: nothing waits while nothing runs, and a running task
//             moves (its progress changes) and honours a cancel
//
// A record is written when its status, cause or remedy changes, and otherwise at most
// once a minute (checkedAt), so the change log and the push stream stay quiet while all
// is well. Reads of x:HealthCheck run a round first unless one started within the last
// quarter second (the object's refresh hook, objects/health.ts), so /healthcheck is current.

import fs from 'node:fs';
import net from 'node:net';
import { utcDateTime } from '../../shared/schema/validate';
import { mailPaths } from '../mail/daemonAccess';
import type { Data, Store } from '../store/records';
import { answers, describeProbe, probeGreeting, probeHost } from './probe';

export const HEALTH = 'x:HealthCheck';
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface CheckResult {
  status: HealthStatus;
  cause: string | null;
  /** What to do about it (null when healthy). */
  remedy: string | null;
}

/** The components, in the order they are shown: record id → James's componentName. */
export const COMPONENTS = {
  store: 'Store',
  imap: 'IMAP',
  smtp: 'SMTP',
  lmtp: 'LMTP delivery',
  disk: 'Disk space',
  tasks: 'Task manager',
} as const;
export type Component = keyof typeof COMPONENTS;

export interface DiskThresholds {
  /** Below either: degraded. */
  degradedFreeBytes: number;
  degradedFreeRatio: number;
  /** Below either: unhealthy. */
  unhealthyFreeBytes: number;
  unhealthyFreeRatio: number;
}

export const DISK_THRESHOLDS: DiskThresholds = {
  degradedFreeBytes: 1024 ** 3,
  degradedFreeRatio: 0.1,
  unhealthyFreeBytes: 256 * 1024 ** 2,
  unhealthyFreeRatio: 0.02,
};

export interface HealthOptions {
  store: Store;
  dataDir: string;
  intervalMs?: number;
  disk?: DiskThresholds;
  /** A running task whose progress has not moved for this long is degraded (default 10 min). */
  stuckTaskMs?: number;
  /** Waiting tasks older than this while none runs: the manager is not running them (default 30 s). */
  idleQueueMs?: number;
  /** The task manager (tasks/manager.ts), asked whether it still runs. */
  tasks?: { state(): { closed: boolean; running: { id: string; since: number } | null; waiting: number } };
}

const HEARTBEAT_MS = 60_000;
const SLOW_STORE_MS = 500;
const PROBE_TIMEOUT_MS = 3000;

const ok = (): CheckResult => ({ status: 'healthy', cause: null, remedy: null });
const bad = (status: HealthStatus, cause: string, remedy: string): CheckResult => ({ status, cause, remedy });

const checkers = new WeakMap<Store, HealthChecker>();

/** The checker keeping this store's x:HealthCheck records, when one runs. */
export const healthCheckerFor = (store: Store): HealthChecker | null => checkers.get(store) ?? null;

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(n < 10 * 1024 ** 3 ? 2 : 1)} GiB`;

/** One LMTP greeting and LHLO over the UNIX socket: null when both were answered, else why not. */
export function lmtpAnswers(socketPath: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    let buf = '';
    let greeted = false;
    let done = false;
    const finish = (why: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (why === null) s.end('QUIT\r\n');
      s.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\r\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (!greeted) {
          if (!line.startsWith('220')) return finish(`greeting was ${JSON.stringify(line.slice(0, 80))}`);
          greeted = true;
          s.write('LHLO postern.health\r\n');
        } else if (/^250 /.test(line)) return finish(null);
        else if (!/^250-/.test(line)) return finish(`LHLO answered ${JSON.stringify(line.slice(0, 80))}`);
      }
    });
    s.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOENT' ? 'its socket does not exist' : `${e.code ?? e.message}`));
    s.on('close', () => finish('the connection closed'));
  });
}

export class HealthChecker {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  /** When the last round started, and when an x:Service record last changed. */
  private lastRound = 0;
  private serviceChanged = 0;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private soon: NodeJS.Timeout | null = null;
  /** Running task id → its progress as last seen and since when it is unchanged. */
  private readonly taskSeen = new Map<string, { progress: string; since: number }>();

  constructor(private readonly opts: HealthOptions) {}

  start(): void {
    checkers.set(this.opts.store, this);
    this.unsubscribe = this.opts.store.onChange((types) => {
      if (!types.has('x:Service')) return;
      this.serviceChanged = Date.now();
      // A stopped or started service shows within a moment, not at the next round.
      this.soon ??= setTimeout(() => {
        this.soon = null;
        void this.runNow(0);
      }, 200);
    });
    this.timer = setInterval(() => void this.runNow(0), this.opts.intervalMs ?? 5000);
    this.timer.unref();
    void this.runNow(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (checkers.get(this.opts.store) === this) checkers.delete(this.opts.store);
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.round?.catch(() => {});
  }

  /**
   * Resolves once a round that started at most `maxAgeMs` ago has finished: the one under
   * way if it is that recent, else a new one (after the one under way). One at a time.
   */
  async runNow(maxAgeMs = 1000): Promise<void> {
    for (;;) {
      if (this.closed) return;
      // A round that read the services before their last change is not fresh, however recent.
      const fresh = Date.now() - this.lastRound <= maxAgeMs && this.lastRound > this.serviceChanged;
      if (this.round) {
        await this.round;
        if (fresh) return;
        continue;
      }
      if (fresh) return;
      this.lastRound = Date.now();
      this.round = this.check().finally(() => {
        this.round = null;
      });
    }
  }

  private async check(): Promise<void> {
    // The probes run side by side: a round takes at most one probe timeout.
    const [imap, smtp, lmtp] = await Promise.all([this.serviceCheck('imap', 'IMAP'), this.serviceCheck('smtp', 'SMTP'), this.lmtpCheck()]);
    const results: Record<Component, CheckResult> = { store: this.storeCheck(), imap, smtp, lmtp, disk: this.diskCheck(), tasks: this.tasksCheck() };
    if (!this.closed) this.write(results);
  }

  private write(results: Record<Component, CheckResult>) {
    const { store } = this.opts;
    const now = Date.now();
    let wrote = false;
    try {
      store.transaction(() => {
        for (const [id, r] of Object.entries(results) as [Component, CheckResult][]) {
          const prev = store.get(HEALTH, id);
          const same = prev && prev.status === r.status && prev.cause === r.cause && prev.remedy === r.remedy;
          if (same && now - Date.parse(String(prev.checkedAt)) < HEARTBEAT_MS) continue;
          const next: Data = {
            componentName: COMPONENTS[id],
            ...r,
            checkedAt: utcDateTime(new Date(now)),
            changedAt: same ? prev.changedAt : utcDateTime(new Date(now)),
          };
          if (prev) store.update(HEALTH, id, next, []);
          else store.insert(HEALTH, id, next, []);
          wrote = true;
        }
      });
    } catch {
      store.discardPending();
      return; // the store check says why at the next round
    }
    if (wrote) store.flushChanges();
  }

  private storeCheck(): CheckResult {
    const started = Date.now();
    try {
      this.opts.store.db.prepare('SELECT count(*) FROM (SELECT 1 FROM records LIMIT 1)').get();
    } catch (e) {
      return bad('unhealthy', `The store cannot be read: ${(e as Error).message}`, 'Check the database file in the data directory and the server log');
    }
    const ms = Date.now() - started;
    if (ms > SLOW_STORE_MS) return bad('degraded', `The store took ${ms} ms to answer a simple read`, 'Look for a long write or a busy disk');
    return ok();
  }

  private async serviceCheck(id: 'imap' | 'smtp', label: string): Promise<CheckResult> {
    const rec = this.opts.store.get('x:Service', id);
    const start = `Start it in Settings \u203a Services \u203a ${label}`;
    if (!rec) return bad('unhealthy', `The ${label} service is not set up on this server`, 'Restart the server so it registers its services');
    const status = String(rec.status);
    const lastError = typeof rec.lastError === 'string' ? rec.lastError.split('\n')[0] : null;
    switch (status) {
      case 'running': break;
      case 'starting': return bad('degraded', `The ${label} service is starting`, 'Wait a few seconds');
      case 'stopping': return bad('degraded', `The ${label} service is stopping`, start + ' again when it has stopped');
      case 'notInstalled': return bad('unhealthy', `The ${label} software (${String(rec.software)}) is not installed`, String(rec.installHint ?? 'Install it'));
      case 'failed': return bad('unhealthy', `The ${label} service failed${lastError ? `: ${lastError}` : ''}`, `See its log (${String(rec.logPath ?? 'the service page')}), then restart it`);
      default: return bad('unhealthy', `The ${label} service is stopped`, start);
    }
    const probe = await probeGreeting({
      host: probeHost(String(rec.bindAddress)), port: Number(rec.port), greeting: id === 'imap' ? '* OK' : '220', timeoutMs: PROBE_TIMEOUT_MS,
    });
    if (answers(probe)) return ok();
    return bad('unhealthy', `The ${label} service runs but port ${String(rec.port)} is ${describeProbe(probe)}`, 'Restart it; if that does not help, see its log');
  }

  private async lmtpCheck(): Promise<CheckResult> {
    const imap = this.opts.store.get('x:Service', 'imap');
    if (!imap || imap.status !== 'running') {
      return bad('unhealthy', 'Mail cannot be delivered into mailboxes: LMTP is served by the IMAP service (Dovecot), which is not running', 'Start the IMAP service in Settings \u203a Services');
    }
    const why = await lmtpAnswers(mailPaths(this.opts.dataDir).lmtpSocket);
    if (why === null) return ok();
    return bad('unhealthy', `Dovecot's LMTP socket does not answer: ${why}`, 'Check that dovecot-lmtpd is installed (apt-get install dovecot-lmtpd), then restart the IMAP service');
  }

  private diskCheck(): CheckResult {
    const t = this.opts.disk ?? DISK_THRESHOLDS;
    let st: fs.StatsFs;
    try {
      st = fs.statfsSync(this.opts.dataDir);
    } catch (e) {
      return bad('unhealthy', `The data directory cannot be examined: ${(e as Error).message}`, `Check that ${this.opts.dataDir} exists and is readable`);
    }
    const free = st.bavail * st.bsize;
    const total = st.blocks * st.bsize;
    const ratio = total > 0 ? free / total : 0;
    const state = `${gib(free)} free of ${gib(total)} (${(ratio * 100).toFixed(1)}%) on the file system of ${this.opts.dataDir}`;
    const remedy = 'Free space there (old logs, mail of removed accounts) or grow the file system';
    if (free < t.unhealthyFreeBytes || ratio < t.unhealthyFreeRatio) return bad('unhealthy', `Almost no disk space left: ${state}`, remedy);
    if (free < t.degradedFreeBytes || ratio < t.degradedFreeRatio) return bad('degraded', `Disk space is running low: ${state}`, remedy);
    return ok();
  }

  private tasksCheck(): CheckResult {
    const { store } = this.opts;
    const now = Date.now();
    const stuckMs = this.opts.stuckTaskMs ?? 10 * 60_000;
    const idleMs = this.opts.idleQueueMs ?? 30_000;
    if (this.opts.tasks?.state().closed) return bad('unhealthy', 'The task manager has stopped: no task runs', 'Restart the server');
    const status = `json_extract(data, '$."status"."@type"')`;
    const running = [...store.findWhere('x:Task', `${status} IN ('Running', 'CancelRequested')`)];
    const seen = new Set<string>();
    for (const [id, rec] of running) {
      seen.add(id);
      const progress = JSON.stringify(rec.progress ?? null);
      const last = this.taskSeen.get(id);
      if (!last || last.progress !== progress) this.taskSeen.set(id, { progress, since: now });
    }
    for (const id of this.taskSeen.keys()) if (!seen.has(id)) this.taskSeen.delete(id);
    if (running.length === 0) {
      const waiting = store.queryIds('x:Task', `${status} = 'Pending' AND json_extract(data, '$."submittedAt"') < ?`, [utcDateTime(new Date(now - idleMs))], 'rid', 1, 0);
      if (waiting.length) {
        return bad('unhealthy', `Task ${waiting[0]} has waited more than ${Math.round(idleMs / 1000)} s and no task is running: the task manager is not running tasks`, 'Restart the server; the waiting tasks run after it starts');
      }
      return ok();
    }
    for (const [id, rec] of running) {
      const still = now - (this.taskSeen.get(id)?.since ?? now);
      if (still >= stuckMs) {
        const what = rec.status && (rec.status as Data)['@type'] === 'CancelRequested' ? 'has not stopped after a cancel' : 'has reported no progress';
        return bad('degraded', `Task ${id} (${String(rec['@type'])}) ${what} for ${Math.round(still / 60_000)} min`, 'Open the task in Tasks; cancel it if it does not move');
      }
    }
    return ok();
  }
}
