// A write the type's apply hook could not carry out (and undid) did not happen: its
// activity entry goes with it; the entries of the writes that were carried out stay.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { SchemaDocument } from '../../shared/schema/types';
import { runRequest } from '../jmap/api';
import type { Catalogue, ObjectDef } from '../objects/define';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import { ACTIVITY } from './names';
import { recordWrite } from './record';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-activity-apply-'));
const store = new Store(openDatabase(dir));
afterAll(() => {
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const nameField = { properties: { name: { type: { type: 'string' as const, format: 'string' as const }, update: 'mutable' as const, description: 'Name' } } };
const mirror: ObjectDef = {
  name: 'x:Mirror', description: 'test', permissionPrefix: 'sysMirror', fields: nameField,
  form: { sections: [] }, list: { title: 'T', subtitle: '', singularName: 't', pluralName: 'ts', columns: [] },
  async apply(ctx, done) {
    await Promise.resolve();
    const failed: Record<string, { type: 'forbidden'; description: string }> = {};
    for (const [id, rec] of done.created) {
      if (rec.name !== 'refused') continue;
      ctx.store.transaction(() => ctx.store.delete('x:Mirror', id));
      failed[id] = { type: 'forbidden', description: 'the outside store said no' };
    }
    ctx.store.flushChanges();
    // An update that changes nothing is refused (nothing to undo).
    const same = [...done.updated].filter(([, u]) => u.next.name === u.prev.name);
    return { created: failed, updated: Object.fromEntries(same.map(([id]) => [id, { type: 'forbidden' as const, description: 'nothing to do' }])) };
  },
};
const schema = {
  objects: { 'x:Mirror': { type: 'object' } }, schemas: { 'x:Mirror': { type: 'single', schemaName: 'x:Mirror' } },
  fields: { 'x:Mirror': nameField }, forms: {}, lists: {}, enums: {}, layouts: [],
} as unknown as SchemaDocument;
const catalogue: Catalogue = { schema, resolveObject: (n) => (n === 'x:Mirror' ? { def: mirror } : null), recordWrite };

it('the entry of a write the apply hook undid is removed; the others stay', async () => {
  const caller = { accountId: 'a1', name: 'alice', permissions: new Set(['sysMirrorCreate', 'sysMirrorGet']) };
  const body = JSON.stringify({ using: ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'], methodCalls: [['x:Mirror/set', { create: { a: { name: 'made' }, b: { name: 'refused' } } }, '0']] });
  const res = await runRequest({ store, catalogue, sessionState: () => 's', clientIp: '127.0.0.1' }, caller, body);
  const answer = res.methodResponses[0][1] as { created: Record<string, { id: string }>; notCreated: Record<string, unknown> };
  expect(Object.keys(answer.created)).toEqual(['a']);
  expect(Object.keys(answer.notCreated)).toEqual(['b']);
  const entries = [...store.all(ACTIVITY)].map(([, e]) => e);
  expect(entries).toEqual([expect.objectContaining({ objectType: 'x:Mirror', objectId: answer.created.a.id, action: 'created', actorName: 'alice', via: 'jmap', remoteIp: '127.0.0.1' })]);
});

it('a record created and changed in one /set whose apply hook undid it leaves no entry; an earlier call\u2019s entry stays', async () => {
  const caller = { accountId: 'a1', name: 'alice', permissions: new Set(['sysMirrorCreate', 'sysMirrorUpdate', 'sysMirrorGet']) };
  const using = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'];
  const first = await runRequest({ store, catalogue, sessionState: () => 's' }, caller, JSON.stringify({ using, methodCalls: [['x:Mirror/set', { create: { k: { name: 'kept' } } }, '0']] }));
  const keptId = (first.methodResponses[0][1] as { created: Record<string, { id: string }> }).created.k.id;
  const body = JSON.stringify({
    using,
    methodCalls: [
      ['x:Mirror/set', { update: { [keptId]: { name: 'kept too' } } }, '0'],
      // The same record again, unchanged: no entry of its own; the hook then undoes it.
      ['x:Mirror/set', { update: { [keptId]: { name: 'kept too' } } }, '1'],
      ['x:Mirror/set', { create: { c: { name: 'first' } }, update: { '#c': { name: 'refused' } } }, '2'],
    ],
  });
  const before = [...store.all(ACTIVITY)].length;
  const res = await runRequest({ store, catalogue, sessionState: () => 's' }, caller, body);
  const third = res.methodResponses[2][1] as { created: unknown; notCreated: Record<string, unknown> };
  expect(Object.keys(third.notCreated)).toEqual(['c']);
  const entries = [...store.all(ACTIVITY)].map(([, e]) => e);
  // Only the first call's change of the kept record was added.
  expect(entries.length - before).toBe(1);
  expect(entries.filter((e) => e.objectId === keptId).map((e) => e.action)).toEqual(['created', 'updated']);
});
