// Seed 002 › Administrating domains on the WebAdmin listener, with its authentication:
// every curl example as written (plus the Authorization header), bad names, a domain in use.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, query } from '../testkit';
import { expectError, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

let t: WebAdminTest;

beforeAll(async () => {
  t = await startWebAdminTest();
});
afterAll(() => t.close());

/** The x:Domain names JMAP sees. */
async function jmapDomains(): Promise<string[]> {
  const res = await get(t.server, 'x:Domain', null, { properties: ['name'] });
  return res.list.map((d) => String(d.name)).sort();
}

describe('seed 002 curl examples', () => {
  it('PUT /domains/domainToBeCreated creates the domain (204), seen through JMAP; PUT again changes nothing', async () => {
    const r = await t.curl('curl -XPUT http://ip:port/domains/domainToBeCreated');
    expect(r.status, JSON.stringify(r.json)).toBe(204);
    expect(r.json).toBeNull();
    expect(await jmapDomains()).toContain('domaintobecreated');
    await unchanged(t.server, ['x:Domain'], async () => {
      expect((await t.curl('curl -XPUT http://ip:port/domains/domainToBeCreated')).status).toBe(204);
    });
  });

  it('GET /domains/domainName: 204 when it exists, 404 with the error body when not', async () => {
    expectError(await t.curl('curl -XGET http://ip:port/domains/domainName'), 404, 'notFound');
    expect((await t.curl('curl -XPUT http://ip:port/domains/domainName')).status).toBe(204);
    const r = await t.curl('curl -XGET http://ip:port/domains/domainName');
    expect(r.status).toBe(204);
    expect(r.json).toBeNull();
  });

  it('DELETE /domains/domainToBeDeleted removes it (204); deleting it again is 204 and changes nothing', async () => {
    expect((await t.curl('curl -XPUT http://ip:port/domains/domainToBeDeleted')).status).toBe(204);
    expect(await jmapDomains()).toContain('domaintobedeleted');
    expect((await t.curl('curl -XDELETE http://ip:port/domains/domainToBeDeleted')).status).toBe(204);
    expect(await jmapDomains()).not.toContain('domaintobedeleted');
    await unchanged(t.server, ['x:Domain'], async () => {
      expect((await t.curl('curl -XDELETE http://ip:port/domains/domainToBeDeleted')).status).toBe(204);
    });
  });

  it('GET /domains lists every domain as {"domains": [...]}, sorted', async () => {
    for (const d of ['zeta.test', 'alpha.test']) expect((await t.call('PUT', `/domains/${d}`)).status).toBe(204);
    const r = await t.curl('curl -XGET http://ip:port/domains');
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    const { domains } = r.json as { domains: string[] };
    expect(Object.keys(r.json as object)).toEqual(['domains']);
    expect(domains).toEqual(await jmapDomains());
    expect(domains).toEqual([...domains].sort());
    expect(domains).toEqual(expect.arrayContaining(['alpha.test', 'zeta.test']));
  });
});

describe('bad domain names (400, nothing changed)', () => {
  const cases: [string, string][] = [
    ['with @', 'a@b.test'],
    ['with / (encoded)', 'a%2Fb.test'],
    ['more than 255 characters', `${'a'.repeat(60)}.`.repeat(5) + 'test'],
  ];
  for (const [what, path] of cases) {
    it(`a name ${what}`, async () => {
      await unchanged(t.server, ['x:Domain'], async () => {
        expectError(await t.call('PUT', `/domains/${path}`), 400, 'InvalidArgument');
      });
    });
  }
  it('an empty name', async () => {
    await unchanged(t.server, ['x:Domain'], async () => {
      expectError(await t.call('PUT', '/domains/'), 400, 'InvalidArgument', /empty/);
    });
  });
  it('a malformed escape', async () => {
    expectError(await t.call('PUT', '/domains/a%zz'), 400, 'InvalidArgument', /percent-encoded/);
  });
});

describe('domain aliases', () => {
  it('a name that is already an alias of another domain: 409, nothing changed; a user there: 400 naming the domain', async () => {
    const [, res] = await t.server.call('x:Domain/set', { create: { d: { name: 'main.test', aliases: { 'alias.test': true } } } });
    expect(res.notCreated).toBeNull();
    await unchanged(t.server, ['x:Domain'], async () => {
      expectError(await t.call('PUT', '/domains/alias.test'), 409, 'WrongState', /main\.test/);
    });
    expectError(await t.call('GET', '/domains/alias.test'), 404, 'notFound');
    await unchanged(t.server, ['x:Account'], async () => {
      expectError(await t.call('PUT', '/users/x@alias.test', { body: '{"password":"a good secret"}' }), 400, 'InvalidArgument', /alias of main\.test/);
    });
  });
});

describe('a domain in use', () => {
  it('cannot be deleted while a user has an address in it: 409, and it stays', async () => {
    expect((await t.call('PUT', '/domains/busy.test')).status).toBe(204);
    expect((await t.call('PUT', '/users/someone@busy.test', { body: '{"password":"a long enough secret"}' })).status).toBe(204);
    await unchanged(t.server, ['x:Domain', 'x:Account'], async () => {
      expectError(await t.call('DELETE', '/domains/busy.test'), 409, 'WrongState', /someone@busy\.test \(x:Account\)/);
    });
    expect(await jmapDomains()).toContain('busy.test');
    expect((await t.call('DELETE', '/users/someone@busy.test')).status).toBe(204);
    expect((await t.call('DELETE', '/domains/busy.test')).status).toBe(204);
    expect(await jmapDomains()).not.toContain('busy.test');
  });
});

describe('authentication and permissions', () => {
  it('no Authorization header: 401 with the error body, nothing created', async () => {
    await unchanged(t.server, ['x:Domain'], async () => {
      const r = await t.call('PUT', '/domains/nokey.test', { key: null });
      expectError(r, 401, 'Unauthorized');
    });
  });

  it('a wrong or malformed key, or Basic credentials: 401', async () => {
    expectError(await t.call('GET', '/domains', { key: 'pst_nosuchkey_aaaaaaaaaaaaaaaaaaaaaaaaaaaa' }), 401, 'Unauthorized');
    expectError(await t.call('GET', '/domains', { key: 'garbage' }), 401, 'Unauthorized');
    const basic = `Basic ${Buffer.from('admin:test-admin-password').toString('base64')}`;
    expectError(await t.call('GET', '/domains', { key: null, headers: { Authorization: basic } }), 401, 'Unauthorized');
  });

  it('a key whose account lacks the permission: 403 Forbidden, nothing created; with it, allowed', async () => {
    const reader = await t.keyWith(['sysDomainGet', 'sysDomainQuery']);
    expect((await t.call('GET', '/domains', { key: reader })).status).toBe(200);
    await unchanged(t.server, ['x:Domain'], async () => {
      expectError(await t.call('PUT', '/domains/notallowed.test', { key: reader }), 403, 'Forbidden', /sysDomainCreate/);
    });
    const writer = await t.keyWith(['sysDomainGet', 'sysDomainQuery', 'sysDomainCreate']);
    expect((await t.call('PUT', '/domains/allowed.test', { key: writer })).status).toBe(204);
    const nothing = await t.keyWith([]);
    expectError(await t.call('GET', '/domains', { key: nothing }), 403, 'Forbidden', /sysDomainQuery/);
  });

  it('a revoked key stops working at once', async () => {
    const key = await t.keyWith(['sysDomainGet', 'sysDomainQuery']);
    expect((await t.call('GET', '/domains', { key })).status).toBe(200);
    const id = /^pst_([A-Za-z0-9]+)_/.exec(key)![1];
    const res = await t.server.call('x:ApiKey/set', { destroy: [id] });
    expect(res[0]).toBe('x:ApiKey/set');
    expectError(await t.call('GET', '/domains', { key }), 401, 'Unauthorized');
  });

  it('writes are pushed like JMAP writes: an event stream hears of a domain made over WebAdmin', async () => {
    const abort = new AbortController();
    const res = await fetch(`${t.server.url}/jmap/eventsource/?types=x:Domain&closeafter=state&ping=0`, {
      headers: { Authorization: `Bearer ${t.adminKey}` },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const event = (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += value;
        const m = /event: state\ndata: (.*)\n\n/.exec(buffer);
        if (m) return JSON.parse(m[1]) as { changed: Record<string, Record<string, string>> };
      }
    })();
    expect((await t.call('PUT', '/domains/pushed.test')).status).toBe(204);
    const change = await event;
    abort.abort();
    const state = (await get(t.server, 'x:Domain', [])).state;
    expect(Object.values(change!.changed)[0]).toEqual({ 'x:Domain': state });
  });

  it('writes are logged like JMAP writes: x:Domain/changes reports a domain made over WebAdmin', async () => {
    const before = (await get(t.server, 'x:Domain', [])).state;
    expect((await t.call('PUT', '/domains/changes.test')).status).toBe(204);
    const [name, changes] = await t.server.call('x:Domain/changes', { sinceState: before });
    expect(name).toBe('x:Domain/changes');
    const ids = (await query(t.server, 'x:Domain', { filter: { name: 'changes.test' } })).ids;
    expect(changes.created).toEqual(ids);
  });
});

describe('routing', () => {
  it('HEAD answers as GET does, without a body', async () => {
    expect((await t.call('PUT', '/domains/head.test')).status).toBe(204);
    expect((await t.call('HEAD', '/domains/head.test')).status).toBe(204);
    const missing = await t.call('HEAD', '/domains/missing-head.test');
    expect(missing.status).toBe(404);
    expect(missing.json).toBeNull();
    expect((await t.call('HEAD', '/domains')).status).toBe(200);
  });

  it('an unknown path is 404 and a wrong method 405, both with the error body', async () => {
    expectError(await t.call('GET', '/nothing/here'), 404, 'notFound');
    expectError(await t.call('POST', '/domains/x.test'), 405, 'InvalidArgument');
  });
});
