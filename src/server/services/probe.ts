// Is a port really served? Connects (plain TCP or implicit TLS) and reads the first
// line of the server's greeting.

import net from 'node:net';
import tls from 'node:tls';

export type ProbeResult =
  /** The server answered with the expected greeting. */
  | { kind: 'greeting'; line: string }
  /** Nothing accepts connections there (refused, unreachable, or connect timed out). */
  | { kind: 'refused'; error: string }
  /** The connection was accepted but no greeting came in time: the daemon is busy or at its connection limit. */
  | { kind: 'silent' }
  /** Something answered, but not with the expected greeting. */
  | { kind: 'unexpected'; line: string };

export interface ProbeOptions {
  host: string;
  port: number;
  greeting: string;
  tls?: boolean;
  timeoutMs?: number;
}

/** The address a client on this machine uses to reach a daemon bound to `bind`. */
export function probeHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '*') return '127.0.0.1';
  if (bind === '::' || bind === '[::]') return '::1';
  return bind;
}

export function probeGreeting(opts: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  return new Promise((resolve) => {
    let connected = false;
    let buffer = '';
    let done = false;
    const socket: net.Socket = opts.tls
      ? tls.connect({ host: opts.host, port: opts.port, rejectUnauthorized: false })
      : net.connect({ host: opts.host, port: opts.port });
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish(connected ? { kind: 'silent' } : { kind: 'refused', error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => {
      connected = true;
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      connected = true;
      buffer += chunk;
      const eol = buffer.indexOf('\n');
      if (eol < 0 && buffer.length < 512) return;
      const line = (eol < 0 ? buffer : buffer.slice(0, eol)).replace(/\r$/, '');
      finish(line.startsWith(opts.greeting) ? { kind: 'greeting', line } : { kind: 'unexpected', line });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      finish(connected ? { kind: 'unexpected', line: `connection error: ${e.code ?? e.message}` } : { kind: 'refused', error: e.code ?? e.message });
    });
    socket.on('close', () => {
      finish(connected ? { kind: 'unexpected', line: buffer.trim() || 'connection closed without a greeting' } : { kind: 'refused', error: 'connection closed' });
    });
  });
}

/** Whether the port serves: it greeted, or it accepted the connection and said nothing yet. */
export const answers = (r: ProbeResult): boolean => r.kind === 'greeting' || r.kind === 'silent';

export function describeProbe(r: ProbeResult): string {
  switch (r.kind) {
    case 'greeting': return `answers: ${r.line.slice(0, 80)}`;
    case 'refused': return `not answering (${r.error})`;
    case 'silent': return 'accepts connections but sends no greeting (busy or at its connection limit)';
    case 'unexpected': return `answers unexpectedly: ${r.line.slice(0, 80)}`;
  }
}
