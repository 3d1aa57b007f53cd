import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from './types';
import { emptyValue, initialValues, isRequired } from './values';

const doc: SchemaDocument = {
  objects: {},
  schemas: {
    'x:Limits': { type: 'single', schemaName: 'x:Limits' },
    'x:Group': { type: 'multiple', variants: [{ name: 'All', label: 'All' }] },
  },
  fields: {
    'x:Limits': {
      properties: {
        max: { description: 'Max', type: { type: 'number' }, update: 'mutable' },
        host: { description: 'Host', type: { type: 'string' }, update: 'mutable' },
        seen: { description: 'Seen', type: { type: 'utcDateTime' }, update: 'serverSet' },
      },
      defaults: { max: 10 },
    },
  },
  forms: {}, lists: {}, enums: {}, layouts: [],
};

describe('emptyValue and isRequired', () => {
  it('stands in with empty collections, null, false and a nested object of one schema', () => {
    expect(emptyValue(doc, { type: 'set', class: { type: 'string' } })).toEqual({});
    expect(emptyValue(doc, { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } })).toEqual({});
    expect(emptyValue(doc, { type: 'objectList', objectName: 'x:Limits' })).toEqual({});
    expect(emptyValue(doc, { type: 'string', nullable: true })).toBeNull();
    expect(emptyValue(doc, { type: 'boolean' })).toBe(false);
    expect(emptyValue(doc, { type: 'object', objectName: 'x:Limits' })).toEqual({ max: 10, host: null });
    expect(emptyValue(doc, { type: 'object', objectName: 'x:Group', nullable: true })).toBeNull();
  });

  it('requires what nothing can stand in for: non-nullable scalars, blob ids and unions', () => {
    expect(isRequired(doc, { type: 'string' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'blobId' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'object', objectName: 'x:Group' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'string' }, true)).toBe(false);
    expect(isRequired(doc, { type: 'boolean' }, false)).toBe(false);
    expect(isRequired(doc, { type: 'object', objectName: 'x:Limits' }, false)).toBe(false);
    expect(isRequired(doc, { type: 'enum', enumName: 'E', nullable: true }, false)).toBe(false);
  });
});

describe('initialValues', () => {
  it('takes defaults, then empty values, then null for what must be filled, and skips server-set ones', () => {
    expect(initialValues(doc, 'x:Limits')).toEqual({ max: 10, host: null });
    expect(initialValues(doc, undefined, 'All')).toEqual({ '@type': 'All' });
  });
});
