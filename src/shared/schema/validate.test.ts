import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from './types';
import { checkObject, checkValue, loginNameProblem } from './validate';

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
    // Characters that split or quote a list of addresses are no part of one.
    for (const bad of ['a,b@example.com', 'a"b@example.com', 'a;b@example.com', 'a b@example.com', 'a<b@example.com']) {
      expect(checkValue(doc, { type: 'string', format: 'emailAddress' }, bad)[0]?.type).toBe('Invalid');
    }
    expect(checkValue(doc, { type: 'string', format: 'emailAddress' }, 'first.last+tag@sub-domain.example.com')).toEqual([]);
  });

  it('gives unsigned numbers, sizes and durations a minimum of zero', () => {
    expect(checkValue(doc, { type: 'number', format: 'size' }, -1)[0]).toMatchObject({ type: 'Min', required: 0 });
    expect(checkValue(doc, { type: 'number', format: 'integer' }, -1)).toEqual([]);
  });
});

describe('login names', () => {
  const login = { type: 'string', format: 'loginName', maxLength: 255 } as const;

  it('take letters, digits and . _ - + @', () => {
    for (const ok of ['admin', 'J.Doe', 'ops_2', 'a-b', 'mail+tag', 'jane@example.com', 'x']) expect(checkValue(doc, login, ok), ok).toEqual([]);
  });

  it('name the characters they refuse, spaces included', () => {
    expect(checkValue(doc, login, 'bad name!')).toEqual([
      { type: 'Invalid', property: '', value: 'bad name!', description: 'A login name cannot contain spaces, "!": use letters (a–z, A–Z), digits and . _ - + @' },
    ]);
    expect(loginNameProblem('tab\there')).toContain('spaces');
    expect(loginNameProblem('two  spaces and\ttab')).toBe('A login name cannot contain spaces: use letters (a–z, A–Z), digits and . _ - + @');
    expect(loginNameProblem('josé')).toContain('"é"');
  });

  it('keep dots inside and apart, and are required and at most 255 long', () => {
    for (const bad of ['.admin', 'admin.', 'a..b']) expect(loginNameProblem(bad), bad).toBe('A login name cannot start or end with a dot, nor have two dots in a row');
    expect(checkValue(doc, login, '')[0]).toMatchObject({ type: 'Required' });
    expect(checkValue(doc, login, 'a'.repeat(256))[0]).toMatchObject({ type: 'MaxLength', required: 255 });
  });
});
