import { describe, expect, it } from 'vitest';
import { changesOf, historyPath, parseChange, propertyLabel } from './model';

describe('parseChange', () => {
  it('reads old and new values', () => {
    expect(parseChange(JSON.stringify({ from: 'Helpdesk', to: 'Help desk' }))).toEqual({ kind: 'values', from: 'Helpdesk', to: 'Help desk', truncated: false, secret: false });
    expect(parseChange(JSON.stringify({ from: null, to: 3 }))).toEqual({ kind: 'values', from: null, to: 3, truncated: false, secret: false });
  });
  it('a secret says only that it changed', () => {
    expect(parseChange('{"secret":true}')).toEqual({ kind: 'secret' });
    expect(parseChange(JSON.stringify({ from: { 0: { secret: null } }, to: { 0: { secret: null, expiresAt: 'x' } }, secret: true }))).toMatchObject({ kind: 'values', secret: true });
  });
  it('a set reads as what was added and removed', () => {
    expect(parseChange(JSON.stringify({ from: { a: true, b: true }, to: { b: true, c: true } }))).toEqual({ kind: 'set', added: ['c'], removed: ['a'] });
    expect(parseChange(JSON.stringify({ from: null, to: { a: true } }))).toEqual({ kind: 'set', added: ['a'], removed: [] });
  });
  it('a cut value says so; text that is no change record comes back as it is', () => {
    expect(parseChange(JSON.stringify({ from: 'x', to: '"aaa…', truncated: true }))).toMatchObject({ kind: 'values', truncated: true });
    expect(parseChange('not json')).toEqual({ kind: 'values', from: null, to: 'not json', truncated: false, secret: false });
    expect(parseChange('{"omitted":true}')).toEqual({ kind: 'omitted' });
  });
});

describe('changesOf', () => {
  it('follows the entry’s properties, then any other change', () => {
    const entry = { properties: { b: true, a: true }, changes: { a: '{"from":1,"to":2}', b: '{"secret":true}', c: '{"from":null,"to":"x"}' } };
    expect(changesOf(entry).map((c) => [c.property, c.change.kind])).toEqual([['b', 'secret'], ['a', 'values'], ['c', 'values']]);
  });
  it('leaves out a change from nothing to nothing (a new record’s empty set), keeps a real one', () => {
    const entry = { properties: { roleIds: true, builtIn: true, name: true }, changes: { roleIds: '{"from":null,"to":{}}', builtIn: '{"from":null,"to":false}', name: '{"from":null,"to":""}' } };
    expect(changesOf(entry).map((c) => c.property)).toEqual(['builtIn']);
  });
});

it('historyPath filters the log to one record', () => {
  const link = { kind: 'link' as const, name: 'Activity log', path: '/management/activity-log', viewName: 'x:Activity', trail: [] };
  expect(historyPath(link, 'x:Role', 'ab c')).toBe('/management/activity-log?f.objectType=x%3ARole&f.objectId=ab%20c');
});

it('propertyLabel falls back to the property name in words', () => {
  const doc = { forms: {}, schemas: {} } as unknown as Parameters<typeof propertyLabel>[0];
  expect(propertyLabel(doc, 'x:Role', 'builtIn')).toBe('Built in');
});
