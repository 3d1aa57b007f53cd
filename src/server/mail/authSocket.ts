// The checkpassword bridge: a UNIX socket in the Postern process that Dovecot's
// checkpassword program (checkpassword.ts writes it) asks whether a login is good and
// where an account's mailbox is. Answers come from the MailDirectory, read when asked,
// and passwords are verified against Postern's own hashes, so a created, changed or
// removed account takes effect with the next login: nothing is exported, cached or
// reloaded. Hashes never leave this process.
//
// Protocol: one request per connection, one JSON line each way.
//   → {"op":"login","user":"a@example.test","password":"…","ip":"192.0.2.1","service":"imap"}
//   → {"op":"lookup","user":"a@example.test"}        (userdb: LMTP delivery, doveadm)
//   ← {"result":"ok","user":"a@example.test","home":"/…/mail/example.test/a","uid":8,"gid":8,
//      "fields":{"quota_rule":"*:bytes=0",…}}   (extra userdb fields: userdbExtras.ts)
//   ← {"result":"unknown"}  no such mailbox (or its domain is disabled)
//   ← {"result":"refused"}  wrong password, no password, or the address is blocked
//   ← {"result":"error"}    malformed request
// A refused login from an address counts toward the per-address blocking of sign-ins
// (AccessGuard), as a failed console sign-in does; a blocked address cannot log in.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AccessGuard } from '../auth/guard';
import { dummyHash, verifyPassword } from '../auth/passwords';
import { mailOwner, mailPaths, runningAsRoot, systemGroupId, type SystemAccount } from './daemonAccess';
import type { MailDirectory } from './directory';

/** What the bridge needs of the sign-in guard. */
export type LoginGuard = Pick<AccessGuard, 'isBlocked' | 'fail' | 'succeed'>;

export interface MailAuthOptions {
  socketPath: string;
  /** Absolute directory the relative MailLogin.home is under (DATA_DIR/mail). */
  mailRoot: string;
  directory: MailDirectory;
  guard?: LoginGuard;
  /** uid/gid of every mailbox; by default mailOwner(). */
  owner?: SystemAccount;
  /** Group allowed to connect when root (Dovecot's auth process runs as it). */
  clientGroup?: string;
  log?: (msg: string) => void;
}

export interface MailAuthServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

export type AuthRequest =
  | { op: 'login'; user: string; password: string; ip?: string; service?: string }
  | { op: 'lookup'; user: string };

export type AuthReply =
  | { result: 'ok'; user: string; home: string; uid: number; gid: number; fields?: Record<string, string> }
  | { result: 'unknown' | 'refused' | 'error'; reason?: string };

const MAX_REQUEST = 4096;
/** Userdb fields the answer itself carries: an extra field of these names is dropped. */
const RESERVED_FIELDS = new Set(['user', 'home', 'uid', 'gid']);
const CONNECTION_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 256;

/** One path segment usable as a directory name: no separator, no control character, not . or .. */
function safeSegment(s: string): boolean {
  if (s === '' || s === '.' || s === '..' || s.length > 255 || s.includes('/')) return false;
  return ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function parseRequest(line: string): AuthRequest | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  const r = v as Record<string, unknown>;
  if (!r || typeof r !== 'object' || typeof r.user !== 'string' || r.user === '' || r.user.length > 320) return null;
  if (r.op === 'lookup') return { op: 'lookup', user: r.user };
  if (r.op !== 'login' || typeof r.password !== 'string' || r.password.length > 1024) return null;
  return {
    op: 'login',
    user: r.user,
    password: r.password,
    ip: typeof r.ip === 'string' && r.ip ? r.ip : undefined,
    service: typeof r.service === 'string' ? r.service : undefined,
  };
}

/** Answers one request (exported for tests). */
export async function answerAuth(req: AuthRequest, opts: Pick<MailAuthOptions, 'directory' | 'guard' | 'mailRoot'> & { owner: SystemAccount }): Promise<AuthReply> {
  const user = req.user.toLowerCase();
  const ip = req.op === 'login' ? req.ip : undefined;
  if (ip && opts.guard?.isBlocked(ip)) return { result: 'refused', reason: 'blocked' };
  const found = opts.directory.login(user);
  const segments = found?.home.split('/') ?? [];
  const login = found && segments.length === 2 && segments.every(safeSegment) && !/[\t\n\r]/.test(found.address) ? found : null;
  if (req.op === 'login') {
    let good = false;
    // Every secret is tried (an app password may be any of them); an unknown user costs one
    // verification too, so the time taken does not tell whether the address exists.
    for (const secret of login?.secrets.length ? login.secrets : [dummyHash()]) {
      if ((await verifyPassword(req.password, secret)) && login) good = true;
    }
    if (!good || !login) {
      opts.guard?.fail(ip, user);
      return { result: 'refused', reason: login ? 'password' : 'unknown' };
    }
    if (ip) opts.guard?.succeed(ip, { accountId: login.accountId, name: user, permissions: new Set() });
  }
  if (!login) return { result: 'unknown' };
  // Extra fields never replace the ones answered here, and hold no TAB or newline (checkpassword-reply writes them as they are).
  const fields = Object.entries(login.fields ?? {}).filter(
    ([k, v]) => /^[a-z][a-z0-9_]*$/.test(k) && !RESERVED_FIELDS.has(k) && typeof v === 'string' && ![...v].some((c) => c.charCodeAt(0) < 0x20),
  );
  const extra = fields.length ? { fields: Object.fromEntries(fields) } : {};
  return { result: 'ok', user: login.address, home: path.join(opts.mailRoot, ...segments), uid: opts.owner.uid, gid: opts.owner.gid, ...extra };
}

/** Listens on `socketPath` (replacing a stale socket file) until closed. */
export async function startMailAuth(opts: MailAuthOptions): Promise<MailAuthServer> {
  const owner = opts.owner ?? mailOwner();
  const log = opts.log ?? (() => {});
  const dir = path.dirname(opts.socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.rmSync(opts.socketPath, { force: true });

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(CONNECTION_TIMEOUT_MS, () => socket.destroy());
    let buf = '';
    let answered = false;
    const reply = (r: AuthReply) => {
      answered = true;
      socket.end(JSON.stringify(r) + '\n');
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (answered) return;
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) {
        if (buf.length > MAX_REQUEST) reply({ result: 'error', reason: 'request too long' });
        return;
      }
      answered = true;
      const req = parseRequest(buf.slice(0, nl));
      if (!req) return reply({ result: 'error', reason: 'malformed request' });
      answerAuth(req, { ...opts, owner }).then(reply, (e: unknown) => {
        log(`Mail login bridge: ${(e as Error).message}`);
        reply({ result: 'error', reason: 'internal error' });
      });
    });
  });
  server.maxConnections = MAX_CONNECTIONS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Created owner-only whatever the process umask, until its group and mode are set below.
    const umask = process.umask(0o077);
    try {
      server.listen(opts.socketPath, () => resolve());
    } finally {
      process.umask(umask);
    }
  });
  const group = runningAsRoot() ? systemGroupId(opts.clientGroup ?? 'dovecot') : null;
  if (group !== null) {
    fs.chownSync(opts.socketPath, 0, group);
    fs.chmodSync(opts.socketPath, 0o660);
  } else {
    fs.chmodSync(opts.socketPath, 0o600);
  }

  return {
    socketPath: opts.socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          fs.rmSync(opts.socketPath, { force: true });
          resolve();
        });
      }),
  };
}

/**
 * The server's bridge at DATA_DIR/services/mail-lookup/auth.sock. It never fails the
 * server's start: when it cannot listen it says why in the log, and Dovecot answers
 * logins with a temporary failure until it can.
 */
export async function startMailBridge(
  dataDir: string,
  deps: { directory: MailDirectory; guard?: LoginGuard; log: (msg: string) => void },
): Promise<MailAuthServer | null> {
  const paths = mailPaths(dataDir);
  try {
    return await startMailAuth({ socketPath: paths.authSocket, mailRoot: paths.mailRoot, ...deps });
  } catch (e) {
    deps.log(`Mail logins are unavailable: the login bridge could not listen on ${paths.authSocket}: ${(e as Error).message}`);
    return null;
  }
}
