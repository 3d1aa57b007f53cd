// A list page's filters, sort and page, read from and written to the URL.

import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { List } from '../../shared/schema/types';
import { parseListState, serializeListState, type ListState } from './listState';

export function useListState(list: List) {
  const [params, setParams] = useSearchParams();
  const state = parseListState(params, list);
  // Replaced, not pushed: no history entry per keystroke or page.
  const write = useCallback(
    (next: (current: ListState) => ListState) =>
      setParams((prev) => serializeListState(next(parseListState(prev, list)), list), { replace: true }),
    [setParams, list],
  );
  /** Changes filters or sort: back to the first page. */
  const change = useCallback((next: Partial<ListState>) => write((s) => ({ ...s, page: 0, ...next })), [write]);
  const toPage = useCallback((page: number) => write((s) => ({ ...s, page })), [write]);
  return { state, change, toPage };
}
