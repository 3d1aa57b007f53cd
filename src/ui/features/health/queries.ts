// What the overview reads, each only when the schema as served has the type: the health
// checks, the tasks at work, and the size of the mail queue. Keys sit under each type's
// prefix, so push (and the console's own writes) refresh them like any list.

import { queryOptions } from '@tanstack/react-query';
import type { JmapClient } from '../../jmap/client';
import { keys } from '../../jmap/keys';
import type { GetResponse, JmapRecord, QueryResponse } from '../../jmap/types';
import { TASK } from '../tasks/model';

export const HEALTH = 'x:HealthCheck';
export const QUEUE = 'x:QueuedMessage';

/** Every check; measured by the server, so read again every few seconds too. */
export function healthQueryOptions(client: JmapClient) {
  return queryOptions({
    queryKey: keys.all(HEALTH),
    queryFn: async () => {
      const r = await client.call<GetResponse>(`${HEALTH}/get`, { ids: null });
      return { list: r.list, state: r.state };
    },
    refetchInterval: 5000,
    staleTime: 0,
  });
}

export interface ActiveTasks {
  /** Running, or stopping after a cancel. */
  running: JmapRecord[];
  /** How many wait their turn. */
  waiting: number;
}

const SHOWN = 5;

/** The tasks at work and the number waiting, in one request (`statuses`: the variants the server has). */
export function activeTasksQueryOptions(client: JmapClient, statuses: { running: string[]; waiting?: string }) {
  return queryOptions({
    queryKey: keys.derived(TASK, 'active', statuses),
    queryFn: async (): Promise<ActiveTasks> => {
      const running = await Promise.all(
        statuses.running.map(async (status) => {
          const [, g] = await client.calls([
            [`${TASK}/query`, { filter: { status }, limit: SHOWN }, 'q'],
            [`${TASK}/get`, { '#ids': { resultOf: 'q', name: `${TASK}/query`, path: '/ids' } }, 'g'],
          ]);
          return (g as unknown as GetResponse).list;
        }),
      );
      let waiting = 0;
      if (statuses.waiting) {
        const q = await client.call<QueryResponse>(`${TASK}/query`, { filter: { status: statuses.waiting }, limit: 1, calculateTotal: true });
        waiting = q.total ?? q.ids.length;
      }
      return { running: running.flat(), waiting };
    },
    refetchInterval: 5000,
  });
}

/** How many messages wait in the queue (the server counts them: /query with calculateTotal). */
export function queueSizeQueryOptions(client: JmapClient) {
  return queryOptions({
    queryKey: keys.derived(QUEUE, 'size', null),
    queryFn: async () => {
      const q = await client.call<QueryResponse>(`${QUEUE}/query`, { limit: 1, calculateTotal: true });
      return q.total ?? null;
    },
    refetchInterval: 10_000,
  });
}
