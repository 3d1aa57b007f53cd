import { describe, expect, it } from 'vitest';
import { MethodError } from '../jmap/types';
import { testSchema } from '../schema/testSchema';
import { errorWords, forbiddenWords } from './errorWords';

describe('errors in the schema’s words', () => {
  const words = errorWords(testSchema);

  it('names a forbidden object by its title and the missing permission by its label', () => {
    const label = testSchema.enums.Permission.find((p) => p.name === 'sysAllowedIpGet')?.label;
    expect(label).toBeTruthy();
    const said = words(new MethodError('forbidden', 'x:AllowedIp/get', 'You are not authorized to use x:AllowedIp: the sysAllowedIpGet permission is required.'));
    expect(said?.message).toBe(`You cannot open ${testSchema.lists['x:AllowedIp'].title}: that takes the permission “${label}”, which none of your roles gives.`);
    expect(said?.next).toBe('An administrator can add it to one of your roles.');
    expect(said?.message).not.toMatch(/x:|sys/);
  });

  it('leaves other errors to the plain explanation', () => {
    expect(words(new TypeError('Failed to fetch'))).toBeNull();
    expect(forbiddenWords(testSchema, 'Tracing', undefined).message).toBe('You cannot open Tracing.');
  });
});
