// One write over records a list page chose (a removal, a property set on them): the ids
// (ticked, or every one the filter matches), the writes in batches of the server's
// maxObjectsInSet with progress, a notice that goes away, refusals that stay on the page
// (and what was not tried when a request failed), and the list read again.

import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { JmapClient } from '../jmap/client';
import { useClient } from '../jmap/context';
import { invalidateObject } from '../jmap/mutations';
import type { SetError } from '../jmap/types';
import { useToast } from '../lib/toast';
import { formatNumber } from '../i18n/format';
import { batchLimits, writeInBatches } from './batches';

export interface WriteFailure {
  /** The record refused, or '' when the whole request failed. */
  id: string;
  error: SetError;
}

/** Ids ticked on the page, or every record the filter matches (`count` of them when asked). */
export type Targets = string[] | { matching: number; resolve: (pageSize: number) => Promise<string[]> };

export function countOf(targets: Targets): number {
  return Array.isArray(targets) ? targets.length : targets.matching;
}

export interface Progress { done: number; total: number }

export function useBulkWrite(objectName: string, onDone: () => void) {
  const { t } = useTranslation('lists');
  const client = useClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [failures, setFailures] = useState<WriteFailure[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);

  /** Runs `write` on the targets, batch by batch; `notice` words what was done (null: say nothing). */
  async function run(
    targets: Targets,
    write: (client: JmapClient, batch: string[]) => Promise<Record<string, SetError>>,
    notice: (done: number, ids: string[]) => string | null,
  ) {
    setFailures([]);
    setProgress({ done: 0, total: countOf(targets) });
    try {
      const limits = await batchLimits(client);
      const ids = Array.isArray(targets) ? targets : await targets.resolve(limits.pageSize);
      const result = await writeInBatches(ids, limits.setSize, (batch) => write(client, batch), (done, total) => setProgress({ done, total }));
      const failed: WriteFailure[] = Object.entries(result.refused).map(([id, error]) => ({ id, error }));
      if (result.stopped) {
        const { error, notTried } = result.stopped;
        failed.push({ id: '', error: { type: 'serverFail', description: t('bulk.stopped', { error: error.message, left: formatNumber(notTried.length), total: formatNumber(ids.length) }) } });
      }
      setFailures(failed);
      const words = notice(result.done, ids);
      if (words) toast(words);
      onDone();
      await invalidateObject(queryClient, objectName);
    } catch (e) {
      setFailures([{ id: '', error: { type: 'serverFail', description: (e as Error).message } }]);
    } finally {
      setProgress(null);
    }
  }

  /**
   * Before asking: every record the filter matches is read now, so the question names the
   * real count (built-in records left out) and the write then changes exactly those.
   */
  async function settle(targets: Targets, then: (settled: Targets) => void) {
    if (Array.isArray(targets)) return then(targets);
    setFailures([]);
    setProgress({ done: 0, total: targets.matching });
    try {
      const ids = await targets.resolve((await batchLimits(client)).pageSize);
      then({ matching: ids.length, resolve: () => Promise.resolve(ids) });
    } catch (e) {
      setFailures([{ id: '', error: { type: 'serverFail', description: (e as Error).message } }]);
    } finally {
      setProgress(null);
    }
  }

  return { failures, progress, run, settle };
}
