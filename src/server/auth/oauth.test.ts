// The OAuth flow as the console runs it, over real HTTP, and each way of getting it wrong.

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, USING, type TestServer } from '../testing';

let server: TestServer;
const CLIENT = 'postern-console';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const b64 = (b: Buffer) => b.toString('base64url');

/** A minimal cookie jar: the flow's interaction and session cookies. */
class Browser {
  cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as object), cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
}

async function discover(user = 'admin') {
  const res = await fetch(`${server.url}/api/discover/${user}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

/** Runs authorize → sign-in page → code; returns the code and the PKCE verifier. */
async function authorize(password = ADMIN_PASSWORD) {
  const meta = await discover();
  const verifier = b64(randomBytes(32));
  const challenge = b64(createHash('sha256').update(verifier).digest());
  const redirect = `${server.url}/auth/callback`;
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT,
    response_type: 'code',
    redirect_uri: redirect,
    scope: 'openid offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'xyz',
    login_hint: 'admin',
  }).toString();
  const browser = new Browser();
  let res = await browser.go(url.href);
  expect(res.status).toBe(303);
  const signIn = new URL(res.headers.get('location')!, server.url).href;
  res = await browser.go(signIn);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('<label for="password">Password</label>');
  res = await browser.go(signIn, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password }).toString(),
  });
  if (res.status !== 303) return { status: res.status, html: await res.text(), verifier, redirect, meta };
  // Follow the provider's redirects until the console's callback.
  let location = res.headers.get('location')!;
  for (let i = 0; i < 5 && !location.startsWith(redirect); i++) {
    res = await browser.go(new URL(location, server.url).href);
    location = res.headers.get('location')!;
  }
  const cb = new URL(location);
  expect(cb.searchParams.get('state')).toBe('xyz');
  return { status: 303, code: cb.searchParams.get('code')!, verifier, redirect, meta };
}

/** A token endpoint answer (RFC 6749 §5): the tokens, or only `error` when it was refused. */
interface TokenBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  error?: string;
}

async function token(meta: Record<string, string>, params: Record<string, string>, origin = new URL(meta.issuer).origin) {
  // As a browser does: an Origin header even on a same-origin POST.
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ client_id: CLIENT, ...params }).toString(),
  });
  return { status: res.status, body: (await res.json()) as TokenBody };
}

async function apiWithToken(accessToken: string) {
  return fetch(`${server.url}/jmap/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ using: USING, methodCalls: [['x:Role/query', {}, 'c']] }),
  });
}

describe('OAuth sign-in', () => {
  it('publishes discovery for a username', async () => {
    const meta = await discover('anyone');
    expect(meta.issuer).toBe(`${server.url}/oauth`);
    expect(meta.code_challenge_methods_supported).toContain('S256');
    expect(meta.revocation_endpoint).toBeTruthy();
  });

  it('signs in with code + PKCE, refreshes with rotation, and revokes on sign-out', async () => {
    const flow = await authorize();
    const t = await token(flow.meta, { grant_type: 'authorization_code', code: flow.code!, redirect_uri: flow.redirect, code_verifier: flow.verifier });
    expect(t.status).toBe(200);
    expect(t.body.token_type).toBe('Bearer');
    expect(t.body.expires_in).toBeLessThanOrEqual(600);
    expect(t.body.refresh_token).toBeTruthy();
    expect((await apiWithToken(t.body.access_token)).status).toBe(200);

    const r = await token(flow.meta, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).not.toBe(t.body.refresh_token);
    // The old refresh token was rotated away.
    const replay = await token(flow.meta, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    const revoke = await fetch(flow.meta.revocation_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLIENT, token: r.body.refresh_token, token_type_hint: 'refresh_token' }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect((await apiWithToken(r.body.access_token)).status).toBe(401);
  });

  it('refuses a replayed code, a wrong verifier and a tampered code', async () => {
    const flow = await authorize();
    const wrong = await token(flow.meta, { grant_type: 'authorization_code', code: flow.code!, redirect_uri: flow.redirect, code_verifier: b64(randomBytes(32)) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');

    const flow2 = await authorize();
    const tampered = await token(flow2.meta, { grant_type: 'authorization_code', code: `${flow2.code}x`, redirect_uri: flow2.redirect, code_verifier: flow2.verifier });
    expect(tampered.body.error).toBe('invalid_grant');
    const ok = await token(flow2.meta, { grant_type: 'authorization_code', code: flow2.code!, redirect_uri: flow2.redirect, code_verifier: flow2.verifier });
    expect(ok.status).toBe(200);
    const replayed = await token(flow2.meta, { grant_type: 'authorization_code', code: flow2.code!, redirect_uri: flow2.redirect, code_verifier: flow2.verifier });
    expect(replayed.body.error).toBe('invalid_grant');
  });

  it('refuses token requests from an origin the console is not served from', async () => {
    const flow = await authorize();
    const t = await token(
      flow.meta,
      { grant_type: 'authorization_code', code: flow.code!, redirect_uri: flow.redirect, code_verifier: flow.verifier },
      'http://evil.example',
    );
    expect(t.status).toBe(400);
  });

  it('shows the sign-in page again on a wrong password, without saying whether the user exists', async () => {
    const flow = await authorize('wrong-password');
    expect(flow.status).toBe(401);
    expect(flow.html).toContain('The username or password is not right.');
  });

  it('refuses tokens that are not tokens and malformed headers', async () => {
    expect((await apiWithToken('not-a-token')).status).toBe(401);
    expect((await apiWithToken('pst_abc_0123456789012345678901234567890')).status).toBe(401);
    for (const header of ['Basic !!!', 'Basic', 'Digest abc', 'Bearer', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      const res = await fetch(`${server.url}/jmap/session`, { headers: { Authorization: header } });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('expired access tokens', () => {
  it('answers 401 invalid_token without counting a failure, and the refresh token still works', async () => {
    const short = await startTestServer(undefined, { accessTokenTtl: 3 });
    try {
      const meta = (await (await fetch(`${short.url}/api/discover/admin`)).json()) as Record<string, string>;
      const saved = server;
      server = short;
      const flow = await authorize();
      server = saved;
      const t = await token(meta, { grant_type: 'authorization_code', code: flow.code!, redirect_uri: flow.redirect, code_verifier: flow.verifier });
      const call = () => fetch(`${short.url}/api/account`, { headers: { Authorization: `Bearer ${t.body.access_token}` } });
      expect((await call()).status).toBe(200);
      await expect.poll(async () => (await call()).status, { timeout: 10000, interval: 250 }).toBe(401);
      // Still told apart from an unknown token well after expiry.
      await new Promise((r) => setTimeout(r, 1500));
      const res = await call();
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
      // Expired calls from an address that never signed in do not get it blocked.
      const from = (ip: string) =>
        new Promise<number>((resolve, reject) => {
          const u = new URL(`${short.url}/api/account`);
          http
            .get({ host: u.hostname, port: u.port, path: u.pathname, localAddress: ip, headers: { Authorization: `Bearer ${t.body.access_token}` } }, (res) => {
              res.resume();
              resolve(res.statusCode!);
            })
            .on('error', reject);
        });
      for (let i = 0; i < 8; i++) expect(await from('127.0.0.8')).toBe(401);
      expect(short.guard.isBlocked('127.0.0.8')).toBe(false);
      const r = await token(meta, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
      expect(r.status).toBe(200);
      expect((await fetch(`${short.url}/api/account`, { headers: { Authorization: `Bearer ${r.body.access_token}` } })).status).toBe(200);
    } finally {
      await short.close();
    }
  });
});

describe('a password change', () => {
  it('ends the account\'s OAuth sessions', async () => {
    const own = await startTestServer();
    const saved = server;
    server = own;
    try {
      const flow = await authorize();
      const t = await token(flow.meta, { grant_type: 'authorization_code', code: flow.code!, redirect_uri: flow.redirect, code_verifier: flow.verifier });
      expect((await apiWithToken(t.body.access_token)).status).toBe(200);
      const [, q] = await own.call('x:Account/query', { filter: { name: 'admin' } });
      const [, u] = await own.call('x:Account/set', { update: { [q.ids[0]]: { credentials: { 0: { '@type': 'Password', secret: 'a-new-Passw0rd' } } } } });
      expect(u.updated).toBeTruthy();
      expect((await apiWithToken(t.body.access_token)).status).toBe(401);
      const r = await token(flow.meta, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
      expect(r.body.error).toBe('invalid_grant');
    } finally {
      server = saved;
      await own.close();
    }
  });
});

/** Opens the sign-in page of an authorization request with `extra` parameters and `headers`. */
async function openSignIn(extra: Record<string, string>, headers: Record<string, string> = {}) {
  const meta = await discover();
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT,
    response_type: 'code',
    redirect_uri: `${server.url}/auth/callback`,
    scope: 'openid offline_access',
    code_challenge: b64(createHash('sha256').update(b64(randomBytes(32))).digest()),
    code_challenge_method: 'S256',
    state: 'xyz',
    login_hint: 'admin',
    ...extra,
  }).toString();
  const browser = new Browser();
  const first = await browser.go(url.href, { headers });
  expect(first.status).toBe(303);
  const page = new URL(first.headers.get('location')!, server.url).href;
  const res = await browser.go(page, { headers });
  expect(res.status).toBe(200);
  return { browser, page, html: await res.text() };
}

/** The words a person reads on a page: its text and title, without markup. */
function visibleWords(html: string): Set<string> {
  const text = html.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');
  return new Set(text.split(/[^\p{L}]+/u).filter(Boolean));
}

describe('the sign-in page in English and German', () => {
  it('speaks the language of ui_locales: the first supported tag, before Accept-Language', async () => {
    const de = await openSignIn({ ui_locales: 'fr-CA de-AT en' }, { 'Accept-Language': 'en-US' });
    expect(de.html).toContain('<html lang="de">');
    expect(de.html).toContain('<h1>Bei Postern anmelden</h1>');
    expect(de.html).toContain('<label for="username">Benutzername</label>');
    expect(de.html).toContain('<label for="password">Passwort</label>');
    expect(de.html).toContain('<button type="submit">Anmelden</button>');
    const en = await openSignIn({ ui_locales: 'en' }, { 'Accept-Language': 'de-DE' });
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('<h1>Sign in to Postern</h1>');
  });

  it('without ui_locales follows Accept-Language and its q-values, else English', async () => {
    expect((await openSignIn({}, { 'Accept-Language': 'fr;q=0.9, de;q=0.8, en;q=0.7' })).html).toContain('<html lang="de">');
    expect((await openSignIn({}, { 'Accept-Language': 'de;q=0.5, en-GB' })).html).toContain('<html lang="en">');
    expect((await openSignIn({ ui_locales: 'fr ja' }, { 'Accept-Language': 'fr' })).html).toContain('<h1>Sign in to Postern</h1>');
  });

  it('leaves none of the English page\'s words on the German page, the wrong-password message included', async () => {
    const en = await openSignIn({ ui_locales: 'en' });
    const de = await openSignIn({ ui_locales: 'de' });
    const english = visibleWords(en.html);
    const shared = [...visibleWords(de.html)].filter((w) => english.has(w));
    // The product's name and the login hint are names, not words of a language.
    expect(shared.filter((w) => w !== 'Postern' && w !== 'admin')).toEqual([]);

    const res = await de.browser.go(de.page, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: 'falsch' }).toString(),
    });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<p role="alert" id="error">Benutzername oder Passwort ist falsch.</p>');
    expect(html).toContain('<html lang="de">');
  });

  it('says so in the language of the browser when the page has expired', async () => {
    const res = await fetch(`${server.url}/oauth/interaction/not-a-sign-in`, { headers: { 'Accept-Language': 'de' } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Diese Anmeldeseite ist abgelaufen. Kehren Sie zur Konsole zurück und melden Sie sich erneut an.');
    expect(html).toContain('<a href="/">Zurück zur Konsole</a>');
  });

  it('announces both languages, and offers a dark palette and the console\'s theme choice', async () => {
    expect((await discover()).ui_locales_supported).toEqual(['en', 'de']);
    const { html } = await openSignIn({});
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<script src="/oauth/sign-in-theme.js"></script>');
    const css = await fetch(`${server.url}/oauth/sign-in.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toMatch(/@media \(prefers-color-scheme: dark\)\{:root:not\(\[data-theme=light\]\)\{color-scheme:dark;--bg:#0f141b/);
    const script = await fetch(`${server.url}/oauth/sign-in-theme.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain("localStorage.getItem('postern.theme')");
  });
});
