// @vitest-environment jsdom
// Pages generated from a Stalwart-shaped schema against a server without state: tasks
// (status union as a badge, only the variants a client may create, destroy to cancel),
// the queue's "Retry now" / "Retry all" (setProperty), an action run and its result, an
// enterprise-only object on an edition without it, and the overview's dashboards.

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleFor } from '../app/console';
import { CurrentPage } from '../app/CurrentPage';
import { ConsoleContext } from '../schema/context';
import { buildNav, flattenLinks, paths } from '../schema/nav';
import { stalwartTestSchema as doc } from '../schema/stalwartTestSchema';
import { stalwartServer, type StalwartServer } from '../forms/stalwartServer';
import { renderWithConsole } from '../test/render';

beforeAll(() => {
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
/** Under a loaded machine a form's save takes longer than the defaults allow. */
const SLOW = { timeout: 5000 };

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const links = flattenLinks(buildNav(doc));
const perms = Object.values(doc.objects).flatMap((o) => (o.permissionPrefix ? ['Get', 'Query', 'Create', 'Update', 'Destroy'].map((v) => `${o.permissionPrefix}${v}`) : []));
const linkOf = (viewName: string) => links.find((l) => l.viewName === viewName)!;

/** The page the console shows at `path`, as the shell would (routes and lazy pages). */
function show(server: StalwartServer, path: string, edition = 'oss') {
  const value = { ...consoleFor(doc, new Set(perms)), edition };
  return renderWithConsole(<CurrentPage />, {
    doc, url: path, jmap: server.handler,
    wrap: (page) => <ConsoleContext.Provider value={value}>{page}</ConsoleContext.Provider>,
  });
}

const sets = (r: ReturnType<typeof show>, name: string) => r.calls.filter((c) => c.name === `${name}/set`).map((c) => c.args);
const tasks = () => ({
  'x:Task': [
    { id: 't1', '@type': 'AccountMaintenance', accountId: 'u1', maintenanceType: 'reindex', status: { '@type': 'Failed', failedAt: '2030-01-01T00:00:00Z', failureReason: 'disk' }, due: '2030-01-01T00:00:00Z' },
    { id: 't2', '@type': 'DestroyAccount', accountId: 'u2', accountName: 'old', status: { '@type': 'Pending', createdAt: '2030-01-01T00:00:00Z' }, due: '2030-02-01T00:00:00Z' },
  ],
});

describe('tasks', { timeout: 20_000 }, () => {
  it('list the variant and the status union as badges, and cancel with one click', async () => {
    const server = stalwartServer(tasks());
    const r = show(server, paths.list(linkOf('x:Task')));
    const table = await screen.findByRole('table', {}, SLOW);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').slice(1, 3).map((c) => c.textContent))).toEqual([
      ['Account maintenance', 'Failed'],
      ['Account removal', 'Pending'],
    ]);
    expect(within(rows[0]).getByText('Failed').className).toBe('badge');
    await userEvent.setup().click(within(rows[1]).getByRole('button', { name: /^Cancel / }));
    await waitFor(() => expect(sets(r, 'x:Task')).toEqual([{ accountId: 'a', destroy: ['t2'] }]), SLOW);
    expect(server.records.get('x:Task')!.has('t2')).toBe(false);
  });

  it('open as their own variant’s form, the type and the status shown, not changed', async () => {
    show(stalwartServer(tasks()), paths.record(linkOf('x:Task'), 't1'));
    const type = await screen.findByText('Account maintenance');
    expect(type.closest('dl')?.textContent).toBe('TypeAccount maintenance');
    expect(screen.queryByRole('combobox', { name: 'Type' })).toBeNull();
    expect(screen.getByText('Rebuild the search index')).toBeTruthy();
    expect(screen.getByText('disk')).toBeTruthy();
    // Every field is immutable or server-set: nothing to type into.
    expect(screen.queryAllByRole('textbox')).toEqual([]);
  });

  it('are created only of the variants a client may create', async () => {
    const server = stalwartServer(tasks());
    const r = show(server, paths.create(linkOf('x:Task')));
    const user = userEvent.setup();
    const type = await screen.findByLabelText<HTMLSelectElement>('Type');
    expect([...type.options].map((o) => o.textContent)).toEqual(['Account maintenance', 'Store maintenance']);
    await user.selectOptions(type, 'StoreMaintenance');
    // Server-set fields (status, due) are not asked for.
    expect(screen.queryByText('Status')).toBeNull();
    await user.selectOptions(screen.getByLabelText(/^Maintenance type/), 'purgeData');
    await user.click(screen.getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(sets(r, 'x:Task')).toHaveLength(1), SLOW);
    expect(sets(r, 'x:Task')[0].create).toEqual({ new1: { '@type': 'StoreMaintenance', maintenanceType: 'purgeData' } });
  });
});

describe('the queue', { timeout: 20_000 }, () => {
  const queue = () => ({
    'x:QueuedMessage': [
      { id: 'q1', returnPath: 'a@example.com', nextRetry: '2031-01-01T00:00:00Z', size: 10 },
      { id: 'q2', returnPath: 'b@example.com', nextRetry: '2031-01-01T00:00:00Z', size: 20 },
      { id: 'q3', returnPath: 'c@example.com', nextRetry: '2031-01-01T00:00:00Z', size: 30 },
    ],
  });

  it('retries one message now, asking first, and says so', async () => {
    const server = stalwartServer(queue());
    const r = show(server, paths.list(linkOf('x:QueuedMessage')));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Retry now: a@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Retry now: a@example.com?' });
    // The instant as the console formats it for the language (schema/format.ts), in UTC.
    expect(dialog.textContent).toMatch(/Sets next attempt to [^?]*2000[^?]* UTC\./);
    await user.click(within(dialog).getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(sets(r, 'x:QueuedMessage')).toEqual([{ accountId: 'a', update: { q1: { nextRetry: '2000-01-01T00:00:00Z' } } }]), SLOW);
    expect(await screen.findByText('Retry now: done for a@example.com.')).toBeTruthy();
  });

  it('retries the selected messages at once; a separator sits between the row actions', async () => {
    const server = stalwartServer(queue());
    const r = show(server, paths.list(linkOf('x:QueuedMessage')));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Select a@example.com' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select c@example.com' }));
    await user.click(within(screen.getByRole('region', { name: 'Selection' })).getByRole('button', { name: 'Retry all' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Retry all: 2 messages?' })).getByRole('button', { name: 'Retry all' }));
    await waitFor(() => expect(sets(r, 'x:QueuedMessage')).toHaveLength(1), SLOW);
    expect(sets(r, 'x:QueuedMessage')[0].update).toEqual({ q1: { nextRetry: '2000-01-01T00:00:00Z' }, q3: { nextRetry: '2000-01-01T00:00:00Z' } });
    expect(await screen.findByText('Retry all: done for 2 messages.')).toBeTruthy();
    expect(document.querySelectorAll('.action-separator')).toHaveLength(3);
  });
});

describe('actions', { timeout: 20_000 }, () => {
  it('run a variant after confirming and show what the server answered', async () => {
    const server = stalwartServer({});
    server.actionResults.TroubleshootDmarc = { dmarcResult: { '@type': 'Fail', details: 'no aligned identifier' }, dmarcPolicy: 'reject', elapsed: 1500, tags: { DMARC_POLICY_REJECT: { score: 3.5 } } };
    const r = show(server, paths.list(linkOf('x:Action')));
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Action'), 'TroubleshootDmarc');
    await user.type(await screen.findByLabelText(/^Remote ip/), '192.0.2.7');
    await user.type(screen.getByLabelText(/^Mail from/), 'x@example.net');
    const form = screen.getByRole('form', { name: 'Troubleshoot DMARC' });
    await user.click(within(form).getByRole('button', { name: 'Run Troubleshoot DMARC' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Run Troubleshoot DMARC?' })).getByRole('button', { name: 'Run Troubleshoot DMARC' }));
    await waitFor(() => expect(sets(r, 'x:Action')).toEqual([{ accountId: 'a', create: { new1: { '@type': 'TroubleshootDmarc', remoteIp: '192.0.2.7', mailFrom: 'x@example.net' } } }]), SLOW);
    const result = await screen.findByRole('region', { name: 'Result of Troubleshoot DMARC' });
    expect(result.textContent).toContain('Fail');
    expect(result.textContent).toContain('no aligned identifier');
    expect(result.textContent).toContain('Reject');
    // A map of objects keeps its layout: each key with its object's values.
    expect(within(result).getByText('DMARC_POLICY_REJECT')).toBeTruthy();
    expect(result.textContent).toContain('3.5');
    // Nothing is ever listed or read back.
    expect(r.calls.filter((c) => c.name.startsWith('x:Action/') && c.name !== 'x:Action/set')).toEqual([]);
  });

  it('a variant without fields runs with a confirmation only', async () => {
    const server = stalwartServer({});
    const r = show(server, paths.record(linkOf('x:Action'), 'ReloadSettings'));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Run Reload settings' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(sets(r, 'x:Action')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Run Reload settings' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Run Reload settings' }));
    expect(await screen.findByText('The server ran it and reported no problem.')).toBeTruthy();
    expect(sets(r, 'x:Action')[0].create).toEqual({ new1: { '@type': 'ReloadSettings' } });
  });
});

describe('enterprise-only objects and the overview', { timeout: 20_000 }, () => {
  it('an enterprise object on another edition is listed but not changed', async () => {
    show(stalwartServer({ 'x:Tenant': [{ id: 't1', name: 'acme' }] }), paths.list(linkOf('x:Tenant')));
    expect(await screen.findByText(/Enterprise edition: this server runs the oss edition/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New tenant' })).toBeNull();
  });

  it('shows the schema’s dashboards as cards', () => {
    show(stalwartServer({}), paths.home());
    const overview = screen.getByRole('region', { name: 'Overview' });
    const cards = within(overview).getAllByRole('listitem');
    expect(cards.map((c) => c.querySelector('h3')?.textContent)).toEqual(['Users', 'Waiting', 'Queue']);
    expect(cards[0].textContent).toContain('Number of users (average now)');
    expect(cards[0].textContent).toContain('Accounts on the server.');
    // An enterprise-only page says so beside its link on this edition.
    expect(screen.getByRole('link', { name: 'Directory › Tenants' }).parentElement?.textContent).toContain('(Enterprise edition)');
  });
});
