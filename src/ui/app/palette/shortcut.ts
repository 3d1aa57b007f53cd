// Ctrl+K (⌘K on a Mac) anywhere in the console toggles the command palette.

import { useEffect } from 'react';

export const PALETTE_KEYS = 'Control+K Meta+K';

export function isPaletteKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}

/** Whether a native modal dialog is shown (a browser without `:modal` counts every open dialog). */
export function modalOpen(): boolean {
  return [...document.querySelectorAll('dialog[open]')].some((d) => {
    try {
      return d.matches(':modal');
    } catch {
      return true;
    }
  });
}

export function usePaletteShortcut(toggle: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteKey(e) || e.repeat) return;
      // A modal dialog (an import running, a question) keeps the page: the palette would open inert behind it.
      if (modalOpen()) return;
      e.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
}
