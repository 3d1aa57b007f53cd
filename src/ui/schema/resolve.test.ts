import { describe, expect, it } from 'vitest';
import { can, humanize, isRequired, labelPropertyOf, recordFields, resolveView, searchPropertyOf } from './resolve';
import { buildNav, flattenLinks, linkForObject, matchPath, pruneNav } from './nav';
import { testSchema as doc } from './testSchema';

describe('resolveView', () => {
  it('resolves an object with its form and list', () => {
    const v = resolveView(doc, 'x:AllowedIp')!;
    expect(v.objectName).toBe('x:AllowedIp');
    expect(v.list?.title).toBe('Allowed IPs');
    expect(v.form.sections[0].fields.map((f) => f.name)).toEqual(['address', 'reason', 'createdAt', 'expiresAt']);
    expect(v.permissionPrefix).toBe('sysAllowedIp');
  });

  it('resolves a view to its parent object and fixed variant, inheriting the permission prefix', () => {
    const v = resolveView(doc, 'x:Account/User')!;
    expect(v.objectName).toBe('x:Account');
    expect(v.fixedVariant).toBe('User');
    expect(v.permissionPrefix).toBe('sysAccount');
    expect(Object.keys(recordFields(doc, v).properties)).toEqual(['name', 'quota']);
    expect(v.form.sections[0].fields.map((f) => f.label)).toEqual(['Name', 'Quota']);
  });

  it('builds a default form when the schema has none, and flags singletons', () => {
    const v = resolveView(doc, 'x:SystemSettings')!;
    expect(v.singleton).toBe(true);
    expect(v.form.sections[0].fields.map((f) => f.name)).toEqual(['hostname', 'timeout', 'limits', 'headers']);
    expect(resolveView(doc, 'x:Nope')).toBeUndefined();
  });
});

describe('isRequired', () => {
  const props = doc.fields['x:ClusterRole'].properties;
  it('requires non-nullable scalars without defaults and non-nullable unions', () => {
    expect(isRequired(doc, props.name.type, false)).toBe(true);
    expect(isRequired(doc, props.description.type, false)).toBe(false);
    expect(isRequired(doc, props.tasks.type, false)).toBe(true);
    expect(isRequired(doc, props.name.type, true)).toBe(false);
    expect(isRequired(doc, { type: 'boolean' }, false)).toBe(false);
    expect(isRequired(doc, { type: 'set', class: { type: 'string' } }, false)).toBe(false);
  });
});

describe('helpers', () => {
  it('checks permissions by prefix', () => {
    const perms = new Set(['sysRoleGet']);
    expect(can(perms, 'sysRole', 'Get')).toBe(true);
    expect(can(perms, 'sysRole', 'Create')).toBe(false);
    expect(can(perms, undefined, 'Create')).toBe(true);
  });
  it('finds label and search properties', () => {
    expect(labelPropertyOf(doc, 'x:AllowedIp')).toBe('address');
    expect(labelPropertyOf(doc, 'x:Account')).toBe('name');
    expect(searchPropertyOf(doc, 'x:AllowedIp')).toBe('address');
    expect(humanize('enabledPermissions')).toBe('Enabled permissions');
  });
});

describe('nav', () => {
  const nav = buildNav(doc);
  const links = flattenLinks(nav);
  it('builds readable paths and trails', () => {
    expect(links.map((l) => l.path)).toContain('/settings/security/allowed-ips');
    const roles = links.find((l) => l.viewName === 'x:Role')!;
    expect(roles.path).toBe('/management/directory/roles');
    expect(roles.trail).toEqual(['Management', 'Directory', 'Roles']);
  });
  it('matches list, new and record paths', () => {
    expect(matchPath(links, '/settings/cluster/roles')).toMatchObject({ page: 'list', link: { viewName: 'x:ClusterRole' } });
    expect(matchPath(links, '/settings/cluster/roles/new')).toMatchObject({ page: 'new' });
    expect(matchPath(links, '/settings/cluster/roles/a%2Fb')).toMatchObject({ page: 'record', id: 'a/b' });
    expect(matchPath(links, '/nowhere')).toBeUndefined();
  });
  it('prunes links and empty groups', () => {
    const pruned = pruneNav(nav, (l) => l.viewName !== 'x:Account/User' && l.viewName !== 'x:Role');
    expect(pruned.map((g) => g.name)).toEqual(['Settings']);
  });
  it('finds the page of an object, also through a view', () => {
    expect(linkForObject(doc, links, 'x:Account')?.viewName).toBe('x:Account/User');
  });
});
