// What a signed-in tab remembers, in sessionStorage: a reload keeps the session, closing
// the tab ends it, and other tabs and sites never see it.

import type { Endpoints, TokenSet } from './oauth';

export type StoredAuth =
  | { kind: 'oauth'; username: string; tokens: TokenSet; endpoints: Endpoints }
  | { kind: 'basic'; username: string; authorization: string };

const KEY = 'postern.auth';

export function loadAuth(storage: Storage = sessionStorage): StoredAuth | null {
  try {
    const raw = storage.getItem(KEY);
    const v = raw ? (JSON.parse(raw) as Partial<StoredAuth> & Record<string, unknown>) : null;
    if (!v || typeof v.username !== 'string') return null;
    if (v.kind === 'oauth') {
      const t = v.tokens as TokenSet | undefined;
      const e = v.endpoints as Endpoints | undefined;
      if (!t || typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number' || !e || typeof e.tokenEndpoint !== 'string') return null;
      return { kind: 'oauth', username: v.username, tokens: t, endpoints: e };
    }
    // Sessions stored before OAuth have no kind: they are Basic.
    if (typeof v.authorization === 'string') return { kind: 'basic', username: v.username, authorization: v.authorization };
    return null;
  } catch {
    return null;
  }
}

export function saveAuth(auth: StoredAuth, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(auth));
}

export function clearAuth(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}

/** The Basic Authorization header for servers without OAuth (UTF-8, RFC 7617). */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}
