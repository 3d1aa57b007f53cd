// Keeps each x:Service record in step with its slot: registers it at start, writes what
// changed, puts it back when a client destroys it, and reads the settings it holds.

import { deepEqual } from '../../shared/equal';
import type { SchemaDocument } from '../../shared/schema/types';
import { checkObject } from '../../shared/schema/validate';
import type { Data } from '../store/records';
import type { ServiceDriver, ServiceSettings } from './driver';
import { SERVICE_LIMITS } from './limits';
import { SERVICE, type Slot, type SupervisorContext } from './slot';

export class ServiceRecords {
  constructor(
    private readonly ctx: SupervisorContext,
    private readonly schema: SchemaDocument,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  record(slot: Slot): Data | null {
    return this.ctx.closed ? null : this.ctx.store.get(SERVICE, slot.driver.id);
  }

  /** The settings the record asks for; the last copy stands in while it is missing. */
  settings(slot: Slot): ServiceSettings {
    const r = this.record(slot) ?? slot.last ?? {};
    const d = slot.driver.defaultPorts;
    const num = (k: string, fallback: number) => (typeof r[k] === 'number' ? r[k] : fallback);
    return {
      startOnBoot: r.startOnBoot === true,
      bindAddress: typeof r.bindAddress === 'string' ? r.bindAddress : '0.0.0.0',
      port: num('port', d.port),
      securePort: num('securePort', d.securePort),
      maxConnections: num('maxConnections', SERVICE_LIMITS.maxConnections.default),
      memoryLimit: num('memoryLimit', SERVICE_LIMITS.memoryLimit.default),
      secureMaxConnections: num('secureMaxConnections', SERVICE_LIMITS.maxConnections.default),
      secureMemoryLimit: num('secureMemoryLimit', SERVICE_LIMITS.memoryLimit.default),
      ...(typeof r.maxMessageSize === 'number' ? { maxMessageSize: r.maxMessageSize } : {}),
    };
  }

  /** What the server says about the service, whatever a client wrote. */
  readOuts(slot: Slot): Data {
    const { driver, install, paths } = slot;
    return {
      name: driver.serviceName,
      generalName: driver.generalName,
      description: driver.description,
      software: driver.software,
      version: install.version,
      nodeId: this.ctx.nodeId,
      installed: install.installed,
      installHint: install.problem ?? driver.installHint,
      configPath: paths.config,
      logPath: paths.log,
    };
  }

  /** Creates or refreshes the record at start: nothing runs yet, whatever it said before. */
  register(slot: Slot) {
    const { store } = this.ctx;
    const id = slot.driver.id;
    const prev = store.get(SERVICE, id);
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
    next.ports = ports(slot, next);
    store.transaction(() => {
      if (prev) store.update(SERVICE, id, next, []);
      else store.insert(SERVICE, id, next, []);
    });
    store.flushChanges();
    slot.last = next;
  }

  /** Writes `fields` into the service record when they change something. */
  patch(slot: Slot, fields: Data): void {
    const { store, closed } = this.ctx;
    if (closed) return;
    const id = slot.driver.id;
    let wrote = false;
    store.transaction(() => {
      const cur = store.get(SERVICE, id);
      if (!cur) return;
      const next = { ...cur, ...fields };
      next.ports = ports(slot, next);
      next.running = next.status === 'running';
      if (deepEqual(cur, next)) {
        slot.last = cur;
        return;
      }
      store.update(SERVICE, id, next, []);
      slot.last = next;
      wrote = true;
    });
    if (wrote) store.flushChanges();
  }

  /** After a client's write: put back a destroyed record, say whether a restart is due. */
  reconcile(slots: Iterable<Slot>) {
    const { store, log } = this.ctx;
    for (const slot of slots) {
      const cur = store.get(SERVICE, slot.driver.id);
      const last = slot.last;
      if (!cur && last) {
        store.transaction(() => store.insert(SERVICE, slot.driver.id, last, []));
        store.flushChanges();
        log(`${SERVICE} ${slot.driver.id} was destroyed; the server registered it again`);
        continue;
      }
      const restartRequired = !!(slot.daemon?.alive && slot.applied &&
        slot.driver.renderConfig(this.settings(slot), slot.paths) !== slot.applied.config);
      this.patch(slot, { restartRequired });
    }
  }

  /** The settings of a new record: schema defaults, the driver's ports, then the environment. */
  private initialSettings(driver: ServiceDriver): Data {
    const env = this.env;
    const key = `POSTERN_${driver.id.toUpperCase()}_`;
    const read = (name: string): string | undefined => env[key + name] || undefined;
    const intEnv = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
    const int = (name: string) => intEnv(read(name));
    const input: Data = {
      port: int('PORT') ?? driver.defaultPorts.port,
      securePort: (driver.securePortEnv ? intEnv(env[driver.securePortEnv]) : int('SECURE_PORT')) ?? driver.defaultPorts.securePort,
    };
    const address = read('ADDRESS');
    if (address) input.bindAddress = address;
    const onBoot = read('START_ON_BOOT');
    if (onBoot) input.startOnBoot = /^(1|true|yes)$/i.test(onBoot);
    const check = checkObject(this.schema, SERVICE, input);
    if (check.errors.length) {
      this.ctx.log(`Ignoring invalid ${key}* settings: ${check.errors.map((e) => `${e.property}: ${e.description}`).join('; ')}`);
      return checkObject(this.schema, SERVICE, { port: driver.defaultPorts.port, securePort: driver.defaultPorts.securePort }).value;
    }
    return check.value;
  }
}

/** The ports in use: those the daemon was started with, else those the record asks for. */
function ports(slot: Slot, record: Data): Record<string, true> {
  const s = slot.applied?.settings ?? { port: record.port, securePort: record.securePort };
  return { [String(s.port)]: true, [String(s.securePort)]: true };
}
