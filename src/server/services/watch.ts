// The periodic probe: every couple of seconds, is each running daemon still answering
// with its greeting? While stopped, is the software still (or now) installed?

import fs from 'node:fs';
import type { DaemonControl } from './control';
import type { Daemon } from './daemon';
import { infoLogPath } from './dovecot';
import { fileSize } from './logtail';
import { answers, describeProbe } from './probe';
import type { ServiceRecords } from './record';
import type { Slot, SupervisorContext } from './slot';

const INFO_LOG_MAX = 10 * 1024 * 1024;
/** Re-detect the installation every this many probe rounds while stopped. */
const DETECT_EVERY = 15;

export class Watcher {
  private rounds = 0;

  constructor(
    private readonly ctx: SupervisorContext,
    private readonly slots: ReadonlyMap<string, Slot>,
    private readonly records: ServiceRecords,
    private readonly control: DaemonControl,
  ) {}

  /** One round over every service that no action is busy with. */
  async round() {
    if (this.ctx.closed) return;
    this.rounds++;
    await Promise.all([...this.slots.values()].map((slot) => (slot.operating ? undefined : this.check(slot))));
  }

  private async check(slot: Slot) {
    const daemon = slot.daemon;
    if (!daemon?.alive) {
      if (this.rounds % DETECT_EVERY === 0) await this.detect(slot);
      return;
    }
    rotateInfoLog(slot, daemon);
    const r = await this.control.probe(slot, false);
    if (slot.operating || slot.daemon !== daemon || !daemon.alive) return;
    if (answers(r)) {
      slot.failedProbes = 0;
      this.records.patch(slot, { status: 'running' });
      return;
    }
    // One miss can be a hiccup; two in a row is a daemon that stopped serving.
    if (++slot.failedProbes < 2) return;
    const s = slot.applied!.settings;
    this.records.patch(slot, {
      status: 'failed',
      lastError: [`${slot.driver.software} (pid ${daemon.pid}) is alive but port ${s.port} is ${describeProbe(r)}.`, ...this.control.logLines(slot)].join('\n'),
    });
  }

  private async detect(slot: Slot) {
    slot.install = await slot.driver.detect();
    if (slot.operating || slot.daemon) return;
    // Installed or removed meanwhile; a "failed" start stays failed until the next action.
    const was = this.records.record(slot)?.status;
    const status = !slot.install.installed ? 'notInstalled' : was === 'notInstalled' ? 'stopped' : was;
    this.records.patch(slot, { ...this.records.readOuts(slot), status });
  }
}

function rotateInfoLog(slot: Slot, daemon: Daemon) {
  const file = infoLogPath(slot.paths);
  if (fileSize(file) < INFO_LOG_MAX) return;
  try {
    fs.renameSync(file, `${file}.1`);
    daemon.signal('SIGUSR1'); // Dovecot reopens its log files
  } catch {
    // try again next round
  }
}
