// Sign-in state: Basic credentials for now (the OAuth issue replaces the mechanism, not
// the screen). Kept in sessionStorage so a reload stays signed in, a closed tab does not.

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { JmapClient } from '../jmap/client';
import { ClientContext } from '../jmap/context';

const STORAGE_KEY = 'postern.auth';

interface AuthState {
  username: string | null;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

function basic(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

function stored(): { username: string; authorization: string } | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as { username: string; authorization: string }) : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [auth, setAuth] = useState(stored);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setAuth(null);
    queryClient.clear();
  }, [queryClient]);

  const client = useMemo(
    () => (auth ? new JmapClient({ authorization: () => auth.authorization, onUnauthorized: signOut }) : null),
    [auth, signOut],
  );

  const signIn = useCallback(async (username: string, password: string) => {
    const authorization = basic(username, password);
    // Checking the credentials is fetching the session with them.
    const probe = new JmapClient({ authorization: () => authorization });
    await probe.session();
    const next = { username, authorization };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    queryClient.clear();
    setAuth(next);
  }, [queryClient]);

  const value = useMemo(() => ({ username: auth?.username ?? null, signIn, signOut }), [auth, signIn, signOut]);
  return (
    <AuthContext.Provider value={value}>
      <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
