// The first screen: the sign-in page and its OAuth callback load with the page; everything
// else (router, query cache, JMAP client, shell) loads once signed in, as Console.

import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isCallbackPath, safeReturnTo } from '../auth/oauth';
import { Loading } from '../lib/Status';
import { useAuth } from './auth';
import { BlockedPage } from './BlockedPage';
import { CallbackPage } from './CallbackPage';
import { CrashBoundary } from './Crash';
import { addressState, currentAddress, replaceAddress, usePathname } from './location';
import { SignInPage } from './SignInPage';

const loadConsole = () => import('./Console');
const Console = lazy(loadConsole);

export const SIGN_IN_PATH = '/signin';

export function App() {
  const { t } = useTranslation('app');
  const { blocked, username, sessionId, checking } = useAuth();
  const pathname = usePathname();
  const atCallback = isCallbackPath(pathname);
  const atSignIn = pathname === SIGN_IN_PATH;

  // Signed out anywhere: the sign-in screen, remembering the page to come back to. Signed
  // in at the sign-in address (a bookmark, another tab's link): that page, or the overview.
  // Back from the server's sign-in page: fetch the console while the code is exchanged.
  useEffect(() => {
    if (atCallback) void loadConsole();
  }, [atCallback]);

  useEffect(() => {
    if (checking || blocked || atCallback) return;
    if (!username && !atSignIn) replaceAddress(SIGN_IN_PATH, { from: currentAddress() });
    if (username && atSignIn) replaceAddress(safeReturnTo(addressState<{ from?: string }>()?.from));
  }, [checking, blocked, atCallback, username, atSignIn]);

  if (blocked) return <BlockedPage blocked={blocked} />;
  if (atCallback) return <CallbackPage />;
  if (checking) return <Loading label={t('opening')} />;
  if (!username) return <SignInPage />;
  if (atSignIn) return null;
  return (
    <CrashBoundary>
      <Suspense fallback={<Loading label={t('loadingConsole')} />}>
        <Console key={sessionId} />
      </Suspense>
    </CrashBoundary>
  );
}
