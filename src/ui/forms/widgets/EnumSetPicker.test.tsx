// @vitest-environment jsdom
// The permission picker: a long enum set is searched and grouped, ticking toggles members.

import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnumValue, SchemaDocument } from '../../../shared/schema/types';
import { testSchema } from '../../schema/testSchema';
import { renderWithConsole } from '../../test/render';
import { EnumSetPicker } from './EnumSetPicker';

afterEach(cleanup);

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
  it('groups a long enum by area and filters it by what is typed', async () => {
    renderWithConsole(<Picker enumName="Permission" seen={[]} />, { doc });
    const user = userEvent.setup();
    expect(screen.getByText('None selected.')).toBeTruthy();
    const toggles = screen.getAllByRole('button', { expanded: false }).map((b) => b.textContent);
    expect(toggles).toEqual(['Allowed IPs (5)', 'Cluster role (5)', 'Email (2)', 'Role (5)']);
    expect(screen.queryByRole('checkbox')).toBeNull();

    await user.type(screen.getByLabelText('Search permissions'), 'allowed');
    const group = await screen.findByRole('group', { name: 'Permissions: Allowed IPs' });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(5);
    expect(screen.queryByRole('button', { name: /Cluster role/ })).toBeNull();

    await user.clear(screen.getByLabelText('Search permissions'));
    await user.type(screen.getByLabelText('Search permissions'), 'zzz');
    expect(await screen.findByText('No option matches “zzz”.')).toBeTruthy();
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
