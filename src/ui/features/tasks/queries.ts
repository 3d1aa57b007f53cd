// Server calls of the Tasks page: starting a task (creating its x:Task record, the only
// way to start one) and cancelling one (its status set to CancelRequested). Reads go
// through the console's list and record queries, which push keeps live.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeSetError } from '../../forms/setErrors';
import { i18n } from '../../i18n/i18n';
import { useClient } from '../../jmap/context';
import { createRecord, invalidateObject, patchRecords } from '../../jmap/mutations';
import { SetRecordError } from '../../jmap/types';
import { TASK } from './model';

/** A refusal in words a person can act on. */
export function refusalWords(e: unknown): string {
  if (e instanceof SetRecordError) return describeSetError(e.error, i18n.t('tasks:noun')).summary;
  return e instanceof Error ? e.message : String(e);
}

/** Creates the task; resolves with its id. */
export function useStartTask() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (value: Record<string, unknown>) => (await createRecord(client, TASK, value)).id,
    onSuccess: () => invalidateObject(queryClient, TASK),
  });
}

/** Asks the server to cancel the task: at once while it waits, at its next safe point while it runs. */
export function useCancelTask() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const refused = await patchRecords(client, TASK, [id], { status: { '@type': 'CancelRequested' } });
      if (refused[id]) throw new SetRecordError(refused[id], id);
    },
    onSettled: () => invalidateObject(queryClient, TASK),
  });
}
