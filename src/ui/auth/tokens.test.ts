import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenSet } from './oauth';
import { refreshDelay, TokenSession } from './tokens';

const ENDPOINTS = { tokenEndpoint: 'http://c.test/oauth/token', revocationEndpoint: 'http://c.test/oauth/token/revocation' };

/** A token endpoint that rotates refresh tokens and refuses a used one, like the server. */
function tokenServer(lifetimeS = 600) {
  let n = 0;
  let live = 'rt0';
  const requests: Record<string, string>[] = [];
  let gate: Promise<void> = Promise.resolve();
  const fetchFn = (async (url: string, init: RequestInit) => {
    const body = Object.fromEntries(new URLSearchParams(String(init.body)));
    requests.push({ url, ...body });
    await gate;
    if (url.endsWith('/revocation')) return new Response('', { status: 200 });
    if (body.refresh_token !== live) return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
    n += 1;
    live = `rt${n}`;
    return new Response(JSON.stringify({ access_token: `at${n}`, refresh_token: live, expires_in: lifetimeS }), { status: 200 });
  }) as unknown as typeof fetch;
  return {
    fetchFn,
    requests,
    revokeLive: () => (live = 'revoked'),
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return release;
    },
  };
}

function session(server: ReturnType<typeof tokenServer>, tokens: Partial<TokenSet> = {}) {
  const persisted: TokenSet[] = [];
  let lost = 0;
  const s = new TokenSession(
    { accessToken: 'at0', refreshToken: 'rt0', expiresAt: Date.now() + 600_000, lifetime: 600_000, ...tokens },
    ENDPOINTS,
    { persist: (t) => persisted.push(t), lost: () => (lost += 1), fetch: server.fetchFn },
  );
  return { s, persisted, lost: () => lost };
}

describe('refresh scheduling', () => {
  it('refreshes with a fifth of the lifetime left, never more than a minute early', () => {
    expect(refreshDelay({ expiresAt: 10_000, lifetime: 10_000 }, 0)).toBe(8_000);
    expect(refreshDelay({ expiresAt: 3_000, lifetime: 3_000 }, 0)).toBe(2_400);
    expect(refreshDelay({ expiresAt: 600_000, lifetime: 600_000 }, 0)).toBe(540_000);
    expect(refreshDelay({ expiresAt: 1_000, lifetime: 600_000 }, 5_000)).toBe(0);
  });
});

describe('TokenSession', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('single-flights concurrent refreshes, so a rotated token is never used twice', async () => {
    const server = tokenServer();
    const { s, persisted, lost } = session(server);
    const release = server.hold();
    const both = Promise.all([s.refresh(), s.refresh(), s.refresh()]);
    release();
    expect(await both).toEqual([true, true, true]);
    expect(server.requests.filter((r) => r.grant_type === 'refresh_token')).toHaveLength(1);
    expect(s.current).toMatchObject({ accessToken: 'at1', refreshToken: 'rt1' });
    expect(persisted).toHaveLength(1);
    // A later refresh uses the rotated token.
    expect(await s.refresh()).toBe(true);
    expect(server.requests.at(-1)!.refresh_token).toBe('rt1');
    expect(lost()).toBe(0);
  });

  it('refreshes on its own before expiry, again and again', async () => {
    const server = tokenServer(3);
    const { s } = session(server, { expiresAt: Date.now() + 3_000, lifetime: 3_000 });
    s.start();
    await vi.advanceTimersByTimeAsync(2_399);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_400 * 3);
    expect(server.requests.map((r) => r.refresh_token)).toEqual(['rt0', 'rt1', 'rt2', 'rt3']);
    expect(await s.authorization()).toBe('Bearer at4');
    s.stop();
  });

  it('refreshes before a request when the timer ran late (a sleeping laptop)', async () => {
    const server = tokenServer();
    const { s } = session(server, { expiresAt: Date.now() - 1, lifetime: 600_000 });
    expect(await s.authorization()).toBe('Bearer at1');
    expect(await s.authorization()).toBe('Bearer at1');
    expect(server.requests).toHaveLength(1);
  });

  it('a refused refresh ends the session once', async () => {
    const server = tokenServer();
    const { s, lost } = session(server);
    server.revokeLive();
    expect(await Promise.all([s.refresh(), s.refresh()])).toEqual([false, false]);
    expect(lost()).toBe(1);
    expect(await s.refresh()).toBe(false);
    expect(lost()).toBe(1);
  });

  it('a network failure keeps the session and retries', async () => {
    let calls = 0;
    const flaky = (async () => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify({ access_token: 'at1', refresh_token: 'rt1', expires_in: 600 }), { status: 200 });
    }) as unknown as typeof fetch;
    let lost = 0;
    const s = new TokenSession({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: Date.now() + 10_000, lifetime: 10_000 }, ENDPOINTS, {
      persist: () => {},
      lost: () => (lost += 1),
      fetch: flaky,
    });
    s.start();
    await vi.advanceTimersByTimeAsync(8_000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(2);
    expect(s.current.accessToken).toBe('at1');
    expect(lost).toBe(0);
    s.stop();
  });

  it('sign-out waits for a refresh in flight and revokes the newest refresh token', async () => {
    const server = tokenServer();
    const { s } = session(server);
    const release = server.hold();
    const refreshing = s.refresh();
    const out = s.signOut();
    release();
    await Promise.all([refreshing, out]);
    const revocation = server.requests.find((r) => r.url.endsWith('/revocation'))!;
    expect(revocation).toMatchObject({ token: 'rt1', token_type_hint: 'refresh_token', client_id: 'postern-console' });
    expect(await s.refresh()).toBe(false);
  });
});

/** Tabs of one browser: a shared store (localStorage) and a lock they take turns on (Web Locks). */
function browser(server: ReturnType<typeof tokenServer>, start: TokenSet, opts: { storageDelayMs?: number; settleMs?: number } = {}) {
  let stored: TokenSet | null = start;
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T,>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const tabs: { s: TokenSession; lost: () => number }[] = [];
  return {
    get stored() {
      return stored;
    },
    signOutElsewhere: () => (stored = null),
    tab() {
      let lost = 0;
      const s = new TokenSession(stored!, ENDPOINTS, {
        // Writing the store reaches the other tabs (the `storage` event), at once or, as in
        // a real browser under load, a moment later.
        persist: (t) => {
          const reach = () => {
            stored = t;
            for (const other of tabs) if (other.s !== s) other.s.adopt(t);
          };
          if (opts.storageDelayMs) setTimeout(reach, opts.storageDelayMs);
          else reach();
        },
        lost: () => (lost += 1),
        latest: () => stored,
        exclusive,
        settleMs: opts.settleMs,
        fetch: server.fetchFn,
      });
      const tab = { s, lost: () => lost };
      tabs.push(tab);
      return tab;
    },
  };
}

describe('TokenSession in several tabs', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());
  const start = (): TokenSet => ({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: Date.now() + 10_000, lifetime: 10_000 });

  it('timers due in two tabs at once rotate the refresh token once, and both tabs use the new tokens', async () => {
    const server = tokenServer(10);
    const b = browser(server, start());
    const [one, two] = [b.tab(), b.tab()];
    one.s.start();
    two.s.start();
    await vi.advanceTimersByTimeAsync(8_000);
    expect(server.requests.map((r) => r.refresh_token)).toEqual(['rt0']);
    expect(await one.s.authorization()).toBe('Bearer at1');
    expect(await two.s.authorization()).toBe('Bearer at1');
    // And again on the next round: never a used refresh token, never a lost session.
    await vi.advanceTimersByTimeAsync(8_000);
    expect(server.requests.map((r) => r.refresh_token)).toEqual(['rt0', 'rt1']);
    expect([one.lost(), two.lost()]).toEqual([0, 0]);
    one.s.stop();
    two.s.stop();
  });

  it('storage that reaches the other tab late still never makes it reuse a rotated refresh token', async () => {
    const server = tokenServer(10);
    const b = browser(server, start(), { storageDelayMs: 150, settleMs: 400 });
    const [one, two] = [b.tab(), b.tab()];
    one.s.start();
    two.s.start();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(server.requests.map((r) => r.refresh_token)).toEqual(['rt0']);
    expect([one.lost(), two.lost()]).toEqual([0, 0]);
    one.s.stop();
    two.s.stop();
  });

  it('a tab that waited its turn takes the tokens the other just got instead of refreshing', async () => {
    const server = tokenServer(10);
    const b = browser(server, start());
    const [one, two] = [b.tab(), b.tab()];
    const release = server.hold();
    const first = one.s.refresh();
    // The second tab's request was refused (401) while the first was refreshing.
    const second = two.s.refresh();
    release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(server.requests).toHaveLength(1);
    expect(two.s.current.refreshToken).toBe('rt1');
    expect(b.stored?.refreshToken).toBe('rt1');
  });

  it('a refresh after a sign-out in another tab ends here without a refresh or a lost session', async () => {
    const server = tokenServer(10);
    const b = browser(server, start());
    const tab = b.tab();
    b.signOutElsewhere();
    expect(await tab.s.refresh()).toBe(false);
    expect(server.requests).toHaveLength(0);
    expect(tab.lost()).toBe(0);
  });

  it('adopting tokens moves the timer to their expiry', async () => {
    const server = tokenServer(10);
    const b = browser(server, start());
    const tab = b.tab();
    tab.s.start();
    tab.s.adopt({ accessToken: 'atX', refreshToken: 'rt0', expiresAt: Date.now() + 600_000, lifetime: 600_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(0);
    tab.s.stop();
  });
});
