// Hands a message back to Postfix: one SMTP transaction over the UNIX socket of the
// reinjection smtpd (master.cf `postern-reinject`, content_filter cleared, so the message
// is delivered and never filtered again). Every step is bounded by a timeout; the replies
// come back per recipient so the filter can answer Postfix's LMTP client per recipient.

import net from 'node:net';

export interface Reply { code: number; text: string }

export interface ReinjectResult {
  /** The reply to each RCPT TO, in the order given. */
  recipients: Reply[];
  /** The reply after the message (DATA's end); null when no recipient was accepted. */
  data: Reply | null;
}

/** A transport problem (no socket, timeout, unexpected reply): the message is not delivered. */
export class ReinjectError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

/** Lines in, complete replies out (`250-…` continues, `250 …` ends). */
function replies(socket: net.Socket, timeoutMs: number) {
  let buf = '';
  let lines: string[] = [];
  const ready: Reply[] = [];
  const waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(failure);
    }
  };
  socket.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), text: lines.map((l) => l.slice(4)).join(' ') };
        lines = [];
        const w = waiting.shift();
        if (w) {
          clearTimeout(w.timer);
          w.resolve(reply);
        } else ready.push(reply);
      }
    }
  });
  socket.on('error', (e) => fail(new ReinjectError(`the reinjection socket failed: ${e.message}`, 451)));
  socket.on('close', () => fail(new ReinjectError('Postfix closed the reinjection connection', 451)));
  return (): Promise<Reply> => {
    const r = ready.shift();
    if (r) return Promise.resolve(r);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new ReinjectError(`Postfix did not answer within ${timeoutMs} ms`, 451));
        socket.destroy();
      }, timeoutMs);
      waiting.push({ resolve, reject, timer });
    });
  };
}

/** The message as SMTP DATA: CRLF line ends, leading dots doubled, ended by `.`. */
export function dataBlock(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  return Buffer.from(`${text}${text.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1');
}

const addr = (a: string) => `<${a.replace(/[<>\r\n\s]/g, '')}>`;

/** One SMTP transaction over `socketPath`. Throws ReinjectError when the message could not be handed over at all. */
export async function reinject(socketPath: string, sender: string | null, recipients: string[], raw: Buffer, timeoutMs = 30_000): Promise<ReinjectResult> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(socketPath, () => resolve(s));
    s.once('error', (e) => reject(new ReinjectError(`Postfix's reinjection socket ${socketPath} cannot be reached (is SMTP running?): ${e.message}`, 451)));
    s.setTimeout(timeoutMs, () => s.destroy(new Error(`no activity for ${timeoutMs} ms`)));
  });
  const next = replies(socket, timeoutMs);
  const say = async (line: string) => {
    socket.write(`${line}\r\n`);
    return next();
  };
  const expect = (r: Reply, ok: (c: number) => boolean, step: string) => {
    if (!ok(r.code)) throw new ReinjectError(`Postfix refused ${step}: ${r.code} ${r.text}`, r.code);
    return r;
  };
  try {
    expect(await next(), (c) => c === 220, 'the connection');
    expect(await say('EHLO postern-filter'), (c) => c === 250, 'EHLO');
    // SMTPUTF8 only when the envelope needs it: Postfix announces it by default.
    const utf8 = [sender ?? '', ...recipients].some((a) => [...a].some((c) => c.charCodeAt(0) > 0x7f)) ? ' SMTPUTF8' : '';
    expect(await say(`MAIL FROM:${addr(sender ?? '')}${utf8}`), (c) => c === 250, 'the sender');
    const rcpt: Reply[] = [];
    for (const r of recipients) rcpt.push(await say(`RCPT TO:${addr(r)}`));
    if (!rcpt.some((r) => r.code >= 200 && r.code < 300)) {
      await say('QUIT').catch(() => null);
      return { recipients: rcpt, data: null };
    }
    expect(await say('DATA'), (c) => c === 354, 'DATA');
    socket.write(dataBlock(raw));
    const data = await next();
    await say('QUIT').catch(() => null);
    return { recipients: rcpt, data };
  } finally {
    socket.destroy();
  }
}
