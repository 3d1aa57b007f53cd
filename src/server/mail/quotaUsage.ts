// How much each mailbox holds, as Dovecot counts it, kept on the account as mail arrives
// and is deleted: Dovecot's quota_clone plugin (services/dovecotQuota.ts) writes a user's
// usage to a dict over Dovecot's dict proxy protocol, and this is the dict server, on a
// UNIX socket in DATA_DIR. Nothing polls: each delivery, expunge or append that changes a
// user's quota writes that one account (usedDiskQuota, usedEmails and its ratios).
//
// The protocol (Dovecot 2.3 lib-dict), one line per command, fields tab-separated and
// escaped with \x01 (\x01 1 = \x01, \x01 t = tab, \x01 r, \x01 n, \x01 0 = NUL):
//   H<major>\t<minor>\t<value type>\t<user>\t<dict name>   hello (no reply); major 2 or 3
//   B<id>[\t<user>]       begin a transaction: protocol 3 names its user here (no reply)
//   S<id>\t<key>\t<value> set a key                       (no reply)
//   U<id>\t<key>          unset                            (no reply)
//   A<id>\t<key>\t<diff>  add to a counter (not kept)      (no reply)
//   C<id> / D<id>         commit → O<id>  (D, the async form: AO<id>)
//   R<id>                 roll back                        (no reply)
//   L<key>                lookup → N (we keep nothing to read back)
//   I<flags>\t<max>\t<path>…  iterate → an empty line (the end)
// quota_clone sets priv/quota/storage (bytes) and priv/quota/messages.
//
// Also: when a committed write changes the limits that apply to some mailboxes
// (objects/quotaRefresh.ts hands the change on), their open IMAP sessions are ended, because
// Dovecot fixes a session's quota at login; the client logs in again and gets the new
// limits. Deliveries look the user up each time. One `doveadm who` finds the connected
// users the change concerns (for a domain's default: those of the domain without their own
// limits, at once, not as the refresh of stored values goes by), then one `doveadm kick
// <user>` each, KICK_CONCURRENCY at a time. No user mask: `doveadm kick` takes a pattern,
// and `*@d.test` would also match `x@sub*…` names; exact names from `who` match nothing else.
//
// At start, what a previous run left to refresh of the stored limits is resumed
// (objects/quotaRefresh.ts resumeQuotaRefresh).

import fs from 'node:fs';
import net from 'node:net';
import { onLimitsChanged, quotaValues, domainLevels, globalLevels, resumeQuotaRefresh, rewriteAccount, type LimitsChange } from '../objects/quotas';
import type { Store } from '../store/records';
import { quotaUsageSocket } from '../services/dovecotQuota';
import { mailOwner, runningAsRoot } from './daemonAccess';
import { doveadm, doveadmTable } from './doveadm';

type Obj = Record<string, unknown>;

export interface Usage { bytes?: number; messages?: number }

const STORAGE_KEY = 'priv/quota/storage';
const MESSAGES_KEY = 'priv/quota/messages';
const MAX_LINE = 64 * 1024;
/** Open transactions one connection may hold (quota_clone has one at a time per user): a client that begins and never ends them is cut off, so memory stays bounded. */
export const MAX_OPEN_TRANSACTIONS = 64;
/** Longest user name kept with a transaction or the hello (an address is at most 320 characters). */
const MAX_USER = 1024;
/** Replies queued for a client that does not read them before the connection stops reading its commands. */
const MAX_QUEUED_REPLIES = 64 * 1024;
/** How long changed limits gather before their sessions are ended (well within the 2 s a change may take). */
const KICK_DELAY_MS = 100;
/** `doveadm kick` processes run at once. */
const KICK_CONCURRENCY = 4;

/** Usage reports received per address (Dovecot user name, lower case): a recount does not overwrite a newer one. */
const reports = new WeakMap<Store, Map<string, number>>();
export function usageReports(store: Store, address: string): number {
  return reports.get(store)?.get(address.toLowerCase()) ?? 0;
}

/** A report from Dovecot (the dict socket): counted, then stored. */
export function reportUsage(store: Store, address: string, usage: Usage): boolean {
  let m = reports.get(store);
  if (!m) reports.set(store, (m = new Map()));
  const key = address.toLowerCase();
  m.set(key, (m.get(key) ?? 0) + 1);
  return recordUsage(store, address, usage);
}

/**
 * Stores a user's usage (the Dovecot user name is the account's address) and what follows
 * from it. Returns false when no account has that address. Committed at once.
 */
export function recordUsage(store: Store, address: string, usage: Usage): boolean {
  const id = store.findBy('x:Account', 'emailAddress', address.toLowerCase());
  if (!id) return false;
  store.transaction(() => {
    const data = store.get('x:Account', id);
    if (!data) return;
    const next: Obj = { ...data };
    if (usage.bytes !== undefined) next.usedDiskQuota = Math.max(0, Math.trunc(usage.bytes));
    if (usage.messages !== undefined) next.usedEmails = Math.max(0, Math.trunc(usage.messages));
    Object.assign(next, quotaValues(next, domainLevels(store, next.domainId), globalLevels(store)));
    if (Object.keys(next).every((k) => next[k] === data[k])) return;
    rewriteAccount(store, id, next);
  });
  store.flushChanges();
  return true;
}

/** Undoes the dict protocol's tab escaping. */
const UNESCAPED: Record<string, string> = { '1': '\x01', t: '\t', r: '\r', n: '\n', '0': '\0' };
export function unescapeDict(s: string): string {
  if (!s.includes('\x01')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\x01' && i + 1 < s.length) out += UNESCAPED[s[++i]] ?? s[i];
    else out += s[i];
  }
  return out;
}

interface Conn { user: string | null; transactions: Map<string, Usage>; users: Map<string, string> }

/** Answers one command line; returns the reply (null: none) or 'close' for a broken one. */
export function dictCommand(conn: Conn, line: string, commit: (user: string, usage: Usage) => void): string | null | 'close' {
  const cmd = line[0];
  const args = line.slice(1).split('\t').map(unescapeDict);
  const number = (v: string | undefined) => (v !== undefined && /^-?\d{1,19}$/.test(v) ? Number(v) : null);
  switch (cmd) {
    case 'H':
      if (args.length < 5 || (args[0] !== '2' && args[0] !== '3') || args[3].length > MAX_USER) return 'close';
      conn.user = args[3] || null;
      return null;
    case 'B':
      // Protocol 3 (Dovecot 2.3.17 on) names the user per transaction.
      if ((args[1] ?? '').length > MAX_USER) return 'close';
      if (!conn.transactions.has(args[0]) && conn.transactions.size >= MAX_OPEN_TRANSACTIONS) return 'close';
      conn.transactions.set(args[0], {});
      if (args[1]) conn.users.set(args[0], args[1]);
      return null;
    case 'S': case 'A': {
      const t = conn.transactions.get(args[0]);
      const n = number(args[2]);
      if (!t || n === null) return 'close';
      // quota_clone only sets; an increment (which it never sends) is accepted and not kept.
      const field = args[1] === STORAGE_KEY ? 'bytes' : args[1] === MESSAGES_KEY ? 'messages' : null;
      if (field && cmd === 'S') t[field] = n;
      return null;
    }
    case 'U':
      return conn.transactions.has(args[0]) ? null : 'close';
    case 'R':
      conn.transactions.delete(args[0]);
      conn.users.delete(args[0]);
      return null;
    case 'C': case 'D': {
      const t = conn.transactions.get(args[0]);
      if (!t) return 'close';
      const user = conn.users.get(args[0]) ?? conn.user;
      conn.transactions.delete(args[0]);
      conn.users.delete(args[0]);
      const ok = !user || (t.bytes === undefined && t.messages === undefined) ? true : safeCommit(() => commit(user, { bytes: t.bytes, messages: t.messages }));
      return `${cmd === 'D' ? 'A' : ''}${ok ? 'O' : 'F'}${args[0]}`;
    }
    case 'L':
      return 'N';
    case 'I':
      return '';
    default:
      return 'close';
  }
}

function safeCommit(f: () => void): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

export interface QuotaUsageServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

/** Serves the usage dict at DATA_DIR/services/mail-lookup/quota-usage.sock and ends sessions whose limits changed. */
export async function startQuotaUsage(dataDir: string, store: Store, log: (msg: string) => void): Promise<QuotaUsageServer> {
  const socketPath = quotaUsageSocket(dataDir);
  fs.mkdirSync(socketPath.slice(0, socketPath.lastIndexOf('/')), { recursive: true, mode: 0o700 });
  fs.rmSync(socketPath, { force: true });
  const commit = (user: string, usage: Usage) => {
    if (!reportUsage(store, user, usage)) log(`Quota usage for ${user}: no account has this address`);
  };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const conn: Conn = { user: null, transactions: new Map(), users: new Map() };
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        const reply = dictCommand(conn, line, commit);
        buf = buf.slice(nl + 1);
        if (reply === 'close') {
          log(`Quota usage socket: closed a connection after an unexpected line: ${JSON.stringify(line.slice(0, 200))}`);
          return socket.destroy();
        }
        if (reply !== null) socket.write(`${reply}\n`);
      }
      if (buf.length > MAX_LINE) return socket.destroy();
      // A client that writes commands without reading the replies: stop reading until it does.
      if (socket.writableLength > MAX_QUEUED_REPLIES) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const umask = process.umask(0o077);
    try {
      server.listen(socketPath, () => resolve());
    } finally {
      process.umask(umask);
    }
  });
  // Dovecot's mail processes (imap, lmtp) write here, as the mail owner when root.
  if (runningAsRoot()) {
    const owner = mailOwner();
    fs.chownSync(socketPath, owner.uid, owner.gid);
  }
  fs.chmodSync(socketPath, 0o600);

  const resumed = resumeQuotaRefresh(store);
  if (resumed) log(`Refreshing the stored quota limits of ${resumed.all ? 'every account' : `the accounts of ${resumed.domains.length} domain(s)`}: the last run stopped before it was done`);

  // Changes gather for KICK_DELAY_MS; one `doveadm who` serves them all.
  let changes: LimitsChange[] = [];
  let kickTimer: NodeJS.Timeout | null = null;
  const stopListening = onLimitsChanged((s, change) => {
    if (s !== store) return;
    changes.push(change);
    kickTimer ??= setTimeout(() => {
      kickTimer = null;
      const batch = changes;
      changes = [];
      const concerned = (user: string) => {
        const id = store.db.open ? store.findBy('x:Account', 'emailAddress', user.toLowerCase()) : null;
        const account = id ? store.get('x:Account', id) : null;
        return batch.some((c) => c(user, account));
      };
      void endSessions(dataDir, concerned, log);
    }, KICK_DELAY_MS);
  });
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        stopListening();
        if (kickTimer) clearTimeout(kickTimer);
        for (const s of sockets) s.destroy();
        server.close(() => {
          fs.rmSync(socketPath, { force: true });
          resolve();
        });
      }),
  };
}

/**
 * Ends the open sessions of the connected users `concerned` picks (doveadm who, then one
 * kick per user, KICK_CONCURRENCY at a time); errors are logged only. Returns those kicked.
 */
export async function endSessions(dataDir: string, concerned: (user: string) => boolean, log: (msg: string) => void): Promise<string[]> {
  let connected: string[];
  try {
    const rows = await doveadmTable(dataDir, ['who', '-1'], { timeoutMs: 10_000 });
    connected = [...new Set(rows.map((r) => r.username ?? '').filter((u) => u !== ''))].filter(concerned);
  } catch {
    return []; // Dovecot stopped: no session to end.
  }
  const queue = [...connected];
  const worker = async () => {
    for (let user = queue.shift(); user !== undefined; user = queue.shift()) {
      try {
        await doveadm(dataDir, ['kick', user], { timeoutMs: 10_000 });
      } catch (e) {
        log(`Could not end the IMAP sessions of ${user} after its quota changed: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(KICK_CONCURRENCY, queue.length) }, worker));
  return connected;
}
