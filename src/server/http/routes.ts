// The HTTP router: who may ask (blocked addresses, credentials), then which handler answers.

import { basicUsername, type Authenticator } from '../auth/authenticate';
import { clientAddress, type AccessGuard } from '../auth/guard';
import { MOUNT as OAUTH_MOUNT, type OAuth } from '../auth/oauth';
import { VERSION } from '../bootstrap';
import { runRequest, type ApiOptions } from '../jmap/api';
import { LIMITS } from '../jmap/context';
import { ProblemError, problem } from '../jmap/errors';
import { blocked, sendBlockedPage, sendPageAsset, type ConsoleHandler } from './pages';
import type { PushStreams } from './push';
import { ClientGoneError, readBody, send, sendProblem, type Req, type Res } from './respond';
import { accountInfo, session } from './session';
import { BlobStore } from '../store/blobs';
import { download, DOWNLOAD_PATH, upload, UPLOAD_PATH } from './blobs';
import { CallerSlots } from './concurrency';

export interface RouteDeps {
  auth: Authenticator;
  guard: AccessGuard;
  /** Set once the server listens (the issuer is its address); null before. */
  oauth: () => OAuth | null;
  api: Omit<ApiOptions, 'clientIp'>;
  schema: (req: Req, res: Res) => void;
  push: PushStreams;
  assets: ConsoleHandler;
  securityHeaders: Record<string, string>;
}

/** The listener for http.createServer: every response gets the security headers and errors become problem details. */
export function requestListener(deps: RouteDeps): (req: Req, res: Res) => void {
  const handle = router(deps);
  return (req, res) => {
    for (const [k, v] of Object.entries(deps.securityHeaders)) res.setHeader(k, v);
    handle(req, res).catch((e) => {
      if (e instanceof ClientGoneError) {
        // Not a server fault and nobody to answer: one line, no stack.
        console.error(`[postern] client ${clientAddress(req.socket.remoteAddress ?? '') || 'unknown'} closed the connection before the request was read`);
        res.destroy();
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ProblemError) return sendProblem(res, e, req);
      console.error('[postern] request failed:', e);
      sendProblem(res, new ProblemError(500, 'about:blank', 'The server could not process this request'));
    });
  };
}

function router({ auth, guard, oauth: currentOAuth, api, schema, push, assets }: RouteDeps) {
  const blobs = new BlobStore(api.store.db);
  const requests = new CallerSlots('maxConcurrentRequests', LIMITS.maxConcurrentRequests);
  const uploads = new CallerSlots('maxConcurrentUpload', LIMITS.maxConcurrentUpload);
  return async function handle(req: Req, res: Res): Promise<void> {
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
    const oauth = currentOAuth();

    // The stylesheet and theme script of the sign-in and blocked pages are served to everyone.
    if (method === 'GET' && sendPageAsset(res, path)) return;
    const block = guard.blockOf(clientIp);
    if (block) {
      if (!isApi && method === 'GET' && /text\/html/.test(String(req.headers.accept ?? ''))) return sendBlockedPage(req, res, clientIp, block);
      throw blocked(clientIp, block);
    }
    if (path === '/healthz') return send(res, 200, { status: 'ok', version: VERSION });
    if (oauth && (path === OAUTH_MOUNT || path.startsWith(`${OAUTH_MOUNT}/`))) return oauth.handle(req, res, clientIp);
    if (oauth && method === 'GET' && /^\/api\/discover\/[^/]+\/?$/.test(path)) return oauth.discovery(req, res);
    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD') throw new ProblemError(405, 'about:blank', 'Method not allowed');
      return assets(req, res);
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

    const up = method === 'POST' ? UPLOAD_PATH.exec(path) : null;
    if (up) return uploads.run(caller.accountId, () => upload(req, res, caller, blobs, up[1]));
    const down = method === 'GET' ? DOWNLOAD_PATH.exec(path) : null;
    if (down) return download(res, url, caller, blobs, { accountId: down[1], blobId: down[2], name: down[3] }, api.store);
    const route = `${method} ${path.replace(/\/+$/, '') || '/'}`;
    switch (route) {
      case 'GET /.well-known/jmap':
      case 'GET /jmap/session':
        return send(res, 200, session(req, caller));
      case 'POST /jmap':
      case 'POST /api':
        // RFC 8620 §2 maxConcurrentRequests, per caller: from here until the answer is written.
        return requests.run(caller.accountId, async () => {
          const body = await readBody(req, LIMITS.maxSizeRequest);
          send(res, 200, await runRequest({ ...api, clientIp }, caller, body));
        });
      case 'GET /api/schema':
        return schema(req, res);
      case 'GET /api/account':
        return send(res, 200, accountInfo(caller, api.store.get('x:Account', caller.accountId)?.locale));
      case 'GET /jmap/eventsource':
        return push.open(req, res, url, caller);
      default:
        throw problem.notFound();
    }
  };
}
