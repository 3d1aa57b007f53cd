// Per-account records follow the account's protection: a user without every permission
// an account holds cannot list, read, change or destroy that account's API keys (they do
// not exist for it: notFound), while its own keys work as before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from './objects';
import { startTestServer, type ChangesResponse, type QueryChangesResponse, type TestServer } from './testing';
import { answer, create, get, makeUser, query, set, state, stored } from './testkit';

let server: TestServer;
/** Every permission but one: the administrator outranks this user. */
let nearly: { user: string; password: string; accountId: string };
let peer: { user: string; password: string; accountId: string };
let adminKey: string;
let keysBefore: string;

const KEY = 'x:ApiKey';
const ALL = PERMISSIONS.map((p) => p.name);

beforeAll(async () => {
  server = await startTestServer();
  keysBefore = await state(server, KEY);
  // The administrator's key has expired: re-enabling it would hand its rights back out.
  adminKey = await create(server, KEY, { description: 'admin script', expiresAt: '2020-01-01T00:00:00Z' });
  nearly = await makeUser(server, ALL.filter((p) => p !== 'sysTenantDestroy'));
  peer = await makeUser(server, ALL);
});
afterAll(() => server.close());

const as = (u: { user: string; password: string }) => ({ user: u.user, password: u.password });

describe('another account that holds permissions you lack', () => {
  it('has keys you cannot list, query or count', async () => {
    const all = await get(server, KEY, null, {}, as(nearly));
    expect(all.list.map((k) => k.id)).not.toContain(adminKey);
    const q = await query(server, KEY, { calculateTotal: true }, as(nearly));
    expect(q.ids).not.toContain(adminKey);
    const sorted = await query(server, KEY, { sort: [{ property: 'description' }], filter: { description: 'admin' }, calculateTotal: true }, as(nearly));
    expect([sorted.ids, sorted.total]).toEqual([[], 0]);
    // The administrator itself sees it, through the same (remembered) query.
    const mine = await query(server, KEY, { sort: [{ property: 'description' }], filter: { description: 'admin' }, calculateTotal: true });
    expect([mine.ids, mine.total]).toEqual([[adminKey], 1]);
  });

  it('has keys you cannot read by id', async () => {
    const one = await get(server, KEY, [adminKey], {}, as(nearly));
    expect([one.list, one.notFound]).toEqual([[], [adminKey]]);
  });

  it('has keys you cannot re-enable or destroy (notFound, nothing changed)', async () => {
    const before = stored(server, KEY, adminKey);
    const res = await set(server, KEY, { update: { [adminKey]: { expiresAt: null } }, destroy: [adminKey] }, as(nearly));
    expect(res.notUpdated?.[adminKey].type).toBe('notFound');
    expect(res.notDestroyed?.[adminKey].type).toBe('notFound');
    expect(stored(server, KEY, adminKey)).toEqual(before);
  });

  it('has keys whose changes are not listed', async () => {
    await set(server, KEY, { update: { [adminKey]: { description: 'admin script (renamed)' } } });
    const c = await answer<ChangesResponse>(server, `${KEY}/changes`, { sinceState: keysBefore }, as(nearly));
    expect([...c.created, ...c.updated, ...c.destroyed]).not.toContain(adminKey);
    const qc = await answer<QueryChangesResponse>(server, `${KEY}/queryChanges`, { sinceQueryState: keysBefore, calculateTotal: true }, as(nearly));
    expect([...qc.removed, ...qc.added.map((a) => a.id)]).not.toContain(adminKey);
    const own = await answer<ChangesResponse>(server, `${KEY}/changes`, { sinceState: keysBefore });
    expect(own.created).toContain(adminKey);
  });
});

describe('keys you may see', () => {
  it('your own keys work as before: list, read, change, destroy', async () => {
    const created = await set(server, KEY, { create: { k: { description: 'my script' } } }, as(nearly));
    const id = created.created!.k.id;
    expect(created.created!.k.secret).toMatch(/^pst_/);
    expect((await get(server, KEY, null, {}, as(nearly))).list.map((k) => k.id)).toContain(id);
    expect((await query(server, KEY, { filter: { description: 'my script' } }, as(nearly))).ids).toEqual([id]);
    const updated = await set(server, KEY, { update: { [id]: { expiresAt: '2040-01-01T00:00:00Z' } } }, as(nearly));
    expect(updated.updated).toEqual({ [id]: null });
    // Those who outrank you see your keys.
    expect((await get(server, KEY, [id])).list).toHaveLength(1);
    expect((await set(server, KEY, { destroy: [id] }, as(nearly))).destroyed).toEqual([id]);
  });

  it('a user holding every permission the account holds sees and manages its keys', async () => {
    expect((await get(server, KEY, [adminKey], {}, as(peer))).list.map((k) => k.id)).toEqual([adminKey]);
    expect((await query(server, KEY, {}, as(peer))).ids).toContain(adminKey);
    const res = await set(server, KEY, { update: { [adminKey]: { description: 'admin script' } } }, as(peer));
    expect(res.updated).toEqual({ [adminKey]: null });
  });
});
