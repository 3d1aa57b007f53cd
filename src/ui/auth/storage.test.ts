// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from './memoryStorage';
import { basicAuthorization, clearAuth, loadAuth, onStoredAuthChange, saveAuth, type StoredAuth } from './storage';

const oauth: StoredAuth = {
  kind: 'oauth',
  username: 'admin',
  sessionId: 's1',
  tokens: { accessToken: 'a', refreshToken: 'r', expiresAt: 1, lifetime: 1 },
  endpoints: { tokenEndpoint: '/t', revocationEndpoint: null },
};

describe('stored sign-in', () => {
  it('round-trips both kinds and ignores what it did not write', () => {
    const storage = memoryStorage();
    saveAuth(oauth, storage);
    expect(loadAuth(storage)).toEqual(oauth);
    const basic: StoredAuth = { kind: 'basic', username: 'admin', sessionId: 's2', authorization: 'Basic eA==' };
    saveAuth(basic, storage);
    expect(loadAuth(storage)).toEqual(basic);
    storage.setItem('postern.auth', '{not json');
    expect(loadAuth(storage)).toBeNull();
    storage.setItem('postern.auth', JSON.stringify({ kind: 'oauth', username: 'admin', tokens: {} }));
    expect(loadAuth(storage)).toBeNull();
    clearAuth(storage);
    expect(storage.getItem('postern.auth')).toBeNull();
  });

  it('is shared by the tabs in localStorage, where Web Locks let them take turns', () => {
    // jsdom has no Web Locks: each tab keeps its own, as over plain http.
    saveAuth(oauth);
    expect(sessionStorage.getItem('postern.auth')).not.toBeNull();
    expect(localStorage.getItem('postern.auth')).toBeNull();
    clearAuth();
  });

  it('encodes Basic credentials as UTF-8', () => {
    expect(basicAuthorization('admin', 'pässword')).toBe(`Basic ${Buffer.from('admin:pässword').toString('base64')}`);
  });
});

describe('another tab changing the session', () => {
  const seen: (StoredAuth | null)[] = [];
  const stop = onStoredAuthChange((a) => seen.push(a));
  afterEach(() => (seen.length = 0));
  const event = (init: StorageEventInit) => window.dispatchEvent(new StorageEvent('storage', { storageArea: localStorage, ...init }));

  it('reports new tokens or a sign-in, and a sign-out (or a cleared storage) as none', () => {
    event({ key: 'postern.auth', newValue: JSON.stringify(oauth) });
    event({ key: 'postern.auth', newValue: null });
    event({ key: null });
    expect(seen).toEqual([oauth, null, null]);
  });

  it('ignores other keys and sessionStorage', () => {
    event({ key: 'postern.signin', newValue: '{}' });
    event({ key: 'postern.auth', newValue: JSON.stringify(oauth), storageArea: sessionStorage });
    expect(seen).toEqual([]);
    stop();
  });
});
