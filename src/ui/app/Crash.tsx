// What shows when a page fails to render or the console's code fails to load: the reason
// in words and a way out, instead of a blank window.

import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../lib/errors';
import { BRAND } from './brand';

export function Crash({ error }: { error: unknown }) {
  const { t } = useTranslation('app');
  const { message, next } = explainError(error);
  return (
    <main className="signin">
      <div className="signin-card" role="alert">
        <p className="brand brand-large" aria-hidden="true">{BRAND}</p>
        <h1>{t('crash.title')}</h1>
        <p>
          {message}
          {next && ` ${next}`}
        </p>
        <button type="button" className="btn btn-primary btn-block" onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </button>
      </div>
    </main>
  );
}

/** Around the console's own loading, where the router's error page does not reach. */
export class CrashBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    return this.state.error ? <Crash error={this.state.error} /> : this.props.children;
  }
}
