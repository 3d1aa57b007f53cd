import { describe, expect, it } from 'vitest';
import { buildNav } from '../../schema/nav';
import { testSchema } from '../../schema/testSchema';
import { matchPages, searchFilter, searchTargets } from './targets';

const nav = buildNav(testSchema);
const all = new Set(['sysAllowedIpQuery', 'sysAllowedIpGet', 'sysAccountQuery', 'sysAccountGet', 'sysRoleQuery', 'sysRoleGet']);

describe('matchPages', () => {
  it('finds pages by every typed word of their trail, names starting with the text first', () => {
    expect(matchPages(nav, 'roles').map((p) => p.to)).toEqual(['/management/directory/roles', '/settings/cluster/roles']);
    expect(matchPages(nav, 'cluster rol').map((p) => p.link.name)).toEqual(['Roles']);
    expect(matchPages(nav, 'ALLOWED').map((p) => p.where)).toEqual(['Settings › Security']);
    expect(matchPages(nav, 'nothing like it')).toEqual([]);
  });

  it('offers the first pages before anything is typed', () => {
    expect(matchPages(nav, '', 2).map((p) => p.link.name)).toEqual(['Users', 'Roles']);
  });
});

describe('searchTargets', () => {
  it('searches lists with a text filter the caller may read, not singletons or lists without one', () => {
    const targets = searchTargets(testSchema, nav, all);
    expect(targets.map((t) => [t.link.viewName, t.objectName, t.field, t.labelProperty])).toEqual([['x:AllowedIp', 'x:AllowedIp', 'address', 'address']]);
  });

  it('searches by the label when one of several text filters is on it', () => {
    const list = { ...testSchema.lists['x:AllowedIp'], filters: [{ type: 'text' as const, field: 'reason', label: 'Reason' }, { type: 'text' as const, field: 'address', label: 'Address' }] };
    const doc = { ...testSchema, lists: { ...testSchema.lists, 'x:AllowedIp': list } };
    expect(searchTargets(doc, buildNav(doc), all).map((t) => t.field)).toEqual(['address']);
  });

  it('leaves out a type the caller may query but not read', () => {
    expect(searchTargets(testSchema, nav, new Set(['sysAllowedIpQuery']))).toEqual([]);
  });

  it("sends the text as the list's own filter, with its static part", () => {
    const [target] = searchTargets(testSchema, nav, all);
    expect(searchFilter(testSchema, target, ' 10.0 ')).toEqual({ address: '10.0' });
    const userList = { ...testSchema.lists['x:Account/User'], filters: [{ type: 'text' as const, field: 'name', label: 'Name' }] };
    const doc = { ...testSchema, lists: { ...testSchema.lists, 'x:Account/User': userList } };
    const users = searchTargets(doc, buildNav(doc), all).find((t) => t.objectName === 'x:Account')!;
    expect(users.link.name).toBe('Users');
    expect(searchFilter(doc, users, 'ann')).toEqual({ '@type': 'User', name: 'ann' });
  });
});
