// What a signed-in browser remembers, shared by its tabs: one session in localStorage,
// so a new tab (a ctrl+click on a link) opens signed in and every tab follows a refresh or
// a sign-out made in another (the `storage` event).
//
// The trade-off against sessionStorage: any script running on this origin can read either
// (the console never renders server text as HTML, so there is none but ours), but
// localStorage outlives the tab and even the browser. So a session is used only by the tab
// that made it (a reload keeps it: see tabs.ts's mark), or while another console tab is
// open; a session found with no tab open has outlived the browser and is revoked. Closing
// every tab ends the session, as it did when each tab kept its own. Where tabs cannot take
// turns refreshing (no Web Locks), each keeps its own session in sessionStorage as before.

import type { Endpoints, TokenSet } from './oauth';
import { randomToken } from './pkce';
import { sessionStore } from './tabs';

interface Common {
  username: string;
  /** One sign-in; tokens rotate under it. Another id in storage is another sign-in. */
  sessionId: string;
}

export type StoredAuth =
  | (Common & { kind: 'oauth'; tokens: TokenSet; endpoints: Endpoints })
  | (Common & { kind: 'basic'; authorization: string });

const KEY = 'postern.auth';

export function newSessionId(): string {
  return randomToken(12);
}

/** A stored session, or null when the text is none (or not one this console wrote). */
export function parseAuth(raw: string | null): StoredAuth | null {
  try {
    const v = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    if (!v || typeof v.username !== 'string') return null;
    const common = { username: v.username, sessionId: typeof v.sessionId === 'string' ? v.sessionId : 'unnamed' };
    if (v.kind === 'oauth') {
      const t = v.tokens as TokenSet | undefined;
      const e = v.endpoints as Endpoints | undefined;
      if (!t || typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number' || !e || typeof e.tokenEndpoint !== 'string') return null;
      return { ...common, kind: 'oauth', tokens: t, endpoints: e };
    }
    if (v.kind === 'basic' && typeof v.authorization === 'string') return { ...common, kind: 'basic', authorization: v.authorization };
    return null;
  } catch {
    return null;
  }
}

export function loadAuth(storage: Storage = sessionStore()): StoredAuth | null {
  return parseAuth(storage.getItem(KEY));
}

export function saveAuth(auth: StoredAuth, storage: Storage = sessionStore()): void {
  storage.setItem(KEY, JSON.stringify(auth));
}

export function clearAuth(storage: Storage = sessionStore()): void {
  storage.removeItem(KEY);
}

/**
 * Calls `onChange` when another tab of this browser changes the session: new tokens, a
 * new sign-in, or none (signed out). The tab that writes gets no event.
 */
export function onStoredAuthChange(onChange: (auth: StoredAuth | null) => void, target: Window = window): () => void {
  const listener = (e: StorageEvent) => {
    if (e.storageArea && e.storageArea !== target.localStorage) return;
    // key null: the whole storage was cleared.
    if (e.key === KEY || e.key === null) onChange(parseAuth(e.key === null ? null : e.newValue));
  };
  target.addEventListener('storage', listener);
  return () => target.removeEventListener('storage', listener);
}

/** The Basic Authorization header for servers without OAuth (UTF-8, RFC 7617). */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}
