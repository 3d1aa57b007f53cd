import { describe, expect, it } from 'vitest';
import { canBeCancelled, endOf, fieldLabel, isActive, percent, progressOf, progressWords, statusColor, taskFields } from './model';
import { taskSchema } from './testSchema';

describe('a task as the Tasks page reads it', () => {
  it('counts what is done from what remains, and says it in words', () => {
    const p = progressOf({ initialCount: 300, processedCount: 118, failedCount: 2, remainingCount: 180 })!;
    expect(p).toEqual({ total: 300, done: 120, processed: 118, failed: 2, remaining: 180 });
    expect(progressWords(p)).toBe('120 of 300 done, 2 failed');
    expect(percent(p)).toBe(40);
    // No remaining count: what was processed or failed is done.
    expect(progressOf({ initialCount: 10, processedCount: 4, failedCount: 1 })).toMatchObject({ done: 5, remaining: 5 });
    // Nothing to do is all done; a count beyond the total does not overflow the bar.
    expect(percent(progressOf({ initialCount: 0, processedCount: 0, failedCount: 0, remainingCount: 0 })!)).toBe(100);
    expect(progressOf({ initialCount: 5, processedCount: 9, remainingCount: -1 })).toMatchObject({ done: 5 });
    expect(progressWords(progressOf({ initialCount: 12000, processedCount: 12000, failedCount: 0, remainingCount: 0 })!)).toBe('12,000 of 12,000 done');
  });

  it('has no progress before the task counted its work', () => {
    expect(progressOf(null)).toBeNull();
    expect(progressOf({ processedCount: 3 })).toBeNull();
    expect(progressOf('40%')).toBeNull();
  });

  it('knows which tasks can still be cancelled and which still move', () => {
    const t = (s: string) => ({ id: 't', status: { '@type': s } });
    expect(['Pending', 'Running', 'CancelRequested', 'Completed', 'Cancelled', 'Failed'].map((s) => canBeCancelled(t(s)))).toEqual([true, true, false, false, false, false]);
    expect(['Pending', 'Running', 'CancelRequested', 'Completed', 'Cancelled', 'Failed'].map((s) => isActive(t(s)))).toEqual([true, true, true, false, false, false]);
    expect(canBeCancelled({ id: 't', status: 'Running' })).toBe(false);
  });

  it('ends where the first end date says', () => {
    expect(endOf({ id: 't', completedAt: null, failedAt: '2030-01-01T00:00:00Z', cancelledAt: null })).toEqual({ how: 'failed', at: '2030-01-01T00:00:00Z' });
    expect(endOf({ id: 't', completedAt: '2030-01-02T00:00:00Z' })).toEqual({ how: 'completed', at: '2030-01-02T00:00:00Z' });
    expect(endOf({ id: 't', completedAt: null })).toBeNull();
  });

  it('splits a kind’s own fields from the manager’s, from the schema alone', () => {
    const user = taskFields(taskSchema, 'ReIndexUser');
    expect(user.inputs.map(([k]) => k)).toEqual(['accountId']);
    expect(user.results.map(([k]) => k)).toEqual(['successfullyReprocessMailCount', 'failedReprocessedMailCount']);
    expect(taskFields(taskSchema, 'FullReIndexing').inputs).toEqual([]);
    expect(taskFields(taskSchema, 'Unknown')).toEqual({ inputs: [], results: [] });
    const [[, prop]] = user.results;
    expect(fieldLabel(taskSchema, 'ReIndexUser', 'successfullyReprocessMailCount', prop)).toBe('Mails indexed');
    expect(fieldLabel(taskSchema, 'FullReIndexing', 'failedReprocessedMailCount', user.results[1][1])).toBe('Mails that could not be indexed');
  });

  it('takes a status colour from the enum the list filters on', () => {
    expect(statusColor(taskSchema, 'Failed')).toBe('red');
    expect(statusColor(taskSchema, 'Nope')).toBeUndefined();
  });
});
