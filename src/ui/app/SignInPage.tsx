// The sign-in screen: a username, then the server's own sign-in page (OAuth), or a
// password here when the server offers no OAuth.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BlockedError } from '../auth/blocked';
import { safeReturnTo } from '../auth/oauth';
import { explainError } from '../lib/errors';
import { AuthError } from '../jmap/types';
import { useAuth } from './auth';
import { BRAND } from './brand';
import { addressState } from './location';

export function SignInPage() {
  const { t } = useTranslation('app');
  const { start, signInWithPassword, expired } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<'username' | 'password'>('username');
  const [username, setUsername] = useState('');
  const userRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const documentTitle = t('pageTitle', { title: t('signIn.pageTitle') });
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
  useEffect(() => {
    if (step === 'password') passwordRef.current?.focus();
  }, [step]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    // Where the person was when asked to sign in (the app keeps it with the address).
    const from = safeReturnTo(addressState<{ from?: string }>()?.from);
    setBusy(true);
    setError(null);
    try {
      if (step === 'username') {
        // On success the browser is on its way to the server's sign-in page.
        if ((await start(username.trim(), from)) === 'password') {
          setStep('password');
          setBusy(false);
        }
        return;
      }
      await signInWithPassword(username.trim(), String(data.get('password')), from);
    } catch (err) {
      setBusy(false);
      if (err instanceof BlockedError) return; // the whole page explains it
      const { message, next } = explainError(err);
      setError(err instanceof AuthError ? t('signIn.wrongPassword') : `${message}${next ? ` ${next}` : ''}`);
      (step === 'password' ? passwordRef : userRef).current?.focus();
    }
  }

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={onSubmit} aria-labelledby="signin-title">
        <p className="brand brand-large" aria-hidden="true">{BRAND}</p>
        <h1 id="signin-title">{t('signIn.title')}</h1>
        {expired && !error && (
          <p className="banner banner-info" role="status">
            {t('signIn.expired')}
          </p>
        )}
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <div className="field">
          <label htmlFor="username">{t('signIn.username')}</label>
          <input
            ref={userRef}
            id="username"
            name="username"
            autoComplete="username"
            required
            autoFocus
            value={username}
            readOnly={step === 'password'}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        {step === 'password' && (
          <>
            <p className="hint" id="password-hint">
              {t('signIn.passwordHere')}{' '}
              <button type="button" className="link-btn" onClick={() => setStep('username')}>
                {t('signIn.otherUsername')}
              </button>
            </p>
            <div className="field">
              <label htmlFor="password">{t('signIn.password')}</label>
              <input ref={passwordRef} id="password" name="password" type="password" autoComplete="current-password" required aria-describedby="password-hint" />
            </div>
          </>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {step === 'username' ? (busy ? t('signIn.continuing') : t('signIn.continue')) : busy ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
