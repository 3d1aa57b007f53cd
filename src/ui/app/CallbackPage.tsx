// Where the server's sign-in page sends the person back: exchange the code for tokens,
// then go back to the page they were on.

import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAuth } from './auth';

export function CallbackPage() {
  const { completeSignIn } = useAuth();
  const navigate = useNavigate();
  const { search } = useLocation();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Signing in · Postern';
    let live = true;
    completeSignIn(search).then(
      (returnTo) => live && navigate(returnTo, { replace: true }),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [search, completeSignIn, navigate]);

  return (
    <main className="signin">
      <div className="signin-card">
        <p className="brand brand-large" aria-hidden="true">Postern</p>
        <h1>{error ? 'Sign-in did not complete' : 'Signing in…'}</h1>
        {error ? (
          <>
            <p className="banner banner-error" role="alert">
              {error}
            </p>
            <Link className="btn btn-primary btn-block" to="/signin" replace>
              Back to sign-in
            </Link>
          </>
        ) : (
          <p role="status">Finishing sign-in…</p>
        )}
      </div>
    </main>
  );
}
