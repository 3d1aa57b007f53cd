// @vitest-environment jsdom
// The record picker as a keyboard user meets it: focus and Enter choose nothing, typing,
// an arrow and Enter choose, each choice is announced, and roles that would grant more
// than the caller holds are offered disabled with the reason.

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { testSchema } from '../../schema/testSchema';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { ObjectPicker } from './ObjectPicker';

afterEach(cleanup);

/** What the live regions say now. */
const said = () => screen.getAllByRole('status').map((s) => s.textContent).join(' | ');

const doc: SchemaDocument = {
  ...testSchema,
  lists: {
    ...testSchema.lists,
    'x:Role': {
      title: 'Roles', subtitle: '', singularName: 'role', pluralName: 'roles', labelProperty: 'description',
      columns: [{ name: 'description', label: 'Description' }], filters: [{ type: 'text', field: 'description', label: 'Description' }],
    },
  },
};

const roles = [
  { id: 'admin', description: 'Administrator', roleIds: {}, enabledPermissions: { sysRoleGet: true, sysRoleCreate: true, emailSend: true }, disabledPermissions: {} },
  { id: 'reader', description: 'Reader', roleIds: {}, enabledPermissions: { sysRoleGet: true }, disabledPermissions: {} },
  // Extends the administrator but takes away what the caller lacks: grantable.
  { id: 'tamed', description: 'Tamed admin', roleIds: { admin: true }, enabledPermissions: {}, disabledPermissions: { sysRoleCreate: true, emailSend: true } },
  { id: 'heir', description: 'Heir', roleIds: { admin: true }, enabledPermissions: {}, disabledPermissions: {} },
];

/** Answers role searches and gets like the server: a description filter, every property. */
const server: JmapHandler = (name, args) => {
  const filter = (args.filter as { description?: string } | undefined)?.description?.toLowerCase();
  if (name === 'x:Role/query') {
    const ids = roles.filter((r) => !filter || r.description.toLowerCase().includes(filter)).map((r) => r.id);
    return { ids, position: 0, total: ids.length };
  }
  if (name === 'x:Role/get') {
    const ids = args.ids as string[];
    return { state: 's1', list: roles.filter((r) => ids.includes(r.id)), notFound: ids.filter((id) => !roles.some((r) => r.id === id)) };
  }
  throw new Error(`unexpected ${name}`);
};

function Picker({ multiple, seen, grants = true }: { multiple?: boolean; seen: unknown[]; grants?: boolean }) {
  const [value, setValue] = useState<unknown>(multiple ? {} : null);
  return (
    <form onSubmit={(e) => { e.preventDefault(); seen.push('submitted'); }}>
      <label htmlFor="p">Roles</label>
      <ObjectPicker id="p" objectName="x:Role" grants={grants} multiple={multiple} value={value} onChange={(v) => { seen.push(v); setValue(v); }} />
    </form>
  );
}

/** A caller holding only what Reader gives. */
const caller = ['sysRoleGet', 'sysRoleQuery'];

describe('ObjectPicker', () => {
  it('chooses nothing on focus, Tab or Enter; typing, an arrow and Enter add and announce', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Picker multiple seen={seen} />, { doc, jmap: server, permissions: caller });
    const user = userEvent.setup();
    await user.tab();
    const box = screen.getByRole('combobox', { name: 'Roles' });
    expect(box).toHaveProperty('ownerDocument.activeElement', box);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await user.keyboard('{Enter}');
    expect(seen).toEqual([]);

    await user.type(box, 'read');
    // The search runs on the server once typing pauses: then Reader is the only match.
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Reader']));
    await user.keyboard('{Enter}');
    expect(seen).toEqual([]);
    await user.keyboard('{ArrowDown}');
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: /Reader/ }).id);
    await user.keyboard('{Enter}');
    expect(seen).toEqual([{ reader: true }]);
    expect(said()).toContain('Added Reader.');
    expect(within(screen.getByRole('list', { name: 'Selected' })).getByText('Reader')).toBeTruthy();
  });

  it('offers roles that would grant more than the caller holds disabled, saying why', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Picker multiple seen={seen} />, { doc, jmap: server, permissions: caller });
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Roles' }));
    const admin = await screen.findByRole('option', { name: /Administrator/ });
    await waitFor(() => expect(admin.textContent).toContain('Grants permissions you do not hold: Create roles and Send email'));
    expect(admin.getAttribute('aria-disabled')).toBe('true');
    const heir = screen.getByRole('option', { name: /Heir/ });
    expect(heir.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('option', { name: /Tamed admin/ }).getAttribute('aria-disabled')).toBeNull();
    await user.click(admin);
    expect(seen).toEqual([]);
  });

  it('checks nothing where the choice grants nothing (a list filter)', async () => {
    renderWithConsole(<Picker seen={[]} grants={false} />, { doc, jmap: server, permissions: caller });
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Roles' }));
    const admin = await screen.findByRole('option', { name: 'Administrator' });
    expect(admin.getAttribute('aria-disabled')).toBeNull();
  });

  it('a single picker shows the chosen label and clears it', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Picker seen={seen} />, { doc, jmap: server });
    const user = userEvent.setup();
    const box = screen.getByRole('combobox', { name: 'Roles' });
    await user.type(box, 'adm');
    await user.click(await screen.findByRole('option', { name: /Administrator/ }));
    expect(seen).toEqual(['admin']);
    await waitFor(() => expect(box).toHaveProperty('value', 'Administrator'));
    expect(said()).toContain('Chose Administrator.');
    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(seen.at(-1)).toBeNull();
  });
});
