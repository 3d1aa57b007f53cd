// For tests and benchmarks: a real private Dovecot (the IMAP driver's generated files,
// full-text search included) on a MailDirectory, with the login bridge it asks. Used by
// doveadm.test.ts, services/dovecotFts.test.ts and bench/reindex.ts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Daemon } from '../services/daemon';
import { servicePaths, type ServiceSettings } from '../services/driver';
import { dovecotDriver } from '../services/dovecot';
import { ftsConfig } from '../services/dovecotFts';
import { dovecotPluginConfig, pluginContext } from '../services/dovecotPlugins';
import { firstLine, freePort, waitFor } from '../services/testing';
import { startMailAuth, type MailAuthServer } from './authSocket';
import { mailPaths } from './daemonAccess';
import type { MailDirectory } from './directory';

export interface LiveDovecot {
  dataDir: string;
  /** The plain IMAP port on 127.0.0.1. */
  port: number;
  lmtpSocket: string;
  config: string;
  daemon: Daemon;
  /** Stops Dovecot (the bridge stays: a test may start it again with restart()). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops everything and removes the data directory when this helper made it. */
  close(): Promise<void>;
}

/** Why a live Dovecot cannot run here, or null. */
export async function liveDovecotMissing(): Promise<string | null> {
  const install = await dovecotDriver({ protocol: 'imap' }).detect();
  return install.installed ? null : install.problem ?? 'Dovecot is not installed (apt-get install dovecot-core dovecot-imapd dovecot-lmtpd)';
}

export async function startLiveDovecot(directory: MailDirectory, opts: { dataDir?: string } = {}): Promise<LiveDovecot> {
  const own = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'postern-dovecot-'));
  const mail = mailPaths(dataDir);
  const bridge: MailAuthServer = await startMailAuth({ socketPath: mail.authSocket, mailRoot: mail.mailRoot, directory });
  const driver = dovecotDriver({ protocol: 'imap' });
  const install = await driver.detect();
  const port = await freePort();
  const settings: ServiceSettings = {
    startOnBoot: false, bindAddress: '127.0.0.1', port, securePort: await freePort(),
    maxConnections: 50, memoryLimit: 512 * 1024 * 1024, secureMaxConnections: 10, secureMemoryLimit: 256 * 1024 * 1024,
  };
  const paths = servicePaths(mail.imapDir);

  const spawn = async (): Promise<Daemon> => {
    const plan = await driver.prepare(settings, paths, install);
    // Until the plugin composition names full-text search, add it here.
    if (!plan.configText.includes('fts_xapian')) {
      const fts = dovecotPluginConfig(pluginContext('imap', paths, { unprivilegedUser: null, lmtp: true }), [ftsConfig]);
      fs.appendFileSync(paths.config, ['', ...fts.lines, ''].join('\n'));
    }
    const d = await Daemon.spawn(plan);
    await waitFor('Dovecot to greet', async () => (await firstLine(port, { timeoutMs: 1000 })).startsWith('* OK'), 15_000, 100);
    await waitFor('the LMTP socket', async () => fs.existsSync(mail.lmtpSocket), 5000, 50);
    return d;
  };

  const live: LiveDovecot = {
    dataDir,
    port,
    lmtpSocket: mail.lmtpSocket,
    config: paths.config,
    daemon: await spawn(),
    async stop() {
      await live.daemon.stop();
    },
    async restart() {
      if (live.daemon.alive) await live.daemon.stop();
      live.daemon = await spawn();
    },
    async close() {
      await live.daemon.stop();
      await bridge.close();
      if (own) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return live;
}
