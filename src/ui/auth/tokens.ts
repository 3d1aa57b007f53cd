// An OAuth session's tokens: the access token for API calls, refreshed shortly before it
// expires (and whenever the server says it has), one refresh at a time because each
// refresh rotates the refresh token and a second use of the old one would fail. The tabs
// of a browser share the session: each refreshes only inside a lock the tabs share, after
// reading the tokens another tab may have just rotated, and takes over theirs.

import { GrantError, refreshGrant, revoke, type Endpoints, type TokenSet } from './oauth';

/** Refresh with a fifth of the lifetime left, and at most a minute before expiry. */
export function refreshDelay(tokens: Pick<TokenSet, 'expiresAt' | 'lifetime'>, now: number): number {
  const lead = Math.min(60_000, tokens.lifetime / 5);
  return Math.max(0, Math.min(tokens.expiresAt - lead - now, 2 ** 31 - 1));
}

/** Retry a refresh that failed for want of a network after this long. */
const RETRY_MS = 5_000;

export interface TokenSessionHooks {
  /** New tokens, to keep across a reload and hand to the other tabs. */
  persist: (tokens: TokenSet) => void;
  /** The session cannot be refreshed any more (the grant was revoked or expired). */
  lost: () => void;
  /**
   * The session's newest tokens as the tabs share them (undefined: none kept; null: the
   * session is gone, signed out elsewhere). Read inside `exclusive` before refreshing.
   */
  latest?: () => TokenSet | null | undefined;
  /** Runs a refresh while no other tab refreshes (tabs.ts oneTabAtATime). */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Storage reaches other tabs a moment later, not at once: a tab taking its turn right
   * after another refreshed could still read the old refresh token, and its use would end
   * the grant for every tab. So the tab that refreshed keeps its turn this long after
   * storing the new tokens, and a tab whose turn comes reads them once more after as long.
   */
  settleMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class TokenSession {
  private inflight: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(
    private tokens: TokenSet,
    private readonly endpoints: Endpoints,
    private readonly hooks: TokenSessionHooks,
  ) {
    this.now = hooks.now ?? Date.now;
  }

  get current(): TokenSet {
    return this.tokens;
  }

  /** Starts the refresh timer. */
  start(): void {
    this.schedule(refreshDelay(this.tokens, this.now()));
  }

  /** The Authorization header for the next request; refreshes first if the timer ran late. */
  async authorization(): Promise<string> {
    if (!this.closed && this.tokens.refreshToken && refreshDelay(this.tokens, this.now()) === 0) {
      // A failure here is not fatal: the server then answers the request, and a lost
      // session or a blocked address is reported from there.
      await this.refresh().catch(() => false);
    }
    return `Bearer ${this.tokens.accessToken}`;
  }

  /**
   * Gets new tokens; concurrent callers share one request. Resolves true when they are in
   * place, false when the session is over; rejects when the server could not be reached.
   */
  refresh(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /**
   * Tokens another tab got: used from now on, and the timer follows their expiry. (A
   * refresh in flight here cannot have used the same refresh token: refreshes take turns.)
   */
  adopt(tokens: TokenSet): void {
    if (this.closed || tokens.accessToken === this.tokens.accessToken) return;
    this.tokens = tokens;
    if (this.timer) this.schedule(refreshDelay(tokens, this.now()));
  }

  private doRefresh(): Promise<boolean> {
    const exclusive = this.hooks.exclusive ?? ((fn) => fn());
    const asked = this.tokens.accessToken;
    return exclusive(async () => {
      if (this.closed) return false;
      let shared = this.hooks.latest?.();
      if (shared && this.hooks.settleMs && shared.refreshToken === this.tokens.refreshToken) {
        await this.settle();
        shared = this.hooks.latest?.();
      }
      if (shared === null) {
        // Signed out in another tab: that tab revoked the grant.
        this.close();
        return false;
      }
      if (shared) this.adopt(shared);
      if (this.tokens.accessToken !== asked && refreshDelay(this.tokens, this.now()) > 0) {
        // Another tab refreshed while this one waited its turn.
        this.schedule(refreshDelay(this.tokens, this.now()));
        return true;
      }
      return this.rotate();
    });
  }

  private async rotate(): Promise<boolean> {
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) {
      this.lose();
      return false;
    }
    try {
      const next = await refreshGrant(this.endpoints.tokenEndpoint, refreshToken, this.hooks.fetch, this.now, this.endpoints.clientId);
      this.tokens = { ...next, refreshToken: next.refreshToken ?? refreshToken };
      if (this.closed) return false;
      this.hooks.persist(this.tokens);
      this.schedule(refreshDelay(this.tokens, this.now()));
      await this.settle();
      return true;
    } catch (e) {
      if (e instanceof GrantError) {
        this.lose();
        return false;
      }
      throw e;
    }
  }

  private settle(): Promise<void> {
    const ms = this.hooks.settleMs ?? 0;
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch(() => this.schedule(RETRY_MS));
    }, delay);
  }

  private lose(): void {
    if (this.closed) return;
    this.close();
    this.hooks.lost();
  }

  /** Stops the timer (a refresh asked for later starts it again). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private close(): void {
    this.closed = true;
    this.stop();
  }

  /** Signs out: stops, waits for a refresh in flight (its token is the live one), revokes. */
  async signOut(): Promise<void> {
    this.close();
    await this.inflight?.catch(() => false);
    const { refreshToken, accessToken } = this.tokens;
    await revoke(this.endpoints.revocationEndpoint, refreshToken ?? accessToken, this.hooks.fetch, this.endpoints.clientId);
  }
}
