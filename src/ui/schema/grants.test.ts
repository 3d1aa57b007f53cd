import { describe, expect, it } from 'vitest';
import { testSchema as doc } from './testSchema';
import { effectivePermissions, grantModel, notHeld, takesAway } from './grants';

describe('grantModel', () => {
  it('reads from the schema which records carry permissions and what they extend', () => {
    expect(grantModel(doc, 'x:Role')).toEqual({ gives: ['enabledPermissions'], takes: ['disabledPermissions'], extends: ['roleIds'] });
    expect(grantModel(doc, 'x:AllowedIp')).toBeNull();
    expect(grantModel(doc, 'x:Account/User')).toBeNull();
    expect(takesAway('disabledPermissions')).toBe(true);
    expect(takesAway('enabledPermissions')).toBe(false);
  });
});

describe('effectivePermissions', () => {
  const model = grantModel(doc, 'x:Role')!;
  const roles: Record<string, Record<string, unknown>> = {
    base: { enabledPermissions: { a: true, b: true }, roleIds: {} },
    mid: { enabledPermissions: { c: true }, disabledPermissions: { b: true }, roleIds: { base: true } },
    loop: { enabledPermissions: { d: true }, roleIds: { loop2: true } },
    loop2: { roleIds: { loop: true }, enabledPermissions: { e: true } },
  };
  const lookup = (id: string) => roles[id];
  it('unions what a role and those it extends give, less what any of them takes', () => {
    expect([...effectivePermissions(model, ['mid'], lookup)].sort()).toEqual(['a', 'c']);
    expect([...effectivePermissions(model, ['base'], lookup)].sort()).toEqual(['a', 'b']);
  });
  it('survives cycles and unknown roles', () => {
    expect([...effectivePermissions(model, ['loop', 'gone'], lookup)].sort()).toEqual(['d', 'e']);
  });
  it('lists what the caller lacks', () => {
    expect(notHeld(new Set(['a']), ['c', 'a', 'b'])).toEqual(['b', 'c']);
  });
});
