import { describe, expect, it } from 'vitest';
import { testSchema } from '../schema/testSchema';
import { buildNav, flattenLinks, type NavLink } from '../schema/nav';
import { consoleFor } from './console';
import { accessOf, pageAt } from './routes';

const links = flattenLinks(buildNav(testSchema));
const linkOf = (viewName: string) => links.find((l) => l.viewName === viewName)!;
const props = (path: string) => pageAt(path, testSchema, links).props as { link?: NavLink; id?: string | null; crumbs: { label: string; to?: string }[] };

describe('routes', () => {
  it('serve the addresses the layouts give, with the id after a link', () => {
    expect(props('/settings/security/allowed-ips')).toMatchObject({ link: linkOf('x:AllowedIp') });
    expect(props('/settings/security/allowed-ips/new')).toMatchObject({ link: linkOf('x:AllowedIp'), id: null });
    expect(props('/settings/security/allowed-ips/a%2Fb')).toMatchObject({ id: 'a/b' });
    expect(props('/settings/system')).toMatchObject({ id: 'singleton' });
    expect(props('/nowhere').crumbs).toEqual([{ label: 'Overview', to: '/' }, { label: 'Not found' }]);
    expect(props('/').crumbs).toEqual([{ label: 'Overview' }]);
  });

  it('give every page of a link its trail, the last step leading to its list', () => {
    expect(props('/settings/security/allowed-ips/new').crumbs).toEqual([
      { label: 'Settings' }, { label: 'Security' }, { label: 'Allowed IPs', to: '/settings/security/allowed-ips' },
    ]);
  });

  it('say what access lists a link: reading its records, or none for pages this console lacks', () => {
    expect(accessOf(linkOf('x:Account/User'), testSchema)).toEqual({ prefix: 'sysAccount', verb: 'Query' });
    expect(accessOf(linkOf('x:SystemSettings'), testSchema)).toEqual({ prefix: 'sysSettings', verb: 'Get' });
    expect(accessOf(linkOf('CustomComponent/Tracing'), testSchema)).toBeNull();
  });

  it('show a page the caller may not open as a refusal in words, without asking the server', () => {
    const refused = pageAt('/settings/security/allowed-ips', testSchema, links, new Set(['sysRoleQuery']));
    expect(refused.props).toEqual({ crumbs: props('/settings/security/allowed-ips').crumbs, permission: 'sysAllowedIpQuery' });
    expect(pageAt('/settings/security/allowed-ips', testSchema, links, new Set(['sysAllowedIpQuery'])).props).toMatchObject({ link: linkOf('x:AllowedIp') });
    // Records and pages without access rules open as before: the server decides.
    expect(pageAt('/settings/security/allowed-ips/ip1', testSchema, links, new Set()).props).toMatchObject({ id: 'ip1' });
  });

  it('prune the navigation to what the caller may open', () => {
    const { nav } = consoleFor(testSchema, new Set(['sysRoleQuery']));
    expect(flattenLinks(nav).map((l) => l.viewName)).toEqual(['x:Role']);
  });
});
