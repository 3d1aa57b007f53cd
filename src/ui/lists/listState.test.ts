import { describe, expect, it } from 'vitest';
import type { List } from '../../shared/schema/types';
import { buildFilter, pageSizeOf, parseListState, serializeListState } from './listState';

const list: List = {
  title: 'T', subtitle: '', singularName: 'x', pluralName: 'xs',
  columns: [{ name: 'address', label: 'Address' }],
  filters: [
    { type: 'text', field: 'address', label: 'Address' },
    { type: 'integer', field: 'port', label: 'Port' },
    { type: 'date', field: 'expiresAt', label: 'Expires' },
    { type: 'enum', field: 'kind', label: 'Kind', enumName: 'K' },
  ],
  sort: [{ property: 'address', isAscending: true }],
};

describe('buildFilter', () => {
  it('is undefined with nothing filled', () => {
    expect(buildFilter(list, {})).toBeUndefined();
    expect(buildFilter(list, { address: '  ' })).toBeUndefined();
  });

  it('merges filled filters and the static condition into one condition', () => {
    const withStatic = { ...list, filtersStatic: { '@type': 'User' } };
    expect(buildFilter(withStatic, { address: '10.0', port: '25', kind: 'a' })).toEqual({
      '@type': 'User', address: '10.0', port: 25, kind: 'a',
    });
  });

  it('turns a date range into inclusive day bounds and ignores bad numbers', () => {
    expect(buildFilter(list, { 'expiresAt.after': '2030-01-01', 'expiresAt.before': '2030-01-31', port: 'abc' })).toEqual({
      expiresAtIsGreaterThanOrEqual: '2030-01-01T00:00:00Z',
      expiresAtIsLessThan: '2030-02-01T00:00:00Z',
    });
  });

  it('uses AND when two conditions name the same property', () => {
    const collide = { ...list, filtersStatic: { address: 'fixed' } };
    expect(buildFilter(collide, { address: 'x' })).toEqual({
      operator: 'AND', conditions: [{ address: 'fixed' }, { address: 'x' }],
    });
  });
});

describe('list state in the URL', () => {
  it('round-trips and leaves defaults out of the URL', () => {
    const state = { filters: { address: '10.', 'expiresAt.after': '2030-01-01' }, sort: { property: 'address', isAscending: false }, page: 2 };
    const params = serializeListState(state, list);
    expect(params.toString()).toBe('f.address=10.&f.expiresAt.after=2030-01-01&sort=address&dir=desc&page=3');
    expect(parseListState(params, list)).toEqual(state);
    expect(serializeListState({ filters: {}, sort: list.sort![0], page: 0 }, list).toString()).toBe('');
    expect(parseListState(new URLSearchParams('page=0&f.unknown=1'), list)).toEqual({ filters: {}, sort: list.sort![0], page: 0 });
  });

  it('keeps a page size other than the default, within bounds', () => {
    const state = parseListState(new URLSearchParams('size=3&page=2'), list);
    expect(state).toEqual({ filters: {}, sort: list.sort![0], page: 1, size: 3 });
    expect(pageSizeOf(state)).toBe(3);
    expect(serializeListState(state, list).toString()).toBe('page=2&size=3');
    expect(parseListState(new URLSearchParams('size=5000'), list).size).toBeUndefined();
    expect(parseListState(new URLSearchParams('size=0'), list).size).toBeUndefined();
    expect(pageSizeOf(parseListState(new URLSearchParams('size=50'), list))).toBe(50);
  });
});
