import { describe, expect, it } from 'vitest';
import type { Property } from '../../../shared/schema/types';
import { exportableColumns, exportValue } from './values';

const prop = (type: Property['type']): Property => ({ description: '', type, update: 'mutable' });

describe('exportValue', () => {
  it('writes raw values that import again', () => {
    expect(exportValue({ type: 'number', format: 'size' }, 1536)).toBe('1536');
    expect(exportValue({ type: 'number' }, 1234567)).toBe('1234567');
    expect(exportValue({ type: 'boolean' }, false)).toBe('false');
    expect(exportValue({ type: 'enum', enumName: 'E' }, 'temporaryFailure')).toBe('temporaryFailure');
    expect(exportValue({ type: 'objectId', objectName: 'x:Domain' }, 'd1')).toBe('d1');
    expect(exportValue({ type: 'utcDateTime' }, '2030-01-01T00:00:00Z')).toBe('2030-01-01T00:00:00Z');
    expect(exportValue(undefined, null)).toBe('');
  });

  it('joins set members and writes nested records as JSON', () => {
    expect(exportValue({ type: 'set', class: { type: 'objectId', objectName: 'x:Role' } }, { r1: true, r2: true })).toBe('r1; r2');
    expect(exportValue({ type: 'object', objectName: 'U' }, { '@type': 'User', a: 1 })).toBe('{"@type":"User","a":1}');
  });

  it('never writes a secret', () => {
    expect(exportValue({ type: 'string', format: 'secret' }, 'hunter2')).toBe('');
    const columns = [{ name: 'name' }, { name: 'secret' }];
    expect(exportableColumns(columns, { name: prop({ type: 'string' }), secret: prop({ type: 'string', format: 'secretText' }) })).toEqual([{ name: 'name' }]);
  });
});
