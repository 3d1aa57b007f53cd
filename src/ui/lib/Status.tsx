// Loading, error and empty states shared by every page.

import { useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorWordsContext, explainError } from './errors';
import { useProgress } from './progress';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation('common');
  useProgress();
  return (
    <div className="status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </div>
  );
}

/** An error and what to do next; `children` replace the explanation when a page words it itself. */
export function ErrorBanner({ error, onRetry, retrying, children }: { error?: unknown; onRetry?: () => void; retrying?: boolean; children?: ReactNode }) {
  const { t } = useTranslation('app');
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
          {t('tryingAgain')}
        </span>
      )}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('retry', { ns: 'common' })}
        </button>
      )}
    </div>
  );
}
