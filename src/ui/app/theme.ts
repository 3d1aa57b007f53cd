// The console's theme: 'system' (the default) follows prefers-color-scheme; the top bar's
// switch picks 'dark' or 'light', kept in localStorage and set as data-theme on <html>
// (public/theme.js does the same before the first paint).

import { useCallback, useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'dark' | 'light';

const STORAGE_KEY = 'postern.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();

export function storedTheme(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'dark' || v === 'light' ? v : 'system';
  } catch {
    return 'system';
  }
}

function systemDark(): boolean {
  return globalThis.matchMedia?.(DARK_QUERY).matches ?? false;
}

/** Whether the console is dark now: the choice, or the system's setting without one. */
export function isDark(choice: ThemeChoice = storedTheme()): boolean {
  return choice === 'system' ? systemDark() : choice === 'dark';
}

export function chooseTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // private mode: the choice lasts for this page only
  }
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
  for (const l of listeners) l();
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const media = globalThis.matchMedia?.(DARK_QUERY);
  media?.addEventListener('change', onChange);
  // Another tab switched: follow it.
  const onStorage = (e: StorageEvent) => {
    if (e.key === STORAGE_KEY) chooseTheme(storedTheme());
  };
  globalThis.addEventListener?.('storage', onStorage);
  return () => {
    listeners.delete(onChange);
    media?.removeEventListener('change', onChange);
    globalThis.removeEventListener?.('storage', onStorage);
  };
}

/** The dark-mode switch: whether it is dark, and flipping it (to an explicit choice). */
export function useDarkMode(): { dark: boolean; toggle: () => void } {
  const dark = useSyncExternalStore(subscribe, () => isDark(), () => false);
  const toggle = useCallback(() => chooseTheme(isDark() ? 'light' : 'dark'), []);
  return { dark, toggle };
}
