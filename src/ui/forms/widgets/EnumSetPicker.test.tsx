// @vitest-environment jsdom
// The permission picker: a long enum set is grouped and searched through a combobox,
// ticking toggles members, and nothing the caller does not hold can be granted.

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnumValue, SchemaDocument } from '../../../shared/schema/types';
import { testSchema } from '../../schema/testSchema';
import { renderWithConsole } from '../../test/render';
import { EnumSetPicker } from './EnumSetPicker';

afterEach(cleanup);

/** What the live regions say now. */
const said = () => screen.getAllByRole('status').map((s) => s.textContent).join(' | ');

const verbs = ['Get', 'Query', 'Create', 'Update', 'Destroy'];
const permissions: EnumValue[] = [
  ...verbs.map((v) => ({ name: `sysRole${v}`, label: `${v} roles` })),
  ...verbs.map((v) => ({ name: `sysAllowedIp${v}`, label: `${v} allowed IPs` })),
  ...verbs.map((v) => ({ name: `sysClusterRole${v}`, label: `${v} cluster roles` })),
  { name: 'emailSend', label: 'Send email' },
  { name: 'emailReceive', label: 'Receive email' },
];
const doc: SchemaDocument = { ...testSchema, enums: { ...testSchema.enums, Permission: permissions } };

/** The picker with its value held as a form would, and every value it was handed. */
function Picker({ enumName, seen }: { enumName: string; seen: unknown[] }) {
  const [value, setValue] = useState<Record<string, true>>({});
  return (
    <EnumSetPicker
      id="p" label="Permissions" enumName={enumName} value={value}
      onChange={(v) => {
        seen.push(v);
        setValue(v);
      }}
    />
  );
}

describe('EnumSetPicker', () => {
  it('groups a long enum by area; its search is a combobox that ticks only the option moved to', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Picker enumName="Permission" seen={seen} />, { doc });
    const user = userEvent.setup();
    expect(screen.getByText('None selected.')).toBeTruthy();
    const toggles = screen.getAllByRole('button', { expanded: false }).map((b) => b.textContent);
    expect(toggles).toEqual(['Allowed IPs (5)', 'Cluster role (5)', 'Email (2)', 'Role (5)']);
    expect(screen.queryByRole('checkbox')).toBeNull();

    const search = screen.getByRole('combobox', { name: 'Search permissions' });
    await user.click(search);
    await user.keyboard('{Enter}');
    await user.type(search, 'allowed');
    const listbox = await screen.findByRole('listbox', { name: 'Matching permissions' });
    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(5));
    await user.keyboard('{Enter}');
    expect(seen).toEqual([]);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(seen).toEqual([{ sysAllowedIpGet: true }]);
    expect(said()).toContain('Added Get allowed IPs.');
    // The text stays, to pick the next one.
    expect(search).toHaveProperty('value', 'allowed');

    await user.clear(search);
    await user.type(search, 'zzz');
    expect(await screen.findByText('No option matches “zzz”.')).toBeTruthy();
  });

  it('does not let the caller grant a permission they do not hold, nor lift its removal', async () => {
    const held = permissions.map((p) => p.name).filter((n) => n !== 'emailSend');
    const seen: unknown[] = [];
    renderWithConsole(<Picker enumName="Permission" seen={seen} />, { doc, permissions: held });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^Email/ }));
    const send = screen.getByLabelText('Send email');
    expect(send).toHaveProperty('disabled', true);
    expect(send.getAttribute('aria-describedby') && document.getElementById(send.getAttribute('aria-describedby')!)?.textContent)
      .toBe('You do not hold this permission, so you cannot grant it.');
    await user.type(screen.getByRole('combobox', { name: 'Search permissions' }), 'send');
    const option = await screen.findByRole('option', { name: /Send email/ });
    expect(option.getAttribute('aria-disabled')).toBe('true');
    await user.click(option);
    expect(seen).toEqual([]);
    cleanup();

    // In a set that takes permissions away, an unheld one already taken away stays so.
    renderWithConsole(<EnumSetPicker id="d" label="Disabled" enumName="Permission" value={{ emailSend: true }} takes onChange={(v) => seen.push(v)} />, { doc, permissions: held });
    expect(screen.queryByRole('button', { name: 'Remove Send email' })).toBeNull();
  });

  it('toggles members by checkbox and by removing a chip', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Picker enumName="Permission" seen={seen} />, { doc });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^Email/ }));
    await user.click(screen.getByLabelText('Send email'));
    expect(seen.at(-1)).toEqual({ emailSend: true });
    const chips = screen.getByRole('list', { name: 'Selected permissions' });
    expect(within(chips).getByText('Send email')).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Email/ }).textContent).toBe('Email (1 of 2)');

    await user.click(screen.getByLabelText('Receive email'));
    expect(seen.at(-1)).toEqual({ emailSend: true, emailReceive: true });
    await user.click(screen.getByRole('button', { name: 'Remove Send email' }));
    expect(seen.at(-1)).toEqual({ emailReceive: true });
    expect(screen.getByLabelText('Send email')).toHaveProperty('checked', false);
  });

  it('shows a short enum as plain checkboxes', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Picker enumName="ClusterTaskType" seen={seen} />, { doc });
    const user = userEvent.setup();
    expect(screen.queryByRole('searchbox')).toBeNull();
    await user.click(screen.getByLabelText('Search Indexing'));
    expect(seen.at(-1)).toEqual({ searchIndexing: true });
    await user.click(screen.getByLabelText('Search Indexing'));
    expect(seen.at(-1)).toEqual({});
  });
});
