// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeLocks } from '../auth/fakeLocks';
import type { StoredAuth } from '../auth/storage';

const session = (sessionId: string, accessToken = 'at1'): StoredAuth => ({
  kind: 'oauth',
  username: 'admin',
  sessionId,
  tokens: { accessToken, refreshToken: `rt-${accessToken}`, expiresAt: Date.now() + 600_000, lifetime: 600_000 },
  endpoints: { tokenEndpoint: 'http://localhost/oauth/token', revocationEndpoint: 'http://localhost/oauth/token/revocation' },
});

/** This page, freshly loaded in a browser whose other tabs hold these locks. */
async function openTab(othersHolding: string[]) {
  vi.resetModules();
  Object.defineProperty(navigator, 'locks', { value: fakeLocks(othersHolding).locks, configurable: true });
  const { AuthProvider, useAuth } = await import('./auth');
  let auth: ReturnType<typeof useAuth> | undefined;
  function Probe() {
    auth = useAuth();
    return <p>{auth.checking ? 'checking' : (auth.username ?? 'signed out')}</p>;
  }
  render(
    <AuthProvider>
      <Probe />
    </AuthProvider>,
  );
  return { auth: () => auth! };
}

/** What another tab writing the session looks like here. */
function otherTabWrites(value: StoredAuth | null) {
  const newValue = value && JSON.stringify(value);
  if (newValue) localStorage.setItem('postern.auth', newValue);
  else localStorage.removeItem('postern.auth');
  window.dispatchEvent(new StorageEvent('storage', { key: 'postern.auth', newValue, storageArea: localStorage }));
}

const revoked: string[] = [];
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  revoked.length = 0;
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    revoked.push(new URLSearchParams(String(init.body)).get('token') ?? '');
    return new Response('', { status: 200 });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the sign-in shared by the tabs', () => {
  it('a new tab opened while another console tab is open starts signed in', async () => {
    localStorage.setItem('postern.auth', JSON.stringify(session('s1')));
    await openTab(['postern.tabs']);
    expect(await screen.findByText('admin')).toBeTruthy();
    // From now on a reload of this tab keeps the session whatever the other tabs do.
    expect(sessionStorage.getItem('postern.tab-session')).toBe('s1');
  });

  it('a session left behind by a closed browser is not used, but revoked', async () => {
    localStorage.setItem('postern.auth', JSON.stringify(session('s1')));
    await openTab([]);
    expect(await screen.findByText('signed out')).toBeTruthy();
    expect(localStorage.getItem('postern.auth')).toBeNull();
    expect(revoked).toEqual(['rt-at1']);
  });

  it('a reload keeps this tab’s own session without asking the others', async () => {
    localStorage.setItem('postern.auth', JSON.stringify(session('s1')));
    sessionStorage.setItem('postern.tab-session', 's1');
    await openTab([]);
    expect(screen.getByText('admin')).toBeTruthy();
  });

  it('follows the other tabs: their new tokens, their sign-out, their sign-in', async () => {
    localStorage.setItem('postern.auth', JSON.stringify(session('s1')));
    sessionStorage.setItem('postern.tab-session', 's1');
    const tab = await openTab([]);
    const connection = tab.auth().connection;
    act(() => otherTabWrites(session('s1', 'at2')));
    // Same sign-in: the tokens are taken over, nothing else changes.
    expect(tab.auth().connection).toBe(connection);
    expect(await connection!.authorization()).toBe('Bearer at2');
    act(() => otherTabWrites(null));
    expect(screen.getByText('signed out')).toBeTruthy();
    expect(tab.auth().expired).toBe(false);
    act(() => otherTabWrites(session('s2', 'at3')));
    expect(screen.getByText('admin')).toBeTruthy();
    expect(await tab.auth().connection!.authorization()).toBe('Bearer at3');
    expect(sessionStorage.getItem('postern.tab-session')).toBe('s2');
  });

  it('signing out here forgets the session for every tab and revokes it', async () => {
    localStorage.setItem('postern.auth', JSON.stringify(session('s1')));
    sessionStorage.setItem('postern.tab-session', 's1');
    const tab = await openTab([]);
    await act(() => tab.auth().signOut());
    expect(screen.getByText('signed out')).toBeTruthy();
    expect(localStorage.getItem('postern.auth')).toBeNull();
    expect(revoked).toEqual(['rt-at1']);
  });
});
