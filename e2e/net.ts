// Reaching the server from another loopback address (Linux routes all of 127/8 to lo),
// so tests can get an address blocked without touching 127.0.0.1, the browser's own.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BASE_URL } from './env';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to the e2e server whose source address is `localAddress`. */
export function requestFrom(
  localAddress: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; base?: string } = {},
): Promise<Answer> {
  const url = new URL(path, opts.base ?? BASE_URL);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: opts.headers, localAddress, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A form POST (OAuth token and revocation endpoints) from `localAddress`. */
export function postFormFrom(localAddress: string, path: string, form: Record<string, string>): Promise<Answer> {
  return requestFrom(localAddress, 'POST', path, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

/**
 * A plain HTTP forward proxy whose connections to the server leave from `localAddress`:
 * a browser context using it is a person at that address. Nothing is changed on the way.
 */
export async function proxyFrom(localAddress: string): Promise<{ server: string; close: () => Promise<void> }> {
  const proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers, localAddress },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
