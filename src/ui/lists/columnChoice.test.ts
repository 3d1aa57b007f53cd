import { describe, expect, it } from 'vitest';
import type { List, Property } from '../../shared/schema/types';
import { availableColumns, chosenColumns, columnsKey, isSimple, moveColumn, parseChoice, toggleColumn } from './columnChoice';

const prop = (type: Property['type']): Property => ({ description: '', type, update: 'mutable' });
const list: List = {
  title: 'Accounts', subtitle: '', singularName: 'account', pluralName: 'accounts',
  columns: [{ name: 'name', label: 'Name' }, { name: 'quota', label: 'Quota' }],
};
const properties: Record<string, Property> = {
  name: prop({ type: 'string' }),
  quota: prop({ type: 'number', format: 'size' }),
  locale: prop({ type: 'string' }),
  secret: prop({ type: 'string', format: 'secret' }),
  roles: prop({ type: 'set', class: { type: 'objectId', objectName: 'x:Role' } }),
  credentials: prop({ type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'object', objectName: 'C' } }),
  createdAt: prop({ type: 'utcDateTime' }),
};

describe('available columns', () => {
  it('lists the schema columns, then the other simple fields with the form labels', () => {
    const form = { sections: [{ fields: [{ name: 'locale', label: 'Language' }] }] };
    expect(availableColumns(list, properties, form)).toEqual([
      { name: 'name', label: 'Name' }, { name: 'quota', label: 'Quota' },
      { name: 'locale', label: 'Language' }, { name: 'roles', label: 'Roles' }, { name: 'createdAt', label: 'Created at' },
    ]);
  });

  it('never offers secrets, nested records or blobs', () => {
    expect(isSimple(properties.secret)).toBe(false);
    expect(isSimple(properties.credentials)).toBe(false);
    expect(isSimple(prop({ type: 'blobId' }))).toBe(false);
    expect(isSimple(prop({ type: 'set', class: { type: 'enum', enumName: 'E' } }))).toBe(true);
  });
});

describe('the choice', () => {
  const available = availableColumns(list, properties);

  it('applies a stored order, drops names no longer offered, falls back to the schema', () => {
    expect(chosenColumns(available, list, ['locale', 'gone', 'name', 'locale']).map((c) => c.name)).toEqual(['locale', 'name']);
    expect(chosenColumns(available, list, null)).toEqual(list.columns);
    expect(chosenColumns(available, list, ['gone'])).toEqual(list.columns);
  });

  it('shows, hides and moves columns, keeping the last one', () => {
    expect(toggleColumn(['name'], 'locale')).toEqual(['name', 'locale']);
    expect(toggleColumn(['name', 'locale'], 'name')).toEqual(['locale']);
    expect(toggleColumn(['name'], 'name')).toEqual(['name']);
    expect(moveColumn(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
    expect(moveColumn(['a', 'b'], 'a', -1)).toEqual(['a', 'b']);
    expect(moveColumn(['a', 'b'], 'b', 1)).toEqual(['a', 'b']);
  });

  it('is stored per object and view, and bad storage reads as none', () => {
    expect(columnsKey('x:Account', 'x:Account/User')).toBe('postern.columns.x:Account.x:Account/User');
    expect(parseChoice('["a","b"]')).toEqual(['a', 'b']);
    expect(parseChoice('{"a":1}')).toBeNull();
    expect(parseChoice('not json')).toBeNull();
    expect(parseChoice(null)).toBeNull();
  });
});
