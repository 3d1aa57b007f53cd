// @vitest-environment jsdom
// The list page's work beyond one page: columns chosen and kept, every matching record
// selected across pages and deleted, the filtered list exported as CSV.

import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JmapRecord } from '../jmap/types';
import { testSchema } from '../schema/testSchema';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { renderWithConsole, type JmapHandler } from '../test/render';
import { Link } from 'react-router';
import ListPage from './ListPage';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
});

const link = flattenLinks(buildNav(testSchema)).find((l) => l.viewName === 'x:AllowedIp')!;
const view = resolveView(testSchema, 'x:AllowedIp')!;
const PATH = '/settings/security/allowed-ips';

/** A server of `n` allowed IPs that really destroys what it is told to. */
function server(n: number, refuse?: string) {
  const records: JmapRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `ip${i}`, address: `10.0.${Math.floor(i / 100)}.${i % 100}`, reason: i === 3 ? 'say "hi", =1+1' : `reason ${i}`, expiresAt: null, createdAt: '2030-01-01T00:00:00Z',
  }));
  const handler: JmapHandler = (name, args) => {
    if (name === 'x:AllowedIp/query') {
      const filter = (args.filter ?? {}) as { address?: string };
      const found = records.filter((r) => !filter.address || String(r.address).includes(filter.address));
      const position = Number(args.position ?? 0);
      return { ids: found.slice(position, position + Number(args.limit)).map((r) => r.id), position, total: found.length };
    }
    if (name === 'x:AllowedIp/get') return { state: 's1', list: records.filter((r) => (args.ids as string[]).includes(r.id)) };
    if (name === 'x:AllowedIp/set') {
      const ids = (args.destroy as string[]).filter((id) => id !== refuse);
      for (const id of ids) records.splice(records.findIndex((r) => r.id === id), 1);
      const notDestroyed = refuse && (args.destroy as string[]).includes(refuse) ? { [refuse]: { type: 'forbidden', description: 'This one is in use.' } } : undefined;
      return { newState: 's2', destroyed: ids, notDestroyed };
    }
    throw new Error(`unexpected ${name}`);
  };
  return { handler, records };
}

function show(url: string, jmap: JmapHandler) {
  return renderWithConsole(<ListPage link={link} view={view} crumbs={trailCrumbs(link)} />, { doc: testSchema, url, jmap });
}

const headers = () => screen.getAllByRole('columnheader').map((h) => h.textContent).filter((t) => t && t !== 'Actions');

/** jsdom's Blob has no text(): read it as a browser would. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(blob);
  });
}

describe('columns', () => {
  it('are chosen and reordered in an announced panel, kept after a reload, and reset', async () => {
    const user = userEvent.setup();
    show(PATH, server(3).handler);
    await screen.findByRole('link', { name: '10.0.0.0' });
    expect(headers()).toEqual(['Address', 'Reason', 'Expires']);

    await user.click(screen.getByRole('button', { name: 'Columns' }));
    const panel = screen.getByRole('dialog', { name: 'Columns' });
    await user.click(within(panel).getByRole('checkbox', { name: 'Created' }));
    await user.click(within(panel).getByRole('button', { name: 'Move Reason up' }));
    expect(within(panel).getByRole('status').textContent).toBe('Reason moved to position 1 of 4.');
    // The keyboard stays on the column that moved: now first, so only down is left.
    expect(document.activeElement).toBe(within(panel).getByRole('button', { name: 'Move Reason down' }));
    expect(headers()).toEqual(['Reason', 'Address', 'Expires', 'Created']);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Columns' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Columns' }));

    cleanup();
    show(PATH, server(3).handler);
    await screen.findByRole('cell', { name: 'reason 0' });
    expect(headers()).toEqual(['Reason', 'Address', 'Expires', 'Created']);
    // The first column links to the record, whichever it is.
    expect(screen.getByRole('link', { name: 'reason 0' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Columns' }));
    await user.click(screen.getByRole('button', { name: 'Reset columns' }));
    expect(headers()).toEqual(['Address', 'Reason', 'Expires']);
    expect(localStorage.getItem('postern.columns.x:AllowedIp.x:AllowedIp')).toBeNull();
    // A click elsewhere closes the panel.
    await user.click(screen.getByRole('heading', { name: 'Allowed IPs' }));
    expect(screen.queryByRole('dialog', { name: 'Columns' })).toBeNull();
  });
});

describe('selection across pages', () => {
  it('selects every matching record after the page, and deletes them all', async () => {
    const user = userEvent.setup();
    const data = server(45);
    const r = show(`${PATH}?size=20`, data.handler);
    await screen.findByRole('link', { name: '10.0.0.0' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    const bar = screen.getByRole('region', { name: 'Selection' });
    expect(bar.textContent).toContain('All 20 on this page are selected.');
    await user.click(within(bar).getByRole('button', { name: 'Select all 45 matching' }));
    expect(bar.textContent).toContain('All 45 matching are selected.');
    await user.click(within(bar).getByRole('button', { name: 'Delete selected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete 45 allowed IPs?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted 45 allowed IPs.')).toBeTruthy();
    expect(data.records).toEqual([]);
    // The ids were read page by page through /query, then destroyed.
    const destroyed = r.calls.filter((c) => c.name === 'x:AllowedIp/set').flatMap((c) => c.args.destroy as string[]);
    expect(new Set(destroyed).size).toBe(45);
    expect(await screen.findByText('There are no allowed IPs yet.')).toBeTruthy();
  });

  it('says which records the server refused, and deletes the rest', async () => {
    const user = userEvent.setup();
    const data = server(45, 'ip30');
    show(`${PATH}?size=20`, data.handler);
    await screen.findByRole('link', { name: '10.0.0.0' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    await user.click(screen.getByRole('button', { name: 'Select all 45 matching' }));
    await user.click(screen.getByRole('button', { name: 'Delete selected' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Delete 45 allowed IPs?' })).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted 44 allowed IPs.')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain('This one is in use.');
    expect(data.records.map((r) => r.id)).toEqual(['ip30']);
  });
});

describe('selection and the filter', () => {
  it('starts again when the filter changes by any way (a link, Back), not only through the filter bar', async () => {
    const user = userEvent.setup();
    const data = server(45);
    renderWithConsole(<ListPage link={link} view={view} crumbs={trailCrumbs(link)} />, {
      doc: testSchema, url: `${PATH}?size=20`, jmap: data.handler,
      wrap: (page) => (<><Link to={`${PATH}?size=20&f.address=10.0.0.1`}>narrower</Link>{page}</>),
    });
    await screen.findByRole('link', { name: '10.0.0.0' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    await user.click(screen.getByRole('button', { name: 'Select all 45 matching' }));
    await user.click(screen.getByRole('link', { name: 'narrower' }));
    await screen.findByRole('link', { name: '10.0.0.19' });
    expect(screen.queryByRole('link', { name: '10.0.0.2' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Selection' })).toBeNull();
  });
});

describe('confirmation of every matching record', () => {
  it('names the real count: built-in records, never removed, are not counted', async () => {
    const user = userEvent.setup();
    const data = server(45);
    data.records.slice(0, 5).forEach((r) => (r.builtIn = true));
    const doc = { ...testSchema, objects: { ...testSchema.objects, 'x:AllowedIp': { ...testSchema.objects['x:AllowedIp'], builtInProperty: 'builtIn' } } };
    renderWithConsole(<ListPage link={link} view={resolveView(doc, 'x:AllowedIp')!} crumbs={trailCrumbs(link)} />, { doc, url: `${PATH}?size=20`, jmap: data.handler });
    await screen.findByRole('link', { name: '10.0.0.0' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    await user.click(screen.getByRole('button', { name: 'Select all 45 matching' }));
    await user.click(screen.getByRole('button', { name: 'Delete selected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete 40 allowed IPs?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted 40 allowed IPs.')).toBeTruthy();
    expect(data.records.map((r) => r.id)).toEqual(['ip0', 'ip1', 'ip2', 'ip3', 'ip4']);
  });
});

describe('export', () => {
  it('downloads the filtered list as CSV, every page, header first', async () => {
    const user = userEvent.setup();
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:export';
    });
    URL.revokeObjectURL ??= () => undefined;
    let fileName = '';
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      fileName = this.download;
    });
    const r = show(`${PATH}?f.address=10.0.0.&size=5`, server(120).handler);
    await screen.findByRole('link', { name: '10.0.0.0' });
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Exported 100 allowed IPs.')).toBeTruthy();
    expect(fileName).toMatch(/^AllowedIp-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readText(blob!);
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Address,Reason,Expires');
    expect(lines[1]).toBe('10.0.0.0,reason 0,');
    expect(lines[4]).toBe('10.0.0.3,"say ""hi"", =1+1",');
    expect(lines).toHaveLength(102);
    const queries = r.calls.filter((c) => c.name === 'x:AllowedIp/query' && c.args.limit === 500);
    expect(queries[0]?.args.filter).toEqual({ address: '10.0.0.' });
  });
});
