import { describe, expect, it } from 'vitest';
import { describeSetError } from './setErrors';

describe('describeSetError', () => {
  it('puts validation errors on their top-level fields', () => {
    const d = describeSetError({
      type: 'validationFailed',
      validationErrors: [
        { type: 'Required', property: 'description' },
        { type: 'MaxLength', property: 'name', required: 255 },
        { type: 'Invalid', property: 'tasks/taskTypes', value: 'x' },
      ],
    });
    expect(d.fields).toEqual({
      description: 'This field is required',
      name: 'Use at most 255 characters',
      tasks: 'The server did not accept this value',
    });
  });

  it('names duplicates, read-only fields and missing references', () => {
    expect(describeSetError({ type: 'primaryKeyViolation', properties: ['address'] }, 'allowed IP')).toEqual({
      summary: 'Another allowed IP already exists with the same value.',
      fields: { address: 'Another allowed IP already uses this value' },
    });
    expect(describeSetError({ type: 'invalidPatch', description: 'Cannot modify read-only property', properties: ['name'] }).fields)
      .toEqual({ name: 'Cannot modify read-only property' });
    expect(describeSetError({ type: 'invalidForeignKey', properties: ['memberTenantId'] }).fields.memberTenantId).toMatch(/does not exist/);
  });

  it('explains linked records and forbidden changes in the summary', () => {
    expect(describeSetError({ type: 'objectIsLinked', linkedObjects: [{ object: 'x:Role', id: 'c' }] }, 'role').summary).toMatch(/still used/);
    expect(describeSetError({ type: 'forbidden', description: 'Not allowed: sysRoleDestroy' }).summary).toBe('Not allowed: sysRoleDestroy');
  });
});
