// What browsers get besides the API: security headers, the page of a blocked address,
// and the built console.

import fs from 'node:fs';
import sirv from 'sirv';
import { escapeHtml } from '../auth/oauth';
import type { BlockInfo } from '../auth/guard';
import { ProblemError, problem } from '../jmap/errors';
import type { Req, Res } from './respond';

/**
 * Headers on every response. The sign-in form's redirect chain ends at the console's
 * callback, so form-action also allows the origins of extra redirect URIs (a dev server).
 */
export function securityHeaders(extraRedirectUris: string[] = []): Record<string, string> {
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

/** 403 for a blocked address, saying which block (RFC 7807 extension members). */
export function blocked(clientIp: string, block: BlockInfo | null): ProblemError {
  return new ProblemError(403, 'about:blank', `Requests from ${clientIp} are blocked.`, {
    title: 'Forbidden',
    clientIp,
    ...(block ?? {}),
  });
}

export function sendBlockedPage(res: Res, clientIp: string, block: BlockInfo) {
  const until = block.expiresAt ? ` until ${escapeHtml(block.expiresAt)}` : '';
  res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Address blocked · Postern</title><link rel="stylesheet" href="/oauth/sign-in.css"></head><body><main>
<h1>This address is blocked</h1>
<p>Requests from ${escapeHtml(clientIp)} are refused${until}${block.reason ? ` (reason: ${escapeHtml(block.reason)})` : ''}.</p>
<p>An administrator can remove the block in Settings › Security › Blocked IPs, or on the server itself with <code>npm run unblock -- ${escapeHtml(clientIp)}</code>.</p>
</main></body></html>`);
}

export type ConsoleHandler = (req: Req, res: Res) => void;

/** Serves the built console from `staticDir`, or says how to build it. */
export function consoleAssets(staticDir: string, headers: Record<string, string>): { built: boolean; serve: ConsoleHandler } {
  if (!fs.existsSync(`${staticDir}/index.html`)) {
    return {
      built: false,
      serve: (_req, res) => {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The console is not built. Run `npm run build` (npm start does it for you).\n');
      },
    };
  }
  const assets = sirv(staticDir, {
    single: true,
    etag: true,
    // Look files up per request: a rebuild while the server runs must not 404 new assets.
    dev: true,
    gzip: false,
    setHeaders: (res, pathname) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (pathname.startsWith('/assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      else res.setHeader('Cache-Control', 'no-cache');
    },
  });
  return {
    built: true,
    serve: (req, res) =>
      assets(req, res, () => {
        throw problem.notFound();
      }),
  };
}
