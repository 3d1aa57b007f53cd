// What the supervisor needs to know about one kind of daemon. IMAP (Dovecot) is the
// first; POP3 is the same driver with another protocol, SMTP would be a new driver.

import path from 'node:path';

/** The mutable settings of an x:Service record (see objects/services.ts). */
export interface ServiceSettings {
  startOnBoot: boolean;
  bindAddress: string;
  port: number;
  securePort: number;
  maxConnections: number;
  memoryLimit: number;
  secureMaxConnections: number;
  secureMemoryLimit: number;
  /** Largest message accepted, in bytes (SMTP); absent: the daemon's default. */
  maxMessageSize?: number;
}

/** Where one service keeps its generated files, under `<DATA_DIR>/services/<id>/`. */
export interface ServicePaths {
  dir: string;
  config: string;
  log: string;
  /** Dovecot's base_dir: sockets and master.pid. */
  run: string;
  state: string;
  tls: string;
}

export function servicePaths(dir: string, files = { config: 'dovecot.conf', log: 'dovecot.log' }): ServicePaths {
  return {
    dir,
    config: path.join(dir, files.config),
    log: path.join(dir, files.log),
    run: path.join(dir, 'run'),
    state: path.join(dir, 'state'),
    tls: path.join(dir, 'tls'),
  };
}

export interface Installation {
  installed: boolean;
  version: string | null;
  binary: string | null;
  /** Why the daemon cannot run here and how to fix it, when it is more than the missing package. */
  problem?: string;
}

/** How to run the daemon in the foreground, after prepare() wrote its files. */
export interface LaunchPlan {
  command: string;
  args: string[];
  /** The generated configuration text; compared to tell whether a restart is due. */
  configText: string;
}

export interface ServiceDriver {
  /** Record id of the x:Service and directory name, e.g. "imap". */
  readonly id: string;
  /** Seed's listServiceName, e.g. "imap4". */
  readonly serviceName: string;
  /** Seed's listGeneralName, e.g. "IMAP". */
  readonly generalName: string;
  readonly description: string;
  readonly software: string;
  readonly installHint: string;
  readonly defaultPorts: { port: number; securePort: number };
  /** First bytes of the server greeting that prove the port is served, e.g. "* OK". */
  readonly greeting: string;
  /** Names of the configuration and log files in the service directory (Dovecot's by default). */
  readonly files?: { config: string; log: string };
  /** The second port speaks implicit TLS (default) or plain text with STARTTLS (SMTP submission). */
  readonly securePortTls?: boolean;
  /** Environment variable for a new record's second port, instead of POSTERN_<ID>_SECURE_PORT. */
  readonly securePortEnv?: string;

  detect(): Promise<Installation>;
  /** The configuration text for these settings (pure: no files written). */
  renderConfig(settings: ServiceSettings, paths: ServicePaths): string;
  /** Creates directories, certificates and the configuration file. */
  prepare(settings: ServiceSettings, paths: ServicePaths, install: Installation): Promise<LaunchPlan>;
  /** The configuration as the daemon itself reads it (e.g. `doveconf -n`), or null. */
  effectiveConfig(paths: ServicePaths): Promise<string | null>;
  /** Pid file the daemon writes, to find one left over from a crashed server. */
  pidFile(paths: ServicePaths): string;
  /** Releases what the driver holds beside the daemon (sockets it serves), when the server closes. */
  close?(): Promise<void>;
}
