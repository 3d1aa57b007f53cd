// Test helpers for the mail side: an in-memory MailDirectory, an LMTP client and a client
// of Dovecot's SASL socket (what Postfix's smtpd speaks), each a few lines over a socket;
// and a mail sink (a relay or LMTP server that keeps what it receives).

import fs from 'node:fs';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { MailDirectory, MailLogin } from './directory';

/** A MailDirectory over a map, changed by the test as the console would change the store. */
export class TestDirectory implements MailDirectory {
  readonly accounts = new Map<string, MailLogin>();
  /** alias address → account address */
  readonly aliases = new Map<string, string>();

  put(address: string, secrets: string[]): MailLogin {
    const [local, domain] = address.split('@');
    const login = { accountId: `a-${local}`, address, secrets, home: `${domain}/${local}` };
    this.accounts.set(address, login);
    return login;
  }

  isLocalDomain(domain: string) {
    return [...this.accounts.keys()].some((a) => a.endsWith(`@${domain}`));
  }

  mailbox(address: string) {
    return this.accounts.has(address) ? address : null;
  }

  aliasTargets(key: string) {
    const target = this.aliases.get(key);
    return target ? [target] : this.mailbox(key) ? [key] : null;
  }

  login(address: string) {
    return this.accounts.get(this.aliases.get(address) ?? address) ?? null;
  }
}

/** A line-oriented conversation with a timeout: `next()` is the server's next complete reply. */
function conversation(socket: net.Socket, timeoutMs: number, complete: (lines: string[]) => boolean) {
  let buf = '';
  let pending: string[] = [];
  const waiting: ((lines: string[]) => void)[] = [];
  const ready: string[][] = [];
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      pending.push(buf.slice(0, nl).replace(/\r$/, ''));
      buf = buf.slice(nl + 1);
      if (complete(pending)) {
        const w = waiting.shift();
        if (w) w(pending);
        else ready.push(pending);
        pending = [];
      }
    }
  });
  return {
    next: () =>
      new Promise<string[]>((resolve, reject) => {
        const r = ready.shift();
        if (r) return resolve(r);
        const t = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((lines) => {
          clearTimeout(t);
          resolve(lines);
        });
      }),
  };
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath, () => resolve(s));
    s.once('error', reject);
  });
}

export interface LmtpResult {
  /** The reply to each RCPT TO, in order (first line). */
  rcpt: string[];
  /** One reply per accepted recipient after DATA (LMTP answers per recipient); none if every RCPT was refused. */
  data: string[];
}

/** Delivers one message over LMTP (RFC 2033) to the UNIX socket. */
export async function lmtpDeliver(socketPath: string, from: string, to: string[], message: string, timeoutMs = 10_000): Promise<LmtpResult> {
  const socket = await connect(socketPath);
  try {
    const c = conversation(socket, timeoutMs, (lines) => /^\d{3} /.test(lines[lines.length - 1]));
    const say = async (line: string, expect: RegExp) => {
      socket.write(`${line}\r\n`);
      const r = await c.next();
      if (!expect.test(r[r.length - 1])) throw new Error(`LMTP ${line.split(':')[0]}: ${r.join(' | ')}`);
      return r[r.length - 1];
    };
    const greeting = await c.next();
    if (!greeting[0].startsWith('220')) throw new Error(`LMTP greeting: ${greeting[0]}`);
    await say('LHLO postern.test', /^250 /);
    await say(`MAIL FROM:<${from}>`, /^250 /);
    const rcpt: string[] = [];
    for (const r of to) rcpt.push(await say(`RCPT TO:<${r}>`, /^\d{3} /));
    const accepted = rcpt.filter((r) => r.startsWith('250')).length;
    const data: string[] = [];
    if (accepted > 0) {
      await say('DATA', /^354 /);
      const body = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
      socket.write(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
      for (let i = 0; i < accepted; i++) data.push((await c.next()).at(-1)!);
    }
    socket.write('QUIT\r\n');
    return { rcpt, data };
  } finally {
    socket.destroy();
  }
}

/**
 * One PLAIN authentication over Dovecot's auth client socket, the way Postfix's smtpd
 * asks (VERSION / CPID, then AUTH with service=smtp and the client's address).
 * Returns Dovecot's answer line: `OK\t1\tuser=…` or `FAIL\t1\t…`.
 */
export async function saslPlain(socketPath: string, user: string, password: string, opts: { rip?: string; secured?: boolean; timeoutMs?: number } = {}): Promise<string> {
  const socket = await connect(socketPath);
  try {
    const c = conversation(socket, opts.timeoutMs ?? 10_000, (lines) => /^(DONE|OK|FAIL|CONT)\b/.test(lines[lines.length - 1]));
    socket.write(`VERSION\t1\t2\nCPID\t${process.pid}\n`);
    const handshake = await c.next();
    if (!handshake.some((l) => l.startsWith('MECH\tPLAIN'))) throw new Error(`Dovecot offers no PLAIN: ${handshake.join(' | ')}`);
    const resp = Buffer.from(`\0${user}\0${password}`).toString('base64');
    const params = ['service=smtp', 'nologin', ...(opts.rip ? [`rip=${opts.rip}`] : []), ...(opts.secured ? ['secured'] : []), `resp=${resp}`];
    socket.write(`AUTH\t1\tPLAIN\t${params.join('\t')}\n`);
    return (await c.next()).at(-1)!;
  } finally {
    socket.destroy();
  }
}

export interface ReceivedMail { from: string; to: string[]; body: string }

export interface MailSink {
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * An SMTP (or LMTP) server on a loopback port or a UNIX socket that keeps what it
 * receives: the relay or the mailbox side a test delivers to. Its name is not Postfix's,
 * so Postfix never takes it for itself (no mail loop).
 */
export async function mailSink(listen: { port: number } | { socket: string }, opts: { lmtp?: boolean } = {}): Promise<MailSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    lmtp: opts.lmtp ?? false,
    name: opts.lmtp ? 'lmtp-sink.test' : 'relay-sink.test',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('port' in listen) server.listen(listen.port, '127.0.0.1', () => resolve());
    else server.listen(listen.socket, () => resolve());
  });
  if ('socket' in listen) fs.chmodSync(listen.socket, 0o666);
  return { received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
