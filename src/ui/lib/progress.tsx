// The bar along the top of the window while anything loads: every Loading state (a page's
// code, its data) holds it, so a slow link shows progress without each page asking.

import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

let loading = 0;
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

function set(delta: number): void {
  loading += delta;
  listeners.forEach((l) => l());
}

/** Shows the bar while the calling component is mounted (and `active`). */
export function useProgress(active = true): void {
  useEffect(() => {
    if (!active) return;
    set(1);
    return () => set(-1);
  }, [active]);
}

/**
 * An indeterminate progress bar (no value: it does not claim how far along it is); it
 * appears only after a moment, so a fast answer shows no flash. Not a live region: the
 * Loading states announce themselves.
 */
export function ProgressBar() {
  const { t } = useTranslation('common');
  const busy = useSyncExternalStore(subscribe, () => loading > 0);
  return busy ? <div className="progress-bar" role="progressbar" aria-label={t('loading')} /> : null;
}
