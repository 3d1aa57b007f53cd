import { describe, expect, it } from 'vitest';
import { memoryStorage } from './memoryStorage';
import {
  authorizationRequest,
  checkCallback,
  discover,
  exchangeCode,
  GrantError,
  onOrigin,
  parseDiscovery,
  refreshGrant,
  safeReturnTo,
  savePending,
  takePending,
  type PendingSignIn,
} from './oauth';
import { BlockedError } from './blocked';
import { codeChallenge } from './pkce';

const ORIGIN = 'http://console.test';
const DOC = {
  issuer: 'http://mail.test/oauth',
  authorization_endpoint: 'http://mail.test/oauth/auth',
  token_endpoint: 'http://mail.test/oauth/token',
  revocation_endpoint: 'http://mail.test/oauth/token/revocation',
  code_challenge_methods_supported: ['S256'],
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const answer = (res: () => Response | Promise<Response>) => (async () => res()) as unknown as typeof fetch;

describe('discovery', () => {
  it('uses OAuth when /api/discover answers a document with both endpoints', async () => {
    const urls: string[] = [];
    const fetchFn = (async (url: string) => {
      urls.push(url);
      return json(DOC);
    }) as unknown as typeof fetch;
    const d = await discover('jane doe@example.com', fetchFn, ORIGIN);
    expect(urls).toEqual(['http://console.test/api/discover/jane%20doe%40example.com']);
    expect(d).toEqual({
      kind: 'oauth',
      provider: { issuer: DOC.issuer, authorizationEndpoint: DOC.authorization_endpoint, tokenEndpoint: DOC.token_endpoint, revocationEndpoint: DOC.revocation_endpoint },
    });
  });

  it('falls back to a password (Basic) on 404, a network error, HTML or an unusable document', async () => {
    expect(await discover('a', answer(() => new Response('Not found', { status: 404 })), ORIGIN)).toEqual({ kind: 'basic' });
    expect(await discover('a', answer(() => Promise.reject(new TypeError('Failed to fetch'))), ORIGIN)).toEqual({ kind: 'basic' });
    expect(await discover('a', answer(() => new Response('<!doctype html>', { status: 200 })), ORIGIN)).toEqual({ kind: 'basic' });
    expect(await discover('a', answer(() => json({ issuer: 'x' })), ORIGIN)).toEqual({ kind: 'basic' });
    expect(parseDiscovery(null)).toBeNull();
  });

  it('reports a blocked address instead of falling back', async () => {
    const d = await discover('a', answer(() => json({ status: 403, detail: 'Requests from 127.0.0.23 are blocked.' }, 403)), ORIGIN);
    expect(d).toEqual({ kind: 'blocked', blocked: { address: '127.0.0.23', expiresAt: null, reason: null } });
  });
});

describe('authorization request', () => {
  it('sends PKCE S256, state, login_hint and the callback on this origin, and remembers them', async () => {
    const provider = parseDiscovery(DOC)!;
    const { url, pending } = await authorizationRequest(provider, 'admin', '/settings/security/blocked-ips?p=2', ORIGIN, 1000);
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe(DOC.authorization_endpoint);
    const p = Object.fromEntries(u.searchParams);
    expect(p).toMatchObject({
      response_type: 'code',
      client_id: 'postern-console',
      redirect_uri: 'http://console.test/auth/callback',
      scope: 'openid offline_access',
      code_challenge_method: 'S256',
      login_hint: 'admin',
      state: pending.state,
    });
    expect(p.code_challenge).toBe(await codeChallenge(pending.verifier));
    expect(pending.verifier.length).toBeGreaterThanOrEqual(43);
    expect(pending.returnTo).toBe('/settings/security/blocked-ips?p=2');
    // Token calls stay on the console's origin (same-origin, or through its proxy).
    expect(pending.tokenEndpoint).toBe('http://console.test/oauth/token');
    expect(pending.revocationEndpoint).toBe('http://console.test/oauth/token/revocation');
  });

  it('two requests never share state or verifier', async () => {
    const provider = parseDiscovery(DOC)!;
    const a = await authorizationRequest(provider, 'admin', '/', ORIGIN);
    const b = await authorizationRequest(provider, 'admin', '/', ORIGIN);
    expect(a.pending.state).not.toBe(b.pending.state);
    expect(a.pending.verifier).not.toBe(b.pending.verifier);
  });

  it('only ever returns to a path of this console', () => {
    expect(safeReturnTo('/management/directory/roles?f.x=1')).toBe('/management/directory/roles?f.x=1');
    for (const bad of ['https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)', '', null, '/signin', '/auth/callback?code=1']) {
      expect(safeReturnTo(bad)).toBe('/');
    }
    expect(onOrigin('http://mail.test/oauth/token?a=1', ORIGIN)).toBe('http://console.test/oauth/token?a=1');
    expect(onOrigin('/oauth/token', ORIGIN)).toBe('http://console.test/oauth/token');
  });
});

describe('callback', () => {
  const pending: PendingSignIn = {
    state: 'st4te',
    verifier: 'v'.repeat(64),
    redirectUri: `${ORIGIN}/auth/callback`,
    returnTo: '/x',
    username: 'admin',
    issuer: DOC.issuer,
    tokenEndpoint: `${ORIGIN}/oauth/token`,
    revocationEndpoint: null,
    createdAt: 1_000_000,
  };
  const check = (q: string, p: PendingSignIn | null = pending, now = 1_000_500) => checkCallback(new URLSearchParams(q), p, now);

  it('accepts the code when state and issuer match', () => {
    expect(check(`code=abc&state=st4te&iss=${encodeURIComponent(DOC.issuer)}`)).toEqual({ ok: true, code: 'abc' });
    expect(check('code=abc&state=st4te')).toEqual({ ok: true, code: 'abc' });
  });

  it('refuses a wrong or missing state, another issuer, no pending sign-in, a stale one, and no code', () => {
    expect(check('code=abc&state=other')).toMatchObject({ ok: false, message: expect.stringMatching(/state/) });
    expect(check('code=abc')).toMatchObject({ ok: false });
    expect(check('code=abc&state=st4te&iss=http://evil.test')).toMatchObject({ ok: false, message: expect.stringMatching(/different server/) });
    expect(check('code=abc&state=st4te', null)).toMatchObject({ ok: false, message: expect.stringMatching(/not started from this tab/) });
    expect(check('code=abc&state=st4te', pending, pending.createdAt + 16 * 60_000)).toMatchObject({ ok: false, message: expect.stringMatching(/too long/) });
    expect(check('state=st4te')).toMatchObject({ ok: false, message: expect.stringMatching(/no authorization code/) });
  });

  it('explains an error response from the server', () => {
    expect(check('error=access_denied&state=st4te')).toEqual({ ok: false, message: 'Sign-in was cancelled.' });
    expect(check('error=invalid_request&error_description=bad+thing&state=st4te')).toEqual({ ok: false, message: 'The server refused the sign-in: bad thing.' });
  });

  it('a pending sign-in can be taken once', () => {
    const storage = memoryStorage();
    savePending(pending, storage);
    expect(takePending(storage)).toEqual(pending);
    expect(takePending(storage)).toBeNull();
  });
});

describe('token endpoint', () => {
  const pending = { tokenEndpoint: `${ORIGIN}/oauth/token`, redirectUri: `${ORIGIN}/auth/callback`, verifier: 'ver' } as PendingSignIn;

  it('exchanges the code with the verifier and works out the expiry', async () => {
    let sent: URLSearchParams | null = null;
    const fetchFn = (async (_url: string, init: RequestInit) => {
      sent = new URLSearchParams(String(init.body));
      return json({ access_token: 'at', refresh_token: 'rt', expires_in: 600, token_type: 'Bearer' });
    }) as unknown as typeof fetch;
    const t = await exchangeCode(pending, 'the-code', fetchFn, () => 5000);
    expect(Object.fromEntries(sent!)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: `${ORIGIN}/auth/callback`,
      code_verifier: 'ver',
      client_id: 'postern-console',
    });
    expect(t).toEqual({ accessToken: 'at', refreshToken: 'rt', expiresAt: 605_000, lifetime: 600_000 });
  });

  it('a refused grant is a GrantError, a blocked address a BlockedError, anything else a plain error', async () => {
    await expect(refreshGrant('http://x/t', 'old', answer(() => json({ error: 'invalid_grant' }, 400)))).rejects.toBeInstanceOf(GrantError);
    await expect(refreshGrant('http://x/t', 'old', answer(() => json({ detail: 'Requests from 1.2.3.4 are blocked.' }, 403)))).rejects.toBeInstanceOf(BlockedError);
    const err = await refreshGrant('http://x/t', 'old', answer(() => new Response('oops', { status: 502 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(GrantError);
  });
});
