import { describe, expect, it } from 'vitest';
import { effectivePermissions, type RoleLike } from './effective';

const roles: Record<string, RoleLike> = {
  admin: { roleIds: { base: true }, enabledPermissions: { sysRoleCreate: true }, disabledPermissions: { emailSend: true } },
  base: { roleIds: ['root', 'admin'], enabledPermissions: { emailSend: true, sysRoleGet: true } },
  root: { enabledPermissions: { sysRoleGet: true }, disabledPermissions: { impersonate: true } },
  orphan: { roleIds: { gone: true }, enabledPermissions: { a: true } },
};
const lookup = (id: string) => roles[id];

describe('effectivePermissions', () => {
  it('unions enabled permissions over the inheritance chain, minus the disabled ones', () => {
    const e = effectivePermissions('admin', lookup);
    expect(e.roles).toEqual(['admin', 'base', 'root']);
    expect(Object.fromEntries(e.granted)).toEqual({ sysRoleCreate: ['admin'], sysRoleGet: ['base', 'root'] });
    expect(Object.fromEntries(e.denied)).toEqual({
      emailSend: { deniedBy: ['admin'], grantedBy: ['base'] },
      impersonate: { deniedBy: ['root'], grantedBy: [] },
    });
  });

  it('survives cycles and reports roles it could not load', () => {
    expect(effectivePermissions('base', lookup).roles).toEqual(['base', 'root', 'admin']);
    const e = effectivePermissions('orphan', lookup);
    expect(e.missing).toEqual(['gone']);
    expect([...e.granted.keys()]).toEqual(['a']);
  });
});
