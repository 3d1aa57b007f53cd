// Foo/changes (RFC 8620 §5.2) and Foo/queryChanges (§5.6) from the change log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { create, set, state, uniq } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('/changes (RFC 8620 §5.2)', () => {
  it('collapses created / updated / destroyed since a state', async () => {
    const s0 = await state(server, 'x:Tenant');
    const c1 = await set(server, 'x:Tenant', { create: { a: { name: uniq('ch-a') }, b: { name: uniq('ch-b') }, c: { name: uniq('ch-c') } } });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => c1.created![k].id);
    const s1 = c1.newState;
    await set(server, 'x:Tenant', { update: { [a]: { description: '1' }, [c]: { description: '1' } } });
    await set(server, 'x:Tenant', { destroy: [b] });
    const c4 = await set(server, 'x:Tenant', { create: { d: { name: uniq('ch-d') } } });
    const d = c4.created!.d.id;
    const c5 = await set(server, 'x:Tenant', { destroy: [d] });
    const s5 = c5.newState;

    const [n0, fromS0] = await server.call('x:Tenant/changes', { sinceState: s0 });
    expect(n0).toBe('x:Tenant/changes');
    expect(fromS0.oldState).toBe(s0);
    expect(fromS0.newState).toBe(s5);
    expect(fromS0.hasMoreChanges).toBe(false);
    expect([...fromS0.created].sort()).toEqual([a, c].sort());
    expect(fromS0.updated).toEqual([]);
    // Created and destroyed in between: dropped, or (RFC "MAY") only in destroyed.
    for (const id of fromS0.destroyed) expect([b, d]).toContain(id);

    const [, fromS1] = await server.call('x:Tenant/changes', { sinceState: s1 });
    expect(fromS1.created).toEqual([]);
    expect([...fromS1.updated].sort()).toEqual([a, c].sort());
    expect(fromS1.destroyed).toContain(b);
    for (const id of fromS1.destroyed) expect([b, d]).toContain(id);

    const [, none] = await server.call('x:Tenant/changes', { sinceState: s5 });
    expect(none).toMatchObject({ oldState: s5, newState: s5, hasMoreChanges: false, created: [], updated: [], destroyed: [] });
  });

  it('maxChanges pages with hasMoreChanges until the current state', async () => {
    const s0 = await state(server, 'x:Tenant');
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await create(server, 'x:Tenant', { name: uniq('page') }));
    const current = await state(server, 'x:Tenant');
    let since = s0;
    const seen: string[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const [, res] = await server.call('x:Tenant/changes', { sinceState: since, maxChanges: 2 });
      expect(res.created.length + res.updated.length + res.destroyed.length).toBeLessThanOrEqual(2);
      seen.push(...res.created);
      since = res.newState;
      if (!res.hasMoreChanges) break;
      expect(res.created.length + res.updated.length + res.destroyed.length).toBeGreaterThan(0);
    }
    expect(since).toBe(current);
    expect(seen.sort()).toEqual([...made].sort());
  });

  it.each(['bogus', '999999999', '-1', ''])('cannotCalculateChanges for state %j', async (s) => {
    const [name, err] = await server.call('x:Tenant/changes', { sinceState: s });
    expect(name).toBe('error');
    expect(err.type).toBe('cannotCalculateChanges');
  });

  it('/get state, /set newState and /changes newState agree', async () => {
    const res = await set(server, 'x:Role', { create: { r: { description: 'agree' } } });
    expect(await state(server, 'x:Role')).toBe(res.newState);
    const [, ch] = await server.call('x:Role/changes', { sinceState: res.oldState });
    expect(ch.newState).toBe(res.newState);
    expect(ch.created).toEqual([res.created!.r.id]);
  });
});

describe('/queryChanges (RFC 8620 §5.6)', () => {
  it('removed and added with indexes turn the old results into the new ones', async () => {
    const tag = uniq('qc');
    const args = { filter: { name: tag }, sort: [{ property: 'name', isAscending: true }] };
    const res = await set(server, 'x:Tenant', {
      create: { b: { name: `${tag}-b` }, d: { name: `${tag}-d` }, f: { name: `${tag}-f` } },
    });
    const [b, d, f] = ['b', 'd', 'f'].map((k) => res.created![k].id);
    const [, q0] = await server.call('x:Tenant/query', args);
    expect(q0.ids).toEqual([b, d, f]);

    const c = await create(server, 'x:Tenant', { name: `${tag}-c` });
    const a = await create(server, 'x:Tenant', { name: `${tag}-a` });
    await set(server, 'x:Tenant', { destroy: [d] });
    await set(server, 'x:Tenant', { update: { [f]: { description: 'touched' } } });
    await create(server, 'x:Tenant', { name: uniq('unrelated') });

    const [name, qc] = await server.call('x:Tenant/queryChanges', { ...args, sinceQueryState: q0.queryState, calculateTotal: true });
    expect(name).toBe('x:Tenant/queryChanges');
    const [, q1] = await server.call('x:Tenant/query', args);
    expect(q1.ids).toEqual([a, b, c, f]);
    expect(qc.oldQueryState).toBe(q0.queryState);
    expect(qc.newQueryState).toBe(q1.queryState);
    expect(qc.total).toBe(4);
    expect(qc.removed).toContain(d);
    expect(qc.added).toEqual(expect.arrayContaining([{ id: a, index: 0 }, { id: c, index: 2 }]));
    // Apply as RFC 8620 §5.6 describes: remove, then insert by ascending index.
    const list = q0.ids.filter((id: string) => !qc.removed.includes(id));
    for (const { id, index } of [...qc.added].sort((x, y) => x.index - y.index)) list.splice(index, 0, id);
    expect(list).toEqual(q1.ids);
  });

  it('nothing changed: empty removed and added', async () => {
    const args = { filter: { name: uniq('none') } };
    const [, q0] = await server.call('x:Tenant/query', args);
    const [, qc] = await server.call('x:Tenant/queryChanges', { ...args, sinceQueryState: q0.queryState });
    expect(qc.removed).toEqual([]);
    expect(qc.added).toEqual([]);
    expect(qc.newQueryState).toBe(q0.queryState);
  });

  it('maxChanges too small is tooManyChanges', async () => {
    const tag = uniq('qcmax');
    const [, q0] = await server.call('x:Tenant/query', { filter: { name: tag } });
    for (let i = 0; i < 3; i++) await create(server, 'x:Tenant', { name: `${tag}-${i}` });
    const [name, err] = await server.call('x:Tenant/queryChanges', { filter: { name: tag }, sinceQueryState: q0.queryState, maxChanges: 1 });
    expect(name).toBe('error');
    expect(err.type).toBe('tooManyChanges');
  });

  it('a bogus query state is cannotCalculateChanges', async () => {
    const [name, err] = await server.call('x:Tenant/queryChanges', { sinceQueryState: 'nope' });
    expect(name).toBe('error');
    expect(err.type).toBe('cannotCalculateChanges');
  });
});
