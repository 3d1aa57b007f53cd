// The service supervisor: keeps one x:Service record per driver in step with the real
// daemon, runs x:ServiceAction commands, and measures "running" (child alive and the
// port answers with its greeting) every couple of seconds.
//
// /set is synchronous, so actions are picked up from the change log: store.onChange
// says x:ServiceAction moved, changesSince() lists the records created since the last
// look, and each is run in order per service. Outcomes are written back with
// store.update + flushChanges, so clients see them through /get, /changes and push.

import fs from 'node:fs';
import path from 'node:path';
import { checkObject, utcDateTime } from '../../shared/schema/validate';
import { SCHEMA } from '../objects';
import { SERVICE_LIMITS } from '../objects/services';
import { ChangeKind, propExpr, type Data, type Ref, type Store } from '../store/records';
import { Daemon, stopLeftover, type DaemonExit } from './daemon';
import { servicePaths, type Installation, type ServiceDriver, type ServicePaths, type ServiceSettings } from './driver';
import { dovecotDriver, infoLogPath } from './dovecot';
import { fileSize, tailLines } from './logtail';
import { describeProbe, probeGreeting, probeHost, type ProbeResult } from './probe';

const SERVICE = 'x:Service';
const ACTION = 'x:ServiceAction';
const START_TIMEOUT_MS = 15_000;
const KEEP_ACTIONS = 200;
const INFO_LOG_MAX = 10 * 1024 * 1024;
/** Re-detect the installation every this many probe rounds while stopped. */
const DETECT_EVERY = 15;

export interface SupervisorOptions {
  store: Store;
  dataDir: string;
  nodeName: string;
  drivers?: ServiceDriver[];
  /** Initial settings of new records: POSTERN_<ID>_PORT, _SECURE_PORT, _ADDRESS, _START_ON_BOOT. */
  env?: NodeJS.ProcessEnv;
  probeIntervalMs?: number;
  log?: (msg: string) => void;
}

/** The drivers of a normal server. POSTERN_DOVECOT names another dovecot binary. */
export function defaultDrivers(env: NodeJS.ProcessEnv = process.env): ServiceDriver[] {
  return [dovecotDriver({ protocol: 'imap', binary: env.POSTERN_DOVECOT || undefined })];
}

interface Slot {
  driver: ServiceDriver;
  paths: ServicePaths;
  install: Installation;
  daemon: Daemon | null;
  /** Settings and config text the running daemon was started with. */
  applied: { settings: ServiceSettings; config: string } | null;
  /** Log size when the daemon started: lines after it belong to this run. */
  logStart: number;
  /** Operations on one service run one at a time. */
  queue: Promise<void>;
  /** An action is in progress: the probe loop leaves the record alone. */
  operating: boolean;
  starting: boolean;
  failedProbes: number;
  /** Last copy of the record, to put it back if a client destroys it. */
  last: Data | null;
}

class ActionError extends Error {}

const now = () => utcDateTime();
/** `unref`: a timer that must not keep the process alive by itself. */
const sleep = (ms: number, unref = false) => new Promise((r) => {
  const t = setTimeout(r, ms);
  if (unref) t.unref();
});

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function uptime(since: Date): string {
  const s = Math.round((Date.now() - since.getTime()) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export class Supervisor {
  private readonly store: Store;
  private readonly slots = new Map<string, Slot>();
  private readonly interval: number;
  private readonly log: (msg: string) => void;
  private nodeId: string | null = null;
  private actionSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  private rounds = 0;
  private scheduled = new Set<string>();

  constructor(private readonly opts: SupervisorOptions) {
    this.store = opts.store;
    this.interval = opts.probeIntervalMs ?? 2000;
    this.log = opts.log ?? (() => {});
    for (const driver of opts.drivers ?? defaultDrivers(opts.env)) {
      this.slots.set(driver.id, {
        driver,
        paths: servicePaths(path.join(opts.dataDir, 'services', driver.id)),
        install: { installed: false, version: null, binary: null },
        daemon: null,
        applied: null,
        logStart: 0,
        queue: Promise.resolve(),
        operating: false,
        starting: false,
        failedProbes: 0,
        last: null,
      });
    }
  }

  /** Registers the records, fails actions a previous run left unfinished, starts on boot. */
  async start(): Promise<void> {
    this.nodeId = this.store.findBy('x:ClusterNode', 'name', this.opts.nodeName);
    await Promise.all([...this.slots.values()].map(async (slot) => {
      slot.install = await slot.driver.detect();
    }));
    for (const slot of this.slots.values()) this.register(slot);
    this.failUnfinishedActions();
    this.actionSeq = this.store.modseq(ACTION);
    this.unsubscribe = this.store.onChange((types) => {
      if (types.has(ACTION)) this.later('actions', () => this.drainActions());
      if (types.has(SERVICE)) this.later('services', () => this.reconcile());
    });
    this.timer = setInterval(() => void this.probeAll(), this.interval);
    this.timer.unref();
    for (const slot of this.slots.values()) {
      if (slot.install.installed && this.record(slot)?.startOnBoot === true) {
        this.log(`Starting ${slot.driver.generalName} (start on boot)`);
        void this.enqueue(slot, async () => {
          await this.startDaemon(slot).catch((e) => this.log(`${slot.driver.generalName} did not start: ${(e as Error).message}`));
        });
      }
    }
  }

  /** Stops every daemon; no child outlives the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await Promise.all([...this.slots.values()].map(async (slot) => {
      const stopping = slot.daemon?.stop();
      await Promise.race([slot.queue, sleep(START_TIMEOUT_MS, true)]);
      await stopping;
      await slot.daemon?.stop();
    }));
  }

  // ---- records ------------------------------------------------------------------

  private later(key: string, fn: () => void) {
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    setImmediate(() => {
      this.scheduled.delete(key);
      if (!this.closed) fn();
    });
  }

  private record(slot: Slot): Data | null {
    return this.closed ? null : this.store.get(SERVICE, slot.driver.id);
  }

  private settings(slot: Slot): ServiceSettings {
    const r = this.record(slot) ?? slot.last ?? {};
    const d = slot.driver.defaultPorts;
    const num = (k: string, fallback: number) => (typeof r[k] === 'number' ? (r[k] as number) : fallback);
    return {
      startOnBoot: r.startOnBoot === true,
      bindAddress: typeof r.bindAddress === 'string' ? r.bindAddress : '0.0.0.0',
      port: num('port', d.port),
      securePort: num('securePort', d.securePort),
      maxConnections: num('maxConnections', SERVICE_LIMITS.maxConnections.default),
      memoryLimit: num('memoryLimit', SERVICE_LIMITS.memoryLimit.default),
      secureMaxConnections: num('secureMaxConnections', SERVICE_LIMITS.maxConnections.default),
      secureMemoryLimit: num('secureMemoryLimit', SERVICE_LIMITS.memoryLimit.default),
    };
  }

  /** The settings of a new record: schema defaults, the driver's ports, then the environment. */
  private initialSettings(driver: ServiceDriver): Data {
    const env = this.opts.env ?? process.env;
    const key = `POSTERN_${driver.id.toUpperCase()}_`;
    const int = (name: string) => (env[key + name] && /^\d+$/.test(env[key + name]!) ? Number(env[key + name]) : undefined);
    const input: Data = {
      port: int('PORT') ?? driver.defaultPorts.port,
      securePort: int('SECURE_PORT') ?? driver.defaultPorts.securePort,
    };
    if (env[key + 'ADDRESS']) input.bindAddress = env[key + 'ADDRESS'];
    if (env[key + 'START_ON_BOOT']) input.startOnBoot = /^(1|true|yes)$/i.test(env[key + 'START_ON_BOOT']!);
    const check = checkObject(SCHEMA, SERVICE, input);
    if (check.errors.length) {
      this.log(`Ignoring invalid ${key}* settings: ${check.errors.map((e) => `${e.property}: ${e.description}`).join('; ')}`);
      return checkObject(SCHEMA, SERVICE, { port: driver.defaultPorts.port, securePort: driver.defaultPorts.securePort }).value;
    }
    return check.value;
  }

  private readOuts(slot: Slot): Data {
    const { driver, install, paths } = slot;
    return {
      name: driver.serviceName,
      generalName: driver.generalName,
      description: driver.description,
      software: driver.software,
      version: install.version,
      nodeId: this.nodeId,
      requiredPermissions: { sysServiceGet: true, sysServiceUpdate: true, sysServiceActionCreate: true, sysServiceActionGet: true },
      page: `/settings/services/${driver.id}`,
      installed: install.installed,
      installHint: driver.installHint,
      configPath: paths.config,
      logPath: paths.log,
    };
  }

  /** Creates or refreshes the record at start: nothing runs yet, whatever it said before. */
  private register(slot: Slot) {
    const id = slot.driver.id;
    const prev = this.store.get(SERVICE, id);
    const base = prev ?? this.initialSettings(slot.driver);
    const next: Data = {
      ...base,
      ...this.readOuts(slot),
      status: slot.install.installed ? 'stopped' : 'notInstalled',
      running: false,
      pid: null,
      startedAt: null,
      restartRequired: false,
      effectiveConfig: null,
      lastError: prev?.lastError ?? null,
    };
    next.ports = this.ports(slot, next);
    this.store.transaction(() => {
      if (prev) this.store.update(SERVICE, id, next, []);
      else this.store.insert(SERVICE, id, next, []);
    });
    this.store.flushChanges();
    slot.last = next;
  }

  private ports(slot: Slot, record: Data): Record<string, true> {
    const s = slot.applied?.settings ?? { port: record.port, securePort: record.securePort };
    return { [String(s.port)]: true, [String(s.securePort)]: true };
  }

  /** Writes `fields` into the service record when they change something. */
  private patch(slot: Slot, fields: Data): void {
    if (this.closed) return;
    const id = slot.driver.id;
    let wrote = false;
    this.store.transaction(() => {
      const cur = this.store.get(SERVICE, id);
      if (!cur) return;
      const next = { ...cur, ...fields };
      next.ports = this.ports(slot, next);
      next.running = next.status === 'running';
      if (sameJson(cur, next)) {
        slot.last = cur;
        return;
      }
      this.store.update(SERVICE, id, next, []);
      slot.last = next;
      wrote = true;
    });
    if (wrote) this.store.flushChanges();
  }

  /** After a client's write: put back a destroyed record, say whether a restart is due. */
  private reconcile() {
    for (const slot of this.slots.values()) {
      const cur = this.store.get(SERVICE, slot.driver.id);
      if (!cur && slot.last) {
        this.store.transaction(() => this.store.insert(SERVICE, slot.driver.id, slot.last!, []));
        this.store.flushChanges();
        this.log(`${SERVICE} ${slot.driver.id} was destroyed; the server registered it again`);
        continue;
      }
      const restartRequired = !!(slot.daemon?.alive && slot.applied &&
        slot.driver.renderConfig(this.settings(slot), slot.paths) !== slot.applied.config);
      this.patch(slot, { restartRequired });
    }
  }

  // ---- actions ------------------------------------------------------------------

  private enqueue(slot: Slot, job: () => Promise<void>): Promise<void> {
    const run = slot.queue.then(async () => {
      if (this.closed) return;
      slot.operating = true;
      try {
        await job();
      } finally {
        slot.operating = false;
      }
    });
    slot.queue = run.catch(() => {});
    return run;
  }

  private failUnfinishedActions() {
    const where = `${propExpr('state')} IN ('pending', 'running')`;
    const ids = this.store.queryIds(ACTION, where, [], 'rid', 10_000, 0);
    for (const id of ids) {
      this.setAction(id, { state: 'failed', message: 'The server stopped before this action finished.', finishedAt: now() });
    }
  }

  private setAction(id: string, fields: Data) {
    if (this.closed) return;
    let wrote = false;
    this.store.transaction(() => {
      const cur = this.store.get(ACTION, id);
      if (!cur) return;
      const next = { ...cur, ...fields };
      const refs: Ref[] = [{ objectName: SERVICE, id: String(next.serviceId) }];
      if (typeof next.nodeId === 'string') refs.push({ objectName: 'x:ClusterNode', id: next.nodeId });
      this.store.update(ACTION, id, next, refs);
      wrote = true;
    });
    if (wrote) this.store.flushChanges();
  }

  private drainActions() {
    for (;;) {
      const changes = this.store.changesSince(ACTION, this.actionSeq, 500);
      for (const c of changes) {
        this.actionSeq = c.modseq;
        if (c.kind !== ChangeKind.Created) continue;
        const rec = this.store.get(ACTION, c.id);
        if (rec?.state === 'pending') this.dispatch(c.id, rec);
      }
      if (changes.length < 500) break;
    }
  }

  private dispatch(actionId: string, rec: Data) {
    const slot = this.slots.get(String(rec.serviceId));
    if (!slot) {
      this.setAction(actionId, { state: 'failed', message: `This server does not supervise a service ${rec.serviceId}.`, finishedAt: now() });
      return;
    }
    void this.enqueue(slot, () => this.runAction(slot, actionId, rec)).then(() => this.pruneActions());
  }

  private nodeName(id: string): string {
    const n = this.store.get('x:ClusterNode', id);
    return typeof n?.name === 'string' ? n.name : id;
  }

  private async runAction(slot: Slot, actionId: string, rec: Data) {
    if (!this.store.get(ACTION, actionId)) return; // destroyed while waiting
    this.setAction(actionId, { state: 'running' });
    const here = this.nodeId;
    const nodes = rec.allNodes === true
      ? this.store.queryIds('x:ClusterNode', '', [], 'rid', 1000, 0)
      : [typeof rec.nodeId === 'string' ? rec.nodeId : here ?? 'local'];
    if (here && !nodes.includes(here) && rec.allNodes === true) nodes.unshift(here);
    const lines: string[] = [];
    let ok = true;
    for (const node of nodes) {
      const name = node === here || node === 'local' ? this.opts.nodeName : this.nodeName(node);
      if (node !== here && node !== 'local') {
        ok = false;
        lines.push(`${name}: not reachable from this server. Postern controls services only on the node it runs on (${this.opts.nodeName}); run the action from ${name}'s own console.`);
        continue;
      }
      try {
        lines.push(`${name}: ${await this.perform(slot, String(rec.action))}`);
      } catch (e) {
        ok = false;
        lines.push(`${name}: ${(e as Error).message}`);
      }
    }
    this.setAction(actionId, {
      state: ok ? 'done' : 'failed',
      message: lines.join('\n'),
      isRunning: this.record(slot)?.status === 'running',
      finishedAt: now(),
    });
  }

  private async perform(slot: Slot, action: string): Promise<string> {
    switch (action) {
      case 'start': return this.startDaemon(slot);
      case 'stop': return this.stopDaemon(slot);
      case 'restart': {
        const stopped = slot.daemon?.alive ? `${await this.stopDaemon(slot)}; ` : '';
        return stopped + (await this.startDaemon(slot));
      }
      case 'status': return this.status(slot);
      default: throw new ActionError(`Unknown action ${action}`);
    }
  }

  private pruneActions() {
    if (this.closed) return;
    const done = `${propExpr('state')} IN ('done', 'failed')`;
    const extra = this.store.count(ACTION, done, []) - KEEP_ACTIONS;
    if (extra <= 0) return;
    const ids = this.store.queryIds(ACTION, done, [], 'rid', extra, 0);
    this.store.transaction(() => {
      for (const id of ids) this.store.delete(ACTION, id);
    });
    this.store.flushChanges();
  }

  // ---- the daemon ---------------------------------------------------------------

  private async startDaemon(slot: Slot): Promise<string> {
    const { driver, paths } = slot;
    if (slot.daemon?.alive) {
      const r = await this.probe(slot, false);
      if (r.kind === 'greeting' || r.kind === 'silent') return `already running (pid ${slot.daemon.pid})`;
      throw new ActionError(`The daemon runs (pid ${slot.daemon.pid}) but its port is ${describeProbe(r)}; restart it.`);
    }
    slot.install = await driver.detect();
    if (!slot.install.installed) {
      this.patch(slot, { ...this.readOuts(slot), status: 'notInstalled' });
      throw new ActionError(`${driver.software} is not installed on this node. Install it with: ${driver.installHint}`);
    }
    const settings = this.settings(slot);
    slot.starting = true;
    this.patch(slot, { ...this.readOuts(slot), status: 'starting', lastError: null });
    try {
      await stopLeftover(driver.pidFile(paths), paths.config);
      const plan = await driver.prepare(settings, paths, slot.install).catch((e: Error) => {
        throw this.fail(slot, `Could not prepare ${driver.software}: ${e.message}`);
      });
      if (this.closed) throw new ActionError('The server is shutting down');
      slot.logStart = fileSize(paths.log);
      const daemon = await Daemon.spawn(plan).catch((e: Error) => {
        throw this.fail(slot, `Could not run ${plan.command}: ${e.message}`);
      });
      slot.daemon = daemon;
      slot.applied = { settings, config: plan.configText };
      void daemon.exited.then((exit) => this.onExit(slot, daemon, exit));
      this.patch(slot, { pid: daemon.pid });
      if (this.closed) {
        await daemon.stop();
        throw new ActionError('The server is shutting down');
      }

      const deadline = Date.now() + START_TIMEOUT_MS;
      let plain: ProbeResult = { kind: 'refused', error: 'not tried' };
      let secure: ProbeResult = plain;
      while (daemon.alive && !this.closed && Date.now() < deadline) {
        plain = await this.probe(slot, false, 1000);
        if (plain.kind === 'greeting') secure = await this.probe(slot, true, 3000);
        if (plain.kind === 'greeting' && secure.kind === 'greeting') break;
        await sleep(150);
      }
      if (!daemon.alive) throw new ActionError(this.record(slot)?.lastError as string ?? `${driver.software} exited during start-up`);
      if (this.closed) throw new ActionError('The server is shutting down');
      if (plain.kind !== 'greeting' || secure.kind !== 'greeting') {
        await daemon.stop();
        const which = plain.kind !== 'greeting' ? `port ${settings.port} is ${describeProbe(plain)}` : `TLS port ${settings.securePort} is ${describeProbe(secure)}`;
        throw this.fail(slot, `${driver.software} did not come up within ${START_TIMEOUT_MS / 1000} s: ${which}.`);
      }
      const effectiveConfig = await driver.effectiveConfig(paths);
      slot.failedProbes = 0;
      this.patch(slot, {
        status: 'running',
        pid: daemon.pid,
        startedAt: utcDateTime(daemon.startedAt),
        lastError: null,
        effectiveConfig,
        restartRequired: driver.renderConfig(this.settings(slot), paths) !== plan.configText,
      });
      this.log(`${driver.generalName} started (pid ${daemon.pid}) on ${settings.bindAddress} ports ${settings.port}, ${settings.securePort}`);
      return `started (pid ${daemon.pid}); ${plain.line.slice(0, 4)} on port ${settings.port} and TLS port ${settings.securePort}`;
    } finally {
      slot.starting = false;
    }
  }

  /** Records a failure to start and returns the error to throw. */
  private fail(slot: Slot, message: string): ActionError {
    const lastError = [message, ...this.logLines(slot)].join('\n');
    this.patch(slot, { status: 'failed', pid: null, startedAt: null, effectiveConfig: null, lastError });
    return new ActionError(lastError);
  }

  private logLines(slot: Slot): string[] {
    const errors = tailLines(slot.paths.log, 12, slot.logStart);
    const output = slot.daemon?.recentOutput().slice(-8) ?? [];
    const lines = [...output, ...errors];
    return lines.length ? lines : tailLines(infoLogPath(slot.paths), 5).map((l) => `(info) ${l}`);
  }

  private onExit(slot: Slot, daemon: Daemon, exit: DaemonExit) {
    if (slot.daemon !== daemon) return;
    if (exit.expected) return; // stopDaemon() writes the record
    const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
    const lastError = [
      `${slot.driver.software} (pid ${daemon.pid}) ${how}${slot.starting ? ' during start-up' : ' unexpectedly'}.`,
      ...this.logLines(slot),
    ].join('\n');
    slot.daemon = null;
    slot.applied = null;
    this.log(`${slot.driver.generalName}: ${lastError.split('\n')[0]}`);
    this.patch(slot, {
      status: slot.starting ? 'failed' : 'stopped',
      pid: null,
      startedAt: null,
      effectiveConfig: null,
      restartRequired: false,
      lastError,
    });
  }

  private async stopDaemon(slot: Slot): Promise<string> {
    const daemon = slot.daemon;
    if (!daemon?.alive) {
      slot.daemon = null;
      slot.applied = null;
      this.patch(slot, { status: slot.install.installed ? 'stopped' : 'notInstalled', pid: null, startedAt: null, effectiveConfig: null, restartRequired: false });
      return 'already stopped';
    }
    this.patch(slot, { status: 'stopping' });
    const exit = await daemon.stop();
    slot.daemon = null;
    slot.applied = null;
    this.patch(slot, { status: 'stopped', pid: null, startedAt: null, effectiveConfig: null, restartRequired: false });
    const how = exit.signal === 'SIGKILL' ? ' (it had to be killed)' : '';
    return `stopped (pid ${daemon.pid})${how}`;
  }

  private probe(slot: Slot, secure: boolean, timeoutMs = 1500): Promise<ProbeResult> {
    const s = slot.applied?.settings ?? this.settings(slot);
    return probeGreeting({
      host: probeHost(s.bindAddress),
      port: secure ? s.securePort : s.port,
      tls: secure,
      greeting: slot.driver.greeting,
      timeoutMs,
    });
  }

  /** The `status` action: measures both ports now. */
  private async status(slot: Slot): Promise<string> {
    const daemon = slot.daemon;
    if (!daemon?.alive) {
      slot.install = await slot.driver.detect();
      const status = slot.install.installed ? 'stopped' : 'notInstalled';
      this.patch(slot, { ...this.readOuts(slot), status });
      return status === 'stopped' ? 'stopped' : `not installed (${slot.driver.installHint})`;
    }
    const s = slot.applied!.settings;
    const [plain, secure] = await Promise.all([this.probe(slot, false), this.probe(slot, true, 3000)]);
    const up = plain.kind === 'greeting' || plain.kind === 'silent';
    this.patch(slot, up ? { status: 'running' } : { status: 'failed', lastError: `Port ${s.port} is ${describeProbe(plain)}.` });
    return `${up ? 'running' : 'not answering'} (pid ${daemon.pid}, up ${uptime(daemon.startedAt)}); port ${s.port} ${describeProbe(plain)}; TLS port ${s.securePort} ${describeProbe(secure)}`;
  }

  /** Every few seconds: is each running daemon still answering? Is the software still there? */
  private async probeAll() {
    if (this.closed) return;
    this.rounds++;
    await Promise.all([...this.slots.values()].map(async (slot) => {
      if (slot.operating) return;
      const daemon = slot.daemon;
      if (!daemon?.alive) {
        if (this.rounds % DETECT_EVERY === 0) {
          slot.install = await slot.driver.detect();
          if (slot.operating || slot.daemon) return;
          // Installed or removed meanwhile; a "failed" start stays failed until the next action.
          const was = this.record(slot)?.status;
          const status = !slot.install.installed ? 'notInstalled' : was === 'notInstalled' ? 'stopped' : was;
          this.patch(slot, { ...this.readOuts(slot), status });
        }
        return;
      }
      this.rotateInfoLog(slot, daemon);
      const r = await this.probe(slot, false);
      if (slot.operating || slot.daemon !== daemon || !daemon.alive) return;
      if (r.kind === 'greeting' || r.kind === 'silent') {
        slot.failedProbes = 0;
        this.patch(slot, { status: 'running' });
        return;
      }
      // One miss can be a hiccup; two in a row is a daemon that stopped serving.
      if (++slot.failedProbes < 2) return;
      const s = slot.applied!.settings;
      this.patch(slot, {
        status: 'failed',
        lastError: [`${slot.driver.software} (pid ${daemon.pid}) is alive but port ${s.port} is ${describeProbe(r)}.`, ...this.logLines(slot)].join('\n'),
      });
    }));
  }

  private rotateInfoLog(slot: Slot, daemon: Daemon) {
    const file = infoLogPath(slot.paths);
    if (fileSize(file) < INFO_LOG_MAX) return;
    try {
      fs.renameSync(file, `${file}.1`);
      daemon.signal('SIGUSR1'); // Dovecot reopens its log files
    } catch {
      // try again next round
    }
  }
}

