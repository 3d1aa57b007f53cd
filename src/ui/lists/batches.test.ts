import { describe, expect, it } from 'vitest';
import type { Invocation, SetError } from '../jmap/types';
import { allMatchingIds, batchLimits, chunk, writeInBatches } from './batches';

/** A server of `n` records (`r0`…), every fourth one built in; it answers /query and /get. */
function fakeServer(n: number, maxLimit = Infinity) {
  const seen: Invocation[] = [];
  const all = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, builtIn: i % 4 === 0 }));
  const calls = (invocations: Invocation[]): Promise<Record<string, unknown>[]> => {
    seen.push(...invocations);
    let ids: string[] = [];
    return Promise.resolve(invocations.map(([name, args]) => {
      if (name.endsWith('/query')) {
        const pos = Number(args.position);
        // A server may clamp the limit to its own maximum (RFC 8620 §5.5) and say so.
        const limit = Math.min(Number(args.limit), maxLimit);
        ids = all.slice(pos, pos + limit).map((r) => r.id);
        return { ids, position: pos, total: all.length, limit };
      }
      return { list: all.filter((r) => ids.includes(r.id)) };
    }));
  };
  return { client: { calls }, seen };
}

describe('allMatchingIds', () => {
  it('pages through /query until the total is reached', async () => {
    const { client, seen } = fakeServer(7);
    expect(await allMatchingIds(client, 'x:T', { filter: { a: 1 } }, 3)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(seen.map(([, a]) => a.position)).toEqual([0, 3, 6]);
    expect(seen.every(([, a]) => (a.filter as { a: number }).a === 1 && a.limit === 3)).toBe(true);
  });

  it('stops on an exact last page and skips built-in records', async () => {
    const { client, seen } = fakeServer(6);
    expect(await allMatchingIds(client, 'x:T', { skip: 'builtIn' }, 3)).toEqual(['r1', 'r2', 'r3', 'r5']);
    expect(seen.filter(([n]) => n === 'x:T/query')).toHaveLength(2);
  });

  it('reads every id when the server clamps the limit below the page size', async () => {
    const { client, seen } = fakeServer(7, 2);
    expect(await allMatchingIds(client, 'x:T', {}, 3)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(seen.map(([, a]) => a.position)).toEqual([0, 2, 4, 6]);
  });

  it('gives up when aborted', async () => {
    const { client } = fakeServer(6);
    const abort = new AbortController();
    abort.abort();
    await expect(allMatchingIds(client, 'x:T', {}, 3, abort.signal)).rejects.toThrow();
  });
});

describe('writeInBatches', () => {
  it('writes in batches of the given size with progress, collecting refusals', async () => {
    const batches: string[][] = [];
    const progress: number[] = [];
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const result = await writeInBatches(ids, 2, (batch) => {
      batches.push(batch);
      const refused: Record<string, SetError> = batch.includes('c') ? { c: { type: 'forbidden' } } : {};
      return Promise.resolve(refused);
    }, (done) => progress.push(done));
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(progress).toEqual([0, 2, 4, 5]);
    expect(result).toEqual({ refused: { c: { type: 'forbidden' } }, done: 4 });
  });

  it('stops at a failed request and names what was not tried', async () => {
    let n = 0;
    const result = await writeInBatches(['a', 'b', 'c', 'd', 'e'], 2, () => (++n === 2 ? Promise.reject(new Error('offline')) : Promise.resolve({})));
    expect(result.done).toBe(2);
    expect(result.stopped?.error.message).toBe('offline');
    expect(result.stopped?.notTried).toEqual(['c', 'd', 'e']);
  });
});

describe('limits', () => {
  it('reads the session, with defaults', async () => {
    const session = (core: Record<string, unknown>) => ({ session: () => Promise.resolve({ capabilities: { 'urn:ietf:params:jmap:core': core } } as never) });
    expect(await batchLimits(session({ maxObjectsInGet: 1000, maxObjectsInSet: 250 }))).toEqual({ pageSize: 1000, setSize: 250 });
    expect(await batchLimits(session({}))).toEqual({ pageSize: 500, setSize: 500 });
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });
});
