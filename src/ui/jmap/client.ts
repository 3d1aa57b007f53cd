// The one JMAP client of the console: session discovery, same-tick batching of method
// calls into as few HTTP requests as maxCallsInRequest allows, and typed errors.

import { BlockedError, blockedResponse, type Blocked } from '../auth/blocked';
import { i18n } from '../i18n/i18n';
import { stateChanges } from './push';
import { EXTENSIONS } from '../../shared/jmap/capabilities';
import { AuthError, browserOffline, HttpError, MethodError, UnreachableError, type Invocation, type Session } from './types';

export const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'];
const ACCOUNT_CAPABILITY = 'urn:stalwart:jmap';

export interface ClientOptions {
  /** Returns the Authorization header value, or null when signed out. */
  authorization: () => string | null | Promise<string | null>;
  /**
   * The server refused the credentials (401): get new ones if the session can. Servers
   * differ in how they say "expired" (RFC 6750's `invalid_token` also covers revoked
   * tokens, and some say nothing), so any 401 is worth one refresh; the token endpoint's
   * answer decides whether the session goes on. `rejected` is the Authorization value the
   * server refused. Resolves true when new credentials are ready, and the request is then
   * sent once more.
   */
  renew?: (rejected: string) => Promise<boolean>;
  onUnauthorized?: () => void;
  /** The server refuses requests from this address. */
  onBlocked?: (blocked: Blocked) => void;
  /**
   * A response's `sessionState` differs from the last one seen: the caller's account or
   * access changed (RFC 8620 §3.4), e.g. after an edit of one of their own roles.
   */
  onSessionChange?: () => void;
  fetch?: typeof fetch;
  /** Origin the console is served from; defaults to the page's own. */
  origin?: string;
}

interface Pending {
  calls: Invocation[];
  resolve: (responses: Record<string, unknown>[]) => void;
  reject: (error: unknown) => void;
}

export interface Limits {
  maxCallsInRequest: number;
  maxObjectsInGet: number;
}

function pageOrigin(): string {
  return typeof location === 'undefined' ? 'http://localhost' : location.origin;
}

/** Rewrites `resultOf` call ids inside the top-level `#arg` references of one call. */
function renameReferences(args: Record<string, unknown>, ids: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key.startsWith('#') && value && typeof value === 'object' && 'resultOf' in value) {
      const ref = value as { resultOf: string };
      out[key] = { ...ref, resultOf: ids.get(ref.resultOf) ?? ref.resultOf };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Splits groups of calls into requests of at most `max` calls; a group never spans two requests. */
export function chunkGroups<T extends { calls: unknown[] }>(groups: T[], max: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const g of groups) {
    if (current.length > 0 && size + g.calls.length > max) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(g);
    size += g.calls.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export class JmapClient {
  private sessionPromise: Promise<Session> | null = null;
  private queue: Pending[] = [];
  private scheduled = false;
  private sessionState: string | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly origin: string;

  constructor(private readonly options: ClientOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.origin = options.origin ?? pageOrigin();
  }

  /** Forgets the session, e.g. after signing out. */
  reset(): void {
    this.sessionPromise = null;
    this.sessionState = undefined;
  }

  /**
   * A blob's bytes through the session's downloadUrl (RFC 8620 §6.2), in the media type the
   * server keeps for it (no `accept` asked for), with the caller's credentials.
   */
  async download(blobId: string, name: string): Promise<Blob> {
    const session = await this.session();
    if (!session.downloadUrl) throw new Error(i18n.t('app:errors.noDownloads'));
    const url = session.downloadUrl
      .replace('{accountId}', encodeURIComponent(await this.accountId()))
      .replace('{blobId}', encodeURIComponent(blobId))
      .replace('{name}', encodeURIComponent(name))
      .replace(/([?&])accept=\{type\}&?/, '$1')
      .replace(/[?&]$/, '');
    const res = await this.send(this.sameOrigin(url), { method: 'GET' });
    return res.blob();
  }

  /** GET on an API path with the caller's credentials, parsed as JSON. */
  async getJson<T>(path: string): Promise<T> {
    const res = await this.send(path, { method: 'GET' });
    return (await res.json()) as T;
  }

  session(): Promise<Session> {
    if (!this.sessionPromise) {
      this.sessionPromise = this.discover().catch((e: unknown) => {
        this.sessionPromise = null;
        throw e;
      });
    }
    return this.sessionPromise;
  }

  async accountId(): Promise<string> {
    const s = await this.session();
    return s.primaryAccounts[ACCOUNT_CAPABILITY] ?? Object.keys(s.accounts)[0];
  }

  async limits(): Promise<Limits> {
    const core = (await this.session()).capabilities['urn:ietf:params:jmap:core'] ?? {};
    return {
      maxCallsInRequest: Number(core.maxCallsInRequest) || 16,
      maxObjectsInGet: Number(core.maxObjectsInGet) || 500,
    };
  }

  /** One method call; batched with every other call made in the same tick. */
  async call<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const [response] = await this.calls([[name, args, 'c0']]);
    return response as T;
  }

  /**
   * Calls that travel in the same request, in order, so later ones may reference
   * earlier ones by call id (e.g. query then get with `#ids`). Resolves with each
   * call's response arguments; rejects with the first method error.
   */
  calls(calls: Invocation[]): Promise<Record<string, unknown>[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ calls, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // A macrotask rather than a microtask, so queries started by sibling
        // components during the same render pass share one request.
        setTimeout(() => void this.flush(), 0);
      }
    });
  }

  private async flush(): Promise<void> {
    const pending = this.queue;
    this.queue = [];
    this.scheduled = false;
    let accountId: string;
    let limits: Limits;
    let apiUrl: string;
    try {
      const session = await this.session();
      accountId = await this.accountId();
      limits = await this.limits();
      apiUrl = this.sameOrigin(session.apiUrl);
    } catch (e) {
      pending.forEach((p) => p.reject(e));
      return;
    }
    await Promise.all(
      chunkGroups(pending, limits.maxCallsInRequest).map((chunk) => this.post(apiUrl, accountId, chunk)),
    );
  }

  private async post(apiUrl: string, accountId: string, groups: Pending[]): Promise<void> {
    const methodCalls: Invocation[] = [];
    const idsByGroup: string[][] = [];
    groups.forEach((g, gi) => {
      const renamed = new Map<string, string>();
      g.calls.forEach(([, , id], ci) => renamed.set(id, `g${gi}.${ci}`));
      idsByGroup.push(g.calls.map(([, , id]) => renamed.get(id)!));
      for (const [name, args, id] of g.calls) {
        methodCalls.push([name, { accountId, ...renameReferences(args, renamed) }, renamed.get(id)!]);
      }
    });
    try {
      // Extensions go in `using` only where the session announces them (Stalwart refuses unknown ones).
      const { capabilities } = await this.session();
      const res = await this.send(apiUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ using: USING.concat(EXTENSIONS.filter((c) => c in capabilities)), methodCalls }),
      });
      const body = (await res.json()) as { methodResponses: Invocation[]; sessionState?: string };
      this.noteSessionState(body.sessionState);
      const byId = new Map<string, Invocation>();
      for (const r of body.methodResponses) if (!byId.has(r[2])) byId.set(r[2], r);
      groups.forEach((g, gi) => {
        const out: Record<string, unknown>[] = [];
        for (const [ci, id] of idsByGroup[gi].entries()) {
          const r = byId.get(id);
          const method = g.calls[ci][0];
          if (!r) return g.reject(new MethodError('serverFail', method, i18n.t('app:errors.noResponse', { method })));
          if (r[0] === 'error') {
            const err = r[1] as { type?: string; description?: string };
            return g.reject(new MethodError(err.type ?? 'serverFail', method, err.description));
          }
          out.push(r[1]);
        }
        g.resolve(out);
      });
    } catch (e) {
      groups.forEach((g) => g.reject(e));
    }
  }

  private async discover(): Promise<Session> {
    let session: Session;
    try {
      session = (await (await this.send('/jmap/session', { method: 'GET' })).json()) as Session;
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 404)) throw e;
      session = (await (await this.send('/.well-known/jmap', { method: 'GET' })).json()) as Session;
    }
    this.sessionState ??= session.state;
    return session;
  }

  /** Remembers the latest session state; a change after the first one seen is reported. */
  private noteSessionState(state: string | undefined): void {
    if (!state || state === this.sessionState) return;
    const before = this.sessionState;
    this.sessionState = state;
    if (before !== undefined) this.options.onSessionChange?.();
  }

  /**
   * A server behind a proxy may announce an apiUrl with its own host name; the console
   * always talks to the origin it was loaded from, so keep only the path.
   */
  private sameOrigin(url: string): string {
    const u = new URL(url, this.origin);
    return u.origin === this.origin ? u.href : new URL(u.pathname + u.search, this.origin).href;
  }

  /**
   * Follows the session's push stream (RFC 8620 §7.3) and calls `onChange` with the new
   * state of each data type a StateChange names. Resolves when the stream ends; rejects when it cannot be
   * opened. fetch, not EventSource: EventSource cannot send an Authorization header.
   */
  async watch(onChange: (changes: Record<string, string>) => void, signal: AbortSignal): Promise<void> {
    const session = await this.session();
    if (!session.eventSourceUrl) return;
    const url = session.eventSourceUrl.replace('{types}', '*').replace('{closeafter}', 'no').replace('{ping}', '60');
    const auth = await this.options.authorization();
    const res = await this.fetchFn(new URL(url, this.origin).href, {
      headers: { Accept: 'text/event-stream', ...(auth ? { Authorization: auth } : {}) },
      signal,
    });
    if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      throw new HttpError(res.status, undefined);
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const changes = stateChanges(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (Object.keys(changes).length) onChange(changes);
      }
    }
  }

  private async send(path: string, init: RequestInit, retried = false): Promise<Response> {
    const auth = await this.options.authorization();
    const headers = new Headers(init.headers);
    if (auth) headers.set('Authorization', auth);
    headers.set('Accept', 'application/json');
    let res: Response;
    try {
      res = await this.fetchFn(new URL(path, this.origin).href, { ...init, headers });
    } catch (e) {
      // fetch rejects with a TypeError ("Failed to fetch") when no answer came at all.
      if (e instanceof TypeError) throw new UnreachableError(browserOffline());
      throw e;
    }
    if (res.status === 401) {
      if (!retried && auth && this.options.renew) {
        // A token endpoint that is down for a moment must not end the session: only a
        // refusal (false) does. Anything else is an error the person may retry.
        let renewed: boolean;
        try {
          renewed = await this.options.renew(auth);
        } catch (e) {
          const why = e instanceof TypeError ? i18n.t(browserOffline() ? 'app:errors.renewOffline' : 'app:errors.renewNoAnswer') : (e as Error).message;
          throw new HttpError(503, { title: i18n.t('app:errors.renewTitle'), detail: i18n.t('app:errors.renewDetail', { why }) });
        }
        if (renewed) return this.send(path, init, true);
      }
      this.options.onUnauthorized?.();
      throw new AuthError(i18n.t('app:errors.credentials'));
    }
    const blocked = await blockedResponse(res);
    if (blocked) {
      this.options.onBlocked?.(blocked);
      throw new BlockedError(blocked);
    }
    if (!res.ok) {
      let problem: { title?: string; detail?: string; type?: string } | undefined;
      try {
        problem = (await res.json()) as typeof problem;
      } catch {
        problem = undefined;
      }
      throw new HttpError(res.status, problem);
    }
    return res;
  }
}
