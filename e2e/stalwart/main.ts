// A Stalwart-like stand-in server for the end-to-end tests: the HTTP surface a Stalwart
// 0.16 server offers the console (design/wire.md), over in-memory records and the test
// schema of schema.ts, with the built console served from the same origin.
//
//   STALWART_PORT=8097 ADMIN_PASSWORD=… STATIC_DIR=dist node --import tsx e2e/stalwart/main.ts
//
// It is a test double of Stalwart, not of Postern's server: where the two differ, it does
// what Stalwart does.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { Auth, AuthProblem, loginPage } from './auth';
import { handleRequest, MethodError } from './jmap';
import { SCHEMA } from './schema';
import { Store } from './store';

const port = Number(process.env.STALWART_PORT ?? 8097);
const host = '127.0.0.1';
const baseUrl = `http://${host}:${port}`;
const admin = { username: process.env.ADMIN_USERNAME ?? 'admin', password: process.env.ADMIN_PASSWORD ?? '' };
if (!admin.password) throw new Error('Set ADMIN_PASSWORD');
/** oss | community | enterprise: what /api/account reports, so enterprise-only parts show as unavailable. */
const edition = process.env.STALWART_EDITION ?? 'oss';
/** The public client the console uses here, and where it may send the browser back. */
const clientId = process.env.STALWART_CLIENT_ID ?? 'postern-e2e';
const redirectUri = process.env.STALWART_REDIRECT_URI ?? `${baseUrl}/auth/callback`;

const store = new Store(admin);
const auth = new Auth(store, new Map([[clientId, [redirectUri]]]), baseUrl);

const schemaJson = JSON.stringify(SCHEMA);
const schemaHash = createHash('sha256').update(schemaJson).digest('hex');
const schemaGz = gzipSync(schemaJson);

const staticDir = path.resolve(process.env.STATIC_DIR ?? 'dist');
const consoleAssets = fs.existsSync(path.join(staticDir, 'index.html')) ? sirv(staticDir, { single: true, dev: true }) : null;

type Res = http.ServerResponse;
const json = (res: Res, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
};
const problem = (res: Res, status: number, title: string, detail: string, headers: Record<string, string> = {}) =>
  json(res, status, { type: 'about:blank', status, title, detail }, { 'Content-Type': 'application/problem+json', ...headers });
const unauthorized = (res: Res) =>
  problem(res, 401, 'Unauthorized', 'You have to authenticate first.', {
    'WWW-Authenticate': 'Bearer realm="Stalwart Server", Basic realm="Stalwart Server"',
  });

function readBody(req: http.IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new Error('too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function session(accountId: string, username: string) {
  return {
    capabilities: {
      'urn:ietf:params:jmap:core': {
        maxSizeUpload: 50_000_000, maxConcurrentUpload: 4, maxSizeRequest: 10_000_000, maxConcurrentRequests: 4,
        maxCallsInRequest: 16, maxObjectsInGet: 500, maxObjectsInSet: 500, collationAlgorithms: ['i;ascii-numeric', 'i;ascii-casemap', 'i;unicode-casemap'],
      },
      'urn:stalwart:jmap': {},
    },
    accounts: { [accountId]: { name: username, isPersonal: true, isReadOnly: false, accountCapabilities: { 'urn:ietf:params:jmap:core': {}, 'urn:stalwart:jmap': {} } } },
    primaryAccounts: { 'urn:ietf:params:jmap:core': accountId, 'urn:stalwart:jmap': accountId },
    username,
    apiUrl: `${baseUrl}/jmap/`,
    downloadUrl: `${baseUrl}/jmap/download/{accountId}/{blobId}/{name}?accept={type}`,
    uploadUrl: `${baseUrl}/jmap/upload/{accountId}/`,
    eventSourceUrl: `${baseUrl}/jmap/eventsource/?types={types}&closeafter={closeafter}&ping={ping}`,
    state: 'stand-in',
  };
}

async function route(req: http.IncomingMessage, res: Res): Promise<void> {
  const url = new URL(req.url ?? '/', baseUrl);
  const p = url.pathname;
  const method = req.method ?? 'GET';

  if (p === '/healthz/live' || p === '/healthz/ready') return json(res, 200, { status: 200 });
  if (p === '/.well-known/jmap' && method === 'GET') {
    res.writeHead(307, { Location: '/jmap/session', 'Cache-Control': 'no-cache' });
    return void res.end();
  }
  if ((p === '/.well-known/oauth-authorization-server' || p === '/.well-known/openid-configuration' || p.startsWith('/api/discover/')) && method === 'GET') {
    return json(res, 200, auth.metadata());
  }
  if (p === '/login' && method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    return void res.end(loginPage(url.searchParams));
  }
  if (p === '/api/auth' && method === 'POST') {
    try {
      return json(res, 200, auth.login(JSON.parse(await readBody(req)) as Record<string, unknown>));
    } catch (e) {
      return problem(res, 400, 'Bad request', e instanceof AuthProblem ? e.message : 'The request is not valid JSON.');
    }
  }
  if (p === '/auth/token' && method === 'POST') {
    const [status, body] = auth.token(new URLSearchParams(await readBody(req)));
    return json(res, status, body);
  }
  // The console's run-time settings, as a deployment places them beside index.html.
  if (p === '/config.json' && method === 'GET') return json(res, 200, { oauthClientId: clientId, oauthRedirectUri: redirectUri });

  // (/auth/callback is the console's own page, served below.)
  const isApi = p.startsWith('/api/') || p.startsWith('/jmap') || p === '/auth/userinfo';
  if (isApi) {
    const caller = auth.caller(req.headers.authorization);
    if (!caller) return unauthorized(res);
    const username = String(caller.account.emailAddress);
    if (p === '/jmap/session' && method === 'GET') return json(res, 200, session(caller.account.id, username));
    if (p === '/api/account' && method === 'GET') return json(res, 200, { permissions: [...caller.permissions].sort(), edition, locale: caller.account.locale ?? 'en_US' });
    if (p === '/auth/userinfo' && method === 'GET') return json(res, 200, { sub: caller.account.id, preferred_username: caller.account.name, email: username });
    if (p === '/api/schema' && method === 'GET') {
      res.writeHead(302, { Location: `/api/schema/${schemaHash}` });
      return void res.end();
    }
    if (p.startsWith('/api/schema/') && method === 'GET') {
      if (p !== `/api/schema/${schemaHash}`) {
        res.writeHead(302, { Location: `/api/schema/${schemaHash}` });
        return void res.end();
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Cache-Control': 'public, max-age=31536000, immutable' });
      return void res.end(schemaGz);
    }
    if (p.startsWith('/jmap/eventsource') && method === 'GET') {
      // Push exists for mail, not for x: types: the stream carries pings only.
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      const ping = setInterval(() => res.write(`event: ping\ndata: {"interval":60}\n\n`), 60_000);
      res.write(': stand-in\n\n');
      return void req.on('close', () => clearInterval(ping));
    }
    if ((p === '/jmap/' || p === '/jmap') && method === 'POST') {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? 'application/json')) {
        return problem(res, 400, 'Not JSON', 'The Content-Type header must be application/json.');
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      } catch {
        return problem(res, 400, 'Not JSON', 'The request body is not valid JSON.');
      }
      try {
        return json(res, 200, handleRequest(store, body, caller.permissions, caller.account.id));
      } catch (e) {
        if (e instanceof MethodError) return problem(res, 400, e.type, e.message);
        throw e;
      }
    }
    return problem(res, 404, 'Not found', `Nothing at ${method} ${p}`);
  }
  if (consoleAssets && method === 'GET') return consoleAssets(req, res, () => problem(res, 404, 'Not found', p));
  return problem(res, 404, 'Not found', p);
}

http
  .createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) problem(res, 500, 'Internal error', 'The stand-in failed; see its log.');
      else res.end();
    });
  })
  .listen(port, host, () => console.log(`Stalwart stand-in on ${baseUrl} (console from ${consoleAssets ? staticDir : 'nowhere: not built'})`));
