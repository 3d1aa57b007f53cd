// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useNavigate } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { confirmDiscard, hasUnsavedChanges, useLeaveGuard, useUnsavedChangesGuard } from './unsavedGuard';

const LEAVE_MESSAGE = 'You have unsaved changes. Leave this page and lose them?';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

let navigate: ReturnType<typeof useNavigate>;
function Page({ dirty, onDiscard }: { dirty: boolean; onDiscard?: () => void }) {
  useLeaveGuard();
  useUnsavedChangesGuard(dirty, onDiscard);
  navigate = useNavigate();
  return <p>page</p>;
}

function at(dirty: boolean, onDiscard?: () => void) {
  const router = createMemoryRouter([{ path: '*', element: <Page dirty={dirty} onDiscard={onDiscard} /> }], { initialEntries: ['/a', '/b'], initialIndex: 1 });
  render(<RouterProvider router={router} />);
  return router;
}

it('asks before a link or Back leaves edits; staying stays, leaving forgets the edits', async () => {
  const discarded = vi.fn();
  const router = at(true, discarded);
  await screen.findByText('page');
  expect(hasUnsavedChanges()).toBe(true);
  const answer = vi.spyOn(window, 'confirm').mockReturnValue(false);
  await act(() => navigate('/c'));
  await act(() => navigate(-1));
  expect(answer.mock.calls).toEqual([[LEAVE_MESSAGE], [LEAVE_MESSAGE]]);
  expect(router.state.location.pathname).toBe('/b');
  expect(discarded).not.toHaveBeenCalled();
  answer.mockReturnValue(true);
  await act(() => navigate(-1));
  expect(router.state.location.pathname).toBe('/a');
  expect(discarded).toHaveBeenCalledTimes(1);
});

it('lets the app’s own redirects (replace) and pages without edits go without asking', async () => {
  const answer = vi.spyOn(window, 'confirm');
  const router = at(false);
  await screen.findByText('page');
  await act(() => navigate('/c'));
  expect(router.state.location.pathname).toBe('/c');
  cleanup();
  const again = at(true);
  await screen.findByText('page');
  await act(() => navigate('/d', { replace: true }));
  expect(again.state.location.pathname).toBe('/d');
  expect(answer).not.toHaveBeenCalled();
});

it('asks the tab’s own question (beforeunload) only while there are edits', async () => {
  at(true);
  await screen.findByText('page');
  const withEdits = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(withEdits);
  expect(withEdits.defaultPrevented).toBe(true);
  cleanup();
  expect(hasUnsavedChanges()).toBe(false);
  const without = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(without);
  expect(without.defaultPrevented).toBe(false);
  expect(confirmDiscard()).toBe(true);
});
