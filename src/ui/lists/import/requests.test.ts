import { describe, expect, it } from 'vitest';
import type { JmapClient } from '../../jmap/client';
import { HttpError, MethodError, type SetResponse } from '../../jmap/types';
import type { SchemaDocument } from '../../../shared/schema/types';
import { createAll, dryRun, lookUpNames, type Creatable } from './requests';

type Args = { create: Record<string, Record<string, unknown>>; validateOnly?: boolean };

/** A /set answerer: `answer` decides per request; every request's creation keys are kept. */
function fakeClient(answer: (args: Args, n: number) => Partial<SetResponse> | Error) {
  const sent: Args[] = [];
  const client = {
    call: async (_name: string, args: Args) => {
      sent.push(args);
      const r = answer(args, sent.length);
      if (r instanceof Error) throw r;
      return { accountId: 'a', created: null, notCreated: null, ...r };
    },
  } as unknown as JmapClient;
  return { client, sent };
}

const rows = (n: number): Creatable[] => Array.from({ length: n }, (_, i) => ({ key: `l${i + 2}`, value: { name: `u${i}` } }));
const allCreated = (args: Args) => ({ created: Object.fromEntries(Object.keys(args.create).map((k) => [k, { id: `id-${k}` }])) });
const quiet = { cancelled: () => false, onBatch: () => {} };

describe('import requests', () => {
  it('the dry run sends validateOnly in batches and collects the refusals', async () => {
    const { client, sent } = fakeClient((args) => ({ notCreated: 'l3' in args.create ? { l3: { type: 'invalidProperties', properties: ['name'] } } : null }));
    const verdicts = await dryRun(client, 'x:Account', rows(5), 2);
    expect(sent.map((a) => Object.keys(a.create))).toEqual([['l2', 'l3'], ['l4', 'l5'], ['l6']]);
    expect(sent.every((a) => a.validateOnly === true)).toBe(true);
    expect([...verdicts.keys()]).toEqual(['l3']);
  });

  it('creates in batches of the given size, never with validateOnly', async () => {
    const { client, sent } = fakeClient(allCreated);
    const out = await createAll(client, 'x:Account', rows(5), 2, quiet);
    expect(sent.map((a) => Object.keys(a.create).length)).toEqual([2, 2, 1]);
    expect(sent.some((a) => 'validateOnly' in a)).toBe(false);
    expect(out.created.size).toBe(5);
    expect(out.stopped).toBeUndefined();
  });

  it('rows refused as tooLarge go again, in batches no larger than the server took', async () => {
    // At most 2 creates per request, as with the server's passwords per request.
    const { client, sent } = fakeClient((args) => {
      const keys = Object.keys(args.create);
      return {
        created: Object.fromEntries(keys.slice(0, 2).map((k) => [k, { id: `id-${k}` }])),
        notCreated: keys.length > 2 ? Object.fromEntries(keys.slice(2).map((k) => [k, { type: 'tooLarge', description: 'At most 2' }])) : null,
      };
    });
    const out = await createAll(client, 'x:Account', rows(5), 10, quiet);
    expect(sent.map((a) => Object.keys(a.create))).toEqual([['l2', 'l3', 'l4', 'l5', 'l6'], ['l4', 'l5'], ['l6']]);
    expect(out.created.size).toBe(5);
    expect(out.failed.size).toBe(0);
  });

  it('a request without an answer leaves its rows unknown and the rest not tried', async () => {
    const { client } = fakeClient((args, n) => (n === 2 ? new TypeError('Failed to fetch') : allCreated(args)));
    const out = await createAll(client, 'x:Account', rows(5), 2, quiet);
    expect([...out.created.keys()]).toEqual(['l2', 'l3']);
    expect([...out.unknown]).toEqual(['l4', 'l5']);
    expect([...out.notTried]).toEqual(['l6']);
    expect(out.stopped?.kind).toBe('failed');
  });

  it('a request the server turned away as a whole (HTTP 4xx) created nothing: its rows failed, not unknown', async () => {
    const { client } = fakeClient((args, n) => (n === 2 ? new HttpError(413, { title: 'Request too large', detail: 'At most 1 MB per request' }) : allCreated(args)));
    const out = await createAll(client, 'x:Account', rows(5), 2, quiet);
    expect([...out.created.keys()]).toEqual(['l2', 'l3']);
    expect([...out.failed.keys()]).toEqual(['l4', 'l5']);
    expect(out.failed.get('l4')?.description).toBe('At most 1 MB per request');
    expect(out.unknown.size).toBe(0);
    expect([...out.notTried]).toEqual(['l6']);
    expect(out.stopped?.kind).toBe('refused');
  });

  it('a server error (HTTP 5xx) leaves its rows unknown', async () => {
    const { client } = fakeClient((args, n) => (n === 1 ? new HttpError(502) : allCreated(args)));
    const out = await createAll(client, 'x:Account', rows(2), 2, quiet);
    expect([...out.unknown]).toEqual(['l2', 'l3']);
  });

  it('a method error is the server refusing the whole batch: its rows failed, the rest not tried', async () => {
    const { client } = fakeClient((args, n) => (n === 1 ? new MethodError('forbidden', 'x:Account/set', 'Not allowed') : allCreated(args)));
    const out = await createAll(client, 'x:Account', rows(3), 2, quiet);
    expect([...out.failed.keys()]).toEqual(['l2', 'l3']);
    expect(out.failed.get('l2')).toEqual({ type: 'forbidden', description: 'Not allowed' });
    expect([...out.notTried]).toEqual(['l4']);
    expect(out.stopped?.kind).toBe('refused');
  });

  it('Cancel stops before the next batch; refusals are kept with the server\u2019s error', async () => {
    let cancelled = false;
    const { client, sent } = fakeClient((args) => ({ ...allCreated(args), notCreated: null }));
    const out = await createAll(client, 'x:Account', rows(5), 2, { cancelled: () => cancelled, onBatch: () => (cancelled = true) });
    expect(sent).toHaveLength(1);
    expect(out.created.size).toBe(2);
    expect([...out.notTried]).toEqual(['l4', 'l5', 'l6']);
    expect(out.stopped).toEqual({ kind: 'cancelled' });
  });

  it('looks names up in waves, not one request per name all at once', async () => {
    let inFlight = 0;
    let most = 0;
    let requests = 0;
    const client = {
      calls: async (invocations: [string, Record<string, unknown>, string][]) => {
        requests++;
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        const name = (invocations[0][1].filter as { name: string }).name;
        return [{ ids: [name] }, { list: [{ id: `id-${name}`, name }] }];
      },
    } as unknown as JmapClient;
    const doc = { objects: {}, lists: {}, forms: {}, schemas: {}, fields: {}, enums: {} } as unknown as SchemaDocument;
    const wanted = new Map([['x:Group', new Set(Array.from({ length: 120 }, (_, i) => `g${i}`))]]);
    const found = await lookUpNames(client, doc, wanted);
    expect(found.get('x:Group')?.get('g119')).toBe('id-g119');
    expect(found.get('x:Group')?.size).toBe(120);
    expect(requests).toBe(120);
    expect(most).toBeLessThanOrEqual(25);
  });

  it('a cell holding a record id (as an export writes it) is taken when no record has it as its name', async () => {
    const seen: string[] = [];
    const client = {
      calls: async (invocations: [string, Record<string, unknown>, string][]) => {
        seen.push(invocations[0][0]);
        if (invocations[0][0].endsWith('/query')) return [{ ids: [] }, { list: [] }];
        const ids = invocations[0][1].ids as string[];
        return [{ list: ids.filter((id) => id === 'd7').map((id) => ({ id })), notFound: ids.filter((id) => id !== 'd7') }];
      },
    } as unknown as JmapClient;
    const doc = { objects: {}, lists: {}, forms: {}, schemas: {}, fields: {}, enums: {} } as unknown as SchemaDocument;
    const found = await lookUpNames(client, doc, new Map([['x:Domain', new Set(['d7', 'nowhere'])]]));
    expect(found.get('x:Domain')?.get('d7')).toBe('d7');
    expect(found.get('x:Domain')?.get('nowhere')).toBeNull();
    expect(seen).toEqual(['x:Domain/query', 'x:Domain/query', 'x:Domain/get']);
  });
});
