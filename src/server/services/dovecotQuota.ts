// Mailbox quotas for the IMAP instance: Dovecot's quota plugin enforces them, and its
// quota_clone plugin reports the usage back to Postern.
//
// - Backend `count` with virtual sizes: Dovecot keeps each user's message count and size
//   in its mailbox indexes (no quota file to drift), and `doveadm quota recalc` rebuilds it.
// - The limits are the userdb fields quota_rule (bytes) and quota_rule2 (messages) that
//   the checkpassword bridge answers for every login and delivery (mail/userdbExtras.ts),
//   resolved user → domain → global by Postern; 0 is unlimited. There is no rule here.
// - An over-quota delivery is refused at RCPT TO (lmtp_rcpt_check_quota), permanently
//   (quota_full_tempfail stays no), and an over-quota IMAP APPEND fails with
//   [OVERQUOTA]; quota_grace 0: a limit is not exceeded by the last message either.
// - imap_quota answers GETQUOTAROOT to mail clients.
// - quota_clone writes the user's usage (priv/quota/storage in bytes, priv/quota/messages)
//   through Dovecot's dict proxy protocol to a socket Postern serves
//   (mail/quotaUsage.ts), after each delivery, expunge or append: at once when the
//   mailbox closes, at most 10 s later for a session that keeps it open.
//
// Returns nothing when one of the three modules is not installed (Debian ships them in
// dovecot-core): Dovecot would refuse to start with an unknown plugin; mail then has no
// limit and no usage comes back.

import fs from 'node:fs';
import path from 'node:path';
import { mailPaths } from '../mail/daemonAccess';
import type { PluginContext, PluginSection } from './dovecotPlugins';

/** The dict name Postern's usage socket answers to. */
export const USAGE_DICT = 'usage';

/** The UNIX socket quota_clone writes usage to: DATA_DIR/services/mail-lookup/quota-usage.sock. */
export function quotaUsageSocket(dataDir: string): string {
  return path.join(mailPaths(dataDir).lookupDir, 'quota-usage.sock');
}

const MODULE_DIRS = ['/usr/lib/dovecot/modules', '/usr/lib64/dovecot/modules', '/usr/local/lib/dovecot/modules', '/usr/lib/dovecot'];
/** The plugins this section loads and their modules. */
export const QUOTA_MODULES = { quota: 'lib10_quota_plugin.so', quota_clone: 'lib20_quota_clone_plugin.so', imap_quota: 'lib11_imap_quota_plugin.so' };

/** The quota modules not found in any of Dovecot's module directories (none: all installed). */
export function missingQuotaModules(dirs: string[] = MODULE_DIRS): string[] {
  return Object.values(QUOTA_MODULES).filter((m) => !dirs.some((d) => fs.existsSync(path.join(d, m))));
}

export function quotaConfig(ctx: PluginContext, installed: boolean = missingQuotaModules().length === 0): PluginSection {
  if (ctx.protocol !== 'imap' || !installed) return { mailPlugins: [], lines: [] };
  const socket = quotaUsageSocket(ctx.dataDir);
  // A dict URI is proxy:<path>:<name>: the path can hold neither ':' nor white space.
  if (/[\s:{}%]/.test(socket)) throw new Error(`Dovecot cannot name ${JSON.stringify(socket)} in a dict URI: the data directory's path must not contain spaces or %, nor ':' or braces`);
  return {
    mailPlugins: ['quota', 'quota_clone'],
    imapPlugins: ['imap_quota'],
    lines: [
      `# Quotas: limits come from the userdb (Postern resolves user, domain, global); usage`,
      `# goes back to Postern through ${socket}.`,
      `lmtp_rcpt_check_quota = yes`,
      `plugin {`,
      `  quota = count:User quota`,
      `  quota_vsizes = yes`,
      `  quota_grace = 0`,
      `  quota_clone_dict = proxy:${socket}:${USAGE_DICT}`,
      `}`,
    ],
  };
}
