// @vitest-environment jsdom
// A record's parts below its form, from the schema alone: found by their required, fixed
// reference; listed server-side by it; created with it filled in; deleted after a question.
// Usage bars: a ratio is a meter with its percentage.

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../shared/schema/types';
import type { JmapRecord } from '../jmap/types';
import { renderWithConsole, type JmapHandler } from '../test/render';
import { relationsOf } from './related';
import { RelatedRecords } from './RelatedRecords';
import { UsageMeter } from './UsageMeter';
import { isRatio, percentOf } from './ratio';

afterEach(cleanup);
beforeAll(() => {
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

const text = (update: 'mutable' | 'immutable' | 'serverSet' = 'mutable') => ({ description: 'Name', type: { type: 'string' as const }, update });
const doc: SchemaDocument = {
  objects: {
    'x:Owner': { type: 'object', permissionPrefix: 'sysOwner' },
    'x:Box': { type: 'object', permissionPrefix: 'sysBox' },
    'x:Note': { type: 'object', permissionPrefix: 'sysNote' },
  },
  schemas: {
    'x:Owner': { type: 'single', schemaName: 'x:Owner' },
    'x:Box': { type: 'single', schemaName: 'x:Box' },
    'x:Note': { type: 'single', schemaName: 'x:Note' },
  },
  fields: {
    'x:Owner': { properties: { name: text() } },
    'x:Box': {
      properties: {
        ownerId: { description: 'Owner', type: { type: 'objectId', objectName: 'x:Owner' }, update: 'immutable' },
        name: text('immutable'),
        fill: { description: 'How full', type: { type: 'number', format: 'float', ratio: true }, update: 'serverSet' },
      },
    },
    // A reference that can move (mutable, nullable) is not a part.
    'x:Note': { properties: { ownerId: { description: 'Owner', type: { type: 'objectId', objectName: 'x:Owner', nullable: true }, update: 'mutable' }, name: text() } },
  },
  forms: { 'x:Box': { sections: [{ title: 'Box', fields: [{ name: 'ownerId', label: 'Owner' }, { name: 'name', label: 'Name' }] }] } },
  lists: {
    'x:Owner': { title: 'Owners', subtitle: '', singularName: 'owner', pluralName: 'owners', columns: [{ name: 'name', label: 'Name' }] },
    'x:Box': {
      title: 'Boxes', subtitle: '', singularName: 'box', pluralName: 'boxes', labelProperty: 'name',
      columns: [{ name: 'name', label: 'Name' }, { name: 'ownerId', label: 'Owner' }, { name: 'fill', label: 'Usage' }],
      filters: [{ type: 'objectId', field: 'ownerId', label: 'Owner', objectName: 'x:Owner' }],
      itemActions: [{ type: 'view' }, { type: 'delete' }],
    },
    'x:Note': {
      title: 'Notes', subtitle: '', singularName: 'note', pluralName: 'notes', columns: [{ name: 'name', label: 'Name' }],
      filters: [{ type: 'objectId', field: 'ownerId', label: 'Owner', objectName: 'x:Owner' }],
    },
  },
  enums: {},
  layouts: [],
};

describe('related records', () => {
  it('finds parts by their required, fixed reference only', () => {
    expect(relationsOf(doc, 'x:Owner').map((r) => [r.objectName, r.fieldName, r.title, r.creatable])).toEqual([['x:Box', 'ownerId', 'Boxes', true]]);
    expect(relationsOf(doc, 'x:Box')).toEqual([]);
  });

  it('lists them by this record, creates one with the reference set, deletes one after asking', async () => {
    let boxes: JmapRecord[] = [{ id: 'b1', ownerId: 'o1', name: 'INBOX', fill: 0.973 }];
    const jmap: JmapHandler = (name, args) => {
      if (name === 'x:Box/query') return { ids: boxes.map((b) => b.id), position: 0, total: boxes.length };
      if (name === 'x:Box/get') return { state: 's', list: boxes.filter((b) => (args.ids as string[]).includes(b.id)) };
      if (name === 'x:Box/set' && args.create) {
        const value = (args.create as Record<string, JmapRecord>).new1;
        boxes = [...boxes, { ...value, id: 'b2' }];
        return { created: { new1: { id: 'b2' } } };
      }
      if (name === 'x:Box/set' && args.destroy) {
        boxes = boxes.filter((b) => !(args.destroy as string[]).includes(b.id));
        return { destroyed: args.destroy };
      }
      throw new Error(`unexpected ${name}`);
    };
    const r = renderWithConsole(<RelatedRecords viewName="x:Owner" id="o1" />, { doc, jmap });
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Boxes' });
    await within(section).findByText('INBOX');
    expect(r.calls.find((c) => c.name === 'x:Box/query')?.args.filter).toEqual({ ownerId: 'o1' });
    // The owner's own column says nothing here; the ratio is a labelled meter.
    expect(within(section).queryByRole('columnheader', { name: 'Owner' })).toBeNull();
    const meter = within(section).getByRole('meter', { name: 'Usage' });
    expect(meter.getAttribute('aria-valuetext')).toBe('97%');

    await user.click(within(section).getByRole('button', { name: 'New box' }));
    const form = within(section).getByRole('form', { name: 'New box' });
    expect(within(form).queryByLabelText(/Owner/)).toBeNull();
    // The keyboard lands in the form, and back on "New box" once it closes.
    expect(document.activeElement).toBe(within(form).getByLabelText(/Name/));
    await user.keyboard('INBOX.work');
    await user.click(within(form).getByRole('button', { name: 'Create box' }));
    await within(section).findByText('INBOX.work');
    await waitFor(() => expect(document.activeElement).toBe(within(section).getByRole('button', { name: 'New box' })));
    const created = r.calls.find((c) => c.name === 'x:Box/set' && c.args.create)?.args.create as Record<string, unknown>;
    expect(created.new1).toEqual({ name: 'INBOX.work', ownerId: 'o1' });

    await user.click(within(section).getByRole('button', { name: 'Delete INBOX.work' }));
    expect(r.calls.some((c) => c.name === 'x:Box/set' && c.args.destroy)).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(section).queryByText('INBOX.work')).toBeNull());
    expect(r.calls.find((c) => c.name === 'x:Box/set' && c.args.destroy)?.args.destroy).toEqual(['b2']);
  });
});

describe('UsageMeter', () => {
  it('is a meter named by what it measures, with its percentage; over full stays over in words', () => {
    renderWithConsole(
      <>
        <UsageMeter label="Disk" value={0.5} />
        <UsageMeter label="Over" value={1.2} />
        <UsageMeter label="None" value={null} />
      </>,
      { doc },
    );
    expect(screen.getByRole('meter', { name: 'Disk' }).getAttribute('aria-valuenow')).toBe('50');
    const over = screen.getByRole('meter', { name: 'Over' });
    expect([over.getAttribute('aria-valuenow'), over.getAttribute('aria-valuetext')]).toEqual(['100', '120%']);
    expect(screen.getByText('No limit')).toBeTruthy();
    expect(isRatio({ type: 'number', format: 'float', min: 0, max: 1 })).toBe(true);
    expect(isRatio({ type: 'number', format: 'float' })).toBe(false);
    expect(percentOf(0.999)).toBe(99);
  });
});
