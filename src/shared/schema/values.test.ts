import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from './types';
import { emptyValue, initialValues, isRequired } from './values';

const doc: SchemaDocument = {
  objects: {},
  schemas: {
    'x:Limits': { type: 'single', schemaName: 'x:Limits' },
    'x:Group': { type: 'multiple', variants: [{ name: 'All', label: 'All' }] },
    'x:Outer': { type: 'single', schemaName: 'x:Outer' },
    'x:Node': { type: 'single', schemaName: 'x:Node' },
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
    'x:Outer': { properties: { limits: { description: 'Limits', type: { type: 'object', objectName: 'x:Limits' }, update: 'mutable' } } },
    'x:Node': {
      properties: {
        name: { description: 'Name', type: { type: 'string', nullable: true }, update: 'mutable' },
        child: { description: 'Child', type: { type: 'object', objectName: 'x:Node' }, update: 'mutable' },
      },
    },
  },
  forms: {}, lists: {}, enums: {}, layouts: [],
};

describe('emptyValue and isRequired', () => {
  it('stands in with empty collections, null and false; never for a non-nullable object', () => {
    expect(emptyValue(doc, { type: 'set', class: { type: 'string' } })).toEqual({});
    expect(emptyValue(doc, { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } })).toEqual({});
    expect(emptyValue(doc, { type: 'objectList', objectName: 'x:Limits' })).toEqual({});
    expect(emptyValue(doc, { type: 'string', nullable: true })).toBeNull();
    expect(emptyValue(doc, { type: 'boolean' })).toBe(false);
    expect(emptyValue(doc, { type: 'object', objectName: 'x:Limits' })).toBeUndefined();
    expect(emptyValue(doc, { type: 'object', objectName: 'x:Group', nullable: true })).toBeNull();
  });

  it('requires what nothing can stand in for: non-nullable scalars, blob ids and objects', () => {
    expect(isRequired(doc, { type: 'string' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'blobId' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'object', objectName: 'x:Group' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'string' }, true)).toBe(false);
    expect(isRequired(doc, { type: 'boolean' }, false)).toBe(false);
    expect(isRequired(doc, { type: 'object', objectName: 'x:Limits' }, false)).toBe(true);
    expect(isRequired(doc, { type: 'object', objectName: 'x:Limits', nullable: true }, false)).toBe(false);
    expect(isRequired(doc, { type: 'enum', enumName: 'E', nullable: true }, false)).toBe(false);
  });
});

describe('initialValues', () => {
  it('takes defaults, then empty values, then null for what must be filled, and skips server-set ones', () => {
    expect(initialValues(doc, 'x:Limits')).toEqual({ max: 10, host: null });
    expect(initialValues(doc, undefined, 'All')).toEqual({ '@type': 'All' });
  });

  it('starts a nested object of one schema from its own fresh value, and stops where a schema nests itself', () => {
    expect(initialValues(doc, 'x:Outer')).toEqual({ limits: { max: 10, host: null } });
    expect(initialValues(doc, 'x:Node')).toEqual({ name: null, child: null });
  });
});
