// Starts and stops a service's daemon and notices when it exits on its own; every step
// is written into the x:Service record, and a start counts only once both ports greet.

import { utcDateTime } from '../../shared/schema/validate';
import { Daemon, stopLeftover, type DaemonExit } from './daemon';
import { infoLogPath } from './dovecot';
import { fileSize, tailLines } from './logtail';
import { answers, describeProbe, probeGreeting, probeHost, type ProbeResult } from './probe';
import type { ServiceRecords } from './record';
import { ActionError, sleep, START_TIMEOUT_MS, type Slot, type SupervisorContext } from './slot';

const STOPPED = { pid: null, startedAt: null, effectiveConfig: null } as const;

function uptime(since: Date): string {
  const s = Math.round((Date.now() - since.getTime()) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}


export class DaemonControl {
  constructor(
    private readonly ctx: SupervisorContext,
    private readonly records: ServiceRecords,
  ) {}

  async start(slot: Slot): Promise<string> {
    const { driver, paths } = slot;
    if (slot.daemon?.alive) {
      const r = await this.probe(slot, false);
      if (answers(r)) return `already running (pid ${slot.daemon.pid})`;
      throw new ActionError(`The daemon runs (pid ${slot.daemon.pid}) but its port is ${describeProbe(r)}; restart it.`);
    }
    slot.install = await driver.detect();
    if (!slot.install.installed) {
      this.records.patch(slot, { ...this.records.readOuts(slot), status: 'notInstalled' });
      throw new ActionError(slot.install.problem ?? `${driver.software} is not installed on this node. Install it with: ${driver.installHint}`);
    }
    const settings = this.records.settings(slot);
    slot.starting = true;
    this.records.patch(slot, { ...this.records.readOuts(slot), status: 'starting', lastError: null });
    try {
      await stopLeftover(driver.pidFile(paths), paths.config);
      const plan = await driver.prepare(settings, paths, slot.install).catch((e: Error) => {
        throw this.fail(slot, `Could not prepare ${driver.software}: ${e.message}`);
      });
      if (this.ctx.closed) throw new ActionError('The server is shutting down');
      slot.logStart = fileSize(paths.log);
      const daemon = await Daemon.spawn(plan).catch((e: Error) => {
        throw this.fail(slot, `Could not run ${plan.command}: ${e.message}`);
      });
      slot.daemon = daemon;
      slot.applied = { settings, config: plan.configText };
      void daemon.exited.then((exit) => this.onExit(slot, daemon, exit));
      this.records.patch(slot, { pid: daemon.pid });
      if (this.ctx.closed) {
        await daemon.stop();
        throw new ActionError('The server is shutting down');
      }

      const deadline = Date.now() + START_TIMEOUT_MS;
      let plain: ProbeResult = { kind: 'refused', error: 'not tried' };
      let secure: ProbeResult = plain;
      while (daemon.alive && !this.ctx.closed && Date.now() < deadline) {
        plain = await this.probe(slot, false, 1000);
        if (plain.kind === 'greeting') secure = await this.probe(slot, true, 3000);
        if (plain.kind === 'greeting' && secure.kind === 'greeting') break;
        await sleep(150);
      }
      if (!daemon.alive) throw new ActionError(this.records.record(slot)?.lastError as string ?? `${driver.software} exited during start-up`);
      if (this.ctx.closed) throw new ActionError('The server is shutting down');
      if (plain.kind !== 'greeting' || secure.kind !== 'greeting') {
        await daemon.stop();
        const which = plain.kind !== 'greeting' ? `port ${settings.port} is ${describeProbe(plain)}` : `TLS port ${settings.securePort} is ${describeProbe(secure)}`;
        throw this.fail(slot, `${driver.software} did not come up within ${START_TIMEOUT_MS / 1000} s: ${which}.`);
      }
      const effectiveConfig = await driver.effectiveConfig(paths);
      slot.failedProbes = 0;
      this.records.patch(slot, {
        status: 'running',
        pid: daemon.pid,
        startedAt: utcDateTime(daemon.startedAt),
        lastError: null,
        effectiveConfig,
        restartRequired: driver.renderConfig(this.records.settings(slot), paths) !== plan.configText,
      });
      this.ctx.log(`${driver.generalName} started (pid ${daemon.pid}) on ${settings.bindAddress} ports ${settings.port}, ${settings.securePort}`);
      return `started (pid ${daemon.pid}); ${plain.line.slice(0, 4)} on port ${settings.port} and ${driver.securePortTls === false ? 'port' : 'TLS port'} ${settings.securePort}`;
    } finally {
      slot.starting = false;
    }
  }

  async stop(slot: Slot): Promise<string> {
    const daemon = slot.daemon;
    if (!daemon?.alive) {
      slot.daemon = null;
      slot.applied = null;
      this.records.patch(slot, { status: slot.install.installed ? 'stopped' : 'notInstalled', ...STOPPED, restartRequired: false });
      return 'already stopped';
    }
    this.records.patch(slot, { status: 'stopping' });
    const exit = await daemon.stop();
    slot.daemon = null;
    slot.applied = null;
    this.records.patch(slot, { status: 'stopped', ...STOPPED, restartRequired: false });
    const how = exit.signal === 'SIGKILL' ? ' (it had to be killed)' : '';
    return `stopped (pid ${daemon.pid})${how}`;
  }

  /** The `status` action: measures both ports now. */
  async status(slot: Slot): Promise<string> {
    const daemon = slot.daemon;
    if (!daemon?.alive) {
      slot.install = await slot.driver.detect();
      const status = slot.install.installed ? 'stopped' : 'notInstalled';
      this.records.patch(slot, { ...this.records.readOuts(slot), status });
      return status === 'stopped' ? 'stopped' : `not installed (${slot.install.problem ?? slot.driver.installHint})`;
    }
    const s = slot.applied!.settings;
    const [plain, secure] = await Promise.all([this.probe(slot, false), this.probe(slot, true, 3000)]);
    const up = answers(plain);
    this.records.patch(slot, up ? { status: 'running' } : { status: 'failed', lastError: `Port ${s.port} is ${describeProbe(plain)}.` });
    return `${up ? 'running' : 'not answering'} (pid ${daemon.pid}, up ${uptime(daemon.startedAt)}); port ${s.port} ${describeProbe(plain)}; TLS port ${s.securePort} ${describeProbe(secure)}`;
  }

  /** Connects to the plain or the TLS port the daemon was started with (else the record's). */
  probe(slot: Slot, secure: boolean, timeoutMs = 1500): Promise<ProbeResult> {
    const s = slot.applied?.settings ?? this.records.settings(slot);
    return probeGreeting({
      host: probeHost(s.bindAddress),
      port: secure ? s.securePort : s.port,
      tls: secure && slot.driver.securePortTls !== false,
      greeting: slot.driver.greeting,
      timeoutMs,
    });
  }

  /** The daemon's last words for lastError: its output and log lines of this run. */
  logLines(slot: Slot): string[] {
    const errors = tailLines(slot.paths.log, 12, slot.logStart);
    const output = slot.daemon?.recentOutput().slice(-8) ?? [];
    const lines = [...output, ...errors];
    return lines.length ? lines : tailLines(infoLogPath(slot.paths), 5).map((l) => `(info) ${l}`);
  }

  /** Records a failure to start and returns the error to throw. */
  private fail(slot: Slot, message: string): ActionError {
    const lastError = [message, ...this.logLines(slot)].join('\n');
    this.records.patch(slot, { status: 'failed', ...STOPPED, lastError });
    return new ActionError(lastError);
  }

  private onExit(slot: Slot, daemon: Daemon, exit: DaemonExit) {
    if (slot.daemon !== daemon) return;
    if (exit.expected) return; // stop() writes the record
    const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
    const lastError = [
      `${slot.driver.software} (pid ${daemon.pid}) ${how}${slot.starting ? ' during start-up' : ' unexpectedly'}.`,
      ...this.logLines(slot),
    ].join('\n');
    slot.daemon = null;
    slot.applied = null;
    this.ctx.log(`${slot.driver.generalName}: ${lastError.split('\n')[0]}`);
    this.records.patch(slot, { status: slot.starting ? 'failed' : 'stopped', ...STOPPED, restartRequired: false, lastError });
  }
}
