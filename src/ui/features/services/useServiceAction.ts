// One service's actions: what the person asked for (confirmed first when it interrupts
// mail clients), the x:ServiceAction record it became, and its progress until done.

import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeSetError } from '../../forms/setErrors';
import { useClient } from '../../jmap/context';
import { invalidateObject } from '../../jmap/mutations';
import { SetRecordError, type JmapRecord } from '../../jmap/types';
import { whereWords, type ServiceActionType } from './format';
import { actionQueryOptions, isFinished, requestAction, SERVICE, type ActionRequest } from './queries';

interface Running {
  id: string;
  req: ActionRequest;
  where: string;
}

export function useServiceAction(service: JmapRecord, nodes: JmapRecord[], thisNodeName: string) {
  const { t } = useTranslation('services');
  const client = useClient();
  const queryClient = useQueryClient();
  const [allNodes, setAllNodes] = useState(false);
  const [confirm, setConfirm] = useState<{ req: ActionRequest; where: string } | null>(null);
  const [running, setRunning] = useState<Running | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const action = useQuery({ ...actionQueryOptions(client, running?.id ?? ''), enabled: !!running });
  const finished = isFinished(action.data);
  const busy = !!running && !finished && !action.isError;

  useEffect(() => {
    if (finished) void invalidateObject(queryClient, SERVICE);
  }, [finished, queryClient]);

  const whereOf = (req: ActionRequest) =>
    whereWords(req.allNodes, req.nodeId ? String(nodes.find((n) => n.id === req.nodeId)?.hostname ?? req.nodeId) : thisNodeName);

  async function run(req: ActionRequest) {
    setConfirm(null);
    setRequestError(null);
    try {
      const id = await requestAction(client, req);
      setRunning({ id, req, where: whereOf(req) });
    } catch (e) {
      setRequestError(e instanceof SetRecordError ? describeSetError(e.error, t('actionNoun')).summary : (e as Error).message);
    }
  }

  /** Stop and restart interrupt mail clients: they are confirmed first. */
  function ask(type: ServiceActionType, nodeId: string | null = null) {
    const req: ActionRequest = { serviceId: service.id, action: type, nodeId, allNodes: nodeId ? false : allNodes };
    if (type === 'stop' || type === 'restart') setConfirm({ req, where: whereOf(req) });
    else void run(req);
  }

  return {
    allNodes, setAllNodes, confirm, cancel: () => setConfirm(null), run, ask,
    running, action, finished, busy, requestError,
  };
}
