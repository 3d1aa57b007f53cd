// One list's chosen columns, kept in this browser's localStorage (columnChoice.ts).

import { useMemo, useState } from 'react';
import type { List, Property } from '../../shared/schema/types';
import type { ResolvedView } from '../schema/resolve';
import { availableColumns, chosenColumns, columnsKey, moveColumn, parseChoice, toggleColumn } from './columnChoice';

function read(key: string): string[] | null {
  try {
    return parseChoice(globalThis.localStorage?.getItem(key) ?? null);
  } catch {
    return null;
  }
}

function write(key: string, choice: string[] | null) {
  try {
    if (choice) globalThis.localStorage?.setItem(key, JSON.stringify(choice));
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // private mode or full storage: the choice lasts for this page only
  }
}

export function useColumnChoice(view: ResolvedView, list: List, properties: Record<string, Property>) {
  const key = columnsKey(view.objectName, view.viewName);
  const available = useMemo(() => availableColumns(list, properties, view.form), [list, properties, view.form]);
  const [stored, setStored] = useState<{ key: string; choice: string[] | null }>(() => ({ key, choice: read(key) }));
  // Another list in the same mounted page: its own choice.
  const choice = stored.key === key ? stored.choice : read(key);
  const columns = useMemo(() => chosenColumns(available, list, choice), [available, list, choice]);
  const names = columns.map((c) => c.name);
  const save = (next: string[] | null) => {
    write(key, next);
    setStored({ key, choice: next });
  };
  return {
    available,
    columns,
    customized: choice !== null,
    toggle: (name: string) => save(toggleColumn(names, name)),
    move: (name: string, by: -1 | 1) => save(moveColumn(names, name, by)),
    reset: () => save(null),
  };
}
