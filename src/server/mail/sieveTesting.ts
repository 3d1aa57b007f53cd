// For tests (vitest and e2e): a ManageSieve (RFC 5804) client of a few lines over a plain
// socket, enough to log in and upload, activate and delete scripts.

import net from 'node:net';

export interface SieveReply {
  status: 'OK' | 'NO' | 'BYE';
  /** The final line: status, response code, text. */
  line: string;
}

/**
 * A ManageSieve (RFC 5804) session over a plain socket, a few lines of its own: the
 * greeting, AUTHENTICATE PLAIN, then commands whose final OK / NO / BYE line is returned.
 * Script bodies go as non-synchronizing literals ({n+}).
 */
export async function manageSieve(port: number, user: string, password: string, timeoutMs = 10_000) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buf = '';
  const waiting: (() => void)[] = [];
  socket.setEncoding('latin1'); // one char per byte: literal lengths count bytes
  socket.on('data', (d: string) => {
    buf += d;
    waiting.splice(0).forEach((w) => w());
  });
  /** Lines up to and including the final status line. */
  const reply = (): Promise<SieveReply> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ManageSieve: no reply within ${timeoutMs} ms (got ${JSON.stringify(buf)})`)), timeoutMs);
      const look = () => {
        for (let at = 0; ;) {
          const nl = buf.indexOf('\r\n', at);
          if (nl < 0) return void waiting.push(look);
          const line = buf.slice(at, nl);
          const literal = /\{(\d+)\}$/.exec(line);
          if (literal && /^(OK|NO|BYE)\b/.test(line)) {
            const end = nl + 2 + Number(literal[1]);
            if (buf.length < end + 2) return void waiting.push(look);
            const text = line.replace(/\{\d+\}$/, JSON.stringify(buf.slice(nl + 2, end)));
            buf = buf.slice(end + 2);
            clearTimeout(timer);
            return resolve({ status: text.split(' ')[0] as SieveReply['status'], line: text });
          }
          if (/^(OK|NO|BYE)\b/.test(line)) {
            buf = buf.slice(nl + 2);
            clearTimeout(timer);
            return resolve({ status: line.split(/[ (]/)[0] as SieveReply['status'], line });
          }
          at = nl + 2;
        }
      };
      look();
    });
  const send = (text: string) => {
    socket.write(text);
    return reply();
  };
  const greeting = await reply();
  if (greeting.status !== 'OK') throw new Error(`ManageSieve greeting: ${greeting.line}`);
  const auth = await send(`AUTHENTICATE "PLAIN" "${Buffer.from(`\0${user}\0${password}`).toString('base64')}"\r\n`);
  if (auth.status !== 'OK') throw new Error(`ManageSieve login of ${user}: ${auth.line}`);
  const literal = (s: string) => `{${Buffer.byteLength(s)}+}\r\n${s}`;
  return {
    putScript: (name: string, script: string) => send(`PUTSCRIPT "${name}" ${literal(script)}\r\n`),
    haveSpace: (name: string, size: number) => send(`HAVESPACE "${name}" ${size}\r\n`),
    deleteScript: (name: string) => send(`DELETESCRIPT "${name}"\r\n`),
    setActive: (name: string) => send(`SETACTIVE "${name}"\r\n`),
    async close() {
      await send('LOGOUT\r\n').catch(() => null);
      socket.destroy();
    },
  };
}
