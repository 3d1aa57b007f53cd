import { describe, expect, it } from 'vitest';
import { testSchema as doc } from '../schema/testSchema';
import { describeSetError, showFieldErrors } from './setErrors';

const role = { doc, properties: doc.fields['x:Role'].properties };

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
    expect(d.summary).toBe('Some fields need attention: correct them, then save again.');
  });

  it('shows the server’s own reason where the console has no better words', () => {
    const d = describeSetError({
      type: 'validationFailed',
      description: 'A role cannot extend itself: r1 → r2 → r1',
      validationErrors: [{ type: 'Invalid', property: 'roleIds', description: 'Inheritance cycle: r1 → r2 → r1' }],
    }, 'role', role);
    expect(d.fields).toEqual({ roleIds: 'Inheritance cycle: r1 → r2 → r1' });
    expect(d.summary).toBe('Some fields need attention: correct them, then save again.');
  });

  it('names duplicates, read-only fields and missing references, and what to do', () => {
    expect(describeSetError({ type: 'primaryKeyViolation', properties: ['address'] }, 'allowed IP')).toEqual({
      summary: 'Another allowed IP already exists with the same value. Choose a different one, then save again.',
      fields: { address: 'Another allowed IP already uses this value' },
      lists: [],
    });
    const patch = describeSetError({ type: 'invalidPatch', description: 'Cannot modify read-only property', properties: ['name'] });
    expect(patch.fields).toEqual({ name: 'Cannot modify read-only property.' });
    expect(patch.summary).toBe('Cannot modify read-only property. Reload the page to see the current values.');
    expect(describeSetError({ type: 'invalidForeignKey', properties: ['memberTenantId'] }).fields.memberTenantId).toMatch(/does not exist/);
  });

  it('explains linked records, and refusals over permissions by their labels, long lists shortened', () => {
    expect(describeSetError({ type: 'objectIsLinked', linkedObjects: [{ object: 'x:Role', id: 'c' }] }, 'role').summary).toMatch(/still used.*Remove it from them first/);
    const refused = describeSetError(
      { type: 'forbidden', description: 'You are not authorized to grant permissions: emailSend, sysAllowedIpGet, sysRoleCreate, sysRoleGet', properties: ['enabledPermissions'] },
      'role', role,
    );
    expect(refused.summary).toBe('You are not authorized to grant permissions: Send email, Get allowed IPs and 2 more. If it is needed, ask an administrator who holds them.');
    expect(refused.lists).toEqual([['Send email', 'Get allowed IPs', 'Create roles', 'Get roles']]);
    expect(refused.fields.enabledPermissions).toMatch(/^You are not authorized to grant permissions: Send email/);
    // A refusal for another reason already says the way out.
    expect(describeSetError({ type: 'forbidden', description: 'Give another account the Administrator role first' }).summary)
      .toBe('Give another account the Administrator role first.');
  });
});

describe('showFieldErrors', () => {
  it('marks the fields the form shows and hands back the others', () => {
    const marked: Record<string, string> = {};
    const elsewhere = showFieldErrors(
      { type: 'validationFailed', validationErrors: [{ type: 'Required', property: 'description' }, { type: 'Invalid', property: 'memberTenantId', description: 'Tenant is archived' }] },
      role, (name, e) => (marked[name] = e.message), 'role', new Set(['description']),
    );
    expect(marked).toEqual({ description: 'This field is required' });
    expect(elsewhere).toEqual(['memberTenantId: Tenant is archived']);
  });
});
