import { describe, expect, it } from 'vitest';
import { testSchema as doc } from '../schema/testSchema';
import { validationMessage } from './messages';

const sample = doc.fields['x:Sample'].properties;
const on = (name: string) => ({ doc, type: sample[name].type });

describe('validationMessage', () => {
  it('fits the words to the field type', () => {
    expect(validationMessage({ type: 'Max', property: '', required: 3_600_000 }, on('timeout'))).toBe('Enter at most 1 h');
    expect(validationMessage({ type: 'Max', property: '', required: 1024 ** 3 }, on('quota'))).toBe('Enter at most 1 GB');
    expect(validationMessage({ type: 'Min', property: '', required: 0 }, on('port'))).toBe('Enter zero or a positive number');
    expect(validationMessage({ type: 'Invalid', property: '', value: '10.0.0.0/99', description: 'prefix must be between 8 and 32' }, on('network')))
      .toBe('Enter an IP address or network such as 10.0.0.0/8 (prefix must be between 8 and 32)');
    expect(validationMessage({ type: 'Invalid', property: '', value: 'x' }, on('address'))).toBe('Enter an IP address such as 192.0.2.1');
    expect(validationMessage({ type: 'Invalid', property: '', value: 1.5 }, on('count'))).toBe('Enter a whole number');
    expect(validationMessage({ type: 'Invalid', property: '', value: 'nope' }, on('taskType'))).toBe('Choose one of the options');
  });

  it('says "choose" for a union and for pickers, "add" for typed-in members', () => {
    expect(validationMessage({ type: 'Required', property: '' }, on('tasks'))).toBe('Choose an option');
    expect(validationMessage({ type: 'Required', property: '@type' }, on('tasks'))).toBe('Choose an option');
    expect(validationMessage({ type: 'MinItems', property: '', required: 1 }, on('taskTypes'))).toBe('Choose at least 1');
    expect(validationMessage({ type: 'MinItems', property: '', required: 2 }, on('aliases'))).toBe('Add at least 2');
  });

  it('words set members by their own type and names a nested property', () => {
    expect(validationMessage({ type: 'Invalid', property: '', value: 'a@b' }, on('aliases'))).toBe('Enter an email address such as name@example.com');
    expect(validationMessage({ type: 'Required', property: 'maxConnections' }, on('limits'))).toBe('Max connections: This field is required');
    expect(validationMessage({ type: 'Invalid', property: '1/maxConnections', value: 'x' }, on('rules'))).toBe('Max connections: Enter a number');
  });

  it('shows the server’s description where the console has no words of its own', () => {
    expect(validationMessage({ type: 'Invalid', property: '', value: 'a b!', description: 'A login name cannot contain spaces, "!"' }, { doc, type: { type: 'string', format: 'loginName' } }))
      .toBe('A login name cannot contain spaces, "!"');
    expect(validationMessage({ type: 'Invalid', property: '', description: 'Inheritance cycle: r1 → r2' }, on('roleIds'))).toBe('Inheritance cycle: r1 → r2');
    expect(validationMessage({ type: 'Invalid', property: '', description: 'Needs sysRoleCreate' }, on('name'))).toBe('Needs Create roles');
    expect(validationMessage({ type: 'Invalid', property: 'x', description: 'Expected an address and port, e.g. 0.0.0.0:143' })).toBe('Expected an address and port, e.g. 0.0.0.0:143');
    expect(validationMessage({ type: 'TooManyThings', property: 'x', description: 'At most 3 things' })).toBe('At most 3 things');
  });

  it('stays general without a schema or description, and names types it does not know', () => {
    expect(validationMessage({ type: 'Invalid', property: 'x' })).toBe('The server did not accept this value');
    expect(validationMessage({ type: 'MaxLength', property: 'x', required: 5 })).toBe('Use at most 5 characters');
    expect(validationMessage({ type: 'TooManyThings', property: 'x' })).toBe('Too Many Things');
  });
});
