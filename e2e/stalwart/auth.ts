// Who is calling the stand-in: Basic credentials checked against the accounts' Password
// and AppPassword credentials, or a Bearer token from its OAuth flow. The flow is the one a
// Stalwart 0.16 server runs: discovery at /api/discover/{name} and the well-known metadata,
// its own sign-in page at /login posting JSON to /api/auth, codes bound to a PKCE S256
// challenge, a token endpoint at /auth/token with the refresh_token grant, and no
// revocation endpoint.

import { createHash, randomBytes } from 'node:crypto';
import { PERMISSIONS } from './schema';
import type { Rec, Store } from './store';
import { secretMatches } from './values';

type Obj = Record<string, unknown>;

export interface Caller {
  account: Rec;
  permissions: Set<string>;
}

/** Public clients the stand-in accepts, by id, with the redirect URIs registered for each. */
export type Clients = Map<string, string[]>;

const ACCESS_TTL_S = 3600;
const CODE_TTL_MS = 5 * 60_000;

interface Grant {
  accountId: string;
  clientId: string;
  expiresAt: number;
}

export class Auth {
  private readonly codes = new Map<string, Grant & { redirectUri: string; challenge: string }>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();

  constructor(
    private readonly store: Store,
    readonly clients: Clients,
    readonly baseUrl: string,
  ) {}

  /** The OAuth metadata (RFC 8414 names), the same document for every username here. */
  metadata(): Obj {
    const b = this.baseUrl;
    return {
      issuer: b,
      authorization_endpoint: `${b}/login`,
      token_endpoint: `${b}/auth/token`,
      userinfo_endpoint: `${b}/auth/userinfo`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      scopes_supported: ['openid', 'offline_access'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  /** The account that signs in as `name` (its sign-in name or full address) with `secret`. */
  verify(name: string, secret: string): Rec | null {
    for (const rec of this.store.table('x:Account').values()) {
      if (rec['@type'] !== 'User' || (rec.name !== name && rec.emailAddress !== name)) continue;
      const now = new Date().toISOString();
      const ok = Object.values((rec.credentials ?? {}) as Record<string, Obj>).some(
        (c) => (typeof c.expiresAt !== 'string' || c.expiresAt > now) && secretMatches(c.secret, secret),
      );
      return ok ? rec : null;
    }
    return null;
  }

  /** The caller of a request, or null (then the answer is 401). */
  caller(authorization: string | undefined): Caller | null {
    if (!authorization) return null;
    const [scheme, value = ''] = authorization.split(' ', 2);
    let account: Rec | undefined;
    if (scheme.toLowerCase() === 'basic') {
      const text = Buffer.from(value, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      account = (colon > 0 && this.verify(text.slice(0, colon), text.slice(colon + 1))) || undefined;
    } else if (scheme.toLowerCase() === 'bearer') {
      const grant = this.access.get(value);
      if (grant && grant.expiresAt > Date.now()) account = this.store.table('x:Account').get(grant.accountId);
    }
    return account ? { account, permissions: this.permissionsOf(account) } : null;
  }

  /** Admin: everything; User: nothing of the management API; Custom: what its roles enable. */
  permissionsOf(account: Rec): Set<string> {
    const roles = account.roles as Obj | undefined;
    if (roles?.['@type'] === 'Admin') return new Set(PERMISSIONS);
    if (roles?.['@type'] !== 'Custom') return new Set();
    const out = new Set<string>();
    for (const id of Object.keys((roles.roleIds ?? {}) as Obj)) {
      const role = this.store.table('x:Role').get(id);
      for (const p of Object.keys((role?.enabledPermissions ?? {}) as Obj)) out.add(p);
    }
    return out;
  }

  /** POST /api/auth from the sign-in page: checks the password, hands out a code. */
  login(body: Obj): Obj {
    if (body.type !== 'authCode') return { type: 'failure' };
    const clientId = String(body.clientId ?? '');
    const redirectUri = String(body.redirectUri ?? '');
    if (!this.clients.get(clientId)?.includes(redirectUri)) throw new AuthProblem('Invalid client registration or redirect URI.');
    if (body.codeChallengeMethod !== 'S256' || typeof body.codeChallenge !== 'string' || !body.codeChallenge) {
      throw new AuthProblem('A PKCE code_challenge with the S256 method is required.');
    }
    const account = this.verify(String(body.accountName ?? ''), String(body.accountSecret ?? ''));
    if (!account) return { type: 'failure' };
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { accountId: account.id, clientId, redirectUri, challenge: body.codeChallenge, expiresAt: Date.now() + CODE_TTL_MS });
    return { type: 'authenticated', clientCode: code, iss: this.baseUrl };
  }

  /** POST /auth/token (form-encoded): [status, body]. */
  token(form: URLSearchParams): [number, Obj] {
    const invalid = (error = 'invalid_grant'): [number, Obj] => [400, { error }];
    const clientId = form.get('client_id') ?? '';
    if (form.get('grant_type') === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!code || code.expiresAt < Date.now() || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) return invalid();
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return invalid();
      return [200, this.issue(code.accountId, clientId)];
    }
    if (form.get('grant_type') === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const grant = this.refresh.get(token);
      this.refresh.delete(token);
      if (!grant || grant.expiresAt < Date.now() || grant.clientId !== clientId) return invalid();
      return [200, this.issue(grant.accountId, clientId)];
    }
    return invalid('unsupported_grant_type');
  }

  private issue(accountId: string, clientId: string): Obj {
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.access.set(accessToken, { accountId, clientId, expiresAt: Date.now() + ACCESS_TTL_S * 1000 });
    this.refresh.set(refreshToken, { accountId, clientId, expiresAt: Date.now() + 30 * 86_400_000 });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TTL_S, refresh_token: refreshToken, scope: 'openid offline_access' };
  }
}

/** A sign-in request the server refuses outright (a bad client or PKCE): HTTP 400. */
export class AuthProblem extends Error {}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GET /login: the stand-in's own sign-in page. Like Stalwart's, it reads the authorization
 * request from its address, posts the password as JSON to /api/auth, and sends the browser
 * back to the redirect URI with the code.
 */
export function loginPage(query: URLSearchParams): string {
  const hint = esc(query.get('login_hint') ?? '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Stalwart stand-in</title>
<style>body{font:16px system-ui,sans-serif;margin:0;background:#f4f4f5;color:#18181b}main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px}
label{display:block;margin:1rem 0 .25rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #52525b;border-radius:4px}
button{margin-top:1.5rem;width:100%;padding:.6rem;font:inherit;background:#1d4ed8;color:#fff;border:0;border-radius:4px}[role=alert]{color:#b91c1c}</style></head>
<body><main><h1>Sign in to Stalwart</h1><p id="problem" role="alert"></p>
<form id="f"><label for="u">Username</label><input id="u" name="u" autocomplete="username" required value="${hint}">
<label for="p">Password</label><input id="p" name="p" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main>
<script>
const q = new URLSearchParams(location.search);
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/api/auth', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({
    type: 'authCode', accountName: document.getElementById('u').value, accountSecret: document.getElementById('p').value,
    clientId: q.get('client_id'), redirectUri: q.get('redirect_uri'), scope: q.get('scope'), state: q.get('state'),
    codeChallenge: q.get('code_challenge'), codeChallengeMethod: q.get('code_challenge_method') }) });
  const body = await res.json().catch(() => ({}));
  if (body.type !== 'authenticated') { document.getElementById('problem').textContent = body.detail || 'Wrong username or password.'; return; }
  const back = new URL(q.get('redirect_uri'));
  back.search = new URLSearchParams({ code: body.clientCode, state: q.get('state') || '', iss: body.iss }).toString();
  location.assign(back.href);
});
</script></body></html>`;
}
