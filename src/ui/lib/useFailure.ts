// The failure a page shows for a query. TanStack Query puts a query that has no data back
// to "pending" whenever it fetches again (a retry, a push about its type, the window
// regaining focus), which would swap the explanation and its Try again for a spinner, and
// back, for as long as the server is away. The last failure stays shown until a fetch succeeds.

import { useState } from 'react';

interface QueryLike {
  error: unknown;
  isError: boolean;
  isSuccess: boolean;
  isFetching: boolean;
}

export interface Failure {
  /** What to explain, or undefined when the query has not failed since it last succeeded. */
  error: unknown;
  /** The query is trying again while the failure is shown. */
  retrying: boolean;
}

export function useFailure(query: QueryLike): Failure {
  const [last, setLast] = useState<{ error: unknown } | null>(null);
  // Derived state, adjusted while rendering (React's documented pattern for it).
  if (query.isError && last?.error !== query.error) setLast({ error: query.error });
  if (query.isSuccess && last) setLast(null);
  const error = query.isError ? query.error : last?.error;
  return { error, retrying: error !== undefined && query.isFetching };
}
