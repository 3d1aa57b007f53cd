// @vitest-environment jsdom
// Record pages generated from a Stalwart-shaped schema against a server without state:
// a view over one variant shows that variant's form, credentials are a list of unions,
// quotas a map with enum keys, secrets are never shown back and sent only when typed,
// enterprise-only fields are marked and left alone, and a union-typed singleton switches
// its type keeping what was typed under each.

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleFor } from '../app/console';
import { ConsoleContext } from '../schema/context';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { stalwartTestSchema as doc } from '../schema/stalwartTestSchema';
import { renderWithConsole } from '../test/render';
import RecordPage from './RecordPage';
import { stalwartServer, type StalwartServer } from './stalwartServer';

/** Under a loaded machine a form's save takes longer than the defaults allow. */
const SLOW = { timeout: 5000 };

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const links = flattenLinks(buildNav(doc));
const perms = Object.values(doc.objects).flatMap((o) => (o.permissionPrefix ? ['Get', 'Query', 'Create', 'Update', 'Destroy'].map((v) => `${o.permissionPrefix}${v}`) : []));

function open(server: StalwartServer, viewName: string, id: string | null, edition = 'oss') {
  const link = links.find((l) => l.viewName === viewName)!;
  const view = resolveView(doc, viewName)!;
  const at = view.singleton ? 'singleton' : id;
  return renderWithConsole(<RecordPage link={link} view={view} id={at} crumbs={trailCrumbs(link)} />, {
    doc, url: id ? `${link.path}/${id}` : `${link.path}/new`, jmap: server.handler,
    wrap: (page) => <ConsoleContext.Provider value={{ ...consoleFor(doc, new Set(perms)), edition }}>{page}</ConsoleContext.Provider>,
  });
}

const base = () => ({
  'x:Domain': [{ id: 'd1', name: 'example.com' }],
  'x:Role': [{ id: 'r1', description: 'Helpdesk' }, { id: 'r2', description: 'Postmaster' }],
});

const sets = (r: ReturnType<typeof open>, name: string) => r.calls.filter((c) => c.name === `${name}/set`).map((c) => c.args);

describe('a user account (a view over one variant of x:Account)', { timeout: 20_000 }, () => {
  it('is created from the variant’s own form: credentials, two roles, a quota', async () => {
    const server = stalwartServer(base());
    const r = open(server, 'x:Account/User', null);
    const user = userEvent.setup();
    // The view fixes the type: no picker, the variant form's sections.
    expect(screen.queryByLabelText('Type')).toBeNull();
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['Account', 'Authentication', 'Access', 'Quotas']);
    await user.type(screen.getByLabelText(/^Login/), 'alice');
    await user.type(screen.getByRole('combobox', { name: /^Domain/ }), 'exa');
    await user.click(await screen.findByRole('option', { name: /example\.com/ }));

    const creds = screen.getByRole('group', { name: 'Credentials' });
    await user.click(within(creds).getByRole('button', { name: 'Add credentials' }));
    await user.selectOptions(within(creds).getByLabelText('Credentials 1 type'), 'Password');
    await user.type(within(creds).getByLabelText(/^Secret/), 'S3cret-Passw0rd');
    // The server sets the credential's id: nothing to show before it exists.
    expect(within(creds).queryByText('Credential id')).toBeNull();

    await user.selectOptions(screen.getByLabelText(/^Roles/), 'Custom');
    const roleBox = screen.getByRole('combobox', { name: /^Role ids/ });
    await user.type(roleBox, 'help');
    await user.click(await screen.findByRole('option', { name: /Helpdesk/ }));
    await user.clear(roleBox);
    await user.type(roleBox, 'post');
    await user.click(await screen.findByRole('option', { name: /Postmaster/ }));

    const quotas = screen.getByRole('group', { name: 'Quotas' });
    await user.click(within(quotas).getByRole('button', { name: 'Add entry' }));
    await user.selectOptions(within(quotas).getByLabelText('Quota type 1'), 'maxEmails');
    await user.type(within(quotas).getByLabelText('Maximum 1'), '500');

    // Enterprise-only on this edition: marked, shown as a value, never sent.
    expect(screen.getByText('Tenant').parentElement?.textContent).toContain('(Enterprise edition)');
    expect(screen.queryByRole('combobox', { name: /^Tenant/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(sets(r, 'x:Account')).toHaveLength(1), SLOW);
    expect(sets(r, 'x:Account')[0].create).toEqual({
      new1: {
        '@type': 'User', name: 'alice', domainId: 'd1', description: null,
        credentials: { '0': { '@type': 'Password', secret: 'S3cret-Passw0rd', otpAuth: null, expiresAt: null } },
        roles: { '@type': 'Custom', roleIds: { r1: true, r2: true } },
        quotas: { maxEmails: 500 },
      },
    });
  });

  it('is edited without its secrets: they show empty and go only when typed', async () => {
    const server = stalwartServer({
      ...base(),
      'x:Account': [{
        id: 'u1', '@type': 'User', name: 'bob', domainId: 'd1', emailAddress: 'bob@example.com', description: 'Bob',
        credentials: { '0': { '@type': 'Password', secret: '$argon2id$v=19$hash', otpAuth: 'otpauth://totp/bob?secret=AAAA', expiresAt: null, credentialId: 'c1' } },
        roles: { '@type': 'User' }, quotas: {}, usedDiskQuota: 2048, memberTenantId: null, createdAt: '2030-01-01T00:00:00Z',
      }],
    });
    const r = open(server, 'x:Account/User', 'u1');
    const user = userEvent.setup();
    const secret = await screen.findByLabelText<HTMLInputElement>(/^Secret/);
    expect(secret.value).toBe('');
    expect(screen.getByLabelText<HTMLInputElement>(/^Otp auth/).value).toBe('');
    expect(document.body.textContent).not.toContain('argon2id');
    expect(document.body.textContent).not.toContain('otpauth://');
    // Server-set values are shown once they exist.
    expect(screen.getByText('Credential id')).toBeTruthy();
    expect(screen.getByText('2 KB')).toBeTruthy();

    await user.clear(screen.getByLabelText(/^Full name/));
    await user.type(screen.getByLabelText(/^Full name/), 'Bob B.');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(sets(r, 'x:Account')).toHaveLength(1), SLOW);
    expect(sets(r, 'x:Account')[0]).toEqual({ accountId: 'a', update: { u1: { description: 'Bob B.' } } });
    expect(server.records.get('x:Account')!.get('u1')!.credentials).toMatchObject({ '0': { secret: '$argon2id$v=19$hash' } });

    await user.type(await screen.findByLabelText(/^Secret/), 'An0ther-Passw0rd');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(sets(r, 'x:Account')).toHaveLength(2), SLOW);
    expect(sets(r, 'x:Account')[1].update).toEqual({ u1: { 'credentials/0/secret': 'An0ther-Passw0rd' } });
    // Without state there is nothing to be conditional on and no /changes to ask.
    expect(r.calls.filter((c) => c.name.endsWith('/changes') || 'ifInState' in c.args)).toEqual([]);
  });

  it('removes a credential by its key, the kept one not sent again', async () => {
    const server = stalwartServer({
      ...base(),
      'x:Account': [{
        id: 'u2', '@type': 'User', name: 'cy', domainId: 'd1', description: null, roles: { '@type': 'User' }, quotas: {},
        credentials: {
          '0': { '@type': 'Password', secret: 'hash-a', otpAuth: null, expiresAt: null, credentialId: 'c1' },
          '1': { '@type': 'ApiKey', description: 'ci', secret: 'hash-b', credentialId: 'c2' },
        },
      }],
    });
    const r = open(server, 'x:Account/User', 'u2');
    const user = userEvent.setup();
    const creds = await screen.findByRole('group', { name: 'Credentials' });
    expect(within(creds).getByLabelText<HTMLSelectElement>('Credentials 2 type').value).toBe('ApiKey');
    await user.click(within(creds).getByRole('button', { name: 'Remove credentials 2' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(sets(r, 'x:Account')).toHaveLength(1), SLOW);
    expect(sets(r, 'x:Account')[0].update).toEqual({ u2: { 'credentials/1': null } });
    expect(server.records.get('x:Account')!.get('u2')!.credentials).toEqual({ '0': { '@type': 'Password', secret: 'hash-a', otpAuth: null, expiresAt: null, credentialId: 'c1' } });
  });

  it('a group (a variant with no form of its own) shows its properties', async () => {
    const server = stalwartServer(base());
    open(server, 'x:Account/Group', null);
    expect(screen.getByLabelText(/^Name/)).toBeTruthy();
    expect(screen.getByLabelText(/^Description/)).toBeTruthy();
    expect(screen.queryByLabelText(/^Login/)).toBeNull();
  });
});

describe('a union-typed singleton (x:DataStore)', { timeout: 20_000 }, () => {
  it('shows the chosen variant’s fields, switches type keeping what was typed, and saves the new type whole', async () => {
    const server = stalwartServer({ 'x:DataStore': [{ id: 'singleton', '@type': 'RocksDb', path: '/var/lib/data' }] });
    const r = open(server, 'x:DataStore', 'singleton');
    const user = userEvent.setup();
    const type = await screen.findByLabelText<HTMLSelectElement>('Type');
    expect(type.value).toBe('RocksDb');
    await user.clear(screen.getByLabelText(/^Path/));
    await user.type(screen.getByLabelText(/^Path/), '/srv/data');

    await user.selectOptions(type, 'PostgreSql');
    expect(screen.queryByLabelText(/^Path/)).toBeNull();
    expect(screen.getByRole('heading', { name: 'Connection' })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>(/^Port/).value).toBe('5432');
    expect(screen.getByText('Pool size').parentElement?.textContent).toContain('(Enterprise edition)');
    await user.type(screen.getByLabelText(/^Host/), 'db.internal');

    await user.selectOptions(screen.getByLabelText('Type'), 'RocksDb');
    expect(screen.getByLabelText<HTMLInputElement>(/^Path/).value).toBe('/srv/data');
    await user.selectOptions(screen.getByLabelText('Type'), 'PostgreSql');
    expect(screen.getByLabelText<HTMLInputElement>(/^Host/).value).toBe('db.internal');

    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(sets(r, 'x:DataStore')).toHaveLength(1), SLOW);
    // No untyped secret, nothing the edition lacks.
    expect(sets(r, 'x:DataStore')[0].update).toEqual({ singleton: { '@type': 'PostgreSql', host: 'db.internal', port: 5432 } });
    await waitFor(() => expect(screen.getByLabelText<HTMLSelectElement>('Type').value).toBe('PostgreSql'), SLOW);
  });

  it('a variant with no fields is just the type', async () => {
    const server = stalwartServer({ 'x:BlobStore': [{ id: 'singleton', '@type': 'S3', bucket: 'mail', secretKey: 'k' }] });
    const r = open(server, 'x:BlobStore', 'singleton');
    const user = userEvent.setup();
    expect((await screen.findByLabelText<HTMLInputElement>(/^Secret key/)).value).toBe('');
    await user.selectOptions(screen.getByLabelText('Type'), 'Default');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(sets(r, 'x:BlobStore')).toHaveLength(1), SLOW);
    expect(sets(r, 'x:BlobStore')[0].update).toEqual({ singleton: { '@type': 'Default' } });
  });
});
