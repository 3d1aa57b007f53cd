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
    return { created: failed };
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
