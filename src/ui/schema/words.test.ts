import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../shared/schema/types';
import { testSchema } from './testSchema';
import { listOf, serverWords } from './words';

const perms = Array.from({ length: 42 }, (_, i) => ({ name: `sysThing${i}Get`, label: `View thing ${i}` }));
const doc: SchemaDocument = {
  ...testSchema,
  enums: { ...testSchema.enums, Permission: [...testSchema.enums.Permission, ...perms, { name: 'impersonate', label: 'Impersonate users' }] },
};

describe('listOf', () => {
  it('joins short lists and counts the rest of long ones', () => {
    expect(listOf(['A'])).toBe('A');
    expect(listOf(['A', 'B'])).toBe('A and B');
    expect(listOf(['A', 'B', 'C'])).toBe('A, B and C');
    expect(listOf(['A', 'B', 'C', 'D'])).toBe('A, B and 2 more');
    expect(listOf(['A', 'B'], 40)).toBe('A, B and 40 more');
  });
});

describe('serverWords', () => {
  it('names permissions by their labels and collapses a long list, keeping it whole beside', () => {
    const names = perms.map((p) => p.name).join(', ');
    const w = serverWords(doc, `You are not authorized to grant permissions: ${names}`);
    expect(w.text).toBe('You are not authorized to grant permissions: View thing 0, View thing 1 and 40 more');
    expect(w.lists).toEqual([perms.map((p) => p.label)]);
  });

  it('adds what the server already left out of a list', () => {
    const w = serverWords(doc, 'Role "Ops" has permissions you do not hold (sysRoleGet, sysRoleCreate, emailSend, sysAllowedIpGet, sysThing1Get and 37 more), so you cannot change or delete it');
    expect(w.text).toBe('Role "Ops" has permissions you do not hold (Get roles, Create roles and 40 more), so you cannot change or delete it');
    expect(w.lists).toEqual([]);
  });

  it('names objects by their list titles and single permissions that read as identifiers', () => {
    expect(serverWords(doc, 'You are not authorized to use x:AllowedIp: the sysAllowedIpGet permission is required.').text)
      .toBe('You are not authorized to use Allowed IPs: the Get allowed IPs permission is required.');
    expect(serverWords(doc, 'x:Account/User records').text).toBe('Users records');
    // Ordinary words stay, even one that is also a permission's name.
    expect(serverWords(doc, 'you may not impersonate anyone; x:Unknown stays').text).toBe('you may not impersonate anyone; x:Unknown stays');
  });
});
