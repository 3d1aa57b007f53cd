// Where the server's sign-in page sends the person back: exchange the code for tokens;
// the sign-in then goes back to the page they were on.

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BRAND } from './brand';
import { useAuth } from './auth';
import { replaceAddress } from './location';

export function CallbackPage() {
  const { t } = useTranslation('app');
  const { completeSignIn } = useAuth();
  const documentTitle = t('pageTitle', { title: t('callback.pageTitle') });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
  useEffect(() => {
    let live = true;
    completeSignIn(window.location.search).catch((e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [completeSignIn]);

  return (
    <main className="signin">
      <div className="signin-card">
        <p className="brand brand-large" aria-hidden="true">{BRAND}</p>
        <h1>{error ? t('callback.failed') : t('callback.title')}</h1>
        {error ? (
          <>
            <p className="banner banner-error" role="alert">
              {error}
            </p>
            <a
              className="btn btn-primary btn-block"
              href="/signin"
              onClick={(e) => {
                // In place of this entry: Back must not come to a used callback again.
                e.preventDefault();
                replaceAddress('/signin');
              }}
            >
              {t('callback.back')}
            </a>
          </>
        ) : (
          <p role="status">{t('callback.finishing')}</p>
        )}
      </div>
    </main>
  );
}
