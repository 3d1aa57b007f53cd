// Sign-in state: OAuth (authorization code + PKCE) where the server publishes
// /api/discover, a password (Basic) where it does not. Tokens live in memory and in
// sessionStorage (see auth/storage.ts), so a reload stays signed in and a closed tab does not.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { BlockedError, type Blocked } from '../auth/blocked';
import { authorizationRequest, checkCallback, discover, exchangeCode, GrantError, savePending, takePending } from '../auth/oauth';
import { basicAuthorization, clearAuth, loadAuth, saveAuth, type StoredAuth } from '../auth/storage';
import { TokenSession } from '../auth/tokens';
import { JmapClient } from '../jmap/client';
import { ClientContext } from '../jmap/context';
import { keys } from '../jmap/keys';

interface AuthState {
  username: string | null;
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
  signInWithPassword: (username: string, password: string) => Promise<void>;
  /** The callback's part: checks the response, gets tokens; resolves with where to go. */
  completeSignIn: (search: string) => Promise<string>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

interface Runtime {
  auth: StoredAuth;
  tokens: TokenSession | null;
  client: JmapClient;
}

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
          tokens,
          endpoints: { tokenEndpoint: pending!.tokenEndpoint, revocationEndpoint: pending!.revocationEndpoint },
        };
        saveAuth(auth);
        return { auth, returnTo: pending!.returnTo };
      } catch (e) {
        if (e instanceof GrantError) throw new Error(`The server did not accept the sign-in (${e.message}). Sign in again.`, { cause: e });
        throw e;
      }
    })();
    exchanges.set(search, p);
  }
  return p;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [auth, setAuth] = useState(() => loadAuth());
  const [expired, setExpired] = useState(false);
  const [blocked, setBlocked] = useState<Blocked | null>(null);

  // The session ends on its own: forget it; RequireAuth then sends the person to sign in
  // and remembers the page they were on.
  const end = useCallback(() => {
    clearAuth();
    setExpired(true);
    setAuth(null);
    queryClient.clear();
  }, [queryClient]);

  const runtime = useMemo((): Runtime | null => {
    if (!auth) return null;
    const lost = end;
    // The caller's access changed (a role of theirs was edited, here or elsewhere): what
    // the console shows and offers follows their permissions, so read them again.
    const onSessionChange = () => void queryClient.invalidateQueries({ queryKey: keys.account });
    if (auth.kind === 'basic') {
      return { auth, tokens: null, client: new JmapClient({ authorization: () => auth.authorization, onUnauthorized: lost, onBlocked: setBlocked, onSessionChange }) };
    }
    const tokens = new TokenSession(auth.tokens, auth.endpoints, {
      persist: (t) => saveAuth({ ...auth, tokens: t }),
      lost,
    });
    const client = new JmapClient({
      authorization: () => tokens.authorization(),
      // Another request may have refreshed already while this one was under way.
      renew: async (rejected) => rejected !== `Bearer ${tokens.current.accessToken}` || tokens.refresh(),
      onUnauthorized: lost,
      onBlocked: setBlocked,
      onSessionChange,
    });
    return { auth, tokens, client };
  }, [auth, end, queryClient]);

  useEffect(() => {
    runtime?.tokens?.start();
    return () => runtime?.tokens?.stop();
  }, [runtime]);

  const reportBlocked = useCallback((b: Blocked) => setBlocked(b), []);
  const clearBlocked = useCallback(() => setBlocked(null), []);

  const start = useCallback(async (username: string, returnTo: string) => {
    const found = await discover(username);
    if (found.kind === 'blocked') {
      setBlocked(found.blocked);
      throw new BlockedError(found.blocked);
    }
    if (found.kind === 'basic') return 'password' as const;
    const { url, pending } = await authorizationRequest(found.provider, username, returnTo, location.origin);
    savePending(pending);
    location.assign(url);
    return 'redirecting' as const;
  }, []);

  const signInWithPassword = useCallback(
    async (username: string, password: string) => {
      const authorization = basicAuthorization(username, password);
      // Checking the credentials is fetching the session with them.
      await new JmapClient({ authorization: () => authorization, onBlocked: setBlocked }).session();
      const next: StoredAuth = { kind: 'basic', username, authorization };
      saveAuth(next);
      queryClient.clear();
      setExpired(false);
      setAuth(next);
    },
    [queryClient],
  );

  const completeSignIn = useCallback(
    async (search: string) => {
      try {
        const done = await exchange(search);
        queryClient.clear();
        setExpired(false);
        setAuth(done.auth);
        return done.returnTo;
      } catch (e) {
        if (e instanceof BlockedError) setBlocked(e.blocked);
        throw e;
      }
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    const tokens = runtime?.tokens;
    clearAuth();
    setExpired(false);
    setAuth(null);
    queryClient.clear();
    await tokens?.signOut();
  }, [runtime, queryClient]);

  const value = useMemo(
    () => ({ username: auth?.username ?? null, expired, blocked, reportBlocked, clearBlocked, start, signInWithPassword, completeSignIn, signOut }),
    [auth, expired, blocked, reportBlocked, clearBlocked, start, signInWithPassword, completeSignIn, signOut],
  );
  return (
    <AuthContext.Provider value={value}>
      <ClientContext.Provider value={runtime?.client ?? null}>{children}</ClientContext.Provider>
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
