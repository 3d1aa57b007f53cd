// The HTTP server: JMAP session and API, schema, account, push, and the built console.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { canonicalIpMask } from '../shared/ipmask';
import { utcDateTime } from '../shared/schema/validate';
import sirv from 'sirv';
import { Authenticator, basicUsername } from './auth/authenticate';
import type { Caller } from './auth/caller';
import { bootstrap, systemSet, VERSION } from './bootstrap';
import { AccessGuard, clientAddress, guardSettingsFromEnv, type BlockInfo, type GuardSettings } from './auth/guard';
import { createOAuth, escapeHtml, MOUNT as OAUTH_MOUNT, type OAuth } from './auth/oauth';
import type { Config } from './config';
import { CAPABILITIES, runRequest } from './jmap/api';
import { LIMITS } from './jmap/context';
import { ProblemError, problem } from './jmap/errors';
import { SCHEMA } from './objects';
import { openDatabase } from './store/db';
import { Store } from './store/records';
import { Supervisor } from './services/supervisor';

/**
 * Headers on every response. The sign-in form's redirect chain ends at the console's
 * callback, so form-action also allows the origins of extra redirect URIs (a dev server).
 */
function securityHeaders(extraRedirectUris: string[] = []): Record<string, string> {
  const formTargets = ["'self'", ...new Set(extraRedirectUris.flatMap((u) => {
    try {
      return [new URL(u).origin];
    } catch {
      return [];
    }
  }))].join(' ');
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': `default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action ${formTargets}`,
  };
}

const SCHEMA_JSON = JSON.stringify(SCHEMA);
const SCHEMA_GZIP = gzipSync(SCHEMA_JSON);
const SCHEMA_ETAG = `"${createHash('sha256').update(SCHEMA_JSON).digest('base64url').slice(0, 22)}"`;

/** 403 for a blocked address, saying which block (RFC 7807 extension members). */
function blocked(clientIp: string, block: BlockInfo | null): ProblemError {
  return new ProblemError(403, 'about:blank', `Requests from ${clientIp} are blocked.`, {
    title: 'Forbidden',
    clientIp,
    ...(block ?? {}),
  });
}

function sendBlockedPage(res: Res, clientIp: string, block: BlockInfo) {
  const until = block.expiresAt ? ` until ${escapeHtml(block.expiresAt)}` : '';
  res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Address blocked · Postern</title><link rel="stylesheet" href="/oauth/sign-in.css"></head><body><main>
<h1>This address is blocked</h1>
<p>Requests from ${escapeHtml(clientIp)} are refused${until}${block.reason ? ` (reason: ${escapeHtml(block.reason)})` : ''}.</p>
<p>An administrator can remove the block in Settings › Security › Blocked IPs, or on the server itself with <code>npm run unblock -- ${escapeHtml(clientIp)}</code>.</p>
</main></body></html>`);
}

const MAX_STREAMS_PER_ACCOUNT = 16;
const MAX_STREAMS = 1000;

export interface Running {
  url: string;
  store: Store;
  guard: AccessGuard;
  close(): Promise<void>;
}

type Req = http.IncomingMessage;
type Res = http.ServerResponse;

function send(res: Res, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function sendProblem(res: Res, e: ProblemError, req?: Req) {
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

function readBody(req: Req, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      reject(problem.limit('maxSizeRequest', `The request is larger than ${max} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(problem.limit('maxSizeRequest', `The request is larger than ${max} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function origin(req: Req): string {
  const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
  return `http://${host}`;
}

const sessionStates = new WeakMap<Caller, string>();

/** Changes when the caller's account or permissions do; callers are cached, so is this. */
function sessionState(caller: Caller): string {
  let state = sessionStates.get(caller);
  if (!state) sessionStates.set(caller, (state = computeSessionState(caller)));
  return state;
}

function computeSessionState(caller: Caller): string {
  return createHash('sha256').update(caller.accountId).update([...caller.permissions].sort().join(',')).digest('base64url').slice(0, 12);
}

function session(req: Req, caller: Caller) {
  const base = origin(req);
  const { maxQueryLimit: _omit, ...core } = LIMITS;
  return {
    capabilities: {
      'urn:ietf:params:jmap:core': {
        maxSizeUpload: 0,
        maxConcurrentUpload: 1,
        ...core,
        collationAlgorithms: ['i;ascii-casemap', 'i;octet'],
      },
      'urn:stalwart:jmap': {},
    },
    accounts: {
      [caller.accountId]: {
        name: caller.name,
        isPersonal: true,
        isReadOnly: false,
        accountCapabilities: { 'urn:stalwart:jmap': {} },
      },
    },
    primaryAccounts: { 'urn:stalwart:jmap': caller.accountId },
    username: caller.name,
    apiUrl: `${base}/jmap/`,
    downloadUrl: `${base}/jmap/download/{accountId}/{blobId}/{name}?accept={type}`,
    uploadUrl: `${base}/jmap/upload/{accountId}/`,
    eventSourceUrl: `${base}/jmap/eventsource/?types={types}&closeafter={closeafter}&ping={ping}`,
    state: sessionState(caller),
  };
}

export async function startServer(config: Config): Promise<Running> {
  const log = (msg: string) => {
    if (!config.quiet) console.log(msg);
  };
  const SECURITY_HEADERS = securityHeaders(config.extraRedirectUris);
  const store = new Store(openDatabase(config.dataDir));
  bootstrap(store, config, log);
  const services = new Supervisor({ store, dataDir: config.dataDir, nodeName: config.nodeName, log });
  await services.start();
  const auth = new Authenticator(store);
  const guard = new AccessGuard(store, config.guard ?? guardSettingsFromEnv(), (ip, reason, expiresAt) => {
    const until = utcDateTime(expiresAt);
    // An expired block of the same address is renewed rather than duplicated.
    const existing = store.findBy('x:BlockedIp', 'address', canonicalIpMask(ip) ?? ip);
    systemSet(store, 'x:BlockedIp', existing ? { update: { [existing]: { reason, expiresAt: until } } } : { create: { b: { address: ip, reason, expiresAt: until } } });
    log(`Blocked ${ip} until ${expiresAt.toISOString()}: too many failed sign-ins`);
  });
  let oauth: OAuth | null = null;
  const externalWrites = setInterval(() => store.pollExternalWrites(), 1000);
  externalWrites.unref();
  const apiOptions = {
    store,
    sessionState,
    log: (e: unknown) => console.error('[postern] method failed:', e),
  };
  const hasConsole = fs.existsSync(`${config.staticDir}/index.html`);
  const assets = hasConsole
    ? sirv(config.staticDir, {
        single: true,
        etag: true,
        // Look files up per request: a rebuild while the server runs must not 404 new assets.
        dev: true,
        gzip: false,
        setHeaders: (res, pathname) => {
          for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
          if (pathname.startsWith('/assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          else res.setHeader('Cache-Control', 'no-cache');
        },
      })
    : null;
  const streams = new Set<Res>();
  const streamOwners = new WeakMap<Res, string>();

  async function handle(req: Req, res: Res) {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new ProblemError(400, 'about:blank', 'Malformed request target');
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const isApi = path.startsWith('/jmap') || path.startsWith('/api') || path.startsWith('/.well-known');
    const clientIp = clientAddress(req.socket.remoteAddress ?? '');

    // The stylesheet of the sign-in and blocked pages is served to everyone.
    if (oauth && path === `${OAUTH_MOUNT}/sign-in.css`) return oauth.handle(req, res, clientIp);
    const block = guard.blockOf(clientIp);
    if (block) {
      if (!isApi && method === 'GET' && /text\/html/.test(String(req.headers.accept ?? ''))) return sendBlockedPage(res, clientIp, block);
      throw blocked(clientIp, block);
    }
    if (path === '/healthz') return send(res, 200, { status: 'ok', version: VERSION });
    if (oauth && (path === OAUTH_MOUNT || path.startsWith(`${OAUTH_MOUNT}/`))) return oauth.handle(req, res, clientIp);
    if (oauth && method === 'GET' && /^\/api\/discover\/[^/]+\/?$/.test(path)) return oauth.discovery(req, res);
    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD') throw new ProblemError(405, 'about:blank', 'Method not allowed');
      if (!assets) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The console is not built. Run `npm run build` (npm start does it for you).\n');
        return;
      }
      return assets(req, res, () => {
        throw problem.notFound();
      });
    }

    const result = await auth.authenticate(req.headers.authorization);
    if ('error' in result) {
      if (result.error === 'invalid' && guard.fail(clientIp, basicUsername(req.headers.authorization))) {
        throw blocked(clientIp, guard.blockOf(clientIp));
      }
      throw result.error === 'expired' ? problem.tokenExpired() : problem.unauthorized();
    }
    const caller = result.caller;
    guard.succeed(clientIp, caller);

    const route = `${method} ${path.replace(/\/+$/, '') || '/'}`;
    switch (route) {
      case 'GET /.well-known/jmap':
      case 'GET /jmap/session':
        return send(res, 200, session(req, caller));
      case 'POST /jmap':
      case 'POST /api': {
        const body = await readBody(req, LIMITS.maxSizeRequest);
        return send(res, 200, runRequest({ ...apiOptions, clientIp }, caller, body));
      }
      case 'GET /api/schema': {
        if (req.headers['if-none-match'] === SCHEMA_ETAG) {
          res.writeHead(304, { ETag: SCHEMA_ETAG });
          return res.end();
        }
        const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-cache',
          ETag: SCHEMA_ETAG,
          Vary: 'Accept-Encoding',
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        return res.end(gzip ? SCHEMA_GZIP : SCHEMA_JSON);
      }
      case 'GET /api/account':
        return send(res, 200, {
          name: caller.name,
          accountId: caller.accountId,
          permissions: [...caller.permissions].sort(),
          edition: 'oss',
          locale: 'en_US',
        });
      case 'GET /jmap/eventsource':
        return eventSource(req, res, url, caller);
      default:
        throw problem.notFound();
    }
  }

  /** RFC 8620 §7.3: StateChange events for the types the caller may read. */
  function eventSource(req: Req, res: Res, url: URL, caller: Caller) {
    const wanted = (url.searchParams.get('types') ?? '*').split(',').filter(Boolean);
    const closeAfterState = url.searchParams.get('closeafter') === 'state';
    const ping = Math.max(0, Math.min(Number(url.searchParams.get('ping')) || 0, 3600));
    // Each open stream holds a connection and a listener: a few per account is plenty.
    const mine = [...streams].filter((s) => !s.writableEnded && streamOwners.get(s) === caller.accountId).length;
    if (mine >= MAX_STREAMS_PER_ACCOUNT || streams.size >= MAX_STREAMS) {
      throw new ProblemError(429, 'urn:ietf:params:jmap:error:limit', 'Too many open push streams', { limit: 'maxConcurrentRequests' });
    }
    streamOwners.set(res, caller.accountId);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = store.onChange((types) => {
      // Permissions as they are now: a deleted or downgraded account hears no more.
      const now = auth.caller(caller.accountId);
      if (!now) {
        res.end();
        return;
      }
      const changed: Record<string, string> = {};
      for (const [type, state] of types) {
        const prefix = SCHEMA.objects[type]?.permissionPrefix;
        if ((wanted.includes('*') || wanted.includes(type)) && prefix && now.permissions.has(`${prefix}Get`)) changed[type] = state;
      }
      if (Object.keys(changed).length === 0) return;
      res.write(`event: state\ndata: ${JSON.stringify({ '@type': 'StateChange', changed: { [caller.accountId]: changed } })}\n\n`);
      if (closeAfterState) res.end();
    });
    const timer = ping ? setInterval(() => res.write(`event: ping\ndata: {"interval":${ping}}\n\n`), Math.max(ping, 1) * 1000) : null;
    const done = () => {
      unsubscribe();
      if (timer) clearInterval(timer);
      streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    handle(req, res).catch((e) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ProblemError) return sendProblem(res, e, req);
      console.error('[postern] request failed:', e);
      sendProblem(res, new ProblemError(500, 'about:blank', 'The server could not process this request'));
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  const created = createOAuth({
    store,
    auth,
    guard,
    publicUrl: config.publicUrl ?? url,
    extraRedirectUris: config.extraRedirectUris,
    accessTokenTtl: config.accessTokenTtl,
  });
  oauth = created;
  auth.verifyAccessToken = (token) => created.verifyAccessToken(token);
  log(`Postern ${VERSION} listening on ${url}  (data: ${config.dataDir}${hasConsole ? '' : '; console not built'})`);

  return {
    url,
    store,
    guard,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        guard.close();
        clearInterval(externalWrites);
        server.close(() => {
          // Daemons are stopped before the store they report to is closed.
          void services.close().then(() => {
            store.db.close();
            resolve();
          });
        });
        server.closeAllConnections();
      }),
  };
}

export { CAPABILITIES };
