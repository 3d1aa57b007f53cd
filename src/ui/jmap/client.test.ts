import { describe, expect, it } from 'vitest';
import { BlockedError } from '../auth/blocked';
import { chunkGroups, JmapClient } from './client';
import { AuthError, MethodError, type Invocation } from './types';

const session = {
  apiUrl: 'https://mail.example.com/jmap/',
  accounts: { a1: { name: 'admin' } },
  primaryAccounts: { 'urn:stalwart:jmap': 'a1' },
  capabilities: { 'urn:ietf:params:jmap:core': { maxCallsInRequest: 3, maxObjectsInGet: 100 } },
};

function fakeServer(answer: (calls: Invocation[]) => Invocation[], status = 200, capabilities: Record<string, unknown> = session.capabilities) {
  const requests: { url: string; calls: Invocation[]; auth: string | null; using?: string[] }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const auth = new Headers(init?.headers).get('Authorization');
    if (url.endsWith('/jmap/session')) return new Response(JSON.stringify({ ...session, capabilities }), { status: 200 });
    const body = JSON.parse(String(init?.body)) as { methodCalls: Invocation[]; using: string[] };
    const calls = body.methodCalls;
    requests.push({ url, calls, auth, using: body.using });
    if (status !== 200) return new Response(JSON.stringify({ title: 'no' }), { status });
    return new Response(JSON.stringify({ methodResponses: answer(calls) }), { status: 200 });
  }) as typeof fetch;
  const client = new JmapClient({ authorization: () => 'Basic x', fetch: fetchFn, origin: 'http://console.test' });
  return { client, requests };
}

const echo = (calls: Invocation[]): Invocation[] => calls.map(([n, a, id]) => [n, { echoed: a }, id]);

describe('JmapClient', () => {
  it('names an extension in `using` only when the session announces it (Stalwart: core and its own only)', async () => {
    const stalwart = fakeServer(echo);
    await stalwart.client.call('x:Role/get', {});
    expect(stalwart.requests[0].using).toEqual(['urn:ietf:params:jmap:core', 'urn:stalwart:jmap']);
    const postern = fakeServer(echo, 200, { ...session.capabilities, 'urn:postern:params:jmap:validate': {} });
    await postern.client.call('x:Role/get', {});
    expect(postern.requests[0].using).toEqual(['urn:ietf:params:jmap:core', 'urn:stalwart:jmap', 'urn:postern:params:jmap:validate']);
  });

  it('batches calls made in the same tick into one request with the account id', async () => {
    const { client, requests } = fakeServer(echo);
    const [a, b] = await Promise.all([
      client.call<{ echoed: unknown }>('x:Role/get', { ids: ['1'] }),
      client.call<{ echoed: unknown }>('x:AllowedIp/get', { ids: ['2'] }),
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe('http://console.test/jmap/');
    expect(requests[0].auth).toBe('Basic x');
    expect(a.echoed).toEqual({ accountId: 'a1', ids: ['1'] });
    expect(b.echoed).toEqual({ accountId: 'a1', ids: ['2'] });
  });

  it('splits batches at maxCallsInRequest and keeps referencing calls together', async () => {
    const { client, requests } = fakeServer(echo);
    await Promise.all([
      client.call('a/get', {}),
      client.call('b/get', {}),
      client.calls([
        ['x:Role/query', {}, 'q'],
        ['x:Role/get', { '#ids': { resultOf: 'q', name: 'x:Role/query', path: '/ids' } }, 'g'],
      ]),
    ]);
    expect(requests.map((r) => r.calls.length)).toEqual([2, 2]);
    const [query, get] = requests[1].calls;
    expect((get[1]['#ids'] as { resultOf: string }).resultOf).toBe(query[2]);
  });

  it('turns method errors into MethodError and 401 into AuthError', async () => {
    const { client } = fakeServer((calls) => calls.map(([, , id]) => ['error', { type: 'forbidden', description: 'nope' }, id]));
    await expect(client.call('x:Role/set', {})).rejects.toBeInstanceOf(MethodError);
    let signedOut = false;
    const fetch401 = (async () => new Response('{}', { status: 401 })) as typeof fetch;
    const c2 = new JmapClient({ authorization: () => null, fetch: fetch401, origin: 'http://x', onUnauthorized: () => (signedOut = true) });
    await expect(c2.call('a/get', {})).rejects.toBeInstanceOf(AuthError);
    expect(signedOut).toBe(true);
  });

  it('chunkGroups never splits a group', () => {
    const g = (n: number) => ({ calls: new Array(n).fill(0) });
    expect(chunkGroups([g(1), g(2), g(1)], 3).map((c) => c.length)).toEqual([2, 1]);
  });

  it('on 401 renews once and retries the request with the new token', async () => {
    let token = 'old';
    const seen: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('Authorization')!;
      seen.push(`${String(input).replace('http://c', '')} ${auth}`);
      if (auth === 'Bearer old') {
        return new Response('{}', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="Postern", error="invalid_token"' } });
      }
      if (String(input).endsWith('/jmap/session')) return new Response(JSON.stringify(session), { status: 200 });
      const calls = JSON.parse(String(init?.body)).methodCalls as Invocation[];
      return new Response(JSON.stringify({ methodResponses: echo(calls) }), { status: 200 });
    }) as typeof fetch;
    const renewals: string[] = [];
    let unauthorized = 0;
    const client = new JmapClient({
      authorization: () => `Bearer ${token}`,
      renew: async (rejected) => {
        renewals.push(rejected);
        token = 'new';
        return true;
      },
      onUnauthorized: () => (unauthorized += 1),
      fetch: fetchFn,
      origin: 'http://c',
    });
    await client.call('x:Role/get', {});
    expect(renewals).toEqual(['Bearer old']);
    expect(seen).toEqual(['/jmap/session Bearer old', '/jmap/session Bearer new', '/jmap/ Bearer new']);
    expect(unauthorized).toBe(0);
  });

  it('keeps the session when the token endpoint fails for a moment', async () => {
    const fetch401 = (async () => new Response('{}', { status: 401 })) as typeof fetch;
    let unauthorized = 0;
    const client = new JmapClient({
      authorization: () => 'Bearer old',
      renew: async () => {
        throw new TypeError('Failed to fetch');
      },
      onUnauthorized: () => (unauthorized += 1),
      fetch: fetch401,
      origin: 'http://c',
    });
    await expect(client.call('x:Role/get', {})).rejects.toMatchObject({ name: 'HttpError', status: 503 });
    expect(unauthorized).toBe(0);
  });

  it('gives up after one retry, or when the session cannot be renewed', async () => {
    let renewals = 0;
    let unauthorized = 0;
    const make = (renewed: boolean) =>
      new JmapClient({
        authorization: () => 'Bearer x',
        renew: async () => {
          renewals += 1;
          return renewed;
        },
        onUnauthorized: () => (unauthorized += 1),
        fetch: (async () => new Response('{}', { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })) as typeof fetch,
        origin: 'http://c',
      });
    await expect(make(true).session()).rejects.toBeInstanceOf(AuthError);
    expect([renewals, unauthorized]).toEqual([1, 1]);
    await expect(make(false).session()).rejects.toBeInstanceOf(AuthError);
    expect([renewals, unauthorized]).toEqual([2, 2]);
  });

  it('reports a blocked address as BlockedError', async () => {
    const reported: unknown[] = [];
    const client = new JmapClient({
      authorization: () => 'Bearer x',
      onBlocked: (b) => reported.push(b),
      fetch: (async () => new Response(JSON.stringify({ status: 403, detail: 'Requests from 127.0.0.9 are blocked.' }), { status: 403 })) as typeof fetch,
      origin: 'http://c',
    });
    await expect(client.call('x:Role/get', {})).rejects.toBeInstanceOf(BlockedError);
    expect(reported).toEqual([{ address: '127.0.0.9', expiresAt: null, reason: null }]);
  });

  it('reports a sessionState that differs from the last one seen, not the first', async () => {
    let state = 's1';
    let changes = 0;
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/jmap/session')) return Response.json({ ...session, state: 's1' });
      const calls = JSON.parse(String(init?.body)).methodCalls as Invocation[];
      return Response.json({ methodResponses: echo(calls), sessionState: state });
    }) as typeof fetch;
    const client = new JmapClient({ authorization: () => 'Basic x', fetch: fetchFn, origin: 'http://c', onSessionChange: () => changes++ });
    await client.call('x:Role/get', {});
    expect(changes).toBe(0);
    state = 's2';
    await client.call('x:Role/get', {});
    await client.call('x:Role/get', {});
    expect(changes).toBe(1);
  });
});

