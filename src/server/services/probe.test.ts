// The greeting probe against small fake servers: each way a port can (not) be served.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeGreeting, probeHost } from './probe';
import { freePort } from './testing';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function fake(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

const probe = (port: number) => probeGreeting({ host: '127.0.0.1', port, greeting: '* OK', timeoutMs: 500 });

describe('probeGreeting', () => {
  it('reads an IMAP greeting, even when it arrives in pieces', async () => {
    const port = await fake((s) => {
      s.write('* OK [CAPA');
      setTimeout(() => s.end('BILITY IMAP4rev1] ready\r\n'), 20);
    });
    expect(await probe(port)).toEqual({ kind: 'greeting', line: '* OK [CAPABILITY IMAP4rev1] ready' });
  });

  it('tells a refused port', async () => {
    const r = await probe(await freePort());
    expect(r).toEqual({ kind: 'refused', error: 'ECONNREFUSED' });
  });

  it('tells a port that accepts but stays silent', async () => {
    const port = await fake(() => {});
    expect(await probe(port)).toEqual({ kind: 'silent' });
  });

  it('tells another greeting, or a close without one', async () => {
    const bye = await fake((s) => s.end('* BYE Connection queue full\r\n'));
    expect(await probe(bye)).toEqual({ kind: 'unexpected', line: '* BYE Connection queue full' });
    const closes = await fake((s) => s.end());
    expect((await probe(closes)).kind).toBe('unexpected');
  });

  it('probes wildcard binds through loopback', () => {
    expect(probeHost('0.0.0.0')).toBe('127.0.0.1');
    expect(probeHost('::')).toBe('::1');
    expect(probeHost('192.0.2.7')).toBe('192.0.2.7');
  });
});
