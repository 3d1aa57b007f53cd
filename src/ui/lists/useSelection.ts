// The records ticked on a list page, for bulk removal.

import { useCallback, useState } from 'react';

export function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const clear = useCallback(() => setSelected(new Set()), []);
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  /** Ticks every id given, or none when all of them already are. */
  const toggleAll = useCallback(
    (ids: string[]) => setSelected((current) => (ids.length > 0 && ids.every((id) => current.has(id)) ? new Set() : new Set(ids))),
    [],
  );
  return { selected, clear, toggle, toggleAll };
}
