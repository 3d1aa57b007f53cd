// Full-text search for the IMAP instance: Dovecot's fts plugin with the Xapian backend
// (Debian's dovecot-fts-xapian; fts_squat, which dovecot-core ships, crashes on Debian 12).
//
// Where the index lives: fts-xapian writes one Xapian database per mailbox under the
// user's index directory, `<home>/xapian-indexes/`, and the homes the userdb answers are
// DATA_DIR/mail/<domain>/<local> (dovecotConfig.ts): so the index stays in DATA_DIR, is
// owned by the mail owner like the Maildir beside it, and goes away with the account.
//
// New mail is indexed as it arrives (fts_autoindex: LMTP delivery and IMAP APPEND queue
// the mailbox to the indexer), so searches rarely wait; a SEARCH BODY on a mailbox whose
// index is behind indexes the rest first. Re-indexing (tasks/reindex.ts) runs
// `doveadm fts rescan` and `doveadm index` against this instance.
//
// Returns nothing when the plugin is not installed: Dovecot would refuse to start with
// an unknown plugin, and searches still work, slowly, by reading every mail.

import fs from 'node:fs';
import path from 'node:path';
import type { PluginContext, PluginSection } from './dovecotPlugins';

const MODULE_DIRS = ['/usr/lib/dovecot/modules', '/usr/lib64/dovecot/modules', '/usr/local/lib/dovecot/modules', '/usr/lib/dovecot'];
const XAPIAN_MODULE = 'lib21_fts_xapian_plugin.so';

/** The directory holding Dovecot's fts-xapian module, or null when dovecot-fts-xapian is not installed. */
export function xapianModuleDir(dirs: string[] = MODULE_DIRS): string | null {
  return dirs.find((d) => fs.existsSync(path.join(d, XAPIAN_MODULE))) ?? null;
}

/** Memory an indexer worker may map: Xapian commits in batches and a large mailbox needs room. */
export const INDEXER_VSZ_LIMIT = 2 * 1024 * 1024 * 1024;

/** Shortest and longest n-grams fts-xapian keeps for header fields (From, To, Subject …): substring searches of addresses. */
export const NGRAM_PARTIAL = 3;
export const NGRAM_FULL = 20;

/** The index directory fts-xapian uses for a user whose home is `home`. */
export function xapianIndexDir(home: string): string {
  return path.join(home, 'xapian-indexes');
}

/** The fts_xapian setting: the same n-grams always; verbose=1 logs every mail indexed (doveadm -o, for progress). */
export function xapianSetting(verbose = false): string {
  return `partial=${NGRAM_PARTIAL} full=${NGRAM_FULL} verbose=${verbose ? 1 : 0}`;
}

export function ftsConfig(ctx: PluginContext, installed: boolean = xapianModuleDir() !== null): PluginSection {
  if (ctx.protocol !== 'imap' || !installed) return { mailPlugins: [], lines: [] };
  return {
    mailPlugins: ['fts', 'fts_xapian'],
    lines: [
      `# Full-text search (dovecot-fts-xapian): the index lives beside each Maildir, in`,
      `# <home>/xapian-indexes under ${ctx.dataDir}; new mail is indexed as it arrives.`,
      `plugin {`,
      `  fts = xapian`,
      `  fts_xapian = ${xapianSetting()}`,
      `  fts_autoindex = yes`,
      `  fts_enforced = yes`,
      `  fts_autoindex_exclude = \\Trash`,
      `}`,
      `service indexer-worker {`,
      `  vsz_limit = ${INDEXER_VSZ_LIMIT} B`,
      `}`,
    ],
  };
}
