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
  const client = {
    call: async (name: string, args: Record<string, unknown>) => {
      calls.push([name, args]);
      const next = answers[name]?.shift();
      if (!next) throw new Error(`unexpected ${name}`);
      return next(args);
    },
  } as unknown as JmapClient;
  return { client, calls };
}

function cacheWithRecordAndList() {
  const queryClient = new QueryClient();
  queryClient.setQueryData<RecordWithState>(keys.record('x:Role', 'r1'), { record: { id: 'r1', description: 'old' }, state: 's1' });
  queryClient.setQueryData(keys.list('x:Role', {}), { ids: ['r1'], records: [], state: 's1' });
  return queryClient;
}

const stale = (q: QueryClient, key: readonly unknown[]) => q.getQueryState(key)?.isInvalidated;

describe('saveRecord', () => {
  it('updates over the edited state, caches the record at the new state and refreshes only the rest', async () => {
    const { client, calls } = fakeClient({ 'x:Role/set': [() => ({ updated: { r1: { updatedAt: 'now' } }, newState: 's2' })] });
    const queryClient = cacheWithRecordAndList();
    const saved = await saveRecord(client, queryClient, 'x:Role', {
      kind: 'update', id: 'r1', patch: { description: 'new' }, values: { id: 'r1', description: 'new' }, state: 's1',
    });
    expect(calls).toEqual([['x:Role/set', { ifInState: 's1', update: { r1: { description: 'new' } } }]]);
    expect(saved).toEqual({ record: { id: 'r1', description: 'new', updatedAt: 'now' }, state: 's2' });
    expect(queryClient.getQueryData(keys.record('x:Role', 'r1'))).toEqual(saved);
    expect(stale(queryClient, keys.record('x:Role', 'r1'))).toBe(false);
    expect(stale(queryClient, keys.list('x:Role', {}))).toBe(true);
  });

  it('refreshes the record too when the server names no new state', async () => {
    const { client } = fakeClient({ 'x:Role/set': [() => ({ updated: { r1: null } })] });
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
      'x:Role/changes': [() => ({ oldState: 's1', newState: 's3', hasMoreChanges: false, created: ['r2'], updated: [], destroyed: [] })],
    });
    const saved = await saveRecord(client, cacheWithRecordAndList(), 'x:Role', { kind: 'update', id: 'r1', patch: { description: 'x' }, values: { id: 'r1' }, state: 's1' });
    expect(calls.map(([n]) => n)).toEqual(['x:Role/set', 'x:Role/changes', 'x:Role/set']);
    expect(calls[2][1]).toEqual({ update: { r1: { description: 'x' } } });
    expect(saved.state).toBe('s4');
  });
});
