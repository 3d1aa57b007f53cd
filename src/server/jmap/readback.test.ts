// RFC 8620 §5.3: a whole object read back with /get is a valid PatchObject; a changed
// server-set value is invalidProperties naming it. §5.6: upToId counts only for filters and
// sorts on immutable properties.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { create, getOne, queryChanges, query, set, stored, uniq } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('a whole object from /get as the patch (RFC 8620 §5.3)', () => {
  it('is accepted with its id and unchanged server-set values, and applies the one change', async () => {
    const id = await create(server, 'x:AllowedIp', { address: '192.0.2.41', reason: 'before' });
    const whole = (await getOne(server, 'x:AllowedIp', id))!;
    expect(whole).toMatchObject({ id, status: 'active' });
    expect(whole.createdAt).toMatch(/Z$/);
    const res = await set(server, 'x:AllowedIp', { update: { [id]: { ...whole, reason: 'after' } } });
    expect(res.notUpdated, JSON.stringify(res.notUpdated)).toBeNull();
    expect(res.updated).toEqual({ [id]: null });
    expect(stored(server, 'x:AllowedIp', id)).toMatchObject({ reason: 'after', createdAt: whole.createdAt });
    expect(stored(server, 'x:AllowedIp', id)).not.toHaveProperty('status');
  });

  it('x:Tenant read back whole (createdAt, logo, description) is accepted', async () => {
    const id = await create(server, 'x:Tenant', { name: uniq('acme') });
    const whole = (await getOne(server, 'x:Tenant', id))!;
    expect(Object.keys(whole).sort()).toEqual(['createdAt', 'description', 'id', 'logo', 'name']);
    const res = await set(server, 'x:Tenant', { update: { [id]: { ...whole, logo: 'https://example.com/acme.png' } } });
    expect(res.notUpdated, JSON.stringify(res.notUpdated)).toBeNull();
    expect((await getOne(server, 'x:Tenant', id))!.logo).toBe('https://example.com/acme.png');
  });

  it.each([
    ['createdAt', '2001-01-01T00:00:00Z'],
    ['status', 'expired'],
  ])('a changed server-set %s is invalidProperties naming it, and nothing changes', async (prop, value) => {
    const id = await create(server, 'x:AllowedIp', { address: `192.0.2.${prop === 'status' ? 43 : 42}`, reason: 'kept' });
    const whole = (await getOne(server, 'x:AllowedIp', id))!;
    const before = stored(server, 'x:AllowedIp', id);
    const res = await set(server, 'x:AllowedIp', { update: { [id]: { ...whole, reason: 'not applied', [prop]: value } } });
    expect(res.updated).toBeNull();
    expect(res.notUpdated![id]).toMatchObject({ type: 'invalidProperties', properties: [prop] });
    expect(res.notUpdated![id].description).toContain(prop);
    expect(stored(server, 'x:AllowedIp', id)).toEqual(before);
  });

  it('another id in the patch is invalidProperties naming id', async () => {
    const id = await create(server, 'x:AllowedIp', { address: '192.0.2.44' });
    const res = await set(server, 'x:AllowedIp', { update: { [id]: { id: 'someoneelse', reason: 'x' } } });
    expect(res.notUpdated![id]).toMatchObject({ type: 'invalidProperties', properties: ['id'] });
  });

  it('an immutable value changed stays invalidPatch (read-only, as Stalwart answers)', async () => {
    const id = await create(server, 'x:AllowedIp', { address: '192.0.2.45' });
    const whole = (await getOne(server, 'x:AllowedIp', id))!;
    const res = await set(server, 'x:AllowedIp', { update: { [id]: { ...whole, address: '192.0.2.46' } } });
    expect(res.notUpdated![id]).toMatchObject({ type: 'invalidPatch', properties: ['address'] });
  });

  it('a value computed from the clock (x:Service uptime) read earlier still counts as unchanged', async () => {
    server.store.transaction(() => server.store.update('x:Service', 'imap', { ...stored(server, 'x:Service', 'imap')!, startedAt: '2026-01-01T00:00:00Z' }, []));
    server.store.flushChanges();
    const whole = (await getOne(server, 'x:Service', 'imap'))!;
    expect(typeof whole.uptime).toBe('number');
    await new Promise((r) => setTimeout(r, 20));
    const res = await set(server, 'x:Service', { update: { imap: { ...whole, startOnBoot: !whole.startOnBoot } } });
    expect(res.notUpdated, JSON.stringify(res.notUpdated)).toBeNull();
    expect(stored(server, 'x:Service', 'imap')).not.toHaveProperty('uptime');
    const wrongType = await set(server, 'x:Service', { update: { imap: { uptime: 'long' } } });
    expect(wrongType.notUpdated!.imap).toMatchObject({ type: 'invalidProperties', properties: ['uptime'] });
  });
});

describe('/queryChanges upToId (RFC 8620 §5.6)', () => {
  let nextNet = 100;
  async function threeAndChangeLast() {
    // A network of its own per call: a random one collided now and then with an earlier call's addresses.
    const net = `198.18.${nextNet++}.`;
    const ids = [];
    for (const last of [1, 2, 3]) ids.push(await create(server, 'x:AllowedIp', { address: `${net}${last}`, reason: `r${last}` }));
    const { queryState } = await query(server, 'x:AllowedIp', { filter: { address: net } });
    await set(server, 'x:AllowedIp', { update: { [ids[2]]: { reason: 'r9' } } });
    return { net, ids, since: queryState };
  }

  it('is honoured when the filter and sort read only immutable properties', async () => {
    const { net, ids, since } = await threeAndChangeLast();
    const args = { filter: { address: net }, sort: [{ property: 'address', isAscending: true }], sinceQueryState: since };
    const all = await queryChanges(server, 'x:AllowedIp', args);
    expect(all.added).toEqual([{ id: ids[2], index: 2 }]);
    const upTo = await queryChanges(server, 'x:AllowedIp', { ...args, upToId: ids[0] });
    expect(upTo.added).toEqual([]);
  });

  it.each([
    ['a sort on a mutable property', { sort: [{ property: 'reason', isAscending: true }] }, 2],
    ['a filter on a mutable property', { filter: { operator: 'AND', conditions: [{ reason: 'r' }] }, sort: [{ property: 'address', isAscending: true }] }, 2],
    ['a sort on a server-set property', { sort: [{ property: 'createdAt', isAscending: true }, { property: 'address', isAscending: true }] }, 2],
  ])('is ignored for %s', async (_what, extra, index) => {
    const { net, ids, since } = await threeAndChangeLast();
    const filter = 'filter' in extra ? { operator: 'AND', conditions: [{ address: net }, extra.filter] } : { address: net };
    const res = await queryChanges(server, 'x:AllowedIp', { filter, sort: extra.sort, sinceQueryState: since, upToId: ids[0] });
    expect(res.added).toEqual([{ id: ids[2], index }]);
  });
});
