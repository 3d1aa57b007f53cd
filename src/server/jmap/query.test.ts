// Foo/query (RFC 8620 §5.5) on the server's objects: filters, sorts, positions, anchors, totals.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { create, set, state, uniq } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('/query (RFC 8620 §5.5)', () => {
  const tag = uniq('qry');
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const data: Record<string, [string, string, string | null]> = {
      r1: ['alpha one', '172.16.0.1', '2030-01-01T00:00:00Z'],
      r2: ['beta one', '172.16.0.2', '2031-06-15T12:00:00Z'],
      r3: ['alpha two', '172.16.0.3', null],
      r4: ['gamma', '172.16.0.4', '2029-03-01T00:00:00Z'],
      r5: ['beta two', '172.16.0.5', '2032-01-01T00:00:00+02:00'],
      r6: ['delta', '172.16.0.6', '2030-01-01T00:00:00Z'],
    };
    const res = await set(server, 'x:AllowedIp', {
      create: Object.fromEntries(
        Object.entries(data).map(([k, [reason, address, expiresAt]]) => [k, { reason: `${tag} ${reason}`, address, expiresAt }]),
      ),
    });
    expect(res.notCreated).toBeNull();
    for (const k of Object.keys(data)) ids[k] = res.created![k].id;
  });

  const q = async (args: object) => {
    const [name, res] = await server.call('x:AllowedIp/query', args);
    expect(name, JSON.stringify(res)).toBe('x:AllowedIp/query');
    return res;
  };
  const names = (list: string[]) => list.map((id) => Object.keys(ids).find((k) => ids[k] === id) ?? id);
  const byTag = (extra?: object) => (extra ? { operator: 'AND', conditions: [{ reason: tag }, extra] } : { reason: tag });
  const ALL_DATED = { expiresAtIsGreaterThan: '2000-01-01T00:00:00Z' };
  const SORT = [{ property: 'expiresAt', isAscending: true }, { property: 'address', isAscending: false }];

  it('text condition matches anywhere, ignoring case', async () => {
    expect(names((await q({ filter: { reason: `${tag} alpha` } })).ids).sort()).toEqual(['r1', 'r3']);
    expect(names((await q({ filter: { reason: `${tag} ALPHA`.toUpperCase() } })).ids).sort()).toEqual(['r1', 'r3']);
    expect(names((await q({ filter: byTag({ reason: 'one' }) })).ids).sort()).toEqual(['r1', 'r2']);
  });

  it('the seed text condition on address', async () => {
    expect(names((await q({ filter: { address: '172.16.0.' } })).ids).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('null equality matches records without a value', async () => {
    expect(names((await q({ filter: byTag({ expiresAt: null }) })).ids)).toEqual(['r3']);
  });

  it.each([
    ['expiresAtIsGreaterThan', '2030-01-01T00:00:00Z', ['r2', 'r5']],
    ['expiresAtIsGreaterThanOrEqual', '2030-01-01T00:00:00Z', ['r1', 'r2', 'r5', 'r6']],
    ['expiresAtIsLessThan', '2030-01-01T00:00:00Z', ['r4']],
    ['expiresAtIsLessThanOrEqual', '2030-01-01T00:00:00Z', ['r1', 'r4', 'r6']],
    ['expiresAtIsGreaterThan', '2031-12-31T23:00:00+01:00', []],
    ['expiresAtIsGreaterThanOrEqual', '2031-12-31T23:00:00+01:00', ['r5']],
  ])('%s %s', async (cond, value, want) => {
    expect(names((await q({ filter: byTag({ [cond]: value }) })).ids).sort()).toEqual(want);
  });

  it('a bad date in a comparison is invalidArguments', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { filter: { expiresAtIsGreaterThan: 'tomorrow' } });
    expect(name).toBe('error');
    expect(err.type).toBe('invalidArguments');
  });

  it('AND / OR / NOT', async () => {
    const or = await q({ filter: byTag({ operator: 'OR', conditions: [{ reason: 'gamma' }, { reason: 'beta one' }] }) });
    expect(names(or.ids).sort()).toEqual(['r2', 'r4']);
    const not = await q({ filter: byTag({ operator: 'NOT', conditions: [{ reason: 'alpha' }, { reason: 'delta' }] }) });
    expect(names(not.ids).sort()).toEqual(['r2', 'r4', 'r5']);
    const nested = await q({
      filter: {
        operator: 'AND',
        conditions: [
          { reason: tag },
          { operator: 'OR', conditions: [{ reason: 'alpha' }, { expiresAtIsGreaterThan: '2031-01-01T00:00:00Z' }] },
          { operator: 'NOT', conditions: [{ expiresAt: null }] },
        ],
      },
    });
    expect(names(nested.ids).sort()).toEqual(['r1', 'r2', 'r5']);
  });

  it('NOT over a text condition keeps records whose value is null', async () => {
    const t = uniq('notnull');
    const a = await create(server, 'x:ClusterRole', { name: `${t}-a`, tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const b = await create(server, 'x:ClusterRole', { name: `${t}-b`, description: 'keep out', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const c = await create(server, 'x:ClusterRole', { name: `${t}-c`, description: 'other', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } });
    const [, res] = await server.call('x:ClusterRole/query', {
      filter: { operator: 'AND', conditions: [{ name: t }, { operator: 'NOT', conditions: [{ description: 'keep out' }] }] },
      sort: [{ property: 'name' }],
    });
    expect(res.ids).toEqual([a, c]);
    expect(res.ids).not.toContain(b);
  });

  it('multi-key sort', async () => {
    expect(names((await q({ filter: byTag(ALL_DATED), sort: SORT })).ids)).toEqual(['r4', 'r6', 'r1', 'r2', 'r5']);
    const desc = [{ property: 'expiresAt', isAscending: false }, { property: 'address', isAscending: true }];
    expect(names((await q({ filter: byTag(ALL_DATED), sort: desc })).ids)).toEqual(['r5', 'r2', 'r1', 'r6', 'r4']);
  });

  it('sorting on an unknown property is unsupportedSort', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { sort: [{ property: 'nope' }] });
    expect(name).toBe('error');
    expect(err.type).toBe('unsupportedSort');
  });

  it('filtering on an unknown property is unsupportedFilter', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { filter: { nope: 'x' } });
    expect(name).toBe('error');
    expect(err.type).toBe('unsupportedFilter');
  });

  it('position and limit', async () => {
    const base = { filter: byTag(ALL_DATED), sort: SORT };
    let res = await q({ ...base, position: 1, limit: 2 });
    expect(names(res.ids)).toEqual(['r6', 'r1']);
    expect(res.position).toBe(1);
    res = await q({ ...base, position: 10 });
    expect(res.ids).toEqual([]);
    res = await q({ ...base, limit: 0 });
    expect(res.ids).toEqual([]);
    res = await q({ ...base, limit: 3 });
    expect(names(res.ids)).toEqual(['r4', 'r6', 'r1']);
    expect(res.position).toBe(0);
  });

  it('negative position counts from the end', async () => {
    const base = { filter: byTag(ALL_DATED), sort: SORT };
    let res = await q({ ...base, position: -2 });
    expect(names(res.ids)).toEqual(['r2', 'r5']);
    expect(res.position).toBe(3);
    res = await q({ ...base, position: -10, limit: 1 });
    expect(names(res.ids)).toEqual(['r4']);
    expect(res.position).toBe(0);
  });

  it('anchor and anchorOffset', async () => {
    const base = { filter: byTag(ALL_DATED), sort: SORT };
    let res = await q({ ...base, anchor: ids.r1, anchorOffset: -1, limit: 2 });
    expect(names(res.ids)).toEqual(['r6', 'r1']);
    expect(res.position).toBe(1);
    res = await q({ ...base, anchor: ids.r1, limit: 2 });
    expect(names(res.ids)).toEqual(['r1', 'r2']);
    expect(res.position).toBe(2);
    res = await q({ ...base, anchor: ids.r1, anchorOffset: 1 });
    expect(names(res.ids)).toEqual(['r2', 'r5']);
    res = await q({ ...base, anchor: ids.r6, anchorOffset: -5, limit: 1 });
    expect(names(res.ids)).toEqual(['r4']);
    expect(res.position).toBe(0);
    // position is ignored when an anchor is given.
    res = await q({ ...base, anchor: ids.r2, position: 4, limit: 1 });
    expect(names(res.ids)).toEqual(['r2']);
  });

  it('an anchor outside the results is anchorNotFound', async () => {
    const [name, err] = await server.call('x:AllowedIp/query', { filter: byTag(ALL_DATED), anchor: ids.r3 });
    expect(name).toBe('error');
    expect(err.type).toBe('anchorNotFound');
  });

  it('calculateTotal, queryState and canCalculateChanges', async () => {
    const res = await q({ filter: byTag(), calculateTotal: true, limit: 2 });
    expect(res.total).toBe(6);
    expect(res.ids).toHaveLength(2);
    expect(res.queryState).toBe(await state(server, 'x:AllowedIp'));
    expect(typeof res.canCalculateChanges).toBe('boolean');
    const no = await q({ filter: byTag() });
    expect(no).not.toHaveProperty('total');
  });

  it('totals are per server: a second server in the same process gets its own count', async () => {
    const other = await startTestServer();
    try {
      const tA = await startTestServer();
      try {
        // Both reach x:Tenant state 2: A with two records, B with none (create, then destroy).
        await tA.call('x:Tenant/set', { create: { x: { name: 'a1' }, y: { name: 'a2' } } });
        const [, made] = await other.call('x:Tenant/set', { create: { x: { name: 'b1' } } });
        await other.call('x:Tenant/set', { destroy: [made.created!.x.id] });
        const [, a] = await tA.call('x:Tenant/query', { calculateTotal: true });
        const [, b] = await other.call('x:Tenant/query', { calculateTotal: true });
        expect(a.queryState).toBe(b.queryState);
        expect(a.total).toBe(2);
        expect(b.ids).toEqual([]);
        expect(b.total).toBe(0);
      } finally {
        await tA.close();
      }
    } finally {
      await other.close();
    }
  });

  it('equality on an objectId, an enum and a boolean', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('eqt') });
    const r = await create(server, 'x:Role', { description: 'eq', memberTenantId: t });
    await create(server, 'x:Role', { description: 'eq other' });
    const [, roles] = await server.call('x:Role/query', { filter: { memberTenantId: t } });
    expect(roles.ids).toEqual([r]);
    const name = uniq('eql');
    const pop = await create(server, 'x:NetworkListener', { name: `${name}-pop`, protocol: 'pop3', bind: ['0.0.0.0:995'], tlsImplicit: true });
    const smtp = await create(server, 'x:NetworkListener', { name: `${name}-smtp`, protocol: 'smtp', bind: ['0.0.0.0:25'] });
    const [, byProto] = await server.call('x:NetworkListener/query', { filter: { name, protocol: 'pop3' } });
    expect(byProto.ids).toEqual([pop]);
    const [, byTls] = await server.call('x:NetworkListener/query', { filter: { name, tlsImplicit: false } });
    expect(byTls.ids).toEqual([smtp]);
    const [n, err] = await server.call('x:NetworkListener/query', { filter: { protocol: 'gopher' } });
    expect(n).toBe('error');
    expect(err.type).toBe('invalidArguments');
  });

  it('filter on a set member: roles extending a role', async () => {
    const role = await create(server, 'x:Role', { description: 'members' });
    const child = await create(server, 'x:Role', { description: uniq('child '), roleIds: { [role]: true } });
    const [, res] = await server.call('x:Role/query', { filter: { roleIds: role } });
    expect(res.ids).toEqual([child]);
  });

  it('the seed query forms answer', async () => {
    for (const [type, filter] of [
      ['x:ClusterRole', { name: 'example' }],
      ['x:Role', { description: 'example' }],
      ['x:AllowedIp', { address: 'example' }],
    ] as const) {
      const [name, res] = await server.call(`${type}/query`, { filter });
      expect(name).toBe(`${type}/query`);
      expect(res.ids).toEqual([]);
    }
  });
});
