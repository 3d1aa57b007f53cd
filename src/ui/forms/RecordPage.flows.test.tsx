// @vitest-environment jsdom
// A record page when things go wrong: someone else saved first (choose per field, then
// save against their version), the page is reloaded mid-edit (the draft comes back),
// the connection is gone (the edit stays), and records or fields that cannot change.

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SchemaDocument } from '../../shared/schema/types';
import { ClientContext } from '../jmap/context';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { testSchema } from '../schema/testSchema';
import { renderWithConsole } from '../test/render';
import RecordPage from './RecordPage';
import { memoryServer, type MemoryServer } from './testing';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  vi.restoreAllMocks();
});

const link = flattenLinks(buildNav(testSchema)).find((l) => l.viewName === 'x:AllowedIp')!;
const view = resolveView(testSchema, 'x:AllowedIp')!;
const ip = () => ({ id: 'a1', address: '10.1.2.3', reason: 'before', createdAt: '2030-01-01T00:00:00Z', expiresAt: null });

function open(server: MemoryServer, doc: SchemaDocument = testSchema, v = view, l = link) {
  return renderWithConsole(<RecordPage link={l} view={v} id="a1" crumbs={trailCrumbs(l)} />, {
    doc, url: `${l.path}/a1`, wrap: (page) => <ClientContext.Provider value={server.client}>{page}</ClientContext.Provider>,
  });
}

const sets = (server: MemoryServer) => server.calls.filter(([n]) => n.endsWith('/set')).map(([, a]) => a);

describe('a conflict', () => {
  it('shows their change beside mine, and saves my choice against their version', async () => {
    const server = memoryServer('x:AllowedIp', [ip()]);
    open(server);
    const user = userEvent.setup();
    const reason = await screen.findByLabelText('Reason');
    await user.clear(reason);
    await user.type(reason, 'mine');
    server.change('a1', { reason: 'theirs', expiresAt: '2031-05-01T00:00:00Z' });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const panel = await screen.findByRole('region', { name: 'Changed by someone else' });
    const choice = within(panel).getByRole('group', { name: 'Reason' });
    expect(within(choice).getByLabelText(/Keep yours: mine/)).toHaveProperty('checked', true);
    expect(within(choice).getByLabelText(/Take theirs: theirs/)).toHaveProperty('checked', false);
    expect(panel.textContent).toContain('Expires: May 1, 2031, 00:00 UTC');

    await user.click(within(panel).getByRole('button', { name: 'Save with these choices' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    // The second save names their state and sends only what I kept.
    expect(sets(server)).toEqual([
      { accountId: 'a', ifInState: 's1', update: { a1: { reason: 'mine' } } },
      { accountId: 'a', ifInState: 's2', update: { a1: { reason: 'mine' } } },
    ]);
    expect(server.records.get('a1')).toMatchObject({ reason: 'mine', expiresAt: '2031-05-01T00:00:00Z' });
    expect(screen.queryByRole('region', { name: 'Changed by someone else' })).toBeNull();
  });

  it('takes their value where I choose theirs, or all of theirs when I discard mine', async () => {
    const server = memoryServer('x:AllowedIp', [ip()]);
    open(server);
    const user = userEvent.setup();
    const reason = await screen.findByLabelText('Reason');
    await user.type(reason, ' edited');
    server.change('a1', { reason: 'theirs' });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const panel = await screen.findByRole('region', { name: 'Changed by someone else' });
    await user.click(within(panel).getByRole('button', { name: 'Discard my changes' }));
    expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('theirs');
    expect(screen.getByRole('button', { name: 'Save changes' })).toHaveProperty('disabled', true);
    expect(sets(server)).toHaveLength(1);
  });
});

describe('a draft', () => {
  it('survives a reload, says so, is discarded on request and cleared by a save', async () => {
    const server = memoryServer('x:AllowedIp', [ip()]);
    open(server);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Reason'), ' and more');
    cleanup();

    open(server);
    expect(await screen.findByText(/Your unsaved changes from .* were kept/)).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('before and more');
    await user.click(screen.getByRole('button', { name: 'Discard draft' }));
    expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('before');
    expect(screen.queryByText(/were kept/)).toBeNull();
    cleanup();

    open(server);
    await user.type(await screen.findByLabelText('Reason'), '!');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    cleanup();
    open(server);
    await screen.findByLabelText('Reason');
    expect(screen.queryByText(/were kept/)).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('before!');
  });

  it('is not made by someone else’s change arriving in an untouched form', async () => {
    const server = memoryServer('x:AllowedIp', [ip()]);
    const r = open(server);
    await screen.findByLabelText('Reason');
    server.change('a1', { reason: 'theirs' });
    await r.queryClient.invalidateQueries();
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('theirs'));
    expect(sessionStorage.length).toBe(0);
  });
});

describe('a save without a connection', () => {
  it('says so and keeps the edit', async () => {
    const server = memoryServer('x:AllowedIp', [ip()]);
    open(server);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Reason'), ' edited');
    server.down = true;
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('The server did not answer; your changes are kept — save again once it is back.')).toBeTruthy();
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('You appear to be offline; your changes are kept — save again when the connection is back.')).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('before edited');
  });
});

describe('what cannot change', () => {
  it('shows immutable and server-set fields as text beside their labels', async () => {
    open(memoryServer('x:AllowedIp', [ip()]));
    const reason = await screen.findByLabelText('Reason');
    expect(reason.tagName).toBe('INPUT');
    const address = screen.getByLabelText('Address');
    expect(address.tagName).toBe('DD');
    expect(address.textContent).toBe('10.1.2.3');
    expect(screen.getByLabelText('Created').textContent).toBe('Jan 1, 2030, 00:00 UTC');
  });

  it('shows a built-in record read-only, says why, and offers no delete', async () => {
    const doc: SchemaDocument = {
      ...testSchema,
      objects: { ...testSchema.objects, 'x:Role': { ...testSchema.objects['x:Role'], builtInProperty: 'builtIn' } },
      fields: {
        ...testSchema.fields,
        'x:Role': { properties: { ...testSchema.fields['x:Role'].properties, builtIn: { description: 'Made by the server', type: { type: 'boolean' }, update: 'serverSet' } } },
      },
      lists: { ...testSchema.lists, 'x:Role': { title: 'Roles', subtitle: '', singularName: 'role', pluralName: 'roles', labelProperty: 'description', columns: [], itemActions: [{ type: 'delete' }] } },
    };
    const roleLink = flattenLinks(buildNav(doc)).find((l) => l.viewName === 'x:Role')!;
    const server = memoryServer('x:Role', [
      { id: 'a1', description: 'Administrator', memberTenantId: null, roleIds: {}, enabledPermissions: { sysRoleGet: true, emailSend: true }, disabledPermissions: {}, builtIn: true },
    ]);
    open(server, doc, resolveView(doc, 'x:Role')!, roleLink);
    expect(await screen.findByText(/This role is built in: the server made it and keeps it as it is, so it cannot be changed or deleted/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Administrator');
    expect(screen.getByLabelText('Description').textContent).toBe('Administrator');
    expect(within(screen.getByLabelText('Enabled permissions')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Get roles', 'Send email']);
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();
    await waitFor(() => expect(server.calls.map(([n]) => n)).toEqual(['x:Role/get']));
  });
});
