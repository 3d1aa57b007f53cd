import { describe, expect, it } from 'vitest';
import { testSchema } from './testSchema';
import { buildNav, flattenLinks, matchPath, paths, trailCrumbs } from './nav';

const links = flattenLinks(buildNav(testSchema));
const ips = links.find((l) => l.viewName === 'x:AllowedIp')!;

describe('nav', () => {
  it('addresses a link by its layout names', () => {
    expect(ips.path).toBe('/settings/security/allowed-ips');
    expect(paths.create(ips)).toBe('/settings/security/allowed-ips/new');
    expect(paths.record(ips, 'a/b')).toBe('/settings/security/allowed-ips/a%2Fb');
    expect(paths.filtered(ips, 'address', '10.0.0.0/8')).toBe('/settings/security/allowed-ips?f.address=10.0.0.0%2F8');
  });

  it('matches a path back to its link and page', () => {
    expect(matchPath(links, paths.record(ips, 'a/b'))).toEqual({ page: 'record', link: ips, id: 'a/b' });
    expect(matchPath(links, `${ips.path}/`)).toEqual({ page: 'list', link: ips });
    expect(matchPath(links, `${ips.path}/x/y`)).toBeUndefined();
  });

  it('builds breadcrumbs from the trail, the last step leading to the list', () => {
    expect(trailCrumbs(ips).map((c) => c.to)).toEqual([undefined, undefined, ips.path]);
  });
});
