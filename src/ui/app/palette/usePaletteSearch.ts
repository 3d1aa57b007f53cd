// The palette's record search: the typed text (debounced) sent as each searchable list's
// text filter, a few results per type. All the types' /query + /get calls start in the
// same tick, so the one JMAP client sends them together in as few requests as it may.

import { useEffect, useMemo, useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useClient } from '../../jmap/context';
import { keys } from '../../jmap/keys';
import { fetchList } from '../../jmap/queries';
import type { JmapRecord } from '../../jmap/types';
import { useConsole } from '../../schema/context';
import { searchFilter, searchTargets, type SearchTarget } from './targets';

export const PER_TYPE = 5;
const DEBOUNCE_MS = 250;

export interface RecordHit {
  id: string;
  label: string;
}

export interface RecordGroup {
  target: SearchTarget;
  hits: RecordHit[];
  /** More records match than are shown. */
  more: boolean;
  pending: boolean;
  error: Error | null;
}

function labelOf(record: JmapRecord, property: string): string {
  const v = record[property];
  return typeof v === 'string' && v !== '' ? v : record.id;
}

/** Records matching `text` per searchable type, once the text has rested for a moment. */
export function usePaletteSearch(text: string): { groups: RecordGroup[]; searching: boolean; searchedFor: string } {
  const { doc, nav, permissions } = useConsole();
  const client = useClient();
  const targets = useMemo(() => searchTargets(doc, nav, permissions), [doc, nav, permissions]);

  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text]);

  const results = useQueries({
    queries: targets.map((target) => {
      const args = { filter: searchFilter(doc, target, debounced), position: 0, limit: PER_TYPE, properties: ['id', target.labelProperty] };
      return {
        queryKey: keys.search(target.objectName, { ...args, palette: true }),
        queryFn: () => fetchList(client, target.objectName, args),
        enabled: debounced !== '',
        staleTime: 10_000,
        retry: false,
      };
    }),
  });

  const groups = targets.map((target, i): RecordGroup => {
    const r = results[i];
    const records = r.data?.records ?? [];
    return {
      target,
      hits: records.map((rec) => ({ id: rec.id, label: labelOf(rec, target.labelProperty) })),
      more: (r.data?.total ?? 0) > records.length,
      pending: debounced !== '' && r.isPending,
      error: r.error ?? null,
    };
  });
  return { groups, searching: text.trim() !== debounced || groups.some((g) => g.pending), searchedFor: debounced };
}
