// The service supervisor: one slot per driver, wired to the parts that keep its
// x:Service record in step (record.ts), run x:ServiceAction commands (actions.ts),
// start and stop the daemon (control.ts), and measure "running" (watch.ts).

import type { SchemaDocument } from '../../shared/schema/types';
import type { Store } from '../store/records';
import { ActionRunner } from './actions';
import { DaemonControl } from './control';
import type { ServiceDriver } from './driver';
import { dovecotDriver } from './dovecot';
import { mailDirectory, type MailDirectory } from '../mail/directory';
import { postfixDriver } from './postfix';
import { ServiceRecords } from './record';
import { ACTION, enqueue, newSlot, NODE, SERVICE, sleep, START_TIMEOUT_MS, type Slot, type SupervisorContext } from './slot';
import { Watcher } from './watch';

export interface SupervisorOptions {
  store: Store;
  /** The schema document that initial settings are validated against. */
  schema: SchemaDocument;
  dataDir: string;
  nodeName: string;
  drivers?: ServiceDriver[];
  /** Initial settings of new records: POSTERN_<ID>_PORT, _SECURE_PORT, _ADDRESS, _START_ON_BOOT. */
  env?: NodeJS.ProcessEnv;
  probeIntervalMs?: number;
  log?: (msg: string) => void;
}

/** The drivers of a normal server. POSTERN_DOVECOT / POSTERN_POSTFIX name other binaries. */
export function defaultDrivers(env: NodeJS.ProcessEnv, store: Store): ServiceDriver[] {
  let directory: MailDirectory | null = null; // opened on the first lookup
  const dir = () => (directory ??= mailDirectory(store));
  return [
    dovecotDriver({ protocol: 'imap', binary: env.POSTERN_DOVECOT || undefined }),
    postfixDriver({
      store,
      binary: env.POSTERN_POSTFIX || undefined,
      contentFilter: true, // app.ts runs the filter (mail/filter/)
      directory: { isLocalDomain: (d) => dir().isLocalDomain(d), mailbox: (a) => dir().mailbox(a), aliasTargets: (k) => dir().aliasTargets(k), login: (a) => dir().login(a) },
    }),
  ];
}

export class Supervisor {
  private readonly ctx: SupervisorContext;
  private readonly slots = new Map<string, Slot>();
  private readonly records: ServiceRecords;
  private readonly control: DaemonControl;
  private readonly actions: ActionRunner;
  private readonly watcher: Watcher;
  private readonly interval: number;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private scheduled = new Set<string>();

  constructor(opts: SupervisorOptions) {
    this.ctx = { store: opts.store, nodeName: opts.nodeName, log: opts.log ?? (() => {}), nodeId: null, closed: false };
    this.interval = opts.probeIntervalMs ?? 2000;
    for (const driver of opts.drivers ?? defaultDrivers(opts.env ?? process.env, opts.store)) this.slots.set(driver.id, newSlot(driver, opts.dataDir));
    this.records = new ServiceRecords(this.ctx, opts.schema, opts.env ?? process.env);
    this.control = new DaemonControl(this.ctx, this.records);
    this.actions = new ActionRunner(this.ctx, this.slots, this.records, this.control);
    this.watcher = new Watcher(this.ctx, this.slots, this.records, this.control);
  }

  /** Registers the records, fails actions a previous run left unfinished, starts on boot. */
  async start(): Promise<void> {
    const { store, log } = this.ctx;
    this.ctx.nodeId = store.findBy(NODE, 'hostname', this.ctx.nodeName);
    await Promise.all([...this.slots.values()].map(async (slot) => {
      slot.install = await slot.driver.detect();
    }));
    for (const slot of this.slots.values()) this.records.register(slot);
    this.actions.failUnfinished();
    this.unsubscribe = store.onChange((types) => {
      if (types.has(ACTION)) this.later('actions', () => this.actions.drain());
      if (types.has(SERVICE)) this.later('services', () => this.records.reconcile(this.slots.values()));
    });
    this.timer = setInterval(() => void this.watcher.round(), this.interval);
    this.timer.unref();
    for (const slot of this.slots.values()) {
      if (slot.install.installed && this.records.record(slot)?.startOnBoot === true) {
        log(`Starting ${slot.driver.generalName} (start on boot)`);
        void enqueue(this.ctx, slot, async () => {
          await this.control.start(slot).catch((e) => log(`${slot.driver.generalName} did not start: ${(e as Error).message}`));
        });
      }
    }
  }

  /** Stops every daemon; no child outlives the server. */
  async close(): Promise<void> {
    if (this.ctx.closed) return;
    this.ctx.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await Promise.all([...this.slots.values()].map(async (slot) => {
      const stopping = slot.daemon?.stop();
      await Promise.race([slot.queue, sleep(START_TIMEOUT_MS, true)]);
      await stopping;
      await slot.daemon?.stop();
      await slot.driver.close?.();
    }));
  }

  /** Runs `fn` once soon, however many changes asked for it meanwhile. */
  private later(key: string, fn: () => void) {
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    setImmediate(() => {
      this.scheduled.delete(key);
      if (!this.ctx.closed) fn();
    });
  }
}
