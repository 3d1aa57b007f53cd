// Where the browser is, for the screens shown before the console (and its router) loads:
// sign-in, its OAuth callback, the blocked page. The router reads the address when it
// starts, so these only replace it, never add history entries.

import { useSyncExternalStore } from 'react';

const CHANGED = 'postern:address';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** Goes to `to` in place of the current entry; `state` is what the router calls location.state. */
export function replaceAddress(to: string, state: unknown = null): void {
  // react-router keeps its own fields (key, idx) beside `usr` in history.state.
  const held = (window.history.state ?? {}) as Record<string, unknown>;
  window.history.replaceState({ ...held, usr: state }, '', to);
  window.dispatchEvent(new Event(CHANGED));
}

/** The state the current entry was reached with (react-router's location.state). */
export function addressState<T>(): T | null {
  return ((window.history.state as { usr?: T } | null)?.usr ?? null) as T | null;
}

/** The current address as a path with its query, e.g. to come back to it after sign-in. */
export function currentAddress(): string {
  return window.location.pathname + window.location.search;
}
