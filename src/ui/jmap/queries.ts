// Fetchers, query options and hooks for everything the console reads over JMAP and the
// schema/account endpoints (writes: mutations.ts). Components use these, never the client directly.

import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SchemaDocument } from '../../shared/schema/types';
import type { JmapClient } from './client';
import { keys } from './keys';
import type { GetResponse, JmapRecord, QueryResponse } from './types';
import { useClient } from './context';

export interface AccountInfo {
  permissions: string[];
  edition?: string;
  locale?: string;
  name?: string;
}

export function schemaQueryOptions(client: JmapClient) {
  return queryOptions({
    queryKey: keys.schema,
    queryFn: () => client.getJson<SchemaDocument>('/api/schema'),
    staleTime: Infinity,
  });
}

export function accountQueryOptions(client: JmapClient) {
  return queryOptions({
    queryKey: keys.account,
    queryFn: () => client.getJson<AccountInfo>('/api/account'),
    staleTime: 5 * 60_000,
    select: (a) => ({ ...a, permissionSet: new Set(a.permissions ?? []) }),
  });
}

export function useSchema() {
  return useQuery(schemaQueryOptions(useClient()));
}

export function useAccount() {
  return useQuery(accountQueryOptions(useClient()));
}

export interface ListArgs {
  filter?: Record<string, unknown>;
  sort?: { property: string; isAscending: boolean }[];
  position: number;
  limit: number;
  properties: string[];
}

export interface ListPage {
  ids: string[];
  total?: number;
  records: JmapRecord[];
  state?: string;
  /** The query's state: a change between two pages means the list changed in between. */
  queryState?: string;
  /** The limit the server used when it clamped the one asked for. */
  limit?: number;
}

/** One HTTP request per page: /query, then /get on its ids through a result reference. */
export async function fetchList(client: JmapClient, objectName: string, args: ListArgs): Promise<ListPage> {
  const { properties, ...query } = args;
  const [q, g] = await client.calls([
    [`${objectName}/query`, { ...query, calculateTotal: true }, 'q'],
    [`${objectName}/get`, { '#ids': { resultOf: 'q', name: `${objectName}/query`, path: '/ids' }, properties }, 'g'],
  ]);
  const query_ = q as unknown as QueryResponse;
  const get = g as unknown as GetResponse;
  const byId = new Map(get.list.map((r) => [r.id, r]));
  return {
    ids: query_.ids,
    total: query_.total,
    records: query_.ids.map((id) => byId.get(id)).filter((r): r is JmapRecord => !!r),
    state: get.state,
    queryState: query_.queryState,
    limit: query_.limit,
  };
}

export function listQueryOptions(client: JmapClient, objectName: string, args: ListArgs) {
  return queryOptions({
    queryKey: keys.list(objectName, args as unknown as Record<string, unknown>),
    queryFn: () => fetchList(client, objectName, args),
    staleTime: 15_000,
  });
}

export interface RecordWithState {
  record: JmapRecord | undefined;
  state?: string;
}

export function recordQueryOptions(client: JmapClient, objectName: string, id: string) {
  return queryOptions({
    queryKey: keys.record(objectName, id),
    queryFn: async (): Promise<RecordWithState> => {
      const r = await client.call<GetResponse>(`${objectName}/get`, { ids: [id] });
      return { record: r.list[0], state: r.state };
    },
    staleTime: 5_000,
  });
}

/** Several records by id (e.g. labels of referenced records), batched with the rest of the tick. */
export function recordsQueryOptions(client: JmapClient, objectName: string, ids: string[], properties?: string[]) {
  return queryOptions({
    queryKey: keys.records(objectName, ids, properties),
    queryFn: async () => {
      if (ids.length === 0) return [] as JmapRecord[];
      const r = await client.call<GetResponse>(`${objectName}/get`, properties ? { ids, properties } : { ids });
      return r.list;
    },
    staleTime: 30_000,
  });
}
