// The Postfix driver: SMTP (port 25) and submission (port 587) served by a private Postfix
// instance whose main.cf and master.cf are generated in DATA_DIR/services/smtp/etc
// (postfixConfig.ts). It runs as `master -c ETC -s`: what `postfix -c ETC start-fg` runs
// after its checks (prepare runs them with `postfix -c ETC check`), but as the supervised
// child itself, since start-fg leaves a shell in between that does not pass SIGTERM on. The system's /etc/postfix and its unit are never
// used. Recipients are looked up live over the socketmap server (mail/socketmap.ts), local
// mail goes to Dovecot's LMTP socket, submission authenticates through Dovecot's auth
// socket. Remote mail waits in the queue until a relay route (x:MtaRoute) exists; a change
// of the route is applied to the running instance at once (reload, then a queue flush).
//
// Postfix needs root (postfix(1): "reserved for the superuser") and the `postfix` user and
// `postdrop` group that Debian's package creates; without them the record says which is
// missing and how to fix it.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { firstUnsearchable, mailOwner as mailboxOwner, mailPaths, openForDaemons, runningAsRoot, systemGroupId, systemUser } from '../mail/daemonAccess';
import { listenSocketmap, type LookupDirectory, type SocketmapServer } from '../mail/socketmap';
import type { Store } from '../store/records';
import type { Installation, LaunchPlan, ServiceDriver, ServicePaths, ServiceSettings } from './driver';
import { contentFilterSocket, postfixPaths, readRelay, RELAY_TYPE, renderMainCf, renderMasterCf, renderRelayAuth, type PostfixContext, type RelaySettings } from './postfixConfig';
import { ensureSelfSignedCertificate } from './tls';

const run = promisify(execFile);
const MAX_LOG = 10 * 1024 * 1024;

export const INSTALL_HINT = 'apt-get install postfix (with debconf postfix/main_mailer_type "No configuration", so no system instance is set up)';
export const ROOT_HINT = 'Postfix needs root: run the server as root (postfix(1) is reserved for the superuser)';

export interface PostfixOptions {
  /** The store the relay route is read from; its changes are applied at once. */
  store: Store | null;
  /** Answers the socketmap lookups (MailDirectory of src/server/mail/directory.ts). */
  directory: LookupDirectory;
  /** Path of the postfix binary; /usr/sbin/postfix when not given. */
  binary?: string;
  /** Tests: pretend not to be root. */
  isRoot?: () => boolean;
  /** Tests: the user database to look for the postfix user and postdrop group in. */
  passwdFile?: string;
  groupFile?: string;
  mailOwner?: string;
  /** Received mail goes through Postern's content filter (mail/filter/), which the server runs. */
  contentFilter?: boolean;
}

export interface PostfixDriver extends ServiceDriver {
  /** Writes main.cf for the current relay route and reloads a running instance; flushes the queue when a relay is set. */
  applyRelay(): Promise<string>;
  /** Stops answering lookups and following the store (tests). */
  close(): Promise<void>;
}

/** The sockets the instance talks to, beside its own directory under DATA_DIR/services. */
export function mailSockets(serviceDir: string) {
  const services = path.dirname(serviceDir);
  return {
    lookupSocket: path.join(services, 'mail-lookup', 'socketmap.sock'),
    lmtpSocket: path.join(services, 'imap', 'lmtp.sock'),
    authSocket: path.join(services, 'imap', 'auth-client.sock'),
  };
}

function hostName(): string {
  const h = os.hostname().toLowerCase();
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(h) && h.length <= 253 ? h : 'localhost';
}

/**
 * Whether a port can be bound. Postfix's master reports a listener it cannot bind only to
 * syslog (its log daemon is not up yet), so the supervisor asks first to say why.
 */
function portProblem(address: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'is already in use by another program'
        : e.code === 'EACCES' ? 'needs privileges this server does not have'
          : e.code === 'EADDRNOTAVAIL' ? 'cannot be bound: the address is not one of this machine\'s' : `cannot be bound (${e.code ?? e.message})`;
      resolve(`port ${port} on ${address} ${why}`);
    });
    server.listen({ port, host: address, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** Replaces a file at once: Postfix and postconf never read a half-written one. */
function writeAtomically(file: string, text: string, mode: number) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

export function postfixDriver(opts: PostfixOptions): PostfixDriver {
  const binary = opts.binary ?? '/usr/sbin/postfix';
  const sbin = path.dirname(binary);
  const isRoot = opts.isRoot ?? runningAsRoot;
  const mailOwner = opts.mailOwner ?? 'postfix';
  let socketmap: Promise<SocketmapServer> | null = null;
  /** The directory and settings of the last prepared instance, for relay changes. */
  let current: { settings: ServiceSettings; paths: ServicePaths } | null = null;
  let applying: Promise<string> = Promise.resolve('');
  let daemonDirectory = '/usr/lib/postfix/sbin';

  const context = (paths: ServicePaths, relay: RelaySettings | null): PostfixContext => ({
    hostname: hostName(),
    mailOwner,
    ...mailSockets(paths.dir),
    relay,
    contentFilter: opts.contentFilter ? contentFilterSocket(path.dirname(path.dirname(paths.dir))) : null,
  });
  const relay = () => (opts.store ? readRelay(opts.store) : null);
  /** What the restart check compares: everything but the relay, which is applied live. */
  const render = (s: ServiceSettings, paths: ServicePaths) => {
    const ctx = context(paths, null);
    return renderMainCf(s, postfixPaths(paths.dir), ctx) + renderMasterCf(s, ctx);
  };

  const writeMainCf = (s: ServiceSettings, paths: ServicePaths) => {
    const p = postfixPaths(paths.dir);
    const r = relay();
    const auth = r ? renderRelayAuth(r) : null;
    if (auth) writeAtomically(p.relayAuth, auth, 0o600);
    else fs.rmSync(p.relayAuth, { force: true });
    writeAtomically(p.mainCf, renderMainCf(s, p, context(paths, r)), 0o644);
    return r;
  };

  const closeSocketmap = async () => {
    const s = socketmap;
    socketmap = null;
    await (await s?.catch(() => null))?.close();
  };

  const masterAlive = (paths: ServicePaths): boolean => {
    try {
      const pid = Number(fs.readFileSync(driver.pidFile(paths), 'utf8').trim());
      return pid > 1 && fs.existsSync(`/proc/${pid}`);
    } catch {
      return false;
    }
  };

  async function applyRelayNow(): Promise<string> {
    if (!current) return 'not prepared: the route is used when SMTP starts';
    const { settings, paths } = current;
    const r = writeMainCf(settings, paths);
    if (!masterAlive(paths)) return 'SMTP is not running: the route is used when it starts';
    await run(binary, ['-c', paths.config, 'reload'], { timeout: 15_000 });
    if (!r) return 'reloaded: remote mail is held in the queue';
    await run(path.join(sbin, 'postqueue'), ['-c', paths.config, '-f'], { timeout: 15_000 });
    return `reloaded: remote mail goes to ${r.address}:${r.port}; the queue was flushed`;
  }

  const unsubscribe = opts.store?.onChange((types) => {
    if (!types.has(RELAY_TYPE)) return;
    applying = applying.then(applyRelayNow, applyRelayNow).catch((e: Error) => {
      const why = `relay change not applied: ${e.message}`;
      console.error(`[postern] SMTP: ${why}`);
      return why;
    });
  });

  const driver: PostfixDriver = {
    id: 'smtp',
    serviceName: 'smtp',
    generalName: 'SMTP',
    description: 'SMTP mail reception (port 25) and authenticated submission (port 587)',
    software: 'Postfix',
    installHint: INSTALL_HINT,
    defaultPorts: { port: 25, securePort: 587 },
    greeting: '220',
    // The configuration is a directory (main.cf and master.cf); master's command line names it.
    files: { config: 'etc', log: 'maillog' },
    securePortTls: false,
    securePortEnv: 'POSTERN_SUBMISSION_PORT',

    async detect(): Promise<Installation> {
      const none = { installed: false, version: null, binary: null };
      if (!fs.existsSync(binary) || !fs.existsSync(path.join(sbin, 'postconf'))) return none;
      const missing = [
        !systemUser(mailOwner, opts.passwdFile) && `user ${mailOwner}`,
        systemGroupId('postdrop', opts.groupFile) === null && 'group postdrop',
      ].filter(Boolean);
      if (missing.length) {
        return { ...none, binary, problem: `Postfix is installed but its ${missing.join(' and ')} is missing: reinstall it with ${INSTALL_HINT}` };
      }
      if (!isRoot()) return { ...none, binary, problem: ROOT_HINT };
      try {
        const { stdout } = await run(path.join(sbin, 'postconf'), ['-d', '-h', 'mail_version', 'daemon_directory'], { timeout: 10_000 });
        const [version, daemons] = stdout.trim().split('\n');
        daemonDirectory = daemons?.trim() || daemonDirectory;
        return { installed: true, version: version?.trim() || null, binary };
      } catch (e) {
        return { ...none, binary, problem: `postconf failed: ${(e as Error).message.split('\n')[0]}` };
      }
    },

    renderConfig: render,

    async prepare(settings, paths, install): Promise<LaunchPlan> {
      if (!install.binary) throw new Error('Postfix is not installed');
      const p = postfixPaths(paths.dir);
      for (const dir of [p.dir, p.config, p.queue, p.data, p.tls]) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      // The way to the sockets in DATA_DIR/services (shared with Dovecot: mail/daemonAccess.ts).
      if (isRoot()) openForDaemons(mailPaths(path.dirname(path.dirname(p.dir))), mailboxOwner());
      const blocked = firstUnsearchable(p.dir);
      if (blocked) throw new Error(`the ${mailOwner} user cannot reach ${p.dir}: ${blocked} is not searchable by other users (chmod o+x ${blocked})`);
      const postfixUser = isRoot() ? systemUser(mailOwner, opts.passwdFile) : null;
      // Postfix wants its data directory owned by its own user.
      if (postfixUser) fs.chownSync(p.data, postfixUser.uid, postfixUser.gid);
      await ensureSelfSignedCertificate(p.tls, hostName());
      // The log holds every connection: a new run starts a new file past 10 MiB (one old kept).
      if (fs.existsSync(p.log) && fs.statSync(p.log).size > MAX_LOG) fs.renameSync(p.log, `${p.log}.1`);
      const lookupSocket = mailSockets(p.dir).lookupSocket;
      if (socketmap && !fs.existsSync(lookupSocket)) await closeSocketmap(); // removed meanwhile: listen again
      socketmap ??= listenSocketmap(lookupSocket, opts.directory, postfixUser ?? undefined).catch((e: Error) => {
        socketmap = null;
        throw new Error(`the lookup socket could not be opened: ${e.message}`);
      });
      await socketmap;
      current = { settings, paths };
      writeMainCf(settings, paths);
      writeAtomically(p.masterCf, renderMasterCf(settings, context(paths, null)), 0o644);
      const { stderr } = await run(binary, ['-c', p.config, 'check'], { timeout: 30_000 }).catch((e: Error & { stderr?: string }) => {
        throw new Error(`postfix check failed: ${(e.stderr || e.message).trim()}`);
      });
      if (/fatal/i.test(stderr)) throw new Error(`postfix check failed: ${stderr.trim()}`);
      for (const port of [settings.port, settings.securePort]) {
        const problem = await portProblem(settings.bindAddress, port);
        if (problem) throw new Error(problem);
      }
      return { command: path.join(daemonDirectory, 'master'), args: ['-c', p.config, '-s'], configText: render(settings, paths) };
    },

    async effectiveConfig(paths) {
      if (!fs.existsSync(postfixPaths(paths.dir).mainCf)) return null;
      try {
        const { stdout } = await run(path.join(sbin, 'postconf'), ['-c', paths.config, '-n'], { timeout: 10_000 });
        return stdout.replace(/^(smtp_sasl_password_maps = .*)$/m, '$1 (credentials not shown)').trim();
      } catch (e) {
        return `postconf failed: ${(e as Error).message}`;
      }
    },

    pidFile: (paths) => path.join(postfixPaths(paths.dir).queue, 'pid', 'master.pid'),

    applyRelay() {
      applying = applying.then(applyRelayNow, applyRelayNow);
      return applying;
    },

    async close() {
      unsubscribe?.();
      await closeSocketmap();
    },
  };
  return driver;
}
