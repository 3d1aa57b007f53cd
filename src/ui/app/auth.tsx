// Sign-in state: OAuth (authorization code + PKCE) where the server publishes
// /api/discover, a password (Basic) where it does not. The tabs of a browser share one
// session (auth/storage.ts says where it is kept and why that is safe enough): a new tab
// opens signed in, a refresh in one reaches all, a sign-out in one signs out all.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { BlockedError, type Blocked } from '../auth/blocked';
import { loadClientConfig } from '../auth/config';
import { authorizationRequest, checkCallback, discover, exchangeCode, GrantError, revoke, savePending, takePending } from '../auth/oauth';
import { basicAuthorization, clearAuth, loadAuth, newSessionId, onStoredAuthChange, saveAuth, type StoredAuth } from '../auth/storage';
import { announceTab, markTabSession, oneTabAtATime, otherTabOpen, tabSession, webLocks } from '../auth/tabs';
import { TokenSession } from '../auth/tokens';
import { i18n } from '../i18n/i18n';
import type { ClientOptions } from '../jmap/client';
import { replaceAddress } from './location';

/** What the console's JMAP client needs from the session. */
export type Connection = Pick<ClientOptions, 'authorization' | 'renew' | 'onUnauthorized' | 'onBlocked'>;

interface AuthState {
  username: string | null;
  /** Changes with every sign-in (not with refreshed tokens). */
  sessionId: string | null;
  /** Still finding out whether the session another tab keeps is one to use here. */
  checking: boolean;
  /** The last session ended on its own (it could not be refreshed): say so at sign-in. */
  expired: boolean;
  /** The server refuses requests from this address. */
  blocked: Blocked | null;
  reportBlocked: (blocked: Blocked) => void;
  clearBlocked: () => void;
  /**
   * First step: asks the server how `username` signs in. With OAuth the page leaves for
   * the server's sign-in page (and comes back to `returnTo`); otherwise 'password'.
   */
  start: (username: string, returnTo: string) => Promise<'redirecting' | 'password'>;
  /** Signs in and goes to `returnTo`. */
  signInWithPassword: (username: string, password: string, returnTo: string) => Promise<void>;
  /** The callback's part: checks the response, gets tokens, goes back where the person was. */
  completeSignIn: (search: string) => Promise<void>;
  signOut: () => Promise<void>;
  connection: Connection | null;
}

const AuthContext = createContext<AuthState | null>(null);

/**
 * One exchange per authorization response, whatever React does: a code is single-use,
 * and using it twice would make the server revoke what the first use got.
 */
const exchanges = new Map<string, Promise<{ auth: StoredAuth; returnTo: string }>>();

function exchange(search: string): Promise<{ auth: StoredAuth; returnTo: string }> {
  let p = exchanges.get(search);
  if (!p) {
    p = (async () => {
      const pending = takePending();
      const check = checkCallback(new URLSearchParams(search), pending);
      if (!check.ok) throw new Error(check.message);
      try {
        const tokens = await exchangeCode(pending!, check.code);
        const auth: StoredAuth = {
          kind: 'oauth',
          username: pending!.username,
          sessionId: newSessionId(),
          tokens,
          endpoints: { tokenEndpoint: pending!.tokenEndpoint, revocationEndpoint: pending!.revocationEndpoint, clientId: pending!.clientId },
        };
        saveAuth(auth);
        markTabSession(auth.sessionId);
        return { auth, returnTo: pending!.returnTo };
      } catch (e) {
        if (e instanceof GrantError) throw new Error(i18n.t('app:callback.notAccepted', { reason: e.message }), { cause: e });
        throw e;
      }
    })();
    exchanges.set(search, p);
  }
  return p;
}

/** A session this tab can use at once: its own (a reload), or the only one a tab can hold. */
function ownSession(): StoredAuth | null | 'ask' {
  const stored = loadAuth();
  if (!stored) return null;
  return !webLocks() || tabSession() === stored.sessionId ? stored : 'ask';
}

let tabCheck: Promise<StoredAuth | null> | null = null;

/**
 * A session kept by the browser but not made here: used while another console tab is open
 * (this tab was opened from it); with none open it outlived the browser, and is revoked.
 * Once per page, before this tab counts as open itself.
 */
function checkSharedSession(): Promise<StoredAuth | null> {
  tabCheck ??= (async () => {
    const stored = loadAuth();
    if (stored && (await otherTabOpen())) {
      markTabSession(stored.sessionId);
      return stored;
    }
    if (stored?.kind === 'oauth') {
      clearAuth();
      void revoke(stored.endpoints.revocationEndpoint, stored.tokens.refreshToken ?? stored.tokens.accessToken, fetch, stored.endpoints.clientId);
    } else if (stored) clearAuth();
    return null;
  })().finally(() => announceTab());
  return tabCheck;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [first] = useState(ownSession);
  const [auth, setAuth] = useState<StoredAuth | null>(first === 'ask' ? null : first);
  const [checking, setChecking] = useState(first === 'ask');
  const [expired, setExpired] = useState(false);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const authRef = useRef(auth);
  authRef.current = auth;

  useEffect(() => {
    if (!checking) return announceTab();
    let live = true;
    void checkSharedSession().then((found) => {
      if (!live) return;
      setAuth((a) => a ?? found);
      setChecking(false);
    });
    return () => {
      live = false;
    };
  }, [checking]);

  // The session ends on its own: forget it (unless another tab signed in anew meanwhile);
  // the app then shows the sign-in screen and remembers the page the person was on.
  const end = useCallback(() => {
    const stored = loadAuth();
    if (!stored || stored.sessionId === authRef.current?.sessionId) clearAuth();
    markTabSession(null);
    setExpired(true);
    setAuth(null);
  }, []);

  const runtime = useMemo(() => {
    if (!auth) return null;
    if (auth.kind === 'basic') {
      return { tokens: null, connection: { authorization: () => auth.authorization, onUnauthorized: end, onBlocked: setBlocked } satisfies Connection };
    }
    const ours = (s: StoredAuth | null) => s?.kind === 'oauth' && s.sessionId === auth.sessionId;
    const tokens = new TokenSession(auth.tokens, auth.endpoints, {
      // Never over a session another tab started since, nor after a sign-out elsewhere.
      persist: (t) => ours(loadAuth()) && saveAuth({ ...auth, tokens: t }),
      lost: end,
      latest: () => {
        const s = loadAuth();
        return s?.kind === 'oauth' && ours(s) ? s.tokens : null;
      },
      exclusive: oneTabAtATime,
      settleMs: webLocks() ? 400 : 0,
    });
    const connection: Connection = {
      authorization: () => tokens.authorization(),
      // Another request (or tab) may have refreshed already while this one was under way.
      renew: async (rejected) => rejected !== `Bearer ${tokens.current.accessToken}` || tokens.refresh(),
      onUnauthorized: end,
      onBlocked: setBlocked,
    };
    return { tokens, connection };
  }, [auth, end]);
  const runtimeRef = useRef(runtime);
  runtimeRef.current = runtime;

  useEffect(() => {
    runtime?.tokens?.start();
    return () => runtime?.tokens?.stop();
  }, [runtime]);

  // What other tabs do to the session: new tokens are taken over, a sign-in is joined, a
  // sign-out (or a session that ended there) ends it here too.
  useEffect(
    () =>
      onStoredAuthChange((next) => {
        const current = authRef.current;
        if (current && next?.sessionId === current.sessionId) {
          if (next.kind === 'oauth') runtimeRef.current?.tokens?.adopt(next.tokens);
          return;
        }
        markTabSession(next?.sessionId ?? null);
        setExpired(false);
        setAuth(next);
      }),
    [],
  );

  const reportBlocked = useCallback((b: Blocked) => setBlocked(b), []);
  const clearBlocked = useCallback(() => setBlocked(null), []);

  const start = useCallback(async (username: string, returnTo: string) => {
    const found = await discover(username);
    if (found.kind === 'blocked') {
      setBlocked(found.blocked);
      throw new BlockedError(found.blocked);
    }
    if (found.kind === 'basic') return 'password' as const;
    const client = await loadClientConfig();
    const { url, pending } = await authorizationRequest(found.provider, username, returnTo, location.origin, Date.now(), client);
    savePending(pending);
    location.assign(url);
    return 'redirecting' as const;
  }, []);

  const enter = useCallback((next: StoredAuth, returnTo: string) => {
    // The address first: the console's router reads it when it starts.
    replaceAddress(returnTo);
    setExpired(false);
    setAuth(next);
  }, []);

  const signInWithPassword = useCallback(
    async (username: string, password: string, returnTo: string) => {
      const authorization = basicAuthorization(username, password);
      // Checking the credentials is fetching the session with them (the client loads
      // with the console, not with the sign-in screen).
      const { JmapClient } = await import('../jmap/client');
      await new JmapClient({ authorization: () => authorization, onBlocked: setBlocked }).session();
      const next: StoredAuth = { kind: 'basic', username, sessionId: newSessionId(), authorization };
      saveAuth(next);
      markTabSession(next.sessionId);
      enter(next, returnTo);
    },
    [enter],
  );

  const completeSignIn = useCallback(
    async (search: string) => {
      try {
        const done = await exchange(search);
        enter(done.auth, done.returnTo);
      } catch (e) {
        if (e instanceof BlockedError) setBlocked(e.blocked);
        throw e;
      }
    },
    [enter],
  );

  const signOut = useCallback(async () => {
    const tokens = runtimeRef.current?.tokens;
    clearAuth();
    markTabSession(null);
    setExpired(false);
    setAuth(null);
    await tokens?.signOut();
  }, []);

  const connection = runtime?.connection ?? null;
  const value = useMemo(
    () => ({
      username: auth?.username ?? null,
      sessionId: auth?.sessionId ?? null,
      checking,
      expired,
      blocked,
      reportBlocked,
      clearBlocked,
      start,
      signInWithPassword,
      completeSignIn,
      signOut,
      connection,
    }),
    [auth, checking, expired, blocked, reportBlocked, clearBlocked, start, signInWithPassword, completeSignIn, signOut, connection],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
