// The console's side of OAuth 2.0 sign-in (authorization code + PKCE, RFC 6749 / 7636 /
// 9207), as a Stalwart server and Postern's embedded server offer it: discovery per
// username, the authorization request, the callback's checks, and the token endpoint.

import { currentLanguage, i18n } from '../i18n/i18n';
import { BlockedError, blockedResponse, type Blocked } from './blocked';
import { CALLBACK_PATH, DEFAULT_CLIENT_ID, type ClientConfig } from './config';
import { codeChallenge, randomToken } from './pkce';

export { CALLBACK_PATH };
export const CLIENT_ID = DEFAULT_CLIENT_ID;
const SCOPE = 'openid offline_access';
/** How long a started sign-in may take before its callback is refused. */
const PENDING_TTL_MS = 15 * 60_000;
const PENDING_KEY = 'postern.signin';

export interface Provider {
  issuer: string | null;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
}

export type Discovery = { kind: 'oauth'; provider: Provider } | { kind: 'basic' } | { kind: 'blocked'; blocked: Blocked };

/** The provider a discovery document describes, or null when it cannot be used. */
export function parseDiscovery(doc: unknown): Provider | null {
  if (!doc || typeof doc !== 'object') return null;
  const d = doc as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : null);
  const authorizationEndpoint = str('authorization_endpoint');
  const tokenEndpoint = str('token_endpoint');
  if (!authorizationEndpoint || !tokenEndpoint) return null;
  return { issuer: str('issuer'), authorizationEndpoint, tokenEndpoint, revocationEndpoint: str('revocation_endpoint') };
}

/**
 * Asks the server how `username` signs in. Anything but a usable discovery document
 * (404, a network error, an HTML page from a plain static server) means a server without
 * OAuth, where the console signs in with a password instead.
 */
export async function discover(username: string, fetchFn: typeof fetch = fetch, origin = location.origin): Promise<Discovery> {
  let res: Response;
  try {
    res = await fetchFn(new URL(`/api/discover/${encodeURIComponent(username)}`, origin).href, { headers: { Accept: 'application/json' } });
  } catch {
    return { kind: 'basic' };
  }
  const blocked = await blockedResponse(res);
  if (blocked) return { kind: 'blocked', blocked };
  if (!res.ok) return { kind: 'basic' };
  try {
    const provider = parseDiscovery(await res.json());
    return provider ? { kind: 'oauth', provider } : { kind: 'basic' };
  } catch {
    return { kind: 'basic' };
  }
}

/**
 * The console talks to the origin it was loaded from (a dev server or a proxy in front of
 * the mail server forwards it); only top-level navigations go to the issuer's own host.
 */
export function onOrigin(url: string, origin: string): string {
  const u = new URL(url, origin);
  return u.origin === origin ? u.href : new URL(u.pathname + u.search, origin).href;
}

/** Only a path on this console: never another site, whatever the URL says. */
export function safeReturnTo(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (path === '/signin' || path.startsWith('/signin?') || path.startsWith(CALLBACK_PATH)) return '/';
  return path;
}

/** What the console remembers between sending the person to sign in and their return. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  redirectUri: string;
  /** The client the sign-in was made as (absent: the default client). */
  clientId?: string;
  returnTo: string;
  username: string;
  issuer: string | null;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  createdAt: number;
}

export async function authorizationRequest(
  provider: Provider,
  username: string,
  returnTo: string,
  origin: string,
  now = Date.now(),
  client: ClientConfig = { clientId: CLIENT_ID, redirectUri: `${origin}${CALLBACK_PATH}` },
): Promise<{ url: string; pending: PendingSignIn }> {
  const verifier = randomToken(48);
  const pending: PendingSignIn = {
    state: randomToken(),
    verifier,
    redirectUri: client.redirectUri,
    clientId: client.clientId,
    returnTo: safeReturnTo(returnTo),
    username,
    issuer: provider.issuer,
    tokenEndpoint: onOrigin(provider.tokenEndpoint, origin),
    revocationEndpoint: provider.revocationEndpoint ? onOrigin(provider.revocationEndpoint, origin) : null,
    createdAt: now,
  };
  const url = new URL(provider.authorizationEndpoint, origin);
  // The browser goes there next: a web page only, never a script URL from a hostile document.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(i18n.t('app:oauth.notWebAddress', { protocol: url.protocol }));
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: pending.redirectUri,
    scope: SCOPE,
    state: pending.state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
    login_hint: username,
    // The server's sign-in page in the console's language (OpenID Connect Core §3.1.2.1);
    // servers that do not know the parameter ignore it.
    ui_locales: currentLanguage(),
    // Always ask for the password: signing out must not leave a server-side session
    // that signs the next person straight back in.
    prompt: 'login',
  }).toString();
  return { url: url.href, pending };
}

export function savePending(pending: PendingSignIn, storage: Storage = sessionStorage): void {
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
}

/**
 * Whether `pathname` is where the server sends the browser back: the default callback, or
 * the path of the redirect URI this tab's pending sign-in asked for.
 */
export function isCallbackPath(pathname: string, storage: Storage = sessionStorage): boolean {
  if (pathname === CALLBACK_PATH) return true;
  try {
    const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? 'null') as PendingSignIn | null;
    return !!pending?.redirectUri && new URL(pending.redirectUri).pathname === pathname;
  } catch {
    return false;
  }
}

/** The pending sign-in, removed from storage: a callback can be used once. */
export function takePending(storage: Storage = sessionStorage): PendingSignIn | null {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  try {
    return raw ? (JSON.parse(raw) as PendingSignIn) : null;
  } catch {
    return null;
  }
}

export type CallbackCheck = { ok: true; code: string } | { ok: false; message: string };

/** Checks the authorization response against the sign-in this tab started. */
export function checkCallback(params: URLSearchParams, pending: PendingSignIn | null, now = Date.now()): CallbackCheck {
  if (!pending) return { ok: false, message: i18n.t('app:oauth.notStartedHere') };
  if (params.get('state') !== pending.state) return { ok: false, message: i18n.t('app:oauth.stateMismatch') };
  if (now - pending.createdAt > PENDING_TTL_MS) return { ok: false, message: i18n.t('app:oauth.tooLong') };
  // RFC 9207: a response naming another issuer is a mix-up attack.
  const iss = params.get('iss');
  if (iss !== null && pending.issuer && iss !== pending.issuer) return { ok: false, message: i18n.t('app:oauth.otherIssuer') };
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    return { ok: false, message: error === 'access_denied' ? i18n.t('app:oauth.cancelled') : i18n.t('app:oauth.refused', { reason: description ?? error }) };
  }
  const code = params.get('code');
  if (!code) return { ok: false, message: i18n.t('app:oauth.noCode') };
  return { ok: true, code };
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The lifetime the server gave the access token, in milliseconds. */
  lifetime: number;
}

/** The token endpoint refused the grant (400/401): the session cannot go on. */
export class GrantError extends Error {
  override name = 'GrantError';
}

export interface Endpoints {
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  /** The client the tokens were issued to (absent: the default client). */
  clientId?: string;
}

async function tokenRequest(endpoint: string, params: Record<string, string>, clientId: string, fetchFn: typeof fetch, now: () => number): Promise<TokenSet> {
  const res = await fetchFn(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ ...params, client_id: clientId }).toString(),
  });
  const blocked = await blockedResponse(res);
  if (blocked) throw new BlockedError(blocked);
  // An answer that is not JSON (a proxy's error page) reads as an empty one.
  const body = ((await res.json().catch(() => null)) ?? {}) as Record<string, unknown>;
  if (res.status === 400 || res.status === 401) throw new GrantError(String(body.error_description ?? body.error ?? 'invalid_grant'));
  if (!res.ok || typeof body.access_token !== 'string') throw new Error(i18n.t('app:oauth.tokenEndpoint', { status: res.status }));
  const lifetime = (Number(body.expires_in) > 0 ? Number(body.expires_in) : 300) * 1000;
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    expiresAt: now() + lifetime,
    lifetime,
  };
}

export function exchangeCode(pending: PendingSignIn, code: string, fetchFn: typeof fetch = fetch, now = Date.now): Promise<TokenSet> {
  return tokenRequest(
    pending.tokenEndpoint,
    { grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri, code_verifier: pending.verifier },
    pending.clientId ?? CLIENT_ID,
    fetchFn,
    now,
  );
}

export function refreshGrant(endpoint: string, refreshToken: string, fetchFn: typeof fetch = fetch, now = Date.now, clientId = CLIENT_ID): Promise<TokenSet> {
  return tokenRequest(endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken }, clientId, fetchFn, now);
}

/** Revokes the refresh token (and with it the grant); best effort, a sign-out never fails. */
export async function revoke(endpoint: string | null, token: string, fetchFn: typeof fetch = fetch, clientId = CLIENT_ID): Promise<void> {
  if (!endpoint) return;
  try {
    await fetchFn(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, token, token_type_hint: 'refresh_token' }).toString(),
      // Let the request finish even if the page navigates away meanwhile.
      keepalive: true,
    });
  } catch {
    // The server may be unreachable; the tokens are forgotten here anyway.
  }
}
