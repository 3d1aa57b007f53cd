// What browsers get besides the API: security headers, the shell and stylesheet of the
// pages the server writes itself (sign-in, blocked address), and the built console.

import fs from 'node:fs';
import sirv from 'sirv';
import type { BlockInfo } from '../auth/guard';
import { ProblemError, problem } from '../jmap/errors';
import { escapeHtml, fillHtml, pageLanguage, pageWords, type PageLanguage } from './pageWords';
import type { Req, Res } from './respond';

/** Where the server's own pages get their stylesheet and theme script (served under /oauth). */
export const PAGE_STYLE_PATH = '/oauth/sign-in.css';
export const PAGE_THEME_PATH = '/oauth/sign-in-theme.js';

/**
 * The stylesheet of the server's pages: light, and dark for a console choice of dark
 * (data-theme, set by PAGE_SCRIPT) or for the system's dark setting when light is not chosen.
 */
const DARK = `--bg:#0f141b;--surface:#171d26;--border:#2d3644;--field:#0f141b;--field-border:#7b869a;--text:#e4e8ee;--focus:#8ab4ff;
--primary:#8ab4ff;--on-primary:#0b1220;--link:#8ab4ff;--danger-text:#ffc2bb;--danger-soft:#3b1c1b;--danger-border:#7a3530;--shadow:#0006`;
export const PAGE_STYLE = `:root{color-scheme:light dark;--bg:#f4f5f7;--surface:#fff;--border:#d5d9e0;--field:#fff;--field-border:#8a93a3;--text:#1d2330;--focus:#2b63d9;
--primary:#1f56c4;--on-primary:#fff;--link:#1f4fd1;--danger-text:#a1161a;--danger-soft:#fdecec;--danger-border:#f1b5b7;--shadow:#0001}
:root[data-theme=light]{color-scheme:light}
:root[data-theme=dark]{color-scheme:dark;${DARK}}
@media (prefers-color-scheme: dark){:root:not([data-theme=light]){color-scheme:dark;${DARK}}}
body{font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--text);margin:0;display:grid;place-items:center;min-height:100vh}
main{background:var(--surface);border:1px solid var(--border);border-radius:10px;padding:2rem;width:min(22rem,90vw);box-shadow:0 2px 8px var(--shadow)}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;font-weight:600;margin:.8rem 0 .3rem}a{color:var(--link)}
input{box-sizing:border-box;width:100%;padding:.55rem;border:1px solid var(--field-border);border-radius:6px;font:inherit;background:var(--field);color:var(--text)}
input:focus,button:focus{outline:3px solid var(--focus);outline-offset:1px}
button{margin-top:1.2rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:var(--primary);color:var(--on-primary);font:inherit;font-weight:600;cursor:pointer}
[role=alert]{color:var(--danger-text);background:var(--danger-soft);border:1px solid var(--danger-border);border-radius:6px;padding:.5rem .7rem}`;

/**
 * Takes the console's theme choice (same origin, same key as public/theme.js) before the
 * first paint: a file, not inline, so the Content-Security-Policy keeps `script-src 'self'`.
 */
export const PAGE_SCRIPT = `(function(){try{var c=localStorage.getItem('postern.theme');if(c==='dark'||c==='light')document.documentElement.setAttribute('data-theme',c);}catch(e){}})();`;

/** A whole page in `language`: `title` as its title and (unless `heading`) heading, `body` as HTML. */
export function htmlPage(language: PageLanguage, title: string, body: string, heading = title): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${escapeHtml(title)} · Postern</title>
<link rel="stylesheet" href="${PAGE_STYLE_PATH}"><script src="${PAGE_THEME_PATH}"></script></head>
<body><main><h1>${escapeHtml(heading)}</h1>${body}</main></body></html>`;
}

/** Answers the stylesheet or theme script of the server's pages; false for any other path. */
export function sendPageAsset(res: Res, path: string): boolean {
  const asset = path === PAGE_STYLE_PATH ? ['text/css', PAGE_STYLE] : path === PAGE_THEME_PATH ? ['text/javascript', PAGE_SCRIPT] : null;
  if (!asset) return false;
  res.writeHead(200, { 'Content-Type': `${asset[0]}; charset=utf-8`, 'Cache-Control': 'public, max-age=3600' });
  res.end(asset[1]);
  return true;
}

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

/** A stored UTC time as people of `language` write it (the server does not know their zone). */
function moment(iso: string, language: PageLanguage): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const locale = language === 'de' ? 'de-DE' : 'en-GB';
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;
}

/** The page of a blocked address, in the language the browser asks for. */
export function blockedPageHtml(clientIp: string, block: BlockInfo, language: PageLanguage): string {
  const w = pageWords(language);
  const address = escapeHtml(clientIp);
  const refused = block.expiresAt
    ? fillHtml(w.blockedRefusedUntil, { address, until: escapeHtml(moment(block.expiresAt, language)) })
    : fillHtml(w.blockedRefused, { address });
  const reason = block.reason ? ` ${fillHtml(w.blockedReason, { reason: escapeHtml(block.reason) })}` : '';
  // The place is the console's navigation, whose section names are the schema's (English).
  const remedy = fillHtml(w.blockedRemedy, { place: 'Settings › Security › Blocked IPs', command: `<code>npm run unblock -- ${address}</code>` });
  return htmlPage(language, w.blockedTitle, `<p>${refused}${reason}</p>\n<p>${remedy}</p>`, w.blockedHeading);
}

export function sendBlockedPage(req: Req, res: Res, clientIp: string, block: BlockInfo) {
  res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(blockedPageHtml(clientIp, block, pageLanguage(undefined, req.headers['accept-language'])));
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
