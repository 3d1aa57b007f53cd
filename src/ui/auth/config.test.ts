import { describe, expect, it } from 'vitest';
import { fetchRuntimeConfig, resolveClientConfig } from './config';
import { memoryStorage } from './memoryStorage';
import { authorizationRequest, exchangeCode, isCallbackPath, savePending } from './oauth';

const ORIGIN = 'http://console.test';
const none = { runtime: null, build: {} };

describe('OAuth client settings', () => {
  it('defaults to postern-console and the callback on the console origin', () => {
    expect(resolveClientConfig(none, ORIGIN)).toEqual({ clientId: 'postern-console', redirectUri: 'http://console.test/auth/callback' });
  });

  it('takes the build settings, and the run-time file over them, key by key', () => {
    const build = { VITE_OAUTH_CLIENT_ID: 'built', VITE_OAUTH_REDIRECT_URI: 'http://console.test/built/cb' };
    expect(resolveClientConfig({ runtime: null, build }, ORIGIN)).toEqual({ clientId: 'built', redirectUri: 'http://console.test/built/cb' });
    expect(resolveClientConfig({ runtime: { oauthClientId: 'stalwart-webui' }, build }, ORIGIN)).toEqual({ clientId: 'stalwart-webui', redirectUri: 'http://console.test/built/cb' });
    expect(resolveClientConfig({ runtime: { oauthClientId: '  ', oauthRedirectUri: '/admin/cb' }, build: {} }, ORIGIN)).toEqual({
      clientId: 'postern-console',
      redirectUri: 'http://console.test/admin/cb',
    });
  });

  it('refuses a redirect URI on another origin, saying which setting to fix', () => {
    expect(() => resolveClientConfig({ runtime: { oauthRedirectUri: 'https://evil.test/cb' }, build: {} }, ORIGIN)).toThrow(/https:\/\/evil.test.*oauthRedirectUri/);
  });

  it('reads /config.json only when it answers JSON', async () => {
    const answer = (body: string, type: string, status = 200) => (async () => new Response(body, { status, headers: { 'Content-Type': type } })) as unknown as typeof fetch;
    expect(await fetchRuntimeConfig(ORIGIN, answer('{"oauthClientId":"x"}', 'application/json'))).toEqual({ oauthClientId: 'x' });
    expect(await fetchRuntimeConfig(ORIGIN, answer('<!doctype html>', 'text/html'))).toBeNull();
    expect(await fetchRuntimeConfig(ORIGIN, answer('{}', 'application/json', 404))).toBeNull();
    expect(await fetchRuntimeConfig(ORIGIN, answer('[1]', 'application/json'))).toBeNull();
    expect(await fetchRuntimeConfig(ORIGIN, (async () => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch)).toBeNull();
  });

  it('signs in as the configured client, and exchanges the code as that client', async () => {
    const provider = { issuer: 'http://mail.test', authorizationEndpoint: 'http://mail.test/login', tokenEndpoint: 'http://mail.test/auth/token', revocationEndpoint: null };
    const { url, pending } = await authorizationRequest(provider, 'jane', '/', ORIGIN, Date.now(), { clientId: 'stalwart-webui', redirectUri: 'http://console.test/admin/cb' });
    const q = new URL(url).searchParams;
    expect(q.get('client_id')).toBe('stalwart-webui');
    expect(q.get('redirect_uri')).toBe('http://console.test/admin/cb');
    const storage = memoryStorage();
    savePending(pending, storage);
    expect(isCallbackPath('/admin/cb', storage)).toBe(true);
    expect(isCallbackPath('/auth/callback', storage)).toBe(true);
    expect(isCallbackPath('/admin', storage)).toBe(false);
    let sent = new URLSearchParams();
    const fetchFn = (async (_url: string, init: RequestInit) => {
      sent = new URLSearchParams(String(init.body));
      return new Response(JSON.stringify({ access_token: 'a', expires_in: 60 }), { headers: { 'Content-Type': 'application/json' } });
    }) as unknown as typeof fetch;
    await exchangeCode(pending, 'code', fetchFn);
    expect(sent.get('client_id')).toBe('stalwart-webui');
    expect(sent.get('redirect_uri')).toBe('http://console.test/admin/cb');
  });
});
