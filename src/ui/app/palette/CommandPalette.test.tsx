// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import type { JmapRecord } from '../../jmap/types';
import { testSchema } from '../../schema/testSchema';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { CommandPalette } from './CommandPalette';

afterEach(cleanup);

// Users get a text filter, so two types are searched: allowed IPs (by address) and users (by name).
const doc: SchemaDocument = {
  ...testSchema,
  lists: { ...testSchema.lists, 'x:Account/User': { ...testSchema.lists['x:Account/User'], filters: [{ type: 'text', field: 'name', label: 'Name' }] } },
};

const ips: JmapRecord[] = Array.from({ length: 8 }, (_, i) => ({ id: `ip${i}`, address: `10.0.0.${i}` }));
const users: JmapRecord[] = [{ id: 'u1', name: 'alice' }, { id: 'u2', name: 'bob' }];

const server: JmapHandler = (name, args) => {
  const filter = (args.filter ?? {}) as Record<string, string>;
  if (name === 'x:AllowedIp/query') {
    const found = ips.filter((r) => String(r.address).includes(filter.address ?? ''));
    return { ids: found.slice(0, Number(args.limit)).map((r) => r.id), position: 0, total: found.length };
  }
  if (name === 'x:Account/query') {
    const found = users.filter((r) => String(r.name).includes(filter.name ?? ''));
    return { ids: found.map((r) => r.id), position: 0, total: found.length };
  }
  if (name === 'x:AllowedIp/get') return { state: 's', list: ips.filter((r) => (args.ids as string[]).includes(r.id)) };
  if (name === 'x:Account/get') return { state: 's', list: users.filter((r) => (args.ids as string[]).includes(r.id)) };
  throw new Error(`unexpected ${name}`);
};

describe('CommandPalette', () => {
  it('searches every searchable type on the server, a few each, grouped, and Enter opens the record', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const r = renderWithConsole(<CommandPalette open onClose={onClose} />, { doc, jmap: server });
    const input = await screen.findByRole('combobox', { name: 'Search pages and records' });
    expect(r.calls).toEqual([]);

    await user.type(input, '10.0');
    const group = await screen.findByRole('group', { name: 'Settings › Security › Allowed IPs' });
    expect(group.querySelectorAll('[role=option]')).toHaveLength(6); // five records and "All matches"
    expect(screen.getByRole('option', { name: 'All matches in Allowed IPs…' })).toBeTruthy();
    const queries = r.calls.filter((c) => c.name.endsWith('/query'));
    expect(queries.map((c) => [c.name, c.args.filter, c.args.limit])).toEqual([
      ['x:Account/query', { '@type': 'User', name: '10.0' }, 5],
      ['x:AllowedIp/query', { address: '10.0' }, 5],
    ]);
    expect(screen.queryByRole('group', { name: /Users/ })).toBeNull();
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('5 matches.'));

    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(r.location()).toBe('/settings/security/allowed-ips/ip1'));
    expect(onClose).toHaveBeenCalled();
  });

  it('matches pages of the navigation by name without asking the server for them', async () => {
    const user = userEvent.setup();
    const r = renderWithConsole(<CommandPalette open onClose={() => {}} />, { doc, jmap: server });
    // Pasted: jsdom loses a key typed while the combobox moves its active item (a browser does not; see e2e/palette.spec.ts).
    await user.click(await screen.findByRole('combobox'));
    await user.paste('ali');
    expect(await screen.findByRole('option', { name: 'alice' })).toBeTruthy();
    cleanup();
    const again = renderWithConsole(<CommandPalette open onClose={() => {}} />, { doc, jmap: server });
    await user.click(await screen.findByRole('combobox'));
    await user.paste('allowed');
    const pages = await screen.findByRole('group', { name: 'Pages' });
    expect(pages.textContent).toContain('Allowed IPs');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(again.location()).toBe('/settings/security/allowed-ips'));
    // The server is asked for records only: the pages come from the navigation.
    expect(again.calls.map((c) => c.name.split('/')[0]).filter((t) => t !== 'x:AllowedIp' && t !== 'x:Account')).toEqual([]);
    expect(r.calls.some((c) => c.name === 'x:Account/query')).toBe(true);
  });
});
