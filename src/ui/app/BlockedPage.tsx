// Shown instead of everything else while the server refuses requests from this address.

import { useEffect, useState } from 'react';
import { blockedResponse, type Blocked } from '../auth/blocked';
import { formatUtc } from '../lib/datetime';
import { useAuth } from './auth';

export function BlockedPage({ blocked }: { blocked: Blocked }) {
  const { reportBlocked, clearBlocked } = useAuth();
  const [checking, setChecking] = useState(false);
  const [still, setStill] = useState(false);
  const address = blocked.address ?? 'your address';

  useEffect(() => {
    document.title = 'Access blocked · Postern';
  }, []);

  async function retry() {
    setChecking(true);
    setStill(false);
    try {
      const res = await fetch('/healthz', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const again = await blockedResponse(res);
      if (again) {
        reportBlocked(again);
        setStill(true);
      } else {
        // The console comes back and reads everything again.
        clearBlocked();
      }
    } catch {
      setStill(true);
    } finally {
      setChecking(false);
    }
  }

  return (
    <main className="signin">
      <div className="signin-card blocked-card">
        <p className="brand brand-large" aria-hidden="true">Postern</p>
        <h1>This address is blocked</h1>
        <p>
          The server refuses every request from <strong>{address}</strong>
          {blocked.reason === 'authFailure' || !blocked.reason ? ', most likely after too many failed sign-ins from it' : ` (${blocked.reason})`}.
          {blocked.expiresAt ? ` The block ends at ${formatUtc(blocked.expiresAt)}.` : ' A block after failed sign-ins ends on its own after a while.'}
        </p>
        <p>To remove it sooner, an administrator can:</p>
        <ul>
          <li>
            unblock it in <strong>Settings › Security › Blocked IPs</strong> from another address, or
          </li>
          <li>
            run <code>npm run unblock -- {blocked.address ?? '<address>'}</code> on the server.
          </li>
        </ul>
        {still && (
          <p className="banner banner-error" role="alert">
            Still blocked.
          </p>
        )}
        <button type="button" className="btn btn-primary btn-block" onClick={() => void retry()} disabled={checking}>
          {checking ? 'Checking…' : 'Try again'}
        </button>
      </div>
    </main>
  );
}
