// The objects Stalwart 0.16 also has take its shape: x:ClusterNode {nodeId, hostname,
// lastRenewal, status: ClusterNodeStatus}, x:NetworkListener.protocol a
// NetworkListenerProtocol, x:BlockedIp.reason a BlockReason, x:Tenant {name, createdAt,
// logo}; Postern's own fields say "Postern extension". Old data migrates (migration 6).

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewNode } from '../bootstrap';
import { migrate } from '../store/db';
import { startTestServer, type TestServer } from '../testing';
import { create, get, getOne, query, set, stored, uniq } from '../testkit';
import { SCHEMA } from '.';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const enumNames = (name: string) => SCHEMA.enums[name]?.map((v) => v.name);

describe('x:ClusterNode', () => {
  it('this server registers itself with nodeId, hostname, lastRenewal and an active status', async () => {
    const { list } = await get(server, 'x:ClusterNode', null);
    const me = list.find((n) => n.hostname === 'test-node')!;
    expect(me).toMatchObject({ nodeId: expect.any(Number), status: 'active', version: expect.any(String) });
    expect(Date.now() - Date.parse(String(me.lastRenewal))).toBeLessThan(60_000);
    expect(me).not.toHaveProperty('name');
    expect(enumNames('ClusterNodeStatus')).toEqual(['active', 'stale', 'inactive']);
    const fields = SCHEMA.fields['x:ClusterNode'].properties;
    for (const p of ['roleId', 'version', 'startedAt']) expect(fields[p].description).toMatch(/^Postern extension: /);
    for (const p of ['nodeId', 'hostname', 'lastRenewal', 'status']) expect(fields[p].description).not.toMatch(/Postern extension/);
  });

  it('status follows the lease: stale after a few minutes without renewal, inactive after a day; renewal makes it active', async () => {
    const put = (id: string, lastRenewal: string, nodeId: number) => {
      server.store.transaction(() => server.store.insert('x:ClusterNode', id, { nodeId, hostname: `${id}.example`, lastRenewal, roleId: null, version: '0', startedAt: lastRenewal }, []));
      server.store.flushChanges();
    };
    put('nstale1', ago(10 * 60_000), 901);
    put('ngone1', ago(2 * 24 * 3_600_000), 902);
    expect((await getOne(server, 'x:ClusterNode', 'nstale1'))!.status).toBe('stale');
    expect((await getOne(server, 'x:ClusterNode', 'ngone1'))!.status).toBe('inactive');
    expect((await query(server, 'x:ClusterNode', { filter: { status: 'stale' } })).ids).toEqual(['nstale1']);
    renewNode(server.store, 'nstale1.example');
    expect((await getOne(server, 'x:ClusterNode', 'nstale1'))!.status).toBe('active');
    server.store.transaction(() => ['nstale1', 'ngone1'].forEach((id) => server.store.delete('x:ClusterNode', id)));
    server.store.flushChanges();
  });

  it('a restart keeps the node its nodeId', async () => {
    const before = (await get(server, 'x:ClusterNode', null)).list.find((n) => n.hostname === 'test-node')!;
    server = await server.restart();
    const after = (await get(server, 'x:ClusterNode', null)).list.find((n) => n.hostname === 'test-node')!;
    expect(after.id).toBe(before.id);
    expect(after.nodeId).toBe(before.nodeId);
  });
});

describe('x:NetworkListener, x:BlockedIp, x:Tenant', () => {
  it('the listener protocol is a NetworkListenerProtocol with Stalwart’s values', () => {
    expect(SCHEMA.fields['x:NetworkListener'].properties.protocol.type).toEqual({ type: 'enum', enumName: 'NetworkListenerProtocol' });
    expect(enumNames('NetworkListenerProtocol')).toEqual(['smtp', 'lmtp', 'imap', 'pop3', 'http', 'manageSieve']);
    expect(SCHEMA.enums).not.toHaveProperty('NetworkProtocol');
  });

  it('a block’s reason is a BlockReason (manual unless said), with a free-text description beside it', async () => {
    expect(enumNames('BlockReason')).toEqual(['rcptToFailure', 'authFailure', 'loitering', 'portScanning', 'manual', 'other']);
    const res = await set(server, 'x:BlockedIp', {
      create: { a: { address: '203.0.113.201' }, b: { address: '203.0.113.202', reason: 'portScanning', description: 'scanned 1-1024' }, c: { address: '203.0.113.203', reason: 'too many' } },
    });
    expect(res.created!.a).toMatchObject({ reason: 'manual', description: null });
    expect(stored(server, 'x:BlockedIp', res.created!.b.id)).toMatchObject({ reason: 'portScanning', description: 'scanned 1-1024' });
    expect(res.notCreated!.c).toMatchObject({ type: 'validationFailed', properties: ['reason'] });
    expect(SCHEMA.fields['x:BlockedIp'].properties.description.description).toMatch(/^Postern extension: /);
    // An allowance's reason stays free text, as Stalwart's.
    expect(SCHEMA.fields['x:AllowedIp'].properties.reason.type).toMatchObject({ type: 'string' });
  });

  it('a tenant has name, createdAt (server-set) and logo; description is an extension', async () => {
    const id = await create(server, 'x:Tenant', { name: uniq('t'), logo: 'https://example.com/l.png' });
    const t = (await getOne(server, 'x:Tenant', id))!;
    expect(t).toMatchObject({ logo: 'https://example.com/l.png', description: null });
    expect(Date.now() - Date.parse(String(t.createdAt))).toBeLessThan(60_000);
    const fields = SCHEMA.fields['x:Tenant'].properties;
    expect(fields.createdAt.update).toBe('serverSet');
    expect(fields.description.description).toMatch(/^Postern extension: /);
  });
});

describe('migration 6', () => {
  it('moves stored records to the new shapes', () => {
    const db = new Database(':memory:');
    migrate(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    // Back to the schema before migration 6, with records as the old version wrote them.
    db.exec('DROP TABLE blobs');
    db.pragma(`user_version = ${version - 1}`);
    const insert = db.prepare('INSERT INTO records (type, id, data) VALUES (?, ?, ?)');
    insert.run('x:ClusterNode', 'n1', JSON.stringify({ name: 'mx1.example', roleId: null, version: '0.1.0', startedAt: '2026-01-01T00:00:00Z' }));
    insert.run('x:ClusterNode', 'n2', JSON.stringify({ name: 'mx2.example', roleId: null, version: '0.1.0', startedAt: '2026-02-01T00:00:00Z' }));
    insert.run('x:BlockedIp', 'b1', JSON.stringify({ address: '192.0.2.1', reason: 'authFailure', createdAt: '2026-01-01T00:00:00Z', expiresAt: null }));
    insert.run('x:BlockedIp', 'b2', JSON.stringify({ address: '192.0.2.2', reason: 'noisy neighbour', createdAt: '2026-01-01T00:00:00Z', expiresAt: null }));
    insert.run('x:BlockedIp', 'b3', JSON.stringify({ address: '192.0.2.3', reason: null, createdAt: '2026-01-01T00:00:00Z', expiresAt: null }));
    insert.run('x:Tenant', 't1', JSON.stringify({ name: 'Acme', description: 'old' }));
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    const row = (id: string) => JSON.parse((db.prepare('SELECT data FROM records WHERE id = ?').get(id) as { data: string }).data);
    expect(row('n1')).toEqual({ nodeId: 1, hostname: 'mx1.example', lastRenewal: '2026-01-01T00:00:00Z', roleId: null, version: '0.1.0', startedAt: '2026-01-01T00:00:00Z' });
    expect(row('n2')).toMatchObject({ nodeId: 2, hostname: 'mx2.example' });
    expect(row('b1')).toMatchObject({ reason: 'authFailure', description: null });
    expect(row('b2')).toMatchObject({ reason: 'manual', description: 'noisy neighbour' });
    expect(row('b3')).toMatchObject({ reason: 'manual', description: null });
    expect(row('t1')).toMatchObject({ name: 'Acme', description: 'old', logo: null, createdAt: expect.stringMatching(/Z$/) });
    expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 0 });
  });
});
