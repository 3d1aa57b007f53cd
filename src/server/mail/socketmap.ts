// Postfix's socketmap protocol (socketmap_table(5)), served by Postern on a UNIX socket:
// Postfix asks "name key" and gets "OK value", "NOTFOUND " or "TEMP reason", every
// message a netstring (`<length>:<bytes>,`), several requests per connection. The maps
// answer live from the directory, so a created or removed address counts at once and no
// table is ever rewritten:
//   domains   → virtual_mailbox_domains: the local domains and their aliases
//   mailboxes → virtual_mailbox_maps: the addresses that have a mailbox
//   aliases   → virtual_alias_maps: aliases, lists, forwards, catch-all addresses
//   senders   → smtpd_sender_login_maps (submission): the account that may send as an address

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** What the maps read: the lookup part of the MailDirectory contract (src/server/mail/directory.ts). */
export interface LookupDirectory {
  isLocalDomain(domain: string): boolean;
  mailbox(address: string): string | null;
  aliasTargets(key: string): string[] | null;
  /** The account an address (or alias) belongs to, for senders: who may send as it. */
  login(address: string): { address: string } | null;
}

export const MAP_NAMES = ['domains', 'mailboxes', 'aliases', 'senders'] as const;

/** Largest request accepted; Postfix's own keys are addresses (at most a few hundred bytes). */
const MAX_REQUEST = 10_000;
/** Postfix's default socketmap_max_reply_size is 100 000 bytes. */
const MAX_REPLY = 100_000;

export function netstring(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/** Splits a byte stream into netstrings; throws on a malformed or oversized one. */
export class NetstringReader {
  private buffer = Buffer.alloc(0);

  constructor(private readonly max = MAX_REQUEST) {}

  /** Adds bytes and returns every netstring they complete. */
  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: string[] = [];
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) {
        if (this.buffer.length > 10) throw new Error('netstring length is too long');
        if (this.buffer.length && !/^\d+$/.test(this.buffer.toString('latin1'))) throw new Error('netstring length is not a number');
        return out;
      }
      const digits = this.buffer.subarray(0, colon).toString('latin1');
      if (!/^\d{1,10}$/.test(digits)) throw new Error('netstring length is not a number');
      const length = Number(digits);
      if (length > this.max) throw new Error(`request longer than ${this.max} bytes`);
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return out;
      if (this.buffer[end] !== 0x2c) throw new Error('netstring does not end with ","');
      out.push(this.buffer.subarray(colon + 1, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 1);
    }
  }
}

/** The answer to one request, as the text of the reply netstring. */
export function answer(directory: LookupDirectory, request: string): string {
  const space = request.indexOf(' ');
  if (space <= 0) return 'PERM request must be "<map> <key>"';
  const map = request.slice(0, space);
  const key = request.slice(space + 1).trim().toLowerCase();
  if (!key) return 'NOTFOUND ';
  let value: string | null;
  try {
    switch (map) {
      case 'domains':
        value = !key.startsWith('.') && directory.isLocalDomain(key) ? key : null;
        break;
      case 'mailboxes':
        value = key.startsWith('@') ? null : directory.mailbox(key);
        break;
      case 'aliases': {
        const targets = directory.aliasTargets(key);
        value = targets && targets.length ? targets.join(',') : null;
        break;
      }
      case 'senders':
        // smtpd_sender_login_maps: the login (the account's address) that may send as this address.
        value = key.startsWith('@') ? null : (directory.login(key)?.address ?? null);
        break;
      default:
        return `PERM unknown map ${JSON.stringify(map).slice(0, 60)}: the maps are ${MAP_NAMES.join(', ')}`;
    }
  } catch (e) {
    return `TEMP directory lookup failed: ${String((e as Error).message ?? e).replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
  }
  if (value === null) return 'NOTFOUND ';
  const reply = `OK ${value}`;
  return Buffer.byteLength(reply) + 16 > MAX_REPLY ? `PERM reply too long for ${key}` : reply;
}

export interface SocketmapServer {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Listens on `socketPath` (its directory is created, a stale socket replaced). The socket
 * is mode 0600, owned by `owner` when given (as root: the postfix user, whose processes
 * ask), so no other local user can probe the directory. The server does not keep the
 * process alive by itself.
 */
export async function listenSocketmap(
  socketPath: string,
  directory: LookupDirectory,
  owner?: { uid: number; gid: number },
): Promise<SocketmapServer> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  fs.rmSync(socketPath, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(5 * 60_000, () => socket.destroy()); // Postfix reconnects when it needs to
    const reader = new NetstringReader();
    socket.on('data', (chunk: Buffer) => {
      let requests: string[];
      try {
        requests = reader.push(chunk);
      } catch (e) {
        socket.end(netstring(`PERM ${(e as Error).message}`));
        return;
      }
      for (const r of requests) socket.write(netstring(answer(directory, r)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  if (owner) fs.chownSync(socketPath, owner.uid, owner.gid);
  fs.chmodSync(socketPath, 0o600);
  server.unref();
  return {
    path: socketPath,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => {
        fs.rmSync(socketPath, { force: true });
        resolve();
      });
    }),
  };
}
