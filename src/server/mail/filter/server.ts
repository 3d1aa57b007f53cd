// Postern's after-queue content filter: Postfix's `content_filter` sends every received
// message to this LMTP server on a UNIX socket under DATA_DIR (master.cf `postern-filter`,
// Postfix's lmtp client with XFORWARD, so the original client's address and HELO name come
// along). process.ts decides; the answer is per recipient. The socket is owned by the
// postfix user, mode 0600, in the directory of Postern's other daemon sockets.
//
// Bounds: at most MAX_CLIENTS connections (Postfix keeps idle ones cached); at most
// MAX_CONCURRENT mails processed at once (master.cf gives postern-filter as many processes);
// a message over the SMTP service's size limit (sizeLimit) is refused (552) by the server
// itself and no longer buffered once it is over; DLP runs in worker threads with a time
// limit (dlpPool.ts); every reinjection step has a timeout. No DNS: reverse lookups are off.

import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Store } from '../../store/records';
import { mailDirectory, type MailDirectory } from '../directory';
import { runningAsRoot, systemUser } from '../daemonAccess';
import { DlpRules } from './dlp';
import { processMail, type Answer, type Envelope } from './process';
import { ensureBuiltInRepositories } from './repositoryStore';
import { contentFilterSocket, DEFAULT_MAX_MESSAGE_SIZE, reinjectSocket } from '../../services/postfixConfig';
import { SERVICE } from '../../services/slot';

const MAX_CLIENTS = 20;
/** Mails processed at once (each buffered whole, parsed, matched): also postern-filter's maxproc in master.cf. */
export const MAX_CONCURRENT = 2;

/**
 * The largest message the filter takes: the SMTP x:Service's maxMessageSize (Postfix's
 * message_size_limit, 10 240 000 when empty) doubled, since Postfix counts a bare-LF line
 * end as 1 byte and sends it as CRLF, plus room for the headers it adds. Postfix has
 * refused anything larger already; this bounds what one mail can make the filter buffer.
 */
export function sizeLimit(store: Store): number {
  const size = store.get(SERVICE, 'smtp')?.maxMessageSize;
  return 2 * (typeof size === 'number' && size > 0 ? size : DEFAULT_MAX_MESSAGE_SIZE) + 64 * 1024;
}

/** Runs at most `n` of the given jobs at once, the others in arrival order. */
function limiter(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export interface ContentFilterOptions {
  store: Store;
  dataDir: string;
  /** Defaults to the live directory over the store. */
  directory?: MailDirectory;
  /** The socket to listen on; contentFilterSocket(dataDir) by default. */
  socketPath?: string;
  /** The reinjection smtpd's socket; reinjectSocket(dataDir) by default. */
  reinjectSocketPath?: string;
  /** Owner of the socket (as root: the postfix user, whose lmtp client connects). */
  owner?: { uid: number; gid: number };
  log?(msg: string): void;
}

export interface ContentFilter {
  readonly socketPath: string;
  close(): Promise<void>;
}

function envelopeOf(session: SMTPServerSession): Envelope {
  const xf = session.xForward as Map<string, unknown> | undefined;
  const given = (k: string) => {
    const v = xf?.get(k);
    return typeof v === 'string' && v !== '' && !/^\[(UNAVAILABLE|TEMPUNAVAIL)\]$/i.test(v) ? v : null;
  };
  const from = session.envelope.mailFrom;
  return {
    sender: from && from.address ? from.address : null,
    recipients: session.envelope.rcptTo.map((r) => r.address),
    remoteAddr: given('ADDR'),
    remoteHost: given('HELO') ?? given('NAME'),
  };
}

const asReply = (a: Answer): string | Error => {
  if (a.code >= 200 && a.code < 300) return a.text;
  return Object.assign(new Error(a.text), { responseCode: a.code });
};

export async function startContentFilter(opts: ContentFilterOptions): Promise<ContentFilter> {
  const log = opts.log ?? (() => {});
  const socketPath = opts.socketPath ?? contentFilterSocket(opts.dataDir);
  ensureBuiltInRepositories(opts.store);
  const deps = {
    store: opts.store,
    directory: opts.directory ?? mailDirectory(opts.store),
    rules: new DlpRules(opts.store, log),
    reinjectSocket: opts.reinjectSocketPath ?? reinjectSocket(opts.dataDir),
    log,
  };
  const oneAtATime = limiter(MAX_CONCURRENT);
  const server = new SMTPServer({
    lmtp: true,
    name: 'postern-filter',
    banner: 'Postern content filter',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    useXForward: true,
    disableReverseLookup: true,
    hideSTARTTLS: true,
    logger: false,
    size: sizeLimit(opts.store),
    maxClients: MAX_CLIENTS,
    socketTimeout: 5 * 60_000,
    closeTimeout: 2000, // on close, connections Postfix keeps open are not waited for long
    onMailFrom(_address, _session, callback) {
      // The limit as the SMTP service says now (smtp-server reads it when DATA starts).
      server.options.size = sizeLimit(opts.store);
      callback();
    },
    onData(stream, session, callback) {
      const over = () => (stream as unknown as { sizeExceeded?: boolean }).sizeExceeded === true;
      let chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (over()) chunks = []; // refused at the end anyway: read on, keep nothing
        else chunks.push(c);
      });
      stream.on('end', () => {
        if (over()) {
          callback(Object.assign(new Error(`5.3.4 message larger than ${server.options.size} bytes`), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        chunks = [];
        oneAtATime(() => processMail(deps, envelopeOf(session), raw)).then(
          (answers) => callback(null, answers.map(asReply) as unknown as string),
          (e: Error) => callback(Object.assign(new Error(`4.3.0 content filter failure: ${e.message}`), { responseCode: 451 })),
        );
      });
    },
  });
  server.on('error', (e) => log(`content filter: ${e.message}`));
  fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  fs.rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(socketPath, () => {
      server.server.removeListener('error', reject);
      resolve();
    });
  });
  const owner = opts.owner ?? (runningAsRoot() ? systemUser('postfix') : null);
  if (owner) fs.chownSync(socketPath, owner.uid, owner.gid);
  fs.chmodSync(socketPath, 0o600);
  server.server.unref();
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          fs.rmSync(socketPath, { force: true });
          resolve();
        });
      }),
  };
}
