// A nested record in a few words: its union's variant label and the first text it holds.
import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../shared/schema/types';
import { summarize } from './summary';

const text = { description: '', type: { type: 'string' as const }, update: 'serverSet' as const };
const doc: SchemaDocument = {
  objects: {}, forms: {}, lists: {}, enums: {}, layouts: [],
  schemas: {
    'x:Recipient': { type: 'single', schemaName: 'x:Recipient' },
    'x:Status': { type: 'multiple', variants: [{ name: 'Scheduled', label: 'Waiting' }, { name: 'TemporaryFailure', label: 'Failed for now', schemaName: 'x:Failure' }] },
  },
  fields: {
    'x:Recipient': { properties: { status: { description: '', type: { type: 'object', objectName: 'x:Status' }, update: 'serverSet' }, queueName: text } },
    'x:Failure': { properties: { errorMessage: text, responseMessage: text } },
  },
};

describe('summarize', () => {
  it('says the variant and its first text', () => {
    expect(summarize(doc, 'x:Recipient', { status: { '@type': 'TemporaryFailure', errorMessage: ' connect to x: Connection refused ', responseMessage: 'later' }, queueName: 'deferred' }))
      .toBe('Failed for now: connect to x: Connection refused');
    expect(summarize(doc, 'x:Recipient', { status: { '@type': 'Scheduled' } })).toBe('Waiting');
    expect(summarize(doc, 'x:Recipient', 'nonsense')).toBe('');
  });
});
