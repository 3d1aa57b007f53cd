// OAuth 2.0 / OpenID Connect for the console, as a Stalwart server offers it:
// authorization code with PKCE (S256), rotating refresh tokens, revocation. The
// protocol is oidc-provider's (OpenID Certified); this file configures it, stores its
// artefacts in SQLite, and serves the sign-in page its interactions need.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { Provider, type Client, type InteractionDetails, type KoaContextWithOIDC } from 'oidc-provider';
import { htmlPage } from '../http/pages';
import { escapeHtml, pageLanguage, pageWords, PAGE_LANGUAGES, type PageLanguage, type PageWords } from '../http/pageWords';
import { ClientGoneError, readBody } from '../http/respond';
import type { Store } from '../store/records';
import { signInName } from './caller';
import type { Authenticator } from './authenticate';
import type { AccessGuard } from './guard';
import { sqliteAdapterFactory } from './oauthStore';

export const CONSOLE_CLIENT_ID = 'postern-console';
export const MOUNT = '/oauth';
/** The console's page that receives the authorization code. */
export const CONSOLE_CALLBACK = '/auth/callback';
const REFRESH_TOKEN_TTL = 12 * 3600;

type Req = http.IncomingMessage & { originalUrl?: string };
type Res = http.ServerResponse;

function persistentSecret<T>(store: Store, key: string, make: () => T): T {
  const stored = store.getMeta(key);
  if (stored) return JSON.parse(stored) as T;
  const value = make();
  store.setMeta(key, JSON.stringify(value));
  return value;
}

/** Redirect URIs of the console served at `origin`; loopback gets both spellings. */
function redirectUris(origin: string, extra: string[]): string[] {
  const u = new URL(origin);
  const origins = new Set([u.origin]);
  if (u.hostname === '127.0.0.1' || u.hostname === 'localhost') {
    for (const h of ['127.0.0.1', 'localhost']) origins.add(`${u.protocol}//${h}${u.port ? `:${u.port}` : ''}`);
  }
  return [...[...origins].map((o) => `${o}${CONSOLE_CALLBACK}`), ...extra];
}

export interface OAuth {
  issuer: string;
  /** Handles every request under /oauth (protocol endpoints and the sign-in page). */
  handle(req: Req, res: Res, clientIp: string): Promise<void>;
  /** The discovery document, for GET /api/discover/{username}. */
  discovery(req: Req, res: Res): Promise<void>;
  /** The account id of a valid access token, 'expired' for a genuine but expired one, or null. */
  verifyAccessToken(token: string): Promise<string | 'expired' | null>;
}

export function createOAuth(opts: {
  store: Store;
  auth: Authenticator;
  guard: AccessGuard;
  publicUrl: string;
  extraRedirectUris?: string[];
  /** Seconds an access token lives (ACCESS_TOKEN_TTL; 10 minutes by default). */
  accessTokenTtl?: number;
}): OAuth {
  const { store, auth, guard } = opts;
  const issuer = `${opts.publicUrl}${MOUNT}`;
  const jwk = persistentSecret(store, 'oauthSigningKey', () => ({
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    use: 'sig',
    alg: 'RS256',
    kid: randomBytes(8).toString('hex'),
  }));
  const cookieKeys = persistentSecret(store, 'oauthCookieKeys', () => [randomBytes(32).toString('base64url')]);

  const provider = new Provider(issuer, {
    adapter: sqliteAdapterFactory(store.db),
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: 'Postern console',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris(opts.publicUrl, opts.extraRedirectUris ?? []),
        post_logout_redirect_uris: redirectUris(opts.publicUrl, []).map((u) => u.replace(CONSOLE_CALLBACK, '/')),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: cookieKeys },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${MOUNT}/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const account = store.get('x:Account', sub);
      if (!account || account['@type'] !== 'User') return undefined;
      const name = signInName(account);
      return { accountId: sub, claims: async () => ({ sub, name, preferred_username: name }) };
    },
    // The console is first-party: signing in is consent.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      if (ctx.oidc.client.clientId !== CONSOLE_CLIENT_ID) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: CONSOLE_CLIENT_ID, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid offline_access');
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (_ctx: unknown, client: Client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: opts.accessTokenTtl ?? 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: (ctx?: KoaContextWithOIDC) => ctx?.oidc?.entities?.RotatedRefreshToken?.remainingTTL ?? REFRESH_TOKEN_TTL,
      Interaction: 3600,
      Session: 3600,
      Grant: REFRESH_TOKEN_TTL,
    },
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    // Browsers send Origin on every POST, same-origin too: the console may call the token
    // and revocation endpoints from the origins it is registered to return to.
    clientBasedCORS: (_ctx: unknown, origin: string, client: Client) =>
      client.clientId === CONSOLE_CLIENT_ID && client.redirectUris.some((u) => new URL(u).origin === origin),
    discovery: { ui_locales_supported: [...PAGE_LANGUAGES] },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
      const lang = pageLanguage(ctx.oidc?.params?.ui_locales, ctx.get('accept-language'));
      const w = pageWords(lang);
      // The provider's description is protocol detail in English (e.g. "invalid redirect_uri"): shown as sent.
      const text = out.error_description ?? out.error;
      ctx.type = 'html';
      ctx.body = htmlPage(lang, w.problemTitle, `<p role="alert">${text ? escapeHtml(text) : escapeHtml(w.problemUnknown)}</p>${backLink(w)}`);
    },
  });
  // Replayed or tampered codes, wrong PKCE verifiers, bad refresh tokens: count them.
  provider.on('grant.error', (ctx) => guard.fail(ctx.ip));
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('[postern] oauth error:', err));
  const callback = provider.callback();

  function forward(req: Req, res: Res, path: string): Promise<void> {
    // oidc-provider derives its mount path from originalUrl minus url.
    req.originalUrl = `${MOUNT}${path}`;
    req.url = path;
    return new Promise((resolve) => {
      res.on('finish', resolve);
      res.on('close', resolve);
      callback(req, res);
    });
  }

  async function signIn(req: Req, res: Res, uid: string, clientIp: string) {
    let details: InteractionDetails;
    const browserLang = pageLanguage(undefined, req.headers['accept-language']);
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      const w = pageWords(browserLang);
      return sendHtml(res, 400, htmlPage(browserLang, w.expiredTitle, `<p role="alert">${escapeHtml(w.expiredGoBack)}</p>${backLink(w)}`));
    }
    if (details.uid !== uid) {
      const w = pageWords(browserLang);
      return sendHtml(res, 400, htmlPage(browserLang, w.expiredTitle, `<p role="alert">${escapeHtml(w.expired)}</p>`));
    }
    // The console sends its language as ui_locales; another client may not.
    const lang = pageLanguage(details.params.ui_locales, req.headers['accept-language']);
    const w = pageWords(lang);
    const loginHint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    if (req.method === 'GET') return sendHtml(res, 200, signInPage(lang, uid, loginHint, null));

    let body: string;
    try {
      body = await readBody(req, 10_000);
    } catch (e) {
      if (e instanceof ClientGoneError) throw e;
      return sendHtml(res, 413, htmlPage(lang, w.problemTitle, `<p role="alert">${escapeHtml(w.formTooLarge)}</p>`));
    }
    const form = new URLSearchParams(body);
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const accountId = username && password ? await auth.checkPassword(username, password) : null;
    const caller = accountId ? auth.caller(accountId) : null;
    if (!caller) {
      guard.fail(clientIp, username || undefined);
      if (guard.isBlocked(clientIp)) return sendHtml(res, 403, htmlPage(lang, w.tooManyFailuresTitle, `<p role="alert">${escapeHtml(w.tooManyFailures)}</p>`));
      return sendHtml(res, 401, signInPage(lang, uid, username, w.wrongPassword));
    }
    guard.succeed(clientIp, caller);
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    async handle(req, res, clientIp) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = /^\/oauth\/interaction\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
      if (m && (req.method === 'GET' || req.method === 'POST')) return signIn(req, res, m[1], clientIp);
      return forward(req, res, (req.url ?? '/').slice(MOUNT.length) || '/');
    },
    discovery(req, res) {
      return forward(req, res, '/.well-known/openid-configuration');
    },
    async verifyAccessToken(token) {
      try {
        const found = await provider.AccessToken.find(token, { ignoreExpiration: true });
        if (!found || found.clientId !== CONSOLE_CLIENT_ID || !found.accountId) return null;
        return found.isExpired ? 'expired' : found.accountId;
      } catch {
        return null;
      }
    },
  };
}

function sendHtml(res: Res, status: number, html: string) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

function backLink(w: PageWords): string {
  return `<p><a href="/">${escapeHtml(w.backToConsole)}</a></p>`;
}

function signInPage(lang: PageLanguage, uid: string, username: string, error: string | null): string {
  const w = pageWords(lang);
  return htmlPage(
    lang,
    w.signInTitle,
    `${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${MOUNT}/interaction/${escapeHtml(uid)}" ${error ? 'aria-describedby="error"' : ''}>
<label for="username">${escapeHtml(w.username)}</label><input id="username" name="username" autocomplete="username" required value="${escapeHtml(username)}" ${username ? '' : 'autofocus'}>
<label for="password">${escapeHtml(w.password)}</label><input id="password" name="password" type="password" autocomplete="current-password" required ${username ? 'autofocus' : ''}>
<button type="submit">${escapeHtml(w.submit)}</button></form>`,
  );
}
