// @vitest-environment jsdom
// A save that meets a newer version in which only server-kept values moved (a mailbox's
// usage as mail arrives) goes on over it, without asking: nobody else edited the record.

import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientContext } from '../jmap/context';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { testSchema } from '../schema/testSchema';
import { renderWithConsole } from '../test/render';
import RecordPage from './RecordPage';
import { memoryServer } from './testing';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const link = flattenLinks(buildNav(testSchema)).find((l) => l.viewName === 'x:AllowedIp')!;
const view = resolveView(testSchema, 'x:AllowedIp')!;

describe('a newer version with only server-set changes', () => {
  it('is saved over without a question; a real edit by someone else still asks', async () => {
    const server = memoryServer('x:AllowedIp', [{ id: 'a1', address: '10.1.2.3', reason: 'before', createdAt: '2030-01-01T00:00:00Z', expiresAt: null }]);
    renderWithConsole(<RecordPage link={link} view={view} id="a1" crumbs={trailCrumbs(link)} />, {
      doc: testSchema, url: `${link.path}/a1`, wrap: (page) => <ClientContext.Provider value={server.client}>{page}</ClientContext.Provider>,
    });
    const user = userEvent.setup();
    const reason = await screen.findByLabelText('Reason');
    await user.clear(reason);
    await user.type(reason, 'mine');
    server.change('a1', { createdAt: '2031-01-01T00:00:00Z' });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Changed by someone else' })).toBeNull();
    const sets = server.calls.filter(([n]) => n.endsWith('/set')).map(([, a]) => a);
    expect(sets).toEqual([
      { accountId: 'a', ifInState: 's1', update: { a1: { reason: 'mine' } } },
      { accountId: 'a', ifInState: 's2', update: { a1: { reason: 'mine' } } },
    ]);

    await user.clear(reason);
    await user.type(reason, 'again');
    server.change('a1', { expiresAt: '2032-01-01T00:00:00Z' });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('region', { name: 'Changed by someone else' })).toBeTruthy();
  });
});
