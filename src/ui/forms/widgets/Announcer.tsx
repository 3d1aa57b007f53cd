// A polite live region for what a picker just did ("Added Administrator."): screen
// readers hear each choice, since a chip appearing elsewhere on the page is silent.

import { useCallback, useState, type ReactNode } from 'react';

export function useAnnouncer(): [ReactNode, (text: string) => void] {
  const [said, setSaid] = useState({ text: '', n: 0 });
  // The same words twice (added, removed, added again) must still change the region.
  const announce = useCallback((text: string) => setSaid((s) => ({ text, n: s.n + 1 })), []);
  const region = (
    <span className="sr-only" role="status">
      {said.text}
      {said.n % 2 ? '\u00a0' : ''}
    </span>
  );
  return [region, announce];
}
