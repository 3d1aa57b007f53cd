// The James WebAdmin API (seed 002) on its own listener (WEBADMIN_PORT): who may ask (blocked
// addresses, `Authorization: Bearer <API key>`, as for JMAP), then the route that answers.
// Every error is seed 002's JSON body: {statusCode, type, message, cause}.

import http from 'node:http';
import type { Authenticator } from '../auth/authenticate';
import { clientAddress, type AccessGuard } from '../auth/guard';
import { readBody, type Req, type Res } from '../http/respond';
import { Calls, type WebAdminBase } from './calls';
import { domainRoutes } from './domains';
import { asWebAdminError, forbidden, invalid, unauthorized, type WebAdminError } from './errors';
import { forwardRoutes } from './forwards';
import { groupRoutes } from './groups';
import { mailboxRoutes } from './mailboxes';
import { sieveRoutes } from './sieve';
import { quotaRoutes } from './quotas';
import { repositoryRoutes } from './repositories';
import { dlpRoutes } from './dlp';
import { queueRoutes } from './queues';
import { Router, segments, type Reply } from './router';
import { userRoutes } from './users';
import { taskRoutes } from './tasks';
import { healthcheckRoutes } from './healthcheck';
import { reindexRoutes } from './reindex';

export interface WebAdminDeps extends WebAdminBase {
  auth: Authenticator;
  guard: AccessGuard;
  securityHeaders?: Record<string, string>;
}

/** Bodies are small here (a password): anything larger is refused before it is read. */
const MAX_BODY = 64 * 1024;

export function webAdminRouter(): Router {
  return new Router([...domainRoutes(), ...userRoutes(), ...groupRoutes(), ...forwardRoutes(), ...mailboxRoutes(), ...sieveRoutes(), ...quotaRoutes(), ...taskRoutes(), ...healthcheckRoutes(), ...reindexRoutes(), ...repositoryRoutes(), ...dlpRoutes(), ...queueRoutes()]);
}

function sendJson(res: Res, status: number, body: unknown, headOnly: boolean, extra: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, { 'Cache-Control': 'no-store', ...extra });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(headOnly ? undefined : text);
}

function sendError(res: Res, e: WebAdminError, headOnly: boolean) {
  const extra: Record<string, string> = e.statusCode === 401 ? { 'WWW-Authenticate': 'Bearer realm="Postern WebAdmin"' } : {};
  sendJson(res, e.statusCode, e.body(), headOnly, extra);
}

export function webAdminListener(deps: WebAdminDeps): (req: Req, res: Res) => void {
  const router = webAdminRouter();
  const log = deps.log;
  return (req, res) => {
    for (const [k, v] of Object.entries(deps.securityHeaders ?? {})) res.setHeader(k, v);
    const headOnly = req.method === 'HEAD';
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    handle(deps, router, req, gone.signal)
      .then((reply) => {
        if (!reply.raw) return sendJson(res, reply.status, reply.body, headOnly, reply.headers);
        res.writeHead(reply.status, { 'Content-Type': reply.raw.type, 'Content-Length': String(reply.raw.data.length), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...reply.headers });
        res.end(headOnly ? undefined : reply.raw.data);
      })
      .catch((e: unknown) => {
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        sendError(res, asWebAdminError(e, log), headOnly);
      });
  };
}

async function handle(deps: WebAdminDeps, router: Router, req: Req, signal: AbortSignal): Promise<Reply> {
  const clientIp = clientAddress(req.socket.remoteAddress ?? '');
  if (deps.guard.blockOf(clientIp)) {
    throw forbidden('Requests from this address are blocked', `${clientIp} is blocked (Settings › Security › Blocked IPs)`);
  }
  const header = req.headers.authorization;
  if (!header || !/^Bearer\s/i.test(header)) {
    throw unauthorized('Authenticate with "Authorization: Bearer <API key>" (Settings › Security › API keys)');
  }
  const result = await deps.auth.authenticate(header);
  if ('error' in result) {
    if (result.error === 'invalid' && deps.guard.fail(clientIp)) throw forbidden('Requests from this address are blocked', `${clientIp} made too many failed authentications`);
    throw unauthorized(result.error === 'expired' ? 'The access token expired' : 'The API key is not valid (unknown, revoked or expired)');
  }
  deps.guard.succeed(clientIp, result.caller);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw invalid('The path is not valid', 'Malformed request target');
  }
  const { handler, params } = router.find(req.method ?? 'GET', segments(url.pathname));
  const calls = new Calls(deps, result.caller, clientIp);
  return handler({ params, calls, query: url.searchParams, headers: req.headers, body: () => readBody(req, MAX_BODY), signal });
}

export interface WebAdminServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the listener on host:port (0 picks a free port). */
export async function startWebAdmin(deps: WebAdminDeps, port: number, host: string): Promise<WebAdminServer> {
  const server = http.createServer(webAdminListener(deps));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
