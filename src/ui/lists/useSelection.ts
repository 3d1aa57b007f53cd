// The records ticked on a list page for bulk actions: ids on this page, or (after "Select
// all … matching") every record the current filter matches, across pages.

import { useCallback, useState } from 'react';

export function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  /** Every record matching the filter is selected, not only the ticked ones. */
  const [matching, setMatching] = useState(false);
  const clear = useCallback(() => {
    setSelected(new Set());
    setMatching(false);
  }, []);
  const toggle = useCallback((id: string) => {
    setMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  /** Ticks every id given, or none when all of them already are. */
  const toggleAll = useCallback((ids: string[]) => {
    setMatching(false);
    setSelected((current) => (ids.length > 0 && ids.every((id) => current.has(id)) ? new Set() : new Set(ids)));
  }, []);
  const selectMatching = useCallback(() => setMatching(true), []);
  return { selected, matching, clear, toggle, toggleAll, selectMatching };
}
