// Server calls of the service page: the x:Service records and nodes (polled, since
// status is measured continuously), and x:ServiceAction records created and followed.

import { queryOptions } from '@tanstack/react-query';
import type { JmapClient } from '../../jmap/client';
import { keys } from '../../jmap/keys';
import { createRecord } from '../../jmap/mutations';
import type { GetResponse, JmapRecord } from '../../jmap/types';
import type { ServiceActionType } from './format';

export const SERVICE = 'x:Service';
export const SERVICE_ACTION = 'x:ServiceAction';
export const NODE = 'x:ClusterNode';

export interface ActionRequest {
  serviceId: string;
  action: ServiceActionType;
  /** null: the node this server runs on. */
  nodeId: string | null;
  allNodes: boolean;
}

export const isFinished = (a: JmapRecord | undefined) => a?.state === 'done' || a?.state === 'failed';

/** Every service record; re-read every few seconds (faster while an action runs). */
export function servicesQueryOptions(client: JmapClient, busy: boolean) {
  return queryOptions({
    queryKey: keys.all(SERVICE),
    queryFn: async () => (await client.call<GetResponse>(`${SERVICE}/get`, { ids: null })).list,
    refetchInterval: busy ? 500 : 2000,
    staleTime: 0,
  });
}

export function nodesQueryOptions(client: JmapClient) {
  return queryOptions({
    queryKey: keys.all(NODE, ['hostname']),
    queryFn: async () => (await client.call<GetResponse>(`${NODE}/get`, { ids: null, properties: ['hostname'] })).list,
    staleTime: 30_000,
  });
}

/** One action record, re-read until it is done or failed. */
export function actionQueryOptions(client: JmapClient, id: string) {
  return queryOptions({
    queryKey: keys.record(SERVICE_ACTION, id),
    queryFn: async () => (await client.call<GetResponse>(`${SERVICE_ACTION}/get`, { ids: [id] })).list[0],
    refetchInterval: (q) => (isFinished(q.state.data) ? false : 400),
  });
}

/** Queues the action on the server; resolves with the action record's id. */
export async function requestAction(client: JmapClient, req: ActionRequest): Promise<string> {
  const created = await createRecord(client, SERVICE_ACTION, { ...req });
  return created.id;
}
