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

it('saves the version it edited: the patch names its state, the next save the state the server answered, and nothing is read again', async () => {
  let state = 1;
  const record = { id: 'a1', address: '10.1.2.3', reason: 'before', createdAt: '2030-01-01T00:00:00Z', expiresAt: null };
  const server: JmapHandler = (name, args) => {
    if (name === 'x:AllowedIp/get') return { state: `s${state}`, list: [record] };
    if (name === 'x:AllowedIp/set') {
      Object.assign(record, (args.update as Record<string, Record<string, unknown>>).a1);
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
  expect(sets[0]).toMatchObject({ ifInState: 's1', update: { a1: { reason: 'office' } } });
  expect(sets[1]).toMatchObject({ ifInState: 's2', update: { a1: { reason: 'office LAN' } } });
  expect(r.calls.filter((c) => c.name === 'x:AllowedIp/get')).toHaveLength(1);
});
