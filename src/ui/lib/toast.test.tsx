// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { showToast, Toaster, TOAST_MS } from './toast';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

it('shows a notice in a polite live region, then removes it after a few seconds', () => {
  render(<Toaster />);
  const region = screen.getByRole('region', { name: 'Notifications' });
  expect(region.querySelector('[aria-live="polite"]')).not.toBeNull();
  act(() => showToast('Deleted 1 role.'));
  expect(screen.getByText('Deleted 1 role.')).toBeTruthy();
  act(() => vi.advanceTimersByTime(TOAST_MS - 1));
  expect(screen.queryByText('Deleted 1 role.')).not.toBeNull();
  act(() => vi.advanceTimersByTime(1));
  expect(screen.queryByText('Deleted 1 role.')).toBeNull();
});

it('stays while the pointer is on it, goes when dismissed, and never piles up', () => {
  render(<Toaster />);
  act(() => showToast('Saved.'));
  fireEvent.pointerEnter(screen.getByText('Saved.'));
  act(() => vi.advanceTimersByTime(TOAST_MS * 3));
  expect(screen.queryByText('Saved.')).not.toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
  expect(screen.queryByText('Saved.')).toBeNull();
  act(() => ['a', 'b', 'c', 'd', 'd'].forEach((m) => showToast(m)));
  expect(screen.getAllByRole('button', { name: 'Dismiss' })).toHaveLength(3);
  expect(screen.queryByText('a')).toBeNull();
});
