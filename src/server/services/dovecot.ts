// The Dovecot driver: IMAP (and, with protocol "pop3", POP3) served by a private Dovecot
// instance that runs in the foreground with a configuration generated from the
// x:Service settings. The system's /etc/dovecot and its systemd unit are never used.
//
// How the seed's four limits map onto Dovecot 2.3 (which has no per-listener limits):
// the plain and the TLS port each get their own login service and their own
// post-login service, so each side has its own limits:
//   plain port  → service imap-login  (inet_listener imap)           → service imap
//   TLS port    → service imaps-login (imap-login -l imaps, ssl=yes) → service imaps
// Login services run one process per connection (service_count = 1, client_limit = 1),
// so process_limit is the number of simultaneous connections before login; the
// post-login service gets the same process_limit, so it also bounds logged-in
// sessions. When the limit is reached Dovecot drops the oldest connection that has not
// logged in ("* BYE Connection queue full") and logs "process_limit (N) reached".
// The memory limit is vsz_limit (bytes) of every process of that side.
//
// Accounts, LMTP and the sockets for Postfix: dovecotConfig.ts; who may reach which
// file when Postern runs as root: mail/daemonAccess.ts.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeCheckpassword } from '../mail/checkpassword';
import { mailOwner, mailPaths, openForDaemons, runningAsRoot, systemUser } from '../mail/daemonAccess';
import type { Installation, LaunchPlan, ServiceDriver } from './driver';
import { dovecotMailFiles, renderDovecotConfig, type RenderContext } from './dovecotConfig';
import { ensureSelfSignedCertificate } from './tls';

const run = promisify(execFile);

export interface DovecotOptions {
  protocol: 'imap' | 'pop3';
  /** Path of the dovecot binary; found on PATH and in /usr/sbin when not given. */
  binary?: string;
}

const LIBEXEC_DIRS = ['/usr/lib/dovecot', '/usr/libexec/dovecot', '/usr/local/libexec/dovecot', '/usr/local/lib/dovecot'];
const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin', '/sbin', '/bin'];

function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

const PROTOCOLS = {
  imap: {
    serviceName: 'imap4',
    generalName: 'IMAP',
    description: 'IMAP4 mailbox access for mail clients',
    ports: { port: 143, securePort: 993 },
    greeting: '* OK',
    packages: 'dovecot-core dovecot-imapd dovecot-lmtpd',
  },
  pop3: {
    serviceName: 'pop3',
    generalName: 'POP3',
    description: 'POP3 mailbox download for mail clients',
    ports: { port: 110, securePort: 995 },
    greeting: '+OK',
    packages: 'dovecot-core dovecot-pop3d',
  },
} as const;

export { infoLogPath, renderDovecotConfig, type RenderContext } from './dovecotConfig';

export function dovecotDriver(opts: DovecotOptions): ServiceDriver {
  const proto = PROTOCOLS[opts.protocol];
  let doveconf: string | null = null;
  let lmtp = false;

  return {
    id: opts.protocol,
    serviceName: proto.serviceName,
    generalName: proto.generalName,
    description: proto.description,
    software: 'Dovecot',
    installHint: `apt-get install ${proto.packages}`,
    defaultPorts: proto.ports,
    greeting: proto.greeting,

    async detect(): Promise<Installation> {
      const binary = opts.binary ?? findExecutable('dovecot');
      const none = { installed: false, version: null, binary: null };
      if (!binary || !fs.existsSync(binary)) return none;
      // dovecot-core alone has no imap-login: the protocol package is needed too.
      const libexec = LIBEXEC_DIRS.find((d) => fs.existsSync(path.join(d, `${opts.protocol}-login`)));
      if (!libexec) return { ...none, binary };
      // The IMAP instance also delivers the mail Postfix hands it: without lmtp it cannot.
      lmtp = fs.existsSync(path.join(libexec, 'lmtp'));
      if (opts.protocol === 'imap' && !lmtp) {
        return {
          ...none,
          binary,
          problem: 'Dovecot is installed without its LMTP server, which delivers mail into the mailboxes. Install it with: apt-get install dovecot-lmtpd',
        };
      }
      doveconf = findExecutable('doveconf') ?? path.join(path.dirname(binary), 'doveconf');
      try {
        const { stdout } = await run(binary, ['--version'], { timeout: 5000 });
        return { installed: true, version: stdout.trim().split(/\s+/)[0] || null, binary };
      } catch {
        return { installed: false, version: null, binary };
      }
    },

    renderConfig(settings, paths) {
      return renderDovecotConfig(opts.protocol, settings, paths, renderContext(lmtp));
    },

    async prepare(settings, paths, install): Promise<LaunchPlan> {
      if (!install.binary) throw new Error('Dovecot is not installed');
      for (const dir of [paths.dir, paths.run, paths.state, paths.tls]) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      }
      // Accounts: the program Dovecot runs to ask Postern, and the tree it may reach.
      const mail = mailPaths(path.dirname(path.dirname(paths.dir)));
      openForDaemons(mail, mailOwner());
      if (runningAsRoot()) fs.chmodSync(paths.dir, 0o711);
      writeCheckpassword(dovecotMailFiles(paths).checkpassword, mail.authSocket);
      await ensureSelfSignedCertificate(paths.tls, os.hostname());
      const configText = renderDovecotConfig(opts.protocol, settings, paths, renderContext(lmtp));
      fs.writeFileSync(paths.config, configText, { mode: 0o644 });
      return { command: install.binary, args: ['-F', '-c', paths.config], configText };
    },

    async effectiveConfig(paths) {
      if (!doveconf || !fs.existsSync(paths.config)) return null;
      try {
        const { stdout } = await run(doveconf, ['-c', paths.config, '-n'], { timeout: 10_000 });
        // The header names the host and kernel: not configuration.
        return stdout.split('\n').filter((l) => !/^# (OS|Hostname):/.test(l)).join('\n').trim();
      } catch (e) {
        return `doveconf failed: ${(e as Error).message}`;
      }
    },

    pidFile: (paths) => path.join(paths.run, 'master.pid'),
  };
}

function renderContext(lmtp: boolean): RenderContext {
  const root = runningAsRoot();
  let mailUid: number | undefined;
  try {
    mailUid = mailOwner().uid;
  } catch {
    // No such mail owner: prepare() says so when the service starts.
  }
  return {
    unprivilegedUser: root ? null : os.userInfo().username,
    mailUid,
    socketUser: root && systemUser('postfix') ? 'postfix' : null,
    lmtp,
  };
}
