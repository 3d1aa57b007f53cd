// Keeps a value's identity while a key computed from it stays the same, so a record
// polled every few seconds does not look new to a form when only its status moved.

import { useState } from 'react';

export function useStable<T>(value: T, key: string): T {
  const [held, setHeld] = useState({ key, value });
  // Adjusting state during render when an input changed (React's documented pattern).
  if (held.key !== key) {
    setHeld({ key, value });
    return value;
  }
  return held.value;
}
