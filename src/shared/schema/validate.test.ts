import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from './types';
import { checkObject, checkValue } from './validate';

const doc: SchemaDocument = {
  objects: { 'x:Thing': { type: 'object' } },
  schemas: {
    'x:Thing': { type: 'single', schemaName: 'x:Thing' },
    'x:Limits': { type: 'single', schemaName: 'x:Limits' },
    'x:Group': { type: 'multiple', variants: [{ name: 'All', label: 'All' }] },
  },
  fields: {
    'x:Thing': {
      properties: {
        name: { description: 'Name', type: { type: 'string' }, update: 'mutable' },
        enabled: { description: 'Enabled', type: { type: 'boolean' }, update: 'mutable' },
        limits: { description: 'Limits', type: { type: 'object', objectName: 'x:Limits' }, update: 'mutable' },
        group: { description: 'Group', type: { type: 'object', objectName: 'x:Group' }, update: 'mutable' },
      },
    },
    'x:Limits': { properties: { max: { description: 'Max', type: { type: 'number' }, update: 'mutable' } }, defaults: { max: 5 } },
  },
  forms: {}, lists: {}, enums: {}, layouts: [],
};

describe('checkObject', () => {
  it('fills what has an empty value and asks for the rest', () => {
    const r = checkObject(doc, 'x:Thing', {});
    expect(r.errors.map((e) => [e.type, e.property])).toEqual([['Required', 'name'], ['Required', 'limits'], ['Required', 'group']]);
    const ok = checkObject(doc, 'x:Thing', { name: 'a', limits: {}, group: { '@type': 'All' } });
    expect(ok.errors).toEqual([]);
    expect(ok.value).toEqual({ name: 'a', enabled: false, limits: { max: 5 }, group: { '@type': 'All' } });
  });
});

describe('checkValue', () => {
  it('applies the default maximum lengths', () => {
    expect(checkValue(doc, { type: 'string' }, 'x'.repeat(1025))[0]).toMatchObject({ type: 'MaxLength', required: 1024 });
    expect(checkValue(doc, { type: 'string', format: 'text' }, 'x'.repeat(1025))).toEqual([]);
  });

  it('wants a dot in an email domain', () => {
    expect(checkValue(doc, { type: 'string', format: 'emailAddress' }, 'a@example.com')).toEqual([]);
    expect(checkValue(doc, { type: 'string', format: 'emailAddress' }, 'a@b')[0]?.type).toBe('Invalid');
  });

  it('gives unsigned numbers, sizes and durations a minimum of zero', () => {
    expect(checkValue(doc, { type: 'number', format: 'size' }, -1)[0]).toMatchObject({ type: 'Min', required: 0 });
    expect(checkValue(doc, { type: 'number', format: 'integer' }, -1)).toEqual([]);
  });
});
