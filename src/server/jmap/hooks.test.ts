// The hooks around the generic methods: singletons, refresh of mirrored types, and apply
// after /set, whose failures are moved into the answer.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../shared/schema/types';
import type { Caller } from '../auth/caller';
import type { AppliedWrites, Catalogue, ObjectDef } from '../objects/define';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import { runRequest } from './api';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-hooks-'));
const store = new Store(openDatabase(dir));
afterAll(() => {
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const nameField = { properties: { name: { type: { type: 'string' as const, format: 'string' as const }, update: 'mutable' as const, description: 'Name' } } };
const list = { title: 'T', singularName: 't', pluralName: 'ts', columns: [{ name: 'name' }], filters: [] };
const form = { title: 'T', sections: [{ fields: [{ name: 'name' }] }] } as unknown as ObjectDef['form'];

const outside = new Set<string>(['kept']);
const refreshed: string[] = [];
let applied: AppliedWrites | null = null;

const mirror: ObjectDef = {
  name: 'x:Mirror', description: 'test', permissionPrefix: 'sysMirror', fields: nameField, form, list: list as unknown as ObjectDef['list'],
  async refresh(ctx, method) {
    refreshed.push(method);
    await Promise.resolve();
    ctx.store.transaction(() => {
      for (const n of outside) if (!ctx.store.findBy('x:Mirror', 'name', n)) ctx.store.insert('x:Mirror', `m-${n}`, { name: n }, []);
    });
    ctx.store.flushChanges();
  },
  async apply(ctx, done) {
    applied = done;
    await Promise.resolve();
    const failed: Record<string, { type: 'forbidden'; description: string }> = {};
    for (const [id, rec] of done.created) {
      if (rec.name === 'refused') {
        ctx.store.transaction(() => ctx.store.delete('x:Mirror', id));
        failed[id] = { type: 'forbidden', description: 'the outside store said no' };
      } else outside.add(String(rec.name));
    }
    ctx.store.flushChanges();
    return { created: failed };
  },
};
const single: ObjectDef = {
  name: 'x:Single', description: 'test', permissionPrefix: 'sysSingle', fields: nameField, form, list: list as unknown as ObjectDef['list'],
  singleton: { defaults: { name: 'default' } },
};

const schema = {
  objects: { 'x:Mirror': { type: 'object' }, 'x:Single': { type: 'singleton' } },
  schemas: { 'x:Mirror': { type: 'single', schemaName: 'x:Mirror' }, 'x:Single': { type: 'single', schemaName: 'x:Single' } },
  fields: { 'x:Mirror': nameField, 'x:Single': nameField }, forms: {}, lists: {}, enums: {}, layouts: [],
} as unknown as SchemaDocument;
const catalogue: Catalogue = {
  schema,
  resolveObject: (n) => (n === 'x:Mirror' ? { def: mirror } : n === 'x:Single' ? { def: single } : null),
};
const all = ['Get', 'Query', 'Create', 'Update', 'Destroy'];
const caller = (prefixes: string[]): Caller => ({ accountId: 'a', name: 'a', permissions: new Set(prefixes.flatMap((p) => all.map((v) => p + v))) });

async function call(c: Caller, name: string, args: object) {
  const body = JSON.stringify({ using: ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'], methodCalls: [[name, args, '0']] });
  const res = await runRequest({ store, catalogue, sessionState: () => 's' }, c, body);
  return res.methodResponses[0] as [string, Record<string, unknown>, string];
}

describe('hooks', () => {
  it('refresh runs before a permitted read, and not for a caller without the permission', async () => {
    const [, none] = await call(caller([]), 'x:Mirror/query', {});
    expect(none.type).toBe('forbidden');
    expect(refreshed).toEqual([]);
    const [name, res] = await call(caller(['sysMirror']), 'x:Mirror/query', {});
    expect(name).toBe('x:Mirror/query');
    expect(refreshed).toEqual(['query']);
    expect(res.ids).toEqual(['m-kept']);
  });

  it('apply sees the committed writes; a refused one moves to notCreated and is gone', async () => {
    const [, res] = await call(caller(['sysMirror']), 'x:Mirror/set', { create: { a: { name: 'made' }, b: { name: 'refused' } } });
    expect(Object.keys(res.created as object)).toEqual(['a']);
    expect(res.notCreated).toEqual({ b: { type: 'forbidden', description: 'the outside store said no' } });
    expect([...applied!.created.values()].map((r) => r.name).sort()).toEqual(['made', 'refused']);
    const [, q] = await call(caller(['sysMirror']), 'x:Mirror/get', { ids: null });
    expect((q.list as { name: string }[]).map((r) => r.name).sort()).toEqual(['kept', 'made']);
  });

  it('apply is handed the record before an update and the destroyed record', async () => {
    const id = store.findBy('x:Mirror', 'name', 'made')!;
    await call(caller(['sysMirror']), 'x:Mirror/set', { update: { [id]: { name: 'renamed' } } });
    expect(applied!.updated.get(id)).toEqual({ prev: { id, name: 'made' }, next: { id, name: 'renamed' } });
    const [, res] = await call(caller(['sysMirror']), 'x:Mirror/set', { destroy: [id] });
    expect(res.destroyed).toEqual([id]);
    expect(applied!.destroyed.get(id)).toEqual({ id, name: 'renamed' });
  });

  it('a singleton exists from first use, is updated, and has no query, create or destroy', async () => {
    const c = caller(['sysSingle']);
    const [, got] = await call(c, 'x:Single/get', { ids: ['singleton'] });
    expect(got.list).toEqual([{ id: 'singleton', name: 'default' }]);
    const [, up] = await call(c, 'x:Single/set', { update: { singleton: { name: 'changed' } } });
    expect(up.updated).toEqual({ singleton: null });
    const [, again] = await call(c, 'x:Single/get', { ids: null });
    expect(again.list).toEqual([{ id: 'singleton', name: 'changed' }]);
    const [, q] = await call(c, 'x:Single/query', {});
    expect(q.type).toBe('unknownMethod');
    const [, cr] = await call(c, 'x:Single/set', { create: { x: { name: 'two' } } });
    expect(cr.type).toBe('forbidden');
    const [, de] = await call(c, 'x:Single/set', { destroy: ['singleton'] });
    expect(de.type).toBe('forbidden');
  });
});
