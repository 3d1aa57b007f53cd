// Loading, error and empty states shared by every page.

import { useContext, type ReactNode } from 'react';
import { ErrorWordsContext, explainError } from './errors';
import { useProgress } from './progress';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  useProgress();
  return (
    <div className="status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** An error and what to do next; `children` replace the explanation when a page words it itself. */
export function ErrorBanner({ error, onRetry, retrying, children }: { error?: unknown; onRetry?: () => void; retrying?: boolean; children?: ReactNode }) {
  const words = useContext(ErrorWordsContext);
  const explained = children ? null : (words?.(error) ?? explainError(error));
  return (
    <div className="banner banner-error" role="alert">
      <div>
        {children ?? explained?.message}
        {explained?.next && <> {explained.next}</>}
      </div>
      {retrying && (
        <span className="status" role="status">
          <span className="spinner" aria-hidden="true" />
          Trying again…
        </span>
      )}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
