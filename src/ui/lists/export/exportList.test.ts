import { describe, expect, it } from 'vitest';
import type { JmapClient } from '../../jmap/client';
import type { Invocation } from '../../jmap/types';
import { exportCsv, exportFileName } from './exportList';

/** 5 records answered by /query and /get through the result reference, as a server does. */
function fakeClient(maxLimit = Infinity, changeAfterFirst = false) {
  const records = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, address: `10.0.0.${i}`, reason: i === 2 ? '=cmd, "x"' : `r ${i}`, secret: 's', count: i * 1000 }));
  const seen: Invocation[] = [];
  let queryState = 'q1';
  const calls = (invocations: Invocation[]) => {
    seen.push(...invocations);
    let ids: string[] = [];
    return Promise.resolve(invocations.map(([name, args]) => {
      if (name.endsWith('/query')) {
        const pos = Number(args.position);
        const limit = Math.min(Number(args.limit), maxLimit);
        ids = records.slice(pos, pos + limit).map((r) => r.id);
        const answer = { ids, position: pos, total: records.length, limit, queryState };
        // Someone removes the first record while the export runs: every later one moves up by one.
        if (changeAfterFirst && queryState === 'q1') {
          records.shift();
          queryState = 'q2';
        }
        return answer;
      }
      const props = args.properties as string[];
      return { list: records.filter((r) => ids.includes(r.id)).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => props.includes(k)))) };
    }));
  };
  return { client: { calls } as unknown as JmapClient, seen };
}

describe('exportCsv', () => {
  it('pages through the filter and writes a header and one row per record', async () => {
    const { client, seen } = fakeClient();
    const progress: [number, number | undefined][] = [];
    const { chunks, rows } = await exportCsv(client, {
      objectName: 'x:AllowedIp', filter: { address: '10.' }, sort: { property: 'address', isAscending: true },
      columns: [{ name: 'address', label: 'Address' }, { name: 'reason', label: 'Reason, why' }, { name: 'count', label: 'Count', type: { type: 'number' } }],
    }, { pageSize: 2, onProgress: (n, total) => progress.push([n, total]) });
    expect(rows).toBe(5);
    expect(chunks.join('')).toBe(
      '\uFEFFAddress,"Reason, why",Count\r\n10.0.0.0,r 0,0\r\n10.0.0.1,r 1,1000\r\n10.0.0.2,"\'=cmd, ""x""",2000\r\n10.0.0.3,r 3,3000\r\n10.0.0.4,r 4,4000\r\n',
    );
    expect(progress).toEqual([[2, 5], [4, 5], [5, 5]]);
    const queries = seen.filter(([n]) => n.endsWith('/query')).map(([, a]) => a);
    expect(queries.map((a) => a.position)).toEqual([0, 2, 4]);
    expect(queries.every((a) => (a.filter as { address: string }).address === '10.' && a.limit === 2)).toBe(true);
    // Only the exported columns are read: the secret never leaves the server.
    expect(seen.filter(([n]) => n.endsWith('/get')).every(([, a]) => !(a.properties as string[]).includes('secret'))).toBe(true);
  });

  it('reads every page when the server clamps the limit below the page size', async () => {
    const { client } = fakeClient(2);
    const { rows } = await exportCsv(client, { objectName: 'x:T', columns: [{ name: 'address', label: 'A' }] }, { pageSize: 3 });
    expect(rows).toBe(5);
  });

  it('says when the list changed while it was read, and writes no record twice', async () => {
    const { client } = fakeClient(Infinity, true);
    const { chunks, rows, changed } = await exportCsv(client, { objectName: 'x:T', columns: [{ name: 'address', label: 'A' }] }, { pageSize: 2 });
    expect(changed).toBe(true);
    const lines = chunks.join('').split('\r\n').filter(Boolean).slice(1);
    expect(new Set(lines).size).toBe(lines.length);
    expect(rows).toBe(lines.length);
  });

  it('stops when cancelled', async () => {
    const { client } = fakeClient();
    const abort = new AbortController();
    const run = exportCsv(client, { objectName: 'x:T', columns: [{ name: 'address', label: 'A' }] }, { pageSize: 2, signal: abort.signal, onProgress: () => abort.abort() });
    await expect(run).rejects.toThrow();
  });

  it('names the file after the type and the day', () => {
    expect(exportFileName('x:AllowedIp', new Date('2030-01-02T23:00:00Z'))).toBe('AllowedIp-2030-01-02.csv');
    expect(exportFileName('x:Account/User', new Date('2030-01-02T00:00:00Z'))).toBe('Account-User-2030-01-02.csv');
  });
});
