// Transient notices ("Created role.", "Deleted 2 roles."): announced politely, dismissible,
// gone after a few seconds (not while the pointer or focus is on them). They live in memory
// only, never in history state, so a reload or Back never shows one again.

import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

export interface Toast {
  id: number;
  message: string;
}

/** How long a notice stays, unless the person is reading it (pointer or focus on it). */
export const TOAST_MS = 6000;
/** More than this and the oldest goes: notices never pile up. */
const MAX = 3;

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

function update(next: Toast[]): void {
  toasts = next;
  listeners.forEach((l) => l());
}

/** Shows a notice; the same words again replace the earlier one. */
export function showToast(message: string): void {
  update([...toasts.filter((t) => t.message !== message), { id: nextId++, message }].slice(-MAX));
}

export function dismissToast(id: number): void {
  update(toasts.filter((t) => t.id !== id));
}

/** What pages call to say something went well: `const toast = useToast(); toast('Saved.')`. */
export function useToast(): (message: string) => void {
  return showToast;
}

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation('common');
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [held, toast.id]);
  return (
    <div
      className="toast"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <p>{toast.message}</p>
      <button type="button" className="toast-close" aria-label={t('dismiss')} onClick={() => dismissToast(toast.id)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/** Where notices appear; a live region from the start, so each new one is announced. */
export function Toaster() {
  const { t } = useTranslation('app');
  const list = useSyncExternalStore(subscribe, () => toasts);
  // Signed out (the shell goes): what was said to this session goes with it.
  useEffect(() => () => update([]), []);
  return (
    <section className="toaster" aria-label={t('notifications')}>
      <div className="toasts" aria-live="polite" aria-atomic="false" aria-relevant="additions text">
        {list.map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </div>
    </section>
  );
}
