// One write over records a list page chose (a removal, a property set on them): the call,
// a notice that goes away, refusals that stay on the page, and the list read again.

import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { JmapClient } from '../jmap/client';
import { useClient } from '../jmap/context';
import { invalidateObject } from '../jmap/mutations';
import type { SetError } from '../jmap/types';
import { useToast } from '../lib/toast';

export interface WriteFailure {
  /** The record refused, or '' when the whole request failed. */
  id: string;
  error: SetError;
}

export function useBulkWrite(objectName: string, onDone: () => void) {
  const client = useClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [failures, setFailures] = useState<WriteFailure[]>([]);

  /** Runs `write` on `ids`; `notice` words what was done (null: say nothing). */
  async function run(ids: string[], write: (client: JmapClient) => Promise<Record<string, SetError>>, notice: (done: number) => string | null) {
    setFailures([]);
    try {
      const refused = await write(client);
      const failed = Object.entries(refused).map(([id, error]) => ({ id, error }));
      setFailures(failed);
      const words = notice(ids.length - failed.length);
      if (words) toast(words);
      onDone();
      await invalidateObject(queryClient, objectName);
    } catch (e) {
      setFailures([{ id: '', error: { type: 'serverFail', description: (e as Error).message } }]);
    }
  }

  return { failures, run };
}
