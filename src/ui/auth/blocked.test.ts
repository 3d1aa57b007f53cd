import { describe, expect, it } from 'vitest';
import { blockedFrom, blockedResponse } from './blocked';

describe('blocked-response detection', () => {
  it("recognises the embedded server's 403 and takes the address from it", () => {
    expect(blockedFrom(403, { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Requests from 127.0.0.23 are blocked.' })).toEqual({
      address: '127.0.0.23',
      expiresAt: null,
      reason: null,
    });
    expect(blockedFrom(403, { detail: 'Requests from 2001:db8::1 are blocked.' })?.address).toBe('2001:db8::1');
  });

  it('prefers extension members when a server sends them', () => {
    expect(
      blockedFrom(403, { type: 'urn:x:blocked', address: '192.0.2.7', reason: 'authFailure', expiresAt: '2030-01-01T00:00:00Z' }),
    ).toEqual({ address: '192.0.2.7', reason: 'authFailure', expiresAt: '2030-01-01T00:00:00Z' });
  });

  it('leaves other refusals alone', () => {
    expect(blockedFrom(403, { detail: 'You may not do that' })).toBeNull();
    expect(blockedFrom(401, { detail: 'Requests from 10.0.0.1 are blocked.' })).toBeNull();
    expect(blockedFrom(403, null)).toBeNull();
  });

  it('reads a Response without consuming it, and ignores bodies that are not JSON', async () => {
    const res = new Response(JSON.stringify({ detail: 'Requests from 10.1.2.3 are blocked.' }), { status: 403 });
    expect((await blockedResponse(res))?.address).toBe('10.1.2.3');
    expect(await res.json()).toEqual({ detail: 'Requests from 10.1.2.3 are blocked.' });
    expect(await blockedResponse(new Response('<html>', { status: 403 }))).toBeNull();
    expect(await blockedResponse(new Response('{}', { status: 200 }))).toBeNull();
  });
});
