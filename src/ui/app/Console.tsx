// The signed-in console, loaded after sign-in: its query cache, its JMAP client and the
// router (a data router, whose blocker lets the unsaved-changes guard cover Back and
// Forward) around the shell. Once the account is read, its `locale` picks the language
// (unless this browser has a choice of its own); signed out, the browser's language is back.

import { useEffect, useMemo, useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { JmapClient } from '../jmap/client';
import { ClientContext } from '../jmap/context';
import { keys } from '../jmap/keys';
import { useAccount } from '../jmap/queries';
import { applyAccountLocale, forgetAccountLocale } from '../i18n/i18n';
import { useAuth } from './auth';
import { RouteError } from './RouteError';
import { Shell } from './Shell';

const NO_RETRY = ['AuthError', 'MethodError', 'BlockedError'];

/**
 * Requests go out even when the browser says it is offline ('always'): a page or a save
 * then fails and says why (lib/errors.ts), instead of waiting silently for the network.
 */
function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < 2 && !NO_RETRY.includes((error as Error).name),
        refetchOnWindowFocus: true,
        networkMode: 'always',
      },
      mutations: { networkMode: 'always' },
    },
  });
}

type Router = ReturnType<typeof createBrowserRouter>;
let router: { sessionId: string; router: Router } | null = null;

/**
 * One router per sign-in. It reads the address when created, so a new sign-in (which
 * may have come back to another page) gets a new one; a remount of the same session (after
 * the blocked page) keeps it.
 */
function routerFor(sessionId: string): Router {
  if (router?.sessionId !== sessionId) {
    router?.router.dispose();
    router = { sessionId, router: createBrowserRouter([{ path: '*', element: <Shell />, errorElement: <RouteError /> }]) };
  }
  return router.router;
}

/** The signed-in account's `locale` (GET /api/account, as Stalwart and Postern report it) sets the language. */
function AccountLocale() {
  const locale = useAccount().data?.locale;
  useEffect(() => {
    if (locale) void applyAccountLocale(locale);
  }, [locale]);
  // Signed out: the sign-in page follows the browser (or this browser's own choice) again.
  useEffect(
    () => () => {
      void forgetAccountLocale();
    },
    [],
  );
  return null;
}

export default function Console() {
  const { connection, sessionId } = useAuth();
  // The cache belongs to this sign-in: nothing read for one person is shown to the next.
  const [queryClient] = useState(newQueryClient);
  const client = useMemo(
    () =>
      new JmapClient({
        ...connection!,
        // The caller's access changed (a role of theirs was edited, here or elsewhere): what
        // the console shows and offers follows their permissions, so read them again.
        onSessionChange: () => void queryClient.invalidateQueries({ queryKey: keys.account }),
      }),
    [connection, queryClient],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <ClientContext.Provider value={client}>
        <AccountLocale />
        <RouterProvider router={routerFor(sessionId!)} />
      </ClientContext.Provider>
    </QueryClientProvider>
  );
}
