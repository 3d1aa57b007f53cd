// Live lists and forms: when the server pushes a StateChange for a data type, every
// cached query about that type (and its views) is refetched, unless it already holds
// that state (the console's own save wrote it). Servers without push for these types
// (a real Stalwart) just leave the console as it is: queries still refresh after the
// console's own changes.

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useClient } from './context';
import { HttpError } from './types';
import { isAbout, type QueryKey } from './keys';

const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/** Whether a cached query must be refetched after push announced `changes` (type → new state). */
export function outdatedBy(changes: Record<string, string>, key: QueryKey, data: unknown): boolean {
  const type = Object.keys(changes).find((t) => isAbout(key, [t]));
  if (type === undefined) return false;
  // Records and list pages carry the state they were read at.
  const held = data && typeof data === 'object' && 'state' in data ? data.state : undefined;
  return held !== changes[type];
}

export function useLiveUpdates(): void {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const abort = new AbortController();
    let pending: Record<string, string> = {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Changes arrive in bursts (a /set of 50 records): refetch once per burst.
    const onChange = (changes: Record<string, string>) => {
      pending = { ...pending, ...changes };
      clearTimeout(timer);
      timer = setTimeout(() => {
        const changed = pending;
        pending = {};
        void queryClient.invalidateQueries({ predicate: (q) => outdatedBy(changed, q.queryKey, q.state.data) });
      }, 150);
    };
    void (async () => {
      const session = await client.session().catch(() => null);
      if (!session?.eventSourceUrl) return;
      for (let attempt = 0; !abort.signal.aborted; attempt++) {
        const opened = Date.now();
        try {
          await client.watch(onChange, abort.signal);
        } catch (e) {
          if (abort.signal.aborted) return;
          // No push here (404, not an event stream): stop trying. A 401 is a token about to
          // be refreshed by the console's other requests: try again later.
          if (e instanceof HttpError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 429) return;
        }
        if (Date.now() - opened > 60_000) attempt = 0;
        await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    })();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [client, queryClient]);
}
