import { describe, expect, it } from 'vitest';
import { fakeLocks } from './fakeLocks';
import { memoryStorage } from './memoryStorage';
import { markTabSession, oneTabAtATime, otherTabOpen, tabSession } from './tabs';

describe('tabs of one browser', () => {
  it('see whether another console tab is open', async () => {
    expect(await otherTabOpen(fakeLocks().locks)).toBe(false);
    expect(await otherTabOpen(fakeLocks(['postern.tabs']).locks)).toBe(true);
    expect(await otherTabOpen(fakeLocks(['something.else']).locks)).toBe(false);
    // A browser that cannot tell (no Web Locks) keeps each tab's own session anyway.
    expect(await otherTabOpen(null)).toBe(true);
  });

  it('remember the session this tab uses, across its reloads', () => {
    const storage = memoryStorage();
    expect(tabSession(storage)).toBeNull();
    markTabSession('s1', storage);
    expect(tabSession(storage)).toBe('s1');
    markTabSession(null, storage);
    expect(tabSession(storage)).toBeNull();
  });

  it('refresh one at a time', async () => {
    const { locks } = fakeLocks();
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(`${name} starts`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`${name} ends`);
      return name;
    };
    expect(await Promise.all([oneTabAtATime(job('one'), locks), oneTabAtATime(job('two'), locks)])).toEqual(['one', 'two']);
    expect(order).toEqual(['one starts', 'one ends', 'two starts', 'two ends']);
  });
});
