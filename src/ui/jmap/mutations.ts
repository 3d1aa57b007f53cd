// Everything the console writes over JMAP: create, the one save of an edited record
// (conditional on the state it was read at), destroy, and what each refreshes after.

import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { deepEqual } from '../../shared/equal';
import { i18n } from '../i18n/i18n';
import type { JmapClient } from './client';
import { useClient } from './context';
import { keys, type QueryKey } from './keys';
import type { RecordWithState } from './queries';
import {
  MethodError, SetRecordError, type ChangesResponse, type GetResponse, type JmapRecord, type SetError, type SetResponse,
} from './types';

/** Raised when someone else changed or deleted the record since it was loaded. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(readonly destroyed: boolean) {
    super(i18n.t(destroyed ? 'app:errors.deletedElsewhere' : 'app:errors.changedElsewhere'));
  }
}

function firstFailure(map: Record<string, SetError> | null | undefined): [string, SetError] | undefined {
  return map ? Object.entries(map)[0] : undefined;
}

async function set(client: JmapClient, objectName: string, args: Record<string, unknown>): Promise<SetResponse> {
  return client.call<SetResponse>(`${objectName}/set`, args);
}

/** Creates one record; resolves with it as sent plus what the server set, and the new state. */
export async function createRecord(client: JmapClient, objectName: string, value: Record<string, unknown>): Promise<JmapRecord> {
  return (await create(client, objectName, value)).record;
}

async function create(client: JmapClient, objectName: string, value: Record<string, unknown>): Promise<{ record: JmapRecord; state?: string }> {
  const r = await set(client, objectName, { create: { new1: value } });
  const failed = firstFailure(r.notCreated);
  if (failed) throw new SetRecordError(failed[1], failed[0]);
  const created = r.created?.new1;
  if (!created) throw new Error(i18n.t('app:errors.notConfirmed'));
  return { record: { ...value, ...created } as JmapRecord, state: r.newState };
}

/**
 * The update and a read of the record in one request: the server's own version of what
 * was saved (canonical values, computed fields, secrets blanked) with the state it is at.
 */
async function updateAndRead(client: JmapClient, objectName: string, id: string, args: Record<string, unknown>) {
  const [s, g] = await client.calls([
    [`${objectName}/set`, args, 's'],
    [`${objectName}/get`, { ids: [id] }, 'g'],
  ]);
  const read = g as unknown as GetResponse;
  return { r: s as unknown as SetResponse, record: read.list[0], state: read.state };
}

/**
 * Updates one record. When the edited version was read at a `state`, the update is
 * conditional; on a mismatch, /changes tells whether this very record changed (a real
 * conflict) or only others of its type did (then the update is retried). Resolves with
 * the record as the server now has it and the state it was read at.
 */
export async function updateRecord(
  client: JmapClient, objectName: string, id: string, patch: Record<string, unknown>, state?: string,
): Promise<{ record?: JmapRecord; state?: string }> {
  let done: Awaited<ReturnType<typeof updateAndRead>>;
  try {
    done = await updateAndRead(client, objectName, id, state ? { ifInState: state, update: { [id]: patch } } : { update: { [id]: patch } });
  } catch (e) {
    if (!(e instanceof MethodError && e.type === 'stateMismatch' && state)) throw e;
    const changes = await client
      .call<ChangesResponse>(`${objectName}/changes`, { sinceState: state })
      .catch(() => null);
    if (!changes || changes.hasMoreChanges || changes.updated.includes(id) || changes.destroyed.includes(id)) {
      throw new ConflictError(!!changes?.destroyed.includes(id));
    }
    done = await updateAndRead(client, objectName, id, { update: { [id]: patch } });
  }
  const failed = firstFailure(done.r.notUpdated);
  if (failed) throw new SetRecordError(failed[1], failed[0]);
  return { record: done.record, state: done.state };
}

/** Destroys records; resolves with the per-record refusals (empty when all went). */
export async function destroyRecords(client: JmapClient, objectName: string, ids: string[]): Promise<Record<string, SetError>> {
  const r = await set(client, objectName, { destroy: ids });
  return r.notDestroyed ?? {};
}

/**
 * Applies one patch to each record (a list's "Retry now": one property set to one value);
 * resolves with the per-record refusals (empty when all took). It names no state: setting
 * a property to a given value does not depend on what else changed meanwhile.
 */
export async function patchRecords(client: JmapClient, objectName: string, ids: string[], patch: Record<string, unknown>): Promise<Record<string, SetError>> {
  const r = await set(client, objectName, { update: Object.fromEntries(ids.map((id) => [id, patch])) });
  return r.notUpdated ?? {};
}

/** Marks every query about an object type stale (active ones refetch), except one the caller just wrote. */
export function invalidateObject(queryClient: QueryClient, objectName: string, except?: QueryKey): Promise<void> {
  return queryClient.invalidateQueries({
    queryKey: keys.object(objectName),
    predicate: except ? (q) => !deepEqual(q.queryKey, except) : undefined,
  });
}

export type Save =
  | { kind: 'create'; value: Record<string, unknown> }
  | {
      kind: 'update';
      id: string;
      /** What changed, against the version that was edited. */
      patch: Record<string, unknown>;
      /** The whole record as the form holds it after the edit. */
      values: Record<string, unknown>;
      /** The state the edited version was read at: the update applies only over it. */
      state?: string;
    };

/**
 * The one save of a record. After an update the cache holds the record as the server
 * read it back in the same request, with its state, so neither this save nor the push it
 * causes fetches it again; the type's other queries (lists, labels) are refreshed.
 */
export async function saveRecord(client: JmapClient, queryClient: QueryClient, objectName: string, save: Save): Promise<RecordWithState & { record: JmapRecord }> {
  if (save.kind === 'create') {
    const created = await create(client, objectName, save.value);
    await invalidateObject(queryClient, objectName);
    return created;
  }
  const read = await updateRecord(client, objectName, save.id, save.patch, save.state);
  const record = read.record ?? ({ ...save.values, id: save.id } as JmapRecord);
  const key = keys.record(objectName, save.id);
  if (!read.record) {
    await invalidateObject(queryClient, objectName);
    return { record };
  }
  queryClient.setQueryData<RecordWithState>(key, { record, state: read.state });
  await invalidateObject(queryClient, objectName, key);
  return { record, state: read.state };
}

export function useSaveRecord(objectName: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (save: Save) => saveRecord(client, queryClient, objectName, save) });
}
