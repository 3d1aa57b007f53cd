// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { testSchema } from '../schema/testSchema';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { renderWithConsole, type JmapHandler } from '../test/render';
import RecordPage from './RecordPage';

afterEach(cleanup);

const link = flattenLinks(buildNav(testSchema)).find((l) => l.viewName === 'x:AllowedIp')!;
const view = resolveView(testSchema, 'x:AllowedIp')!;

it('saves the version it edited: the patch names its state, the record is read back with the save, and the next save names that state', async () => {
  let state = 1;
  const record = { id: 'a1', address: '10.1.2.3', reason: 'before', createdAt: '2030-01-01T00:00:00Z', expiresAt: null };
  const server: JmapHandler = (name, args) => {
    if (name === 'x:AllowedIp/get') return { state: `s${state}`, list: [{ ...record }] };
    if (name === 'x:AllowedIp/set') {
      // The server keeps its own canonical form of what it stores.
      const patch = (args.update as Record<string, Record<string, string>>).a1;
      Object.assign(record, { reason: patch.reason.trim() });
      return { newState: `s${++state}`, updated: { a1: null } };
    }
    throw new Error(`unexpected ${name}`);
  };
  const user = userEvent.setup();
  const r = renderWithConsole(<RecordPage link={link} view={view} id="a1" crumbs={trailCrumbs(link)} />, {
    doc: testSchema, url: '/settings/security/allowed-ips/a1', jmap: server,
  });
  const reason = await screen.findByLabelText('Reason');
  await user.clear(reason);
  await user.type(reason, 'office');
  await user.click(screen.getByRole('button', { name: 'Save changes' }));
  expect(await screen.findByText('Saved.')).toBeTruthy();

  await user.type(reason, ' LAN');
  await user.click(screen.getByRole('button', { name: 'Save changes' }));
  await waitFor(() => expect(r.calls.filter((c) => c.name === 'x:AllowedIp/set')).toHaveLength(2));

  const sets = r.calls.filter((c) => c.name === 'x:AllowedIp/set').map((c) => c.args);
  expect(sets[0]).toEqual({ accountId: expect.any(String), ifInState: 's1', update: { a1: { reason: 'office' } } });
  expect(sets[1]).toEqual({ accountId: expect.any(String), ifInState: 's2', update: { a1: { reason: 'office LAN' } } });
  // One read to open the record, one beside each save; no refetch after.
  expect(r.calls.map((c) => c.name)).toEqual(['x:AllowedIp/get', 'x:AllowedIp/set', 'x:AllowedIp/get', 'x:AllowedIp/set', 'x:AllowedIp/get']);
});

it('shows the record as the server keeps it after a save', async () => {
  const record = { id: 'a1', address: '10.1.2.3', reason: 'x', createdAt: '2030-01-01T00:00:00Z', expiresAt: null };
  const server: JmapHandler = (name, args) => {
    if (name === 'x:AllowedIp/get') return { state: 's1', list: [{ ...record }] };
    const patch = (args.update as Record<string, Record<string, string>>).a1;
    Object.assign(record, { reason: patch.reason.toUpperCase() });
    return { newState: 's2', updated: { a1: null } };
  };
  const user = userEvent.setup();
  renderWithConsole(<RecordPage link={link} view={view} id="a1" crumbs={trailCrumbs(link)} />, {
    doc: testSchema, url: '/settings/security/allowed-ips/a1', jmap: server,
  });
  const reason = await screen.findByLabelText('Reason');
  await user.clear(reason);
  await user.type(reason, 'office');
  await user.click(screen.getByRole('button', { name: 'Save changes' }));
  expect(await screen.findByText('Saved.')).toBeTruthy();
  await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Reason').value).toBe('OFFICE'));
});
