import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { JmapClient } from './client';
import { keys } from './keys';
import { ConflictError, saveRecord } from './mutations';
import type { RecordWithState } from './queries';
import { MethodError } from './types';

type Answer = (args: Record<string, unknown>) => Record<string, unknown>;

/** A client answering each method name from a queue of answers, recording the calls. */
function fakeClient(answers: Record<string, Answer[]>) {
  const calls: [string, Record<string, unknown>][] = [];
  const call = async (name: string, args: Record<string, unknown>) => {
    calls.push([name, args]);
    const next = answers[name]?.shift();
    if (!next) throw new Error(`unexpected ${name}`);
    return next(args);
  };
  // Like the real client, calls of one request resolve together or reject with the first error.
  const batch = async (invocations: [string, Record<string, unknown>, string][]) => {
    const out = [];
    for (const [name, args] of invocations) out.push(await call(name, args));
    return out;
  };
  return { client: { call, calls: batch } as unknown as JmapClient, calls };
}

const readBack = (record: Record<string, unknown>, state?: string): Answer => () => ({ list: [record], ...(state ? { state } : {}) });

function cacheWithRecordAndList() {
  const queryClient = new QueryClient();
  queryClient.setQueryData<RecordWithState>(keys.record('x:Role', 'r1'), { record: { id: 'r1', description: 'old' }, state: 's1' });
  queryClient.setQueryData(keys.list('x:Role', {}), { ids: ['r1'], records: [], state: 's1' });
  return queryClient;
}

const stale = (q: QueryClient, key: readonly unknown[]) => q.getQueryState(key)?.isInvalidated;

describe('saveRecord', () => {
  it('updates over the edited state, caches the record read back with it and refreshes only the rest', async () => {
    const { client, calls } = fakeClient({
      'x:Role/set': [() => ({ updated: { r1: null }, newState: 's2' })],
      'x:Role/get': [readBack({ id: 'r1', description: 'new', updatedAt: 'now' }, 's2')],
    });
    const queryClient = cacheWithRecordAndList();
    const saved = await saveRecord(client, queryClient, 'x:Role', {
      kind: 'update', id: 'r1', patch: { description: 'new' }, values: { id: 'r1', description: 'new' }, state: 's1',
    });
    expect(calls).toEqual([['x:Role/set', { ifInState: 's1', update: { r1: { description: 'new' } } }], ['x:Role/get', { ids: ['r1'] }]]);
    expect(saved).toEqual({ record: { id: 'r1', description: 'new', updatedAt: 'now' }, state: 's2' });
    expect(queryClient.getQueryData(keys.record('x:Role', 'r1'))).toEqual(saved);
    expect(stale(queryClient, keys.record('x:Role', 'r1'))).toBe(false);
    expect(stale(queryClient, keys.list('x:Role', {}))).toBe(true);
  });

  it('keeps a record read back without a state as it is (a server without states)', async () => {
    const { client } = fakeClient({ 'x:Role/set': [() => ({ updated: { r1: null } })], 'x:Role/get': [readBack({ id: 'r1', description: 'NEW' })] });
    const queryClient = cacheWithRecordAndList();
    const saved = await saveRecord(client, queryClient, 'x:Role', { kind: 'update', id: 'r1', patch: { description: 'new' }, values: { id: 'r1' } });
    expect(saved).toEqual({ record: { id: 'r1', description: 'NEW' }, state: undefined });
    expect(stale(queryClient, keys.record('x:Role', 'r1'))).toBe(false);
  });

  it('refreshes the record when it cannot be read back', async () => {
    const { client } = fakeClient({ 'x:Role/set': [() => ({ updated: { r1: null } })], 'x:Role/get': [() => ({ list: [] })] });
    const queryClient = cacheWithRecordAndList();
    await saveRecord(client, queryClient, 'x:Role', { kind: 'update', id: 'r1', patch: { description: 'new' }, values: { id: 'r1' }, state: 's1' });
    expect(stale(queryClient, keys.record('x:Role', 'r1'))).toBe(true);
  });

  it('reports a conflict when this record changed since the edited state', async () => {
    const { client } = fakeClient({
      'x:Role/set': [() => { throw new MethodError('stateMismatch', 'x:Role/set'); }],
      'x:Role/changes': [() => ({ oldState: 's1', newState: 's3', hasMoreChanges: false, created: [], updated: ['r1'], destroyed: [] })],
    });
    const save = saveRecord(client, cacheWithRecordAndList(), 'x:Role', { kind: 'update', id: 'r1', patch: { description: 'x' }, values: {}, state: 's1' });
    await expect(save).rejects.toBeInstanceOf(ConflictError);
  });

  it('retries without the state when only other records of the type changed', async () => {
    const { client, calls } = fakeClient({
      'x:Role/set': [() => { throw new MethodError('stateMismatch', 'x:Role/set'); }, () => ({ updated: { r1: null }, newState: 's4' })],
      'x:Role/get': [readBack({ id: 'r1', description: 'x' }, 's4')],
      'x:Role/changes': [() => ({ oldState: 's1', newState: 's3', hasMoreChanges: false, created: ['r2'], updated: [], destroyed: [] })],
    });
    const saved = await saveRecord(client, cacheWithRecordAndList(), 'x:Role', { kind: 'update', id: 'r1', patch: { description: 'x' }, values: { id: 'r1' }, state: 's1' });
    expect(calls.map(([n]) => n)).toEqual(['x:Role/set', 'x:Role/changes', 'x:Role/set', 'x:Role/get']);
    expect(calls[2][1]).toEqual({ update: { r1: { description: 'x' } } });
    expect(saved.state).toBe('s4');
  });
});
