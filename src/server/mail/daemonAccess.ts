// Where the mail daemons meet Postern, and who may reach what.
//
// Rootless (a developer's machine): Postern, every Dovecot process and the checkpassword
// program run as one uid; every mailbox belongs to it; nothing here changes a mode.
//
// As root, Dovecot splits itself across users, and Postfix adds one:
//   master           root      reads the configuration and TLS key, creates the sockets
//   auth             dovecot   runs checkpassword.cjs, which connects to auth.sock
//   imap-login       dovenull  chrooted into run/login: needs nothing of DATA_DIR
//   imap, lmtp       the mail owner (POSTERN_MAIL_USER, default Debian's `mail`, uid 8):
//                    reads and writes DATA_DIR/mail, as the uid the userdb answers
//   Postfix          postfix   connects to lmtp.sock, auth-client.sock, socketmap.sock
// No group holds all of them, so the way to those files is opened for traversal only:
// DATA_DIR, DATA_DIR/services and services/imap become 0711, services/mail-lookup at
// least that (a process may pass through to a name it knows; none may list them). Everything else
// directly in DATA_DIR (the SQLite database with its -wal and -shm, blobs, …) loses its
// group and other bits, so the traversable DATA_DIR exposes nothing it did not mean to.
// Each endpoint is then closed by its owner and mode:
//   services/imap/checkpassword.cjs   root:dovecot 0750
//   services/mail-lookup/auth.sock    root:dovecot 0660 (it verifies passwords: Dovecot only)
//   services/imap/lmtp.sock           postfix 0600        (created by Dovecot's master;
//   services/imap/auth-client.sock    postfix:postfix 0660  root 0600 without a postfix user)
//   mail/                             mail owner 0700
// The directories above DATA_DIR, and the Node binary the program runs on, must already
// let others through (a DATA_DIR or Node under /root does not); Postern does not change
// them and says which one is in the way.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SystemAccount {
  name: string;
  uid: number;
  gid: number;
}

/** A user of /etc/passwd (local accounts only: Node has no getpwnam). */
export function systemUser(name: string, passwdFile = '/etc/passwd'): SystemAccount | null {
  for (const line of readLines(passwdFile)) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 4) return { name, uid: Number(f[2]), gid: Number(f[3]) };
  }
  return null;
}

/** The id of a group of /etc/group, or null. */
export function systemGroupId(name: string, groupFile = '/etc/group'): number | null {
  for (const line of readLines(groupFile)) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 3) return Number(f[2]);
  }
  return null;
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

export const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The uid and gid every mailbox belongs to (Dovecot's userdb answers them for each account). */
export function mailOwner(env: NodeJS.ProcessEnv = process.env): SystemAccount {
  if (!runningAsRoot()) {
    const me = os.userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid };
  }
  const name = env.POSTERN_MAIL_USER || 'mail';
  const owner = systemUser(name);
  if (!owner) throw new Error(`The mail owner ${name} (POSTERN_MAIL_USER) is not a user of this system`);
  if (owner.uid === 0) throw new Error(`The mail owner (POSTERN_MAIL_USER) cannot be root`);
  return owner;
}

export interface MailPaths {
  dataDir: string;
  /** Maildirs: <mailRoot>/<domain>/<local>/. */
  mailRoot: string;
  /** The sockets Postern serves to the daemons. */
  lookupDir: string;
  authSocket: string;
  /** Dovecot's (IMAP service) directory and what Postern and Dovecot put there for others. */
  imapDir: string;
  checkpassword: string;
  lmtpSocket: string;
  authClientSocket: string;
}

export function mailPaths(dataDir: string): MailPaths {
  const services = path.join(dataDir, 'services');
  const imapDir = path.join(services, 'imap');
  const lookupDir = path.join(services, 'mail-lookup');
  return {
    dataDir,
    mailRoot: path.join(dataDir, 'mail'),
    lookupDir,
    authSocket: path.join(lookupDir, 'auth.sock'),
    imapDir,
    checkpassword: path.join(imapDir, 'checkpassword.cjs'),
    lmtpSocket: path.join(imapDir, 'lmtp.sock'),
    authClientSocket: path.join(imapDir, 'auth-client.sock'),
  };
}

/** Adds search permission for everyone to a directory we own, keeping its other bits. */
function traversable(dir: string) {
  const mode = fs.statSync(dir).mode & 0o7777;
  if ((mode & 0o011) !== 0o011) fs.chmodSync(dir, (mode & 0o700) | 0o011 | (mode & 0o044));
}

/** The first directory from `dir` up to / that others may not search, or null (one not made yet is skipped). */
export function firstUnsearchable(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = fs.statSync(d, { throwIfNoEntry: false });
    if (st && (st.mode & 0o001) === 0) return d;
    if (d === path.dirname(d)) return null;
  }
}

/**
 * As root: the directories and modes the comment at the top describes. Throws, naming
 * the directory, when a parent of DATA_DIR does not let the daemons' users through.
 */
export function openForDaemons(paths: MailPaths, owner: SystemAccount): void {
  for (const dir of [paths.mailRoot, paths.lookupDir, paths.imapDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!runningAsRoot()) return;
  const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');
  const blocked = firstUnsearchable(path.dirname(paths.dataDir));
  if (blocked) {
    throw new Error(
      `The mail daemons' users (dovecot, ${owner.name}, postfix) cannot reach ${paths.dataDir}: ${blocked} ` +
      `is mode ${mode(blocked)}, with no search permission for others. Choose a DATA_DIR outside it, or allow it with: chmod o+x ${blocked}`,
    );
  }
  // The checkpassword program is `#!<this Node>`, run by Dovecot's auth process (user dovecot).
  const node = process.execPath;
  const nodeBlocked = firstUnsearchable(path.dirname(node)) ?? ((fs.statSync(node).mode & 0o001) ? null : node);
  if (nodeBlocked) {
    throw new Error(`Dovecot's auth process (user dovecot) cannot run Node at ${node}: ${nodeBlocked} is mode ${mode(nodeBlocked)}. Install Node where every user may run it (such as /usr/bin/node)`);
  }
  const services = path.dirname(paths.imapDir);
  fs.chmodSync(paths.dataDir, 0o711);
  for (const entry of fs.readdirSync(paths.dataDir, { withFileTypes: true })) {
    if (entry.name === 'services' || entry.name === 'mail' || entry.isSymbolicLink()) continue;
    const file = path.join(paths.dataDir, entry.name);
    const bits = fs.statSync(file).mode & 0o7777;
    if (bits & 0o077) fs.chmodSync(file, bits & 0o7700);
  }
  fs.chmodSync(services, 0o711);
  fs.chmodSync(paths.imapDir, 0o711);
  traversable(paths.lookupDir);
  fs.chownSync(paths.mailRoot, owner.uid, owner.gid);
  fs.chmodSync(paths.mailRoot, 0o700);
}
