// Seed 002 › Administrating quotas (users, domains, global) on the WebAdmin listener: every
// curl example as written (plus the Authorization header), the stored encoding behind
// them, the search by occupation ratio, and bad input changing nothing.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordUsage } from '../mail/quotaUsage';
import { quotaFields } from '../mail/userdbExtras';
import { refreshSettled } from '../objects/quotas';
import { expectError, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

let t: WebAdminTest;
const TYPES = ['x:Account', 'x:Domain', 'x:Email'];

beforeAll(async () => {
  t = await startWebAdminTest();
  for (const d of ['domainToBeUsed', 'james.org', 'oppen-paas.org']) expect((await t.call('PUT', `/domains/${d}`)).status).toBe(204);
  expect((await t.call('PUT', '/users/usernameToBeUsed', { body: '{"password":"quota secret 1"}' })).status).toBe(204);
  for (let i = 1; i <= 5; i++) expect((await t.call('PUT', `/users/u${i}@oppen-paas.org`, { body: '{"password":"quota secret 1"}' })).status).toBe(204);
});
afterAll(() => t.close());

const put = (path: string, body: string) => t.curl(`curl -XPUT http://ip:port${path} -d '${body}'`);
const getJson = async (command: string) => {
  const r = await t.curl(command);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
};
const account = (address: string) => {
  const row = t.server.store.db.prepare(`SELECT data FROM records WHERE type = 'x:Account' AND json_extract(data, '$."emailAddress"') IS ? AND (? IS NOT NULL OR json_extract(data, '$."name"') = 'usernameToBeUsed')`)
    .get(address.includes('@') ? address : null, address.includes('@') ? address : null) as { data: string };
  return JSON.parse(row.data) as Record<string, unknown>;
};

describe('seed 002: quotas by users', () => {
  it('PUT /quota/users/usernameToBeUsed with each of the seed bodies, GET answering them back', async () => {
    expect((await put('/quota/users/usernameToBeUsed', '{"count":52,"size":42}')).status).toBe(204);
    const d = (await getJson('curl -XGET http://ip:port/quota/users/usernameToBeUsed')) as Record<string, unknown>;
    expect(d).toEqual({
      global: { count: null, size: null },
      domain: { count: null, size: null },
      user: { count: 52, size: 42 },
      computed: { count: 52, size: 42 },
      occupation: { size: 0, count: 0, ratio: { size: 0, count: 0, max: 0 } },
    });
    expect(account('usernameToBeUsed').quotas).toEqual({ maxEmails: 52, maxDiskQuota: 42 });
    expect((await put('/quota/users/usernameToBeUsed', '{"count":52,"size":-1}')).status).toBe(204);
    expect(account('usernameToBeUsed').quotas).toEqual({ maxEmails: 52, maxDiskQuota: 0 });
    expect(((await getJson('curl -XGET http://ip:port/quota/users/usernameToBeUsed')) as { user: unknown }).user).toEqual({ count: 52, size: -1 });
    expect((await put('/quota/users/usernameToBeUsed', '{"count":null,"size":null}')).status).toBe(204);
    expect(account('usernameToBeUsed').quotas).toEqual({});
    expect(((await getJson('curl -XGET http://ip:port/quota/users/usernameToBeUsed')) as { user: unknown }).user).toEqual({ count: null, size: null });
  });

  it('count and size: GET, PUT (52, -1), DELETE (unlimited, as the seed says)', async () => {
    for (const which of ['count', 'size']) {
      expect((await put(`/quota/users/usernameToBeUsed/${which}`, '52')).status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/users/usernameToBeUsed/${which}`)).toBe(52);
      expect((await put(`/quota/users/usernameToBeUsed/${which}`, '-1')).status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/users/usernameToBeUsed/${which}`)).toBe(-1);
      expect((await put(`/quota/users/usernameToBeUsed/${which}`, '52')).status).toBe(204);
      const r = await t.curl(`curl -XDELETE http://ip:port/quota/users/usernameToBeUsed/${which}`);
      expect(r.status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/users/usernameToBeUsed/${which}`)).toBe(-1);
    }
    expect(account('usernameToBeUsed').quotas).toEqual({ maxEmails: 0, maxDiskQuota: 0 });
  });

  it('the computed limit and the userdb fields resolve user → domain → global', async () => {
    const u = 'u1@oppen-paas.org';
    expect((await put('/quota', '{"count":1000,"size":5000}')).status).toBe(204);
    expect((await put('/quota/domains/oppen-paas.org', '{"count":100,"size":null}')).status).toBe(204);
    expect((await put(`/quota/users/${u}`, '{"count":null,"size":2000}')).status).toBe(204);
    const d = (await getJson(`curl -XGET http://ip:port/quota/users/${u}`)) as Record<string, unknown>;
    expect(d.global).toEqual({ count: 1000, size: 5000 });
    expect(d.domain).toEqual({ count: 100, size: null });
    expect(d.user).toEqual({ count: null, size: 2000 });
    expect(d.computed).toEqual({ count: 100, size: 2000 });
    expect(quotaFields(t.server.store, account(u))).toEqual({ quota_rule: '*:bytes=2000', quota_rule2: '*:messages=100' });
    // The domain says unlimited: it wins over the global limit.
    expect((await put('/quota/domains/oppen-paas.org/count', '-1')).status).toBe(204);
    expect(quotaFields(t.server.store, account(u))).toEqual({ quota_rule: '*:bytes=2000', quota_rule2: '*:messages=0' });
    // The stored limits that lists read follow in batches right after the commit.
    await refreshSettled(t.server.store);
    expect(account(u).computedMaxEmails).toBeNull();
    expect((await put('/quota', '{"count":null,"size":null}')).status).toBe(204);
    expect((await put('/quota/domains/oppen-paas.org', '{"count":null,"size":null}')).status).toBe(204);
  });

  it('GET /quota/users?minOccupationRatio…: the users in range, by username, with their details', async () => {
    // Usage as Dovecot would report it: u1 80 %, u2 95 %, u3 50 %, u4 100 %, u5 none.
    for (const [i, used] of [[1, 800], [2, 950], [3, 500], [4, 1000]]) {
      expect((await put(`/quota/users/u${i}@oppen-paas.org/size`, '1000')).status).toBe(204);
      recordUsage(t.server.store, `u${i}@oppen-paas.org`, { bytes: used, messages: 1 });
    }
    const seed = await getJson('curl -XGET http://ip:port/quota/users?minOccupationRatio=0.8&maxOccupationRatio=0.99&limit=100&offset=200&domain=oppen-paas.org');
    expect(seed).toEqual([]); // offset 200 is past the two that match
    const page = (await getJson('curl -XGET http://ip:port/quota/users?minOccupationRatio=0.8&maxOccupationRatio=0.99&limit=100&offset=0&domain=oppen-paas.org')) as {
      username: string; detail: { occupation: { size: number; ratio: { max: number } }; computed: unknown };
    }[];
    expect(page.map((p) => p.username)).toEqual(['u1@oppen-paas.org', 'u2@oppen-paas.org']);
    expect(page[1].detail.occupation.size).toBe(950);
    expect(page[1].detail.occupation.ratio.max).toBe(0.95);
    expect(page[1].detail.computed).toEqual({ count: null, size: 1000 });
    const all = (await getJson('curl -XGET http://ip:port/quota/users?minOccupationRatio=0.9')) as { username: string }[];
    expect(all.map((p) => p.username)).toEqual(['u2@oppen-paas.org', 'u4@oppen-paas.org']);
    const paged = (await getJson('curl -XGET http://ip:port/quota/users?domain=oppen-paas.org&limit=2&offset=1')) as { username: string }[];
    expect(paged.map((p) => p.username)).toEqual(['u2@oppen-paas.org', 'u3@oppen-paas.org']);
    // Raising a limit moves the ratio at once: u4 at 1000 of 4000 is 0.25.
    expect((await put('/quota/users/u4@oppen-paas.org/size', '4000')).status).toBe(204);
    expect(((await getJson('curl -XGET http://ip:port/quota/users?minOccupationRatio=0.9')) as { username: string }[]).map((p) => p.username)).toEqual(['u2@oppen-paas.org']);
    // A domain default applies to those without their own limit: u5 (no usage) stays at 0, the others keep theirs.
    expect((await put('/quota/users/u2@oppen-paas.org/size', '-1')).status).toBe(204);
    expect((await put('/quota/users/u2@oppen-paas.org', '{"count":null,"size":null}')).status).toBe(204);
    expect((await put('/quota/domains/oppen-paas.org/size', '1000')).status).toBe(204);
    await refreshSettled(t.server.store);
    expect(((await getJson('curl -XGET http://ip:port/quota/users?minOccupationRatio=0.9&domain=oppen-paas.org')) as { username: string }[]).map((p) => p.username)).toEqual(['u2@oppen-paas.org']);
    expect(account('u2@oppen-paas.org').occupationRatio).toBe(0.95);
    expect((await put('/quota/domains/oppen-paas.org/size', '10000')).status).toBe(204);
    await refreshSettled(t.server.store);
    expect(account('u2@oppen-paas.org').occupationRatio).toBe(0.095);
    expect((await put('/quota/domains/oppen-paas.org', '{"count":null,"size":null}')).status).toBe(204);
  });
});

describe('seed 002: quotas by domains and global', () => {
  it('domains: GET {global, domain, computed}; PUT the seed bodies; count and size', async () => {
    expect((await put('/quota', '{"count":252,"size":null}')).status).toBe(204);
    expect((await put('/quota/domains/james.org', '{"count":null,"size":142}')).status).toBe(204);
    expect(await getJson('curl -XGET http://ip:port/quota/domains/james.org')).toEqual({
      global: { count: 252, size: null }, domain: { count: null, size: 142 }, computed: { count: 252, size: 142 },
    });
    for (const body of ['{"count":52,"size":42}', '{"count":null,"size":null}', '{"count":52,"size":-1}']) {
      expect((await put('/quota/domains/domainToBeUsed', body)).status).toBe(204);
      expect(((await getJson('curl -XGET http://ip:port/quota/domains/domainToBeUsed')) as { domain: unknown }).domain).toEqual(JSON.parse(body));
    }
    for (const which of ['count', 'size']) {
      expect((await put(`/quota/domains/domainToBeUsed/${which}`, '52')).status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/domains/domainToBeUsed/${which}`)).toBe(52);
      expect((await t.curl(`curl -XDELETE http://ip:port/quota/domains/domainToBeUsed/${which}`)).status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/domains/domainToBeUsed/${which}`)).toBe(-1);
    }
  });

  it('global: GET /quota/ {count, size}; PUT /quota the seed bodies; count and size', async () => {
    for (const body of ['{"count":52,"size":42}', '{"count":null,"size":null}', '{"count":52,"size":-1}']) {
      expect((await put('/quota', body)).status).toBe(204);
      expect(await getJson('curl -XGET http://ip:port/quota/')).toEqual(JSON.parse(body));
    }
    for (const which of ['count', 'size']) {
      expect((await put(`/quota/${which}`, '252')).status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/${which}`)).toBe(252);
      expect((await t.curl(`curl -XDELETE http://ip:port/quota/${which}`)).status).toBe(204);
      expect(await getJson(`curl -XGET http://ip:port/quota/${which}`)).toBe(-1);
    }
    expect((await put('/quota', '{"count":null,"size":null}')).status).toBe(204);
  });
});

describe('bad input changes nothing', () => {
  // What earlier tests changed is rewritten in the background: it must be done before a snapshot.
  beforeEach(() => refreshSettled(t.server.store));
  it('limits: negative, zero, fractions, text, unknown properties → 400 naming the problem', async () => {
    await unchanged(t.server, TYPES, async () => {
      for (const path of ['/quota/users/usernameToBeUsed', '/quota/domains/james.org', '/quota']) {
        expectError(await put(`${path}/count`, '-2'), 400, 'InvalidArgument', /cannot be negative/);
        expectError(await put(`${path}/size`, '0'), 400, 'InvalidArgument', /cannot be 0/);
        expectError(await put(`${path}/size`, '1.5'), 400, 'InvalidArgument', /whole number/);
        expectError(await put(`${path}/count`, 'abc'), 400, 'InvalidArgument', /not JSON/);
        expectError(await put(`${path}/count`, 'null'), 400, 'InvalidArgument', /positive whole number or -1/);
        expectError(await put(path, '{"count":52,"size":-5}'), 400, 'InvalidArgument', /size cannot be negative/);
        expectError(await put(path, '{"count":"52"}'), 400, 'InvalidArgument', /count must be/);
        expectError(await put(path, '{"count":52,"bytes":1}'), 400, 'InvalidArgument', /Unknown properties: bytes/);
        expectError(await put(path, '[52]'), 400, 'InvalidArgument', /JSON object/);
        expectError(await put(path, '{"size":1e400}'), 400, 'InvalidArgument', /size is too large/);
        expectError(await put(`${path}/count`, '-1e400'), 400, 'InvalidArgument', /count limit is too large/);
      }
    });
  });

  it('unknown users and domains → 404; the search refuses ratios outside 0–1 and bad paging', async () => {
    await unchanged(t.server, TYPES, async () => {
      expectError(await t.curl('curl -XGET http://ip:port/quota/users/nobody@james.org'), 404, 'notFound');
      expectError(await t.curl('curl -XGET http://ip:port/quota/users/nobody@unknown.test/count'), 404, 'notFound');
      expectError(await put('/quota/users/nobody@james.org/size', '52'), 404, 'notFound');
      expectError(await t.curl('curl -XDELETE http://ip:port/quota/users/nobody@james.org/size'), 404, 'notFound');
      expectError(await t.curl('curl -XGET http://ip:port/quota/domains/unknown.test'), 404, 'notFound');
      expectError(await put('/quota/domains/unknown.test', '{"count":1}'), 404, 'notFound');
      for (const q of ['minOccupationRatio=1.5', 'maxOccupationRatio=-0.1', 'minOccupationRatio=abc', 'minOccupationRatio=']) {
        expectError(await t.curl(`curl -XGET http://ip:port/quota/users?${q}`), 400, 'InvalidArgument', /from 0 to 1/);
      }
      expectError(await t.curl('curl -XGET http://ip:port/quota/users?minOccupationRatio=0.9&maxOccupationRatio=0.5'), 400, 'InvalidArgument', /greater than/);
      expectError(await t.curl('curl -XGET http://ip:port/quota/users?limit=0'), 400, 'InvalidArgument', /at least 1/);
      expectError(await t.curl('curl -XGET http://ip:port/quota/users?offset=-1'), 400, 'InvalidArgument', /whole number/);
      expectError(await t.curl('curl -XGET http://ip:port/quota/users?domain=unknown.test'), 400, 'InvalidArgument', /does not exist/);
      expectError(await t.curl('curl -XGET http://ip:port/quota/users?ratio=1'), 400, 'InvalidArgument', /Unknown parameter/);
    });
  });

  it('a key without the permission to edit accounts cannot change a quota', async () => {
    const key = await t.keyWith(['sysAccountGet', 'sysAccountQuery', 'sysDomainGet', 'sysDomainQuery']);
    await unchanged(t.server, TYPES, async () => {
      expectError(await t.call('PUT', '/quota/users/u1@oppen-paas.org/size', { body: '5', key }), 403, 'Forbidden');
    });
    expect((await t.call('GET', '/quota/users/u1@oppen-paas.org/size', { key })).json).toBe(1000);
  });
});
