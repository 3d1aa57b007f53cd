// Fetchers, query options and hooks for everything the console reads or writes over
// JMAP and the schema/account endpoints. Components use these, never the client directly.

import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { SchemaDocument } from '../../shared/schema/types';
import type { JmapClient } from './client';
import { keys } from './keys';
import {
  MethodError, SetRecordError,
  type ChangesResponse, type GetResponse, type JmapRecord, type QueryResponse, type SetError, type SetResponse,
} from './types';
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

/** Raised when someone else changed or deleted the record since it was loaded. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(readonly destroyed: boolean) {
    super(destroyed ? 'This record was deleted by someone else.' : 'This record was changed by someone else since you opened it.');
  }
}

function firstFailure(map: Record<string, SetError> | null | undefined): [string, SetError] | undefined {
  return map ? Object.entries(map)[0] : undefined;
}

async function set(client: JmapClient, objectName: string, args: Record<string, unknown>): Promise<SetResponse> {
  return client.call<SetResponse>(`${objectName}/set`, args);
}

export async function createRecord(client: JmapClient, objectName: string, value: Record<string, unknown>): Promise<JmapRecord> {
  const r = await set(client, objectName, { create: { new1: value } });
  const failed = firstFailure(r.notCreated);
  if (failed) throw new SetRecordError(failed[1], failed[0]);
  const created = r.created?.new1;
  if (!created) throw new Error('The server did not confirm the creation');
  return { ...value, ...created } as JmapRecord;
}

/**
 * Updates one record. When the record was loaded with a `state`, the update is
 * conditional; on a mismatch, /changes tells whether this very record changed (a real
 * conflict) or only others of its type did (then the update is retried).
 */
export async function updateRecord(
  client: JmapClient, objectName: string, id: string, patch: Record<string, unknown>, state?: string,
): Promise<Record<string, unknown> | null> {
  let r: SetResponse;
  try {
    r = await set(client, objectName, state ? { ifInState: state, update: { [id]: patch } } : { update: { [id]: patch } });
  } catch (e) {
    if (!(e instanceof MethodError && e.type === 'stateMismatch' && state)) throw e;
    const changes = await client
      .call<ChangesResponse>(`${objectName}/changes`, { sinceState: state })
      .catch(() => null);
    if (!changes || changes.hasMoreChanges || changes.updated.includes(id) || changes.destroyed.includes(id)) {
      throw new ConflictError(!!changes?.destroyed.includes(id));
    }
    r = await set(client, objectName, { update: { [id]: patch } });
  }
  const failed = firstFailure(r.notUpdated);
  if (failed) throw new SetRecordError(failed[1], failed[0]);
  return r.updated?.[id] ?? null;
}

/** Destroys records; resolves with the per-record refusals (empty when all went). */
export async function destroyRecords(client: JmapClient, objectName: string, ids: string[]): Promise<Record<string, SetError>> {
  const r = await set(client, objectName, { destroy: ids });
  return r.notDestroyed ?? {};
}

/** Object types whose changes can change what the signed-in person may do. */
export const AFFECTS_PERMISSIONS = new Set(['x:Role', 'x:Account']);

export function invalidateObject(queryClient: QueryClient, objectName: string): Promise<void> {
  const base = objectName.split('/').slice(0, 2).join('/');
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: keys.object(objectName) }),
    AFFECTS_PERMISSIONS.has(base) ? queryClient.invalidateQueries({ queryKey: keys.account }) : undefined,
  ]).then(() => undefined);
}
