// Quotas over JMAP (objects/quotas.ts): the encoding of x:Account.quotas and x:Domain.quotas
// (absent = not set, 0 = unlimited), the server-set values resolved user → domain → global,
// the x:Email singleton, filters and sorts on the occupation ratio, bad values refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordUsage } from '../mail/quotaUsage';
import { startTestServer, type TestServer } from '../testing';
import { create, get, getOne, query, set, snapshot } from '../testkit';
import { accountQuotasWritten, domainLevels, globalLevels, onLimitsChanged, quotaValues, refreshSettled, rewriteAccount, type LimitsChange } from './quotas';
import { REFRESH_META } from './quotaRefresh';

let server: TestServer;
let domainId: string;
const users: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  domainId = await create(server, 'x:Domain', { name: 'quota.test' });
  for (const name of ['a', 'b', 'c']) users.push(await create(server, 'x:Account', { '@type': 'User', name, domainId }));
});
afterAll(() => server.close());

describe('x:Account quotas', () => {
  it('a new account has its resolved limits and zero usage; its own limits are a map of StorageQuota', async () => {
    const res = await set(server, 'x:Account', { create: { n: { '@type': 'User', name: 'd', domainId, quotas: { maxEmails: 10, maxDiskQuota: 0 } } } });
    expect(res.notCreated).toBeNull();
    const created = res.created!.n;
    expect(created).toMatchObject({ usedDiskQuota: 0, usedEmails: 0, computedMaxEmails: 10, computedMaxDiskQuota: null, occupationRatio: 0 });
    users.push(created.id);
  });

  it('usage gives the ratios; the larger one is occupationRatio; limits resolve user → domain → global', async () => {
    recordUsage(server.store, 'd@quota.test', { bytes: 500, messages: 4 });
    let d = await getOne(server, 'x:Account', users[3]);
    expect(d).toMatchObject({ usedEmails: 4, usedDiskQuota: 500, occupationRatioCount: 0.4, occupationRatioSize: 0, occupationRatio: 0.4 });
    // Global storage default 1000: d's own 0 (unlimited) wins; a, b, c take it.
    expect((await set(server, 'x:Email', { update: { singleton: { maxDiskQuota: 1000, maxMessages: 0 } } })).notUpdated).toBeNull();
    await refreshSettled(server.store);
    expect((await getOne(server, 'x:Account', users[0]))!.computedMaxDiskQuota).toBe(1000);
    expect((await getOne(server, 'x:Account', users[3]))!.computedMaxDiskQuota).toBeNull();
    // The domain's default comes between.
    expect((await set(server, 'x:Domain', { update: { [domainId]: { quotas: { maxDiskQuota: 2000 } } } })).notUpdated).toBeNull();
    await refreshSettled(server.store);
    expect((await getOne(server, 'x:Account', users[0]))!.computedMaxDiskQuota).toBe(2000);
    recordUsage(server.store, 'a@quota.test', { bytes: 1800, messages: 1 });
    d = await getOne(server, 'x:Account', users[0]);
    expect(d).toMatchObject({ occupationRatioSize: 0.9, occupationRatio: 0.9 });
    // Removing a key (null in a patch) inherits again.
    expect((await set(server, 'x:Account', { update: { [users[3]]: { 'quotas/maxDiskQuota': null } } })).notUpdated).toBeNull();
    expect((await getOne(server, 'x:Account', users[3]))!).toMatchObject({ quotas: { maxEmails: 10 }, computedMaxDiskQuota: 2000, occupationRatioSize: 0.25, occupationRatio: 0.4 });
  });

  it('lists filter and sort on occupationRatio, by domain', async () => {
    const q = await query(server, 'x:Account/User', {
      filter: { occupationRatioIsGreaterThanOrEqual: 0.3, domainId },
      sort: [{ property: 'occupationRatio', isAscending: false }],
      calculateTotal: true,
    });
    expect(q.ids).toEqual([users[0], users[3]]);
    expect(q.total).toBe(2);
  });

  it('refuses negative, fractional and unknown limits, and server-set values, changing nothing', async () => {
    const before = snapshot(server, 'x:Account');
    for (const quotas of [{ maxEmails: -1 }, { maxDiskQuota: 1.5 }, { maxFiles: 3 }, { maxEmails: '5' }]) {
      const res = await set(server, 'x:Account', { update: { [users[1]]: { quotas } } });
      expect(res.notUpdated?.[users[1]]?.type, JSON.stringify(quotas)).toMatch(/invalidProperties|validationFailed/);
    }
    for (const patch of [{ usedDiskQuota: 0 }, { occupationRatio: 0.5 }, { computedMaxEmails: 3 }]) {
      const res = await set(server, 'x:Account', { update: { [users[0]]: patch } });
      expect(res.notUpdated?.[users[0]]?.type).toBe('invalidProperties');
      expect(res.notUpdated?.[users[0]]?.description).toMatch(/Set by the server/);
    }
    const bad = await set(server, 'x:Email', { update: { singleton: { maxMessages: -3 } } });
    expect(bad.notUpdated?.singleton).toBeTruthy();
    expect(snapshot(server, 'x:Account')).toBe(before);
  });

  it('x:Email is a singleton read and updated by id "singleton"', async () => {
    const g = await get(server, 'x:Email', ['singleton']);
    expect(g.list).toEqual([{ id: 'singleton', maxDiskQuota: 1000, maxMessages: 0 }]);
    expect((await set(server, 'x:Email', { update: { singleton: { maxDiskQuota: null, maxMessages: null } } })).notUpdated).toBeNull();
    await refreshSettled(server.store);
    expect((await getOne(server, 'x:Account', users[1]))!.computedMaxDiskQuota).toBe(2000);
  });

  it('a limit change is heard only once committed: refused and rolled-back writes end no session; a domain default at once', async () => {
    const heard: LimitsChange[] = [];
    const stop = onLimitsChanged((s, c) => {
      if (s === server.store) heard.push(c);
    });
    const settle = async (n: number) => {
      for (let i = 0; i < 100 && heard.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 20));
      expect(heard).toHaveLength(n);
    };
    const account = (i: number) => server.store.get('x:Account', users[i]);
    try {
      // Refused by validation, and written then rolled back after its afterWrite ran.
      expect((await set(server, 'x:Account', { update: { [users[1]]: { quotas: { maxEmails: -1 } } } })).notUpdated).toBeTruthy();
      const store = server.store;
      const prev = account(1)!;
      const next: Record<string, unknown> = { ...prev, quotas: { maxEmails: 7 } };
      Object.assign(next, quotaValues(next, domainLevels(store, next.domainId), globalLevels(store)));
      expect(() => store.transaction(() => {
        rewriteAccount(store, users[1], next);
        accountQuotasWritten(store, users[1], next, prev);
        throw new Error('rolled back');
      })).toThrow('rolled back');
      store.discardPending();
      await settle(0);
      // Committed: b's own count limit, c's own size limit (unlimited).
      expect((await set(server, 'x:Account', { update: { [users[1]]: { quotas: { maxEmails: 7 } }, [users[2]]: { quotas: { maxDiskQuota: 0 } } } })).notUpdated).toBeNull();
      await settle(1); // one /set: its changes are handed on together
      expect([heard[0]('b@quota.test', null), heard[0]('c@quota.test', null), heard[0]('a@quota.test', null)]).toEqual([true, true, false]);
      // A domain default: one change, for the domain's accounts whose limit it changes.
      heard.length = 0;
      const other = await create(server, 'x:Domain', { name: 'other-quota.test' });
      const elsewhere = server.store.get('x:Account', await create(server, 'x:Account', { '@type': 'User', name: 'e', domainId: other }));
      expect((await set(server, 'x:Domain', { update: { [domainId]: { quotas: { maxDiskQuota: 2500 } } } })).notUpdated).toBeNull();
      await settle(1);
      const [change] = heard;
      expect([0, 1, 2, 3].map((i) => change(String(account(i)!.emailAddress), account(i)))).toEqual([true, true, false, true]);
      expect(change('e@other-quota.test', elsewhere)).toBe(false);
      expect(change('gone@quota.test', null)).toBe(false);
      await refreshSettled(server.store);
      expect(account(0)!.computedMaxDiskQuota).toBe(2500);
      // The same default again changes no limit: nothing heard.
      expect((await set(server, 'x:Domain', { update: { [domainId]: { quotas: { maxDiskQuota: 2500 } } } })).notUpdated).toBeNull();
      await settle(1);
    } finally {
      stop();
    }
  });

  it('a refresh left undone by a stop or crash (its marker in the store) runs at the next start', async () => {
    // As a crash right after the domain's write committed would leave it: the new default
    // and the marker stored, the accounts' stored limits still the old ones.
    const store = server.store;
    const dom = store.get('x:Domain', domainId)!;
    const refs = store.db.prepare('SELECT to_type AS objectName, to_id AS id FROM refs WHERE from_type = ? AND from_id = ?').all('x:Domain', domainId) as { objectName: string; id: string }[];
    store.transaction(() => {
      store.update('x:Domain', domainId, { ...dom, quotas: { maxDiskQuota: 4000 } }, refs);
      store.setMeta(REFRESH_META, JSON.stringify({ all: false, domains: [domainId] }));
    });
    store.flushChanges();
    expect(store.get('x:Account', users[0])!.computedMaxDiskQuota).toBe(2500);
    server = await server.restart();
    await refreshSettled(server.store);
    expect(server.store.get('x:Account', users[0])!.computedMaxDiskQuota).toBe(4000);
    expect((await getOne(server, 'x:Account', users[0]))!.occupationRatioSize).toBe(0.45);
    expect(server.store.getMeta(REFRESH_META)).toBe('');
  });

  it('RecomputeQuotas refuses an account without a mailbox', async () => {
    const admin = (await query(server, 'x:Account', { filter: { name: 'admin' } })).ids[0];
    const res = await set(server, 'x:Task', { create: { t: { '@type': 'RecomputeQuotas', accountId: admin } } });
    expect(res.notCreated?.t?.description).toMatch(/no mailbox|no domain/);
  });
});
