import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { AuthError } from '../jmap/types';
import { useAuth } from './auth';

export function SignInPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  useEffect(() => {
    document.title = 'Sign in · Postern';
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(data.get('username')), String(data.get('password')));
      navigate(from === '/signin' ? '/' : from, { replace: true });
    } catch (err) {
      setError(err instanceof AuthError ? 'Wrong username or password.' : `Could not reach the server: ${(err as Error).message}`);
      setBusy(false);
      userRef.current?.focus();
    }
  }

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={onSubmit} aria-labelledby="signin-title">
        <p className="brand brand-large" aria-hidden="true">Postern</p>
        <h1 id="signin-title">Sign in to the mail server console</h1>
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <div className="field">
          <label htmlFor="username">Username</label>
          <input ref={userRef} id="username" name="username" autoComplete="username" required autoFocus />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
