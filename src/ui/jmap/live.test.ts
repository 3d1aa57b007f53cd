import { describe, expect, it } from 'vitest';
import { keys } from './keys';
import { outdatedBy } from './live';

describe('outdatedBy', () => {
  const pushed = { 'x:Account': 's9' };

  it('refetches queries about the changed type and its views', () => {
    expect(outdatedBy(pushed, keys.record('x:Account', 'a'), { record: {}, state: 's8' })).toBe(true);
    expect(outdatedBy(pushed, keys.list('x:Account/User', {}), { ids: [], state: 's8' })).toBe(true);
    expect(outdatedBy(pushed, keys.records('x:Account', ['a']), [{ id: 'a' }])).toBe(true);
  });

  it('leaves other types, and queries already at the pushed state (the console wrote it)', () => {
    expect(outdatedBy(pushed, keys.record('x:AccountX', 'a'), undefined)).toBe(false);
    expect(outdatedBy(pushed, keys.account, undefined)).toBe(false);
    expect(outdatedBy(pushed, keys.record('x:Account', 'a'), { record: {}, state: 's9' })).toBe(false);
  });
});
