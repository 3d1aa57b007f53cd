// Work over every record a filter matches, not one page: the ids paged through /query,
// writes cut into batches the server accepts (maxObjectsInSet), progress as they go.

import type { JmapClient } from '../jmap/client';
import type { GetResponse, QueryResponse, SetError } from '../jmap/types';
import type { Filter, Sort } from './listState';

type Calls = Pick<JmapClient, 'calls'>;

export interface BatchLimits {
  /** How many ids one /query page and one /get may carry. */
  pageSize: number;
  /** How many records one /set may change. */
  setSize: number;
}

/** The session's own limits (RFC 8620 §2), with the RFC's suggested minimums when a server is silent. */
export async function batchLimits(client: Pick<JmapClient, 'session'>): Promise<BatchLimits> {
  const core = (await client.session()).capabilities['urn:ietf:params:jmap:core'] ?? {};
  return { pageSize: Number(core.maxObjectsInGet) || 500, setSize: Number(core.maxObjectsInSet) || 500 };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

export interface Matching {
  filter?: Filter;
  sort?: Sort;
  /** Records whose flag is true are skipped (the schema's builtInProperty: they cannot be removed). */
  skip?: string;
}

/**
 * Whether a paged read is over after a page of `got` ids from `position`, `asked` for: the
 * total is reached, the page is empty, or (no total) the page came short of what the server
 * would give (a server may clamp the limit and say so, RFC 8620 §5.5: not the end then).
 */
export function lastPage(position: number, got: number, asked: number, total: number | undefined, clampedTo?: number): boolean {
  if (got === 0) return true;
  if (total !== undefined) return position + got >= total;
  return got < Math.min(asked, clampedTo ?? asked);
}

/**
 * Every id the filter matches, in pages of `pageSize` (position-based, the list's own sort),
 * each page starting where the last one ended (a server may give fewer than asked). An id
 * seen twice (the list changed in between) is kept once.
 */
export async function allMatchingIds(client: Calls, objectName: string, matching: Matching, pageSize: number, signal?: AbortSignal): Promise<string[]> {
  const ids = new Set<string>();
  for (let position = 0; ; ) {
    signal?.throwIfAborted();
    const query = { filter: matching.filter, sort: matching.sort ? [matching.sort] : undefined, position, limit: pageSize, calculateTotal: true };
    const calls: Parameters<JmapClient['calls']>[0] = [[`${objectName}/query`, query, 'q']];
    if (matching.skip) calls.push([`${objectName}/get`, { '#ids': { resultOf: 'q', name: `${objectName}/query`, path: '/ids' }, properties: ['id', matching.skip] }, 'g']);
    const [q, g] = await client.calls(calls);
    const answer = q as unknown as QueryResponse;
    const page = answer.ids;
    const skipped = new Set(matching.skip ? (g as unknown as GetResponse).list.filter((r) => r[matching.skip!] === true).map((r) => r.id) : []);
    for (const id of page) if (!skipped.has(id)) ids.add(id);
    if (lastPage(position, page.length, pageSize, answer.total, answer.limit)) return [...ids];
    position += page.length;
  }
}

export interface BatchResult {
  /** Records the server refused, with its reasons. */
  refused: Record<string, SetError>;
  /** How many were written. */
  done: number;
  /** When a request failed as a whole: its error, and the ids of it and every later batch (not written). */
  stopped?: { error: Error; notTried: string[] };
}

/**
 * Writes `ids` in batches of `size`, one request after the other, reporting progress after
 * each; a request that fails as a whole stops the run, and the result says what was left.
 */
export async function writeInBatches(
  ids: readonly string[], size: number,
  write: (batch: string[]) => Promise<Record<string, SetError>>,
  onProgress?: (written: number, total: number) => void,
): Promise<BatchResult> {
  const refused: Record<string, SetError> = {};
  let written = 0;
  onProgress?.(0, ids.length);
  for (const batch of chunk(ids, size)) {
    try {
      Object.assign(refused, await write(batch));
    } catch (e) {
      return { refused, done: written - Object.keys(refused).length, stopped: { error: e instanceof Error ? e : new Error(String(e)), notTried: ids.slice(written) } };
    }
    written += batch.length;
    onProgress?.(written, ids.length);
  }
  return { refused, done: written - Object.keys(refused).length };
}
