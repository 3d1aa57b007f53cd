import { describe, expect, it } from 'vitest';
import { applyPatch, PatchError } from './patch';

describe('applyPatch', () => {
  const rec = { name: 'a', tasks: { '@type': 'EnableSome', taskTypes: { outboundMta: true } }, 'x/y': 1 };

  it('sets top-level and nested members without touching the input', () => {
    const out = applyPatch(rec, { name: 'b', 'tasks/taskTypes/searchIndexing': true });
    expect(out).toEqual({ ...rec, name: 'b', tasks: { '@type': 'EnableSome', taskTypes: { outboundMta: true, searchIndexing: true } } });
    expect(rec.tasks.taskTypes).toEqual({ outboundMta: true });
  });

  it('removes a nested member with null and keeps top-level nulls', () => {
    expect(applyPatch(rec, { 'tasks/taskTypes/outboundMta': null }).tasks).toEqual({ '@type': 'EnableSome', taskTypes: {} });
    expect(applyPatch(rec, { name: null }).name).toBeNull();
  });

  it('decodes escaped pointer parts', () => {
    expect(applyPatch(rec, { 'x~1y': 2 })['x/y']).toBe(2);
  });

  it('never reaches a prototype', () => {
    expect(() => applyPatch(rec, { 'tasks/__proto__/polluted': true })).toThrow(PatchError);
    expect(() => applyPatch(rec, { 'tasks/constructor/prototype/polluted': true })).toThrow(PatchError);
    expect(() => applyPatch(rec, { 'tasks/toString/x': 1 })).toThrow(PatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects paths through missing parents and overlapping paths', () => {
    expect(() => applyPatch(rec, { 'nope/a': 1 })).toThrow(PatchError);
    expect(() => applyPatch(rec, { 'name/a': 1 })).toThrow(PatchError);
    expect(() => applyPatch(rec, { tasks: {}, 'tasks/taskTypes': {} })).toThrow(/overlap/);
  });
});
