// Sieve in the IMAP instance (Pigeonhole: dovecot-sieve, dovecot-managesieved): the sieve
// plugin runs users' active scripts on LMTP delivery, and ManageSieve (RFC 5804) lets users
// upload them, on POSTERN_MANAGESIEVE_PORT (4190 is the standard port) at the IMAP service's
// address. Without the variable (or with "off" or 0) there is no listener: every private
// Dovecot a machine runs (tests, several servers) would otherwise contend for one port. Scripts live in the user's home under DATA_DIR/mail (`sieve/`,
// the active one linked as `active.sieve`: no leading dot, so Maildir++ never takes it for
// a folder). The limits are per user, from the userdb (mail/sieveQuota.ts); the values here
// only stand when a lookup gives none.

import fs from 'node:fs';
import type { PluginContext, PluginSection } from './dovecotPlugins';

/** Which parts of Pigeonhole are installed (Debian's paths). */
export interface SieveInstall {
  plugin: boolean;
  managesieve: boolean;
}

export function detectSieve(moduleDir = '/usr/lib/dovecot'): SieveInstall {
  return {
    plugin: fs.existsSync(`${moduleDir}/modules/lib90_sieve_plugin.so`),
    managesieve: fs.existsSync(`${moduleDir}/managesieve`) && fs.existsSync(`${moduleDir}/managesieve-login`),
  };
}

/** The ManageSieve port from the environment; null when it is off (unset, "off" or 0). */
export function managesievePort(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = (env.POSTERN_MANAGESIEVE_PORT ?? '').trim();
  if (raw === '' || raw.toLowerCase() === 'off' || raw === '0') return null;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`POSTERN_MANAGESIEVE_PORT must be a port number or "off", not ${raw}`);
  return port;
}

let detected: SieveInstall | null = null;

export function sieveConfig(ctx: PluginContext, env: NodeJS.ProcessEnv = process.env, install: SieveInstall = (detected ??= detectSieve())): PluginSection {
  if (!install.plugin) return { mailPlugins: [], lines: ['# Sieve: dovecot-sieve is not installed (apt-get install dovecot-sieve dovecot-managesieved)'] };
  const port = install.managesieve ? managesievePort(env) : null;
  const lines = [
    `# Sieve (Pigeonhole): users' scripts in their home; limits per user from the userdb.`,
    `plugin {`,
    `  sieve = file:~/sieve;active=~/active.sieve`,
    `  sieve_max_script_size = 100K`,
    `  sieve_quota_max_scripts = 0`,
    `  sieve_quota_max_storage = 0`,
    // Scripts cannot send mail (redirect, vacation, reject, notify): Dovecot's way out is the
    // system's sendmail, not Postern's Postfix, so it is closed; such an action fails and the
    // mail is kept in the mailbox (Pigeonhole's implicit keep).
    `  sieve_max_redirects = 0`,
    `  sieve_extensions = -vacation -vacation-seconds -enotify -reject`,
    `}`,
    `sendmail_path = /bin/false`,
  ];
  if (port !== null) {
    const chroot = ctx.render.unprivilegedUser ? ['  chroot ='] : [];
    lines.push(
      `service managesieve-login {`,
      `  inet_listener sieve {`,
      `    port = ${port}`,
      `  }`,
      `  service_count = 1`,
      `  process_limit = 100`,
      ...chroot,
      `}`,
      `service managesieve {`,
      `  process_limit = 100`,
      `}`,
    );
  } else if (!install.managesieve) {
    lines.push('# ManageSieve: dovecot-managesieved is not installed, so users cannot upload scripts');
  }
  return { mailPlugins: [], lmtpPlugins: ['sieve'], protocols: port !== null ? ['sieve'] : [], lines };
}
