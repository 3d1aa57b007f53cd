import { describe, expect, it } from 'vitest';
import { compareVersions, mergeChoices } from './conflict';

const names = ['description', 'reason', 'tags', 'note'];
const base = { description: 'Office', reason: 'a', tags: { x: true }, note: 'same' };
const mine = { description: 'Office LAN', reason: 'a', tags: { x: true, y: true }, note: 'same' };
const theirs = { description: 'Head office', reason: 'b', tags: { x: true, y: true }, note: 'same' };

describe('compareVersions', () => {
  it('lists what the server changed: a choice where both changed it differently', () => {
    expect(compareVersions(names, base, mine, theirs)).toEqual([
      { name: 'description', mine: 'Office LAN', theirs: 'Head office', both: true },
      { name: 'reason', mine: 'a', theirs: 'b', both: false },
    ]);
  });
  it('is empty when the server changed nothing the form shows', () => {
    expect(compareVersions(names, base, mine, { ...base })).toEqual([]);
  });
});

describe('mergeChoices', () => {
  it('keeps the server’s version with the person’s kept changes', () => {
    expect(mergeChoices(names, base, mine, theirs, {})).toEqual({ description: 'Office LAN', reason: 'b', tags: { x: true, y: true }, note: 'same' });
    expect(mergeChoices(names, base, mine, theirs, { description: 'theirs' })).toEqual(theirs);
  });
});
