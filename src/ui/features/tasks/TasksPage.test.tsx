// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JmapRecord } from '../../jmap/types';
import { buildNav, flattenLinks, trailCrumbs } from '../../schema/nav';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import TasksPage from './TasksPage';
import { taskSchema } from './testSchema';

beforeAll(() => {
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
afterEach(cleanup);

const link = flattenLinks(buildNav(taskSchema)).find((l) => l.viewName === 'CustomComponent/Tasks')!;
const PATH = link.path;

function tasks(): JmapRecord[] {
  return [
    {
      id: 't3', '@type': 'ReIndexUser', accountId: 'u1', status: { '@type': 'Running' }, submittedAt: '2030-01-01T10:00:00Z', startedAt: '2030-01-01T10:00:05Z',
      completedAt: null, failedAt: null, cancelledAt: null, failureReason: null,
      progress: { initialCount: 300, processedCount: 118, failedCount: 2, remainingCount: 180 }, successfullyReprocessMailCount: null, failedReprocessedMailCount: null,
    },
    {
      id: 't2', '@type': 'FullReIndexing', status: { '@type': 'Failed' }, submittedAt: '2030-01-01T09:00:00Z', startedAt: '2030-01-01T09:00:01Z',
      completedAt: null, failedAt: '2030-01-01T09:02:00Z', cancelledAt: null, failureReason: 'IMAP service is stopped', progress: null,
    },
    {
      id: 't1', '@type': 'ReIndexUser', accountId: 'u1', status: { '@type': 'Completed' }, submittedAt: '2030-01-01T08:00:00Z', startedAt: '2030-01-01T08:00:01Z',
      completedAt: '2030-01-01T08:00:09Z', failedAt: null, cancelledAt: null, failureReason: null,
      progress: { initialCount: 40, processedCount: 40, failedCount: 0, remainingCount: 0 }, successfullyReprocessMailCount: 40, failedReprocessedMailCount: 0,
    },
  ];
}

/** A small in-memory task manager: /query filters on status and type, /set creates and cancels. */
function server(records = tasks()) {
  let state = 1;
  const handler: JmapHandler = (name, args) => {
    if (name === 'x:Task/query') {
      const f = (args.filter ?? {}) as Record<string, string>;
      const ids = records.filter((r) => (!f.status || (r.status as { '@type': string })['@type'] === f.status) && (!f['@type'] || r['@type'] === f['@type'])).map((r) => r.id);
      return { ids, position: 0, total: ids.length };
    }
    if (name === 'x:Task/get') return { state: `s${state}`, list: records.filter((r) => !args.ids || (args.ids as string[]).includes(r.id)), notFound: [] };
    if (name === 'x:Account/get') return { state: 'a1', list: [{ id: 'u1', name: 'alice' }] };
    if (name === 'x:Task/set') {
      state++;
      if (args.create) {
        const [[key, value]] = Object.entries(args.create as Record<string, JmapRecord>);
        records.unshift({ ...value, id: 't9', status: { '@type': 'Pending' }, progress: null, submittedAt: '2030-01-01T11:00:00Z' });
        return { created: { [key]: { id: 't9' } }, newState: `s${state}` };
      }
      const [[id, patch]] = Object.entries(args.update as Record<string, Record<string, unknown>>);
      const r = records.find((x) => x.id === id)!;
      if ((r.status as { '@type': string })['@type'] === 'Completed') {
        return { notUpdated: { [id]: { type: 'invalidProperties', description: 'The task already ended: a finished task cannot be cancelled', properties: ['status'] } } };
      }
      Object.assign(r, patch);
      return { updated: { [id]: null }, newState: `s${state}` };
    }
    throw new Error(`unexpected ${name}`);
  };
  return { handler, records };
}

const show = (url: string, jmap: JmapHandler, permissions?: string[]) =>
  renderWithConsole(<TasksPage link={link} id={url === PATH ? null : decodeURIComponent(url.slice(PATH.length + 1))} crumbs={trailCrumbs(link)} />, { doc: taskSchema, url, jmap, permissions });

describe('Tasks page', () => {
  it('lists tasks with badges, a named progress bar, dates, inputs by label and the failure reason', async () => {
    show(PATH, server().handler);
    const [bar] = await screen.findAllByRole('progressbar', { name: 'Progress of Re-index one user: alice' });
    expect(bar.getAttribute('aria-valuenow')).toBe('120');
    expect(bar.getAttribute('aria-valuemax')).toBe('300');
    expect(bar.getAttribute('aria-valuetext')).toBe('120 of 300 done, 2 failed');
    const rows = screen.getAllByRole('row');
    expect(within(rows[1]).getByText('In progress')).toBeTruthy();
    // Submitted and started in the same minute (in UTC, in the language's own form: jsdom says en-US); not ended.
    expect(within(rows[1]).getAllByText('Jan 1, 2030, 10:00 UTC')).toHaveLength(2);
    expect(within(rows[1]).getByText('—')).toBeTruthy();
    expect(within(rows[2]).getByText('Failed', { selector: '.badge' })).toBeTruthy();
    expect(within(rows[2]).getByText('IMAP service is stopped')).toBeTruthy();
    expect(within(rows[2]).getByText('(failed)')).toBeTruthy();
    // Only what still runs or waits can be cancelled.
    expect(within(rows[1]).getByRole('button', { name: 'Cancel Re-index one user: alice' })).toBeTruthy();
    expect(within(rows[2]).queryByRole('button')).toBeNull();
    expect(within(rows[3]).getByRole('link', { name: 'Re-index one user' }).getAttribute('href')).toBe(`${PATH}/t1`);
  });

  it('filters by status and by type through the schema’s filters', async () => {
    const user = userEvent.setup();
    const r = show(PATH, server().handler);
    await screen.findAllByRole('progressbar');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Failed');
    await waitFor(() => expect(r.location()).toBe(`${PATH}?f.status=Failed`));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(r.calls.filter((c) => c.name === 'x:Task/query').at(-1)?.args).toMatchObject({ filter: { status: 'Failed' }, sort: [{ property: 'submittedAt', isAscending: false }] });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'ReIndexUser');
    await waitFor(() => expect(screen.getByText('No tasks match these filters.')).toBeTruthy());
  });

  it('asks before cancelling; Escape and "Keep it" change nothing, and focus goes back', async () => {
    const user = userEvent.setup();
    const s = server();
    const r = show(PATH, s.handler);
    const cancel = await screen.findByRole('button', { name: 'Cancel Re-index one user: alice' });
    await user.click(cancel);
    const dialog = screen.getByRole('dialog', { name: 'Cancel Re-index one user: alice?' }) as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Keep it');
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    await waitFor(() => expect(dialog.open).toBe(false));
    await waitFor(() => expect(document.activeElement).toBe(cancel));
    await user.click(cancel);
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(r.calls.some((c) => c.name === 'x:Task/set')).toBe(false);

    await user.click(cancel);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel task' }));
    await waitFor(() => expect(r.calls.find((c) => c.name === 'x:Task/set')?.args).toMatchObject({ update: { t3: { status: { '@type': 'CancelRequested' } } } }));
    // The list reads the task again: it is stopping, and offers no second cancel.
    await waitFor(() => expect(screen.getAllByText('Cancel requested', { selector: '.badge' })).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Cancel Re-index one user: alice' })).toBeNull();
  });

  it('starts "Re-index everything" and opens the new task', async () => {
    const user = userEvent.setup();
    const r = show(PATH, server().handler);
    await user.click(await screen.findByRole('button', { name: 'Re-index everything' }));
    await waitFor(() => expect(r.location()).toBe(`${PATH}/t9`));
    expect(r.calls.find((c) => c.name === 'x:Task/set')?.args).toMatchObject({ create: { new1: { '@type': 'FullReIndexing' } } });
  });

  it('offers neither starting nor cancelling to a caller who may only look', async () => {
    show(PATH, server().handler, ['sysTaskGet', 'sysTaskQuery', 'sysAccountGet']);
    await screen.findAllByRole('progressbar');
    expect(screen.queryByRole('button', { name: 'Re-index everything' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Cancel/ })).toBeNull();
  });

  it('shows one task: counts, dates, results by their labels; a refused cancel says why', async () => {
    const user = userEvent.setup();
    const s = server();
    show(`${PATH}/t1`, s.handler);
    expect(await screen.findByRole('heading', { name: 'Re-index one user: alice', level: 1 })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Progress of Re-index one user: alice' }).getAttribute('aria-valuenow')).toBe('40');
    const facts = (term: string) => screen.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(facts('Mails indexed')).toBe('40');
    expect(facts('Account')).toBe('alice');
    expect(facts('Ended')).toBe('Jan 1, 2030, 08:00 UTC (completed)');
    expect(screen.getByRole('status').textContent).toBe('Status: Completed');
    expect(screen.queryByRole('button', { name: 'Cancel task' })).toBeNull();
    cleanup();

    // Running when the page opened, finished by the time the cancel arrives: the server says so.
    const running = server();
    show(`${PATH}/t3`, running.handler);
    await user.click(await screen.findByRole('button', { name: 'Cancel task' }));
    (running.records.find((x) => x.id === 't3')!.status as Record<string, string>)['@type'] = 'Completed';
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel task' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Not cancelled: .*finished task cannot be cancelled/);
  });

  it('links the task manager’s settings where the layouts have a page for them', async () => {
    const doc = {
      ...taskSchema,
      objects: { ...taskSchema.objects, 'x:TaskManager': { type: 'singleton' as const, permissionPrefix: 'sysTaskManager' } },
      layouts: [...taskSchema.layouts, { name: 'Settings', icon: 's', items: [{ link: { name: 'Task history', icon: 't', viewName: 'x:TaskManager' } }] }],
    };
    renderWithConsole(<TasksPage link={link} id={null} crumbs={trailCrumbs(link)} />, { doc, url: PATH, jmap: server().handler });
    expect((await screen.findByRole('link', { name: 'History settings' })).getAttribute('href')).toBe('/settings/task-history');
    cleanup();
    show(PATH, server().handler);
    await screen.findAllByRole('progressbar');
    expect(screen.queryByRole('link', { name: 'History settings' })).toBeNull();
  });

  it('says so when the task is gone', async () => {
    show(`${PATH}/nope`, server().handler);
    expect(await screen.findByText(/There is no task nope/)).toBeTruthy();
  });
});
