// Writing responses (JSON, RFC 7807 problem details) and reading a bounded request body.

import type http from 'node:http';
import { problem, type ProblemError } from '../jmap/errors';

export type Req = http.IncomingMessage;
export type Res = http.ServerResponse;

export function send(res: Res, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function sendProblem(res: Res, e: ProblemError, req?: Req) {
  const headers: Record<string, string> = {};
  if (e.status === 401) {
    // Scripts get a Basic challenge; the console (X-Requested-With) must not trigger the browser's dialog.
    headers['WWW-Authenticate'] = e.extra.expired
      ? 'Bearer realm="Postern", error="invalid_token", error_description="The access token expired"'
      : req?.headers['x-requested-with'] || /^Bearer/i.test(req?.headers.authorization ?? '')
        ? 'Bearer realm="Postern"'
        : 'Basic realm="Postern", charset="UTF-8"';
  }
  const text = JSON.stringify(e.body());
  res.writeHead(e.status, { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** The client closed the connection before its request was read: there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection before the request was read');
  }
}

/** The body's bytes, at most `max` (else `tooLarge()`, as soon as that is known); ClientGoneError when the client hangs up first. */
export function readBytes(req: Req, max: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      reject(tooLarge());
      return;
    }
    // Gone already (it hung up while its credentials were checked): no event will come.
    if (req.destroyed) {
      reject(new ClientGoneError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // An aborted body is an 'error' (ECONNRESET) and then a 'close' before 'end'; either
    // settles the promise (a settled one ignores the other).
    req.on('error', () => reject(new ClientGoneError()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}

/** The body as text, at most `max` bytes; ClientGoneError when the client hangs up first. */
export async function readBody(req: Req, max: number): Promise<string> {
  const bytes = await readBytes(req, max, () => problem.limit('maxSizeRequest', `The request is larger than ${max} bytes`));
  return bytes.toString('utf8');
}
