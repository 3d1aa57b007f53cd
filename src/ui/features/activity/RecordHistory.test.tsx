// @vitest-environment jsdom
// A record's History: its activity entries newest first, with who, via and what changed in
// words (secrets only as changed); hidden without the activity log or the right to read it.

import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { RecordHistory } from './RecordHistory';

afterEach(cleanup);

const doc: SchemaDocument = {
  objects: { 'x:Activity': { type: 'object', permissionPrefix: 'sysActivity' }, 'x:Role': { type: 'object', permissionPrefix: 'sysRole' } },
  schemas: { 'x:Activity': { type: 'single', schemaName: 'x:Activity' }, 'x:Role': { type: 'single', schemaName: 'x:Role' } },
  fields: {},
  forms: { 'x:Role': { sections: [{ fields: [{ name: 'description', label: 'Description' }, { name: 'enabledPermissions', label: 'Enabled permissions' }] }] } },
  lists: {},
  enums: {
    ActivityVia: [{ name: 'jmap', label: 'JMAP' }, { name: 'webadmin', label: 'WebAdmin' }],
    ActivityAction: [{ name: 'created', label: 'Created', color: 'green' }, { name: 'updated', label: 'Changed', color: 'blue' }],
  },
  layouts: [{ name: 'Management', icon: 'users', items: [{ link: { name: 'Activity log', icon: 'history', viewName: 'x:Activity' } }] }],
};

const entries = [
  {
    id: 'e2', at: '2030-01-02T10:00:00Z', actorName: 'admin', via: 'jmap', remoteIp: '127.0.0.1', objectType: 'x:Role', objectId: 'r1', action: 'updated',
    properties: { description: true, enabledPermissions: true },
    changes: { description: JSON.stringify({ from: 'Helpdesk', to: 'Help desk' }), enabledPermissions: JSON.stringify({ from: { a: true }, to: { a: true, b: true } }) },
  },
  { id: 'e1', at: '2030-01-01T10:00:00Z', actorName: 'ops@example.com', via: 'webadmin', remoteIp: null, objectType: 'x:Role', objectId: 'r1', action: 'created', properties: { secret: true }, changes: { secret: '{"secret":true}' } },
];

const jmap: JmapHandler = (name, args) => {
  if (name === 'x:Activity/query') return { ids: entries.map((e) => e.id), total: 2, position: 0, queryState: 's1' };
  if (name === 'x:Activity/get') return { list: entries.filter((e) => (args.ids as string[]).includes(e.id)), state: 's1', notFound: [] };
  throw new Error(`unexpected ${name}`);
};

describe('RecordHistory', () => {
  it('lists the record’s entries newest first: when, who, via, and each change in words', async () => {
    const r = renderWithConsole(<RecordHistory objectName="x:Role" recordId="r1" />, { doc, jmap });
    const region = await screen.findByRole('region', { name: 'History' });
    const items = await within(region).findAllByRole('listitem');
    expect(r.calls[0]).toMatchObject({ name: 'x:Activity/query', args: { filter: { objectType: 'x:Role', objectId: 'r1' }, sort: [{ property: 'at', isAscending: false }] } });
    expect(items[0].textContent).toContain('Changed');
    expect(items[0].textContent).toContain('by admin');
    expect(items[0].textContent).toContain('via JMAP');
    expect(within(items[0]).getAllByRole('term').map((t) => t.textContent)).toEqual(['Description', 'Enabled permissions']);
    const [description, permissions] = within(items[0]).getAllByRole('definition');
    expect(description.textContent).toMatch(/Helpdesk.*→.*Help desk/);
    expect(permissions.textContent).toContain('added: b');
    expect(items[1].textContent).toContain('by ops@example.com');
    expect(items[1].textContent).toContain('secret changed');
    expect(within(region).getByRole('link', { name: 'Open in the activity log (2 entries)' }).getAttribute('href')).toBe('/management/activity-log?f.objectType=x%3ARole&f.objectId=r1');
  });

  it('is not shown without sysActivityQuery, nor on a server without the activity log', () => {
    const r = renderWithConsole(<RecordHistory objectName="x:Role" recordId="r1" />, { doc, jmap, permissions: ['sysActivityGet'] });
    expect(screen.queryByRole('region', { name: 'History' })).toBeNull();
    cleanup();
    const { 'x:Activity': _, ...objects } = doc.objects;
    renderWithConsole(<RecordHistory objectName="x:Role" recordId="r1" />, { doc: { ...doc, objects }, jmap });
    expect(screen.queryByRole('region', { name: 'History' })).toBeNull();
    expect(r.calls).toEqual([]);
  });
});
