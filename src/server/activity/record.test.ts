// What one recorded write says (activity/record.ts entryFor), on a definition of its own.

import { expect, it } from 'vitest';
import type { ObjectDef } from '../objects/define';
import { entryFor } from './record';

const string = { type: 'string' as const, format: 'string' as const };
const def: ObjectDef = {
  name: 'x:Thing', description: 'test', permissionPrefix: 'sysThing',
  fields: { properties: { name: { description: 'Name', type: string, update: 'mutable' }, shown: { description: 'Computed', type: string, update: 'serverSet' } } },
  computed: { shown: () => 'now' },
  form: { sections: [] }, list: { title: 'T', subtitle: '', singularName: 't', pluralName: 'ts', columns: [] },
};
const caller = { accountId: 'a1', name: 'alice', permissions: new Set<string>() };

it('records only the schema\u2019s properties: what else a record stores (no client reads it) is not shown', () => {
  const entry = entryFor({ def, action: 'updated', id: 'r1', via: 'jmap', caller, prev: { name: 'a', internal: 'old-token' }, next: { name: 'b', internal: 'new-token' } });
  expect(entry?.properties).toEqual({ name: true });
  expect(JSON.stringify(entry)).not.toMatch(/token/);
  // A write that changed only what is not in the schema is no change a client can see.
  expect(entryFor({ def, action: 'updated', id: 'r1', via: 'jmap', caller, prev: { name: 'a', internal: 'x' }, next: { name: 'a', internal: 'y' } })).toBeNull();
  const made = entryFor({ def, action: 'created', id: 'r2', via: 'webadmin', caller, clientIp: '127.0.0.1', prev: null, next: { name: 'n' } });
  expect(made).toMatchObject({ action: 'created', actorId: 'a1', actorName: 'alice', via: 'webadmin', remoteIp: '127.0.0.1', properties: { name: true } });
  expect(JSON.parse(made!.changes.name)).toEqual({ from: null, to: 'n' });
});
