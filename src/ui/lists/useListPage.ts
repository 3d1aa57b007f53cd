// The records of one list page: /query and /get in one request, the previous page kept
// on screen while the next loads, and a page left empty moved back to the last one.

import { useEffect } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { List } from '../../shared/schema/types';
import { useClient } from '../jmap/context';
import { listQueryOptions } from '../jmap/queries';
import { MethodError } from '../jmap/types';
import { useConsole } from '../schema/context';
import { buildFilter, pageSizeOf, type ListState } from './listState';

export function useListPage(objectName: string, list: List, state: ListState, toPage: (page: number) => void) {
  const client = useClient();
  const { doc } = useConsole();
  const labelProp = list.labelProperty ?? list.columns[0]?.name;
  // Built-in records (schema's builtInProperty) cannot be removed: the table needs to know which.
  const builtIn = doc.objects[objectName]?.builtInProperty;
  const size = pageSizeOf(state);
  const args = {
    filter: buildFilter(list, state.filters),
    sort: state.sort ? [state.sort] : undefined,
    position: state.page * size,
    limit: size,
    properties: [...new Set(['id', ...(labelProp ? [labelProp] : []), ...(builtIn ? [builtIn] : []), ...list.columns.map((c) => c.name)])],
  };
  const query = useQuery({ ...listQueryOptions(client, objectName, args), placeholderData: keepPreviousData });
  const records = query.data?.records ?? [];
  const total = query.data?.total;

  // A page emptied by deletions (or a stale bookmark) moves to the last page that has records.
  const pastTheEnd = !query.isPlaceholderData && query.isSuccess && records.length === 0 && state.page > 0 && (total ?? 0) > 0;
  const lastPage = Math.max(0, Math.ceil((total ?? 0) / size) - 1);
  const moveTo = pastTheEnd && lastPage !== state.page ? lastPage : null;
  useEffect(() => {
    if (moveTo !== null) toPage(moveTo);
  }, [moveTo, toPage]);

  const firstShown = state.page * size + 1;
  const lastShown = state.page * size + records.length;
  return {
    query,
    records,
    total,
    labelProp,
    firstShown,
    lastShown,
    hasNext: total !== undefined ? lastShown < total : records.length === size,
    // A server may still refuse a sort (a computed column): the page offers to drop it.
    unsupportedSort: query.error instanceof MethodError && query.error.type === 'unsupportedSort' && !!state.sort,
  };
}
