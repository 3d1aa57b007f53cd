// What happens to a user's mail when the account is deleted: the Maildir under
// DATA_DIR/mail/<domain>/<local> is removed once the deletion committed, after the user's
// open IMAP sessions are ended. Otherwise a new account given the same address later would
// open the old account's mail (and start with its quota usage).

import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/records';
import { doveadm } from './doveadm';
import { mailPaths } from './daemonAccess';

/** The Maildir of an address: DATA_DIR/mail/<domain>/<local>, or null for a name that cannot be one. */
export function maildirOf(dataDir: string, address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  // Addresses are validated on write; a path part that could leave the mail root is never one.
  if ([local, domain].some((p) => p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\0'))) return null;
  return path.join(mailPaths(dataDir).mailRoot, domain.toLowerCase(), local.toLowerCase());
}

/** Removes the mail of deleted accounts (`addresses`: their email addresses). Never throws: what fails is logged. */
export async function removeMailStores(store: Store, addresses: string[], log: (msg: string) => void = (m) => console.error(`[postern] ${m}`)): Promise<void> {
  const dataDir = path.dirname(store.db.name);
  for (const address of addresses) {
    const dir = maildirOf(dataDir, address);
    if (!dir || !fs.existsSync(dir)) continue;
    try {
      await doveadm(dataDir, ['kick', address], { timeoutMs: 10_000 });
    } catch {
      // Dovecot stopped, or no session: nothing to end.
    }
    try {
      await fs.promises.rm(dir, { recursive: true, force: true });
    } catch (e) {
      log(`The mail of the deleted account ${address} could not be removed from ${dir}: ${(e as Error).message}`);
    }
  }
}
