// Loading, error and empty states shared by every page.

import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorBanner({ error, onRetry, children }: { error?: unknown; onRetry?: () => void; children?: ReactNode }) {
  return (
    <div className="banner banner-error" role="alert">
      <div>{children ?? (error instanceof Error ? error.message : String(error))}</div>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
