// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { JmapRecord } from '../jmap/types';
import { testSchema } from '../schema/testSchema';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { renderWithConsole, type JmapHandler, type Rendered } from '../test/render';
import ListPage from './ListPage';

afterEach(cleanup);

const link = flattenLinks(buildNav(testSchema)).find((l) => l.viewName === 'x:AllowedIp')!;
const view = resolveView(testSchema, 'x:AllowedIp')!;
const PATH = '/settings/security/allowed-ips';

/** 120 allowed IPs, their reasons in the opposite order of their addresses. */
const records: JmapRecord[] = Array.from({ length: 120 }, (_, i) => ({
  id: `ip${i}`,
  address: `10.0.${Math.floor(i / 100)}.${i % 100}`,
  reason: `reason ${String(119 - i).padStart(3, '0')}`,
  expiresAt: null,
}));

const server: JmapHandler = (name, args) => {
  if (name === 'x:AllowedIp/query') {
    const filter = (args.filter ?? {}) as { address?: string };
    const sort = (args.sort as { property: string; isAscending: boolean }[] | undefined)?.[0];
    const found = records.filter((r) => !filter.address || String(r.address).includes(filter.address));
    if (sort) found.sort((a, b) => String(a[sort.property]).localeCompare(String(b[sort.property])) * (sort.isAscending ? 1 : -1));
    const position = Number(args.position ?? 0);
    return { ids: found.slice(position, position + Number(args.limit)).map((r) => r.id), position, total: found.length };
  }
  if (name === 'x:AllowedIp/get') return { state: 's1', list: records.filter((r) => (args.ids as string[]).includes(r.id)) };
  throw new Error(`unexpected ${name}`);
};

function lastQuery(r: Rendered) {
  const queries = r.calls.filter((c) => c.name === 'x:AllowedIp/query');
  return queries[queries.length - 1]?.args;
}

function show(url: string) {
  return renderWithConsole(<ListPage link={link} view={view} crumbs={trailCrumbs(link)} />, { doc: testSchema, url, jmap: server });
}

describe('ListPage', () => {
  it('keeps filter, sort and page in the URL, and the /query calls follow', async () => {
    const user = userEvent.setup();
    const r = show(PATH);
    expect(await screen.findByRole('link', { name: '10.0.0.0' })).toBeTruthy();
    expect(lastQuery(r)).toMatchObject({ position: 0, limit: 50 });
    expect(lastQuery(r)?.filter).toBeUndefined();

    await user.type(screen.getByRole('searchbox', { name: 'Address' }), '10.0.1');
    await waitFor(() => expect(r.location()).toBe(`${PATH}?f.address=10.0.1`));
    await waitFor(() => expect(lastQuery(r)).toMatchObject({ filter: { address: '10.0.1' }, position: 0 }));
    expect(await screen.findByRole('link', { name: '10.0.1.0' })).toBeTruthy();

    await user.clear(screen.getByRole('searchbox', { name: 'Address' }));
    await user.type(screen.getByRole('searchbox', { name: 'Address' }), '10.0');
    await waitFor(() => expect(r.location()).toBe(`${PATH}?f.address=10.0`));

    await user.click(screen.getByRole('button', { name: 'Reason' }));
    await waitFor(() => expect(r.location()).toBe(`${PATH}?f.address=10.0&sort=reason&dir=asc`));
    await waitFor(() => expect(lastQuery(r)).toMatchObject({ sort: [{ property: 'reason', isAscending: true }], position: 0 }));
    // Reasons run opposite to addresses: the first by reason is the last address.
    expect(await screen.findByRole('link', { name: '10.0.1.19' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(r.location()).toBe(`${PATH}?f.address=10.0&sort=reason&dir=asc&page=2`));
    await waitFor(() => expect(lastQuery(r)).toMatchObject({ filter: { address: '10.0' }, sort: [{ property: 'reason', isAscending: true }], position: 50 }));
    expect(await screen.findByText('51–100 of 120')).toBeTruthy();
  });

  it('restores filter, sort and page from the URL it is loaded at', async () => {
    const r = show(`${PATH}?f.address=10.0&sort=reason&dir=desc&page=3`);
    expect(await screen.findByText('101–120 of 120')).toBeTruthy();
    expect(lastQuery(r)).toMatchObject({ filter: { address: '10.0' }, sort: [{ property: 'reason', isAscending: false }], position: 100 });
    expect((screen.getByRole('searchbox', { name: 'Address' }) as HTMLInputElement).value).toBe('10.0');
    expect(screen.getByRole('columnheader', { name: 'Reason' }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('link', { name: '10.0.1.0' })).toBeTruthy();
  });
});
