// Where the server's sign-in page sends the person back: exchange the code for tokens;
// the sign-in then goes back to the page they were on.

import { useEffect, useState } from 'react';
import { useAuth } from './auth';
import { replaceAddress } from './location';

export function CallbackPage() {
  const { completeSignIn } = useAuth();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Signing in · Postern';
    let live = true;
    completeSignIn(window.location.search).catch((e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [completeSignIn]);

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
            <a
              className="btn btn-primary btn-block"
              href="/signin"
              onClick={(e) => {
                // In place of this entry: Back must not come to a used callback again.
                e.preventDefault();
                replaceAddress('/signin');
              }}
            >
              Back to sign-in
            </a>
          </>
        ) : (
          <p role="status">Finishing sign-in…</p>
        )}
      </div>
    </main>
  );
}
