// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Control } from 'react-hook-form';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { ReindexAccount } from './ReindexAccount';
import { taskSchema } from './testSchema';

afterEach(cleanup);

const control = {} as Control<Record<string, unknown>>;

function server(type: string, refusal?: string): JmapHandler {
  return (name, args) => {
    if (name === 'x:Account/get') return { state: 'a1', list: [{ id: 'u1', '@type': type, name: 'alice' }] };
    if (name === 'x:Task/set') {
      if (refusal) return { notCreated: { new1: { type: 'invalidForeignKey', description: refusal, properties: ['accountId'] } } };
      return { created: { new1: { id: 't7' } }, newState: 's2' };
    }
    throw new Error(`unexpected ${name} ${JSON.stringify(args)}`);
  };
}

const show = (recordId: string | null, jmap: JmapHandler, doc: SchemaDocument = taskSchema, permissions?: string[]) =>
  renderWithConsole(<ReindexAccount control={control} recordId={recordId} />, { doc, jmap, url: '/management/directory/users/u1', permissions });

describe('Re-index this account', () => {
  it('creates a re-indexing task for the user and opens it', async () => {
    const user = userEvent.setup();
    const r = show('u1', server('User'));
    await user.click(await screen.findByRole('button', { name: 'Re-index this account' }));
    await waitFor(() => expect(r.location()).toBe('/management/tasks/t7'));
    expect(r.calls.find((c) => c.name === 'x:Task/set')?.args).toMatchObject({ create: { new1: { '@type': 'ReIndexUser', accountId: 'u1' } } });
  });

  it('says why the server refused, and stays', async () => {
    const user = userEvent.setup();
    const r = show('u1', server('User', 'No account u1'));
    await user.click(await screen.findByRole('button', { name: 'Re-index this account' }));
    expect(await screen.findByText(/^Not started: /)).toBeTruthy();
    expect(r.location()).toBe('/management/directory/users/u1');
  });

  it('is not offered for a group, a new account, a caller who may not start tasks, or a server without the kind', async () => {
    const group = show('u1', server('Group'));
    await waitFor(() => expect(group.calls.map((c) => c.name)).toContain('x:Account/get'));
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.queryByText('Search index')).toBeNull();
    cleanup();
    const r = show(null, server('User'));
    expect(screen.queryByRole('button')).toBeNull();
    expect(r.calls).toEqual([]);
    cleanup();
    show('u1', server('User'), taskSchema, ['sysAccountGet', 'sysTaskGet']);
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    const withoutKind: SchemaDocument = { ...taskSchema, schemas: { ...taskSchema.schemas, 'x:Task': { type: 'multiple', variants: [{ name: 'FullReIndexing', label: 'All', schemaName: 'x:TaskFullReIndexing' }] } } };
    show('u1', server('User'), withoutKind);
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.queryByRole('button')).toBeNull();
  });
});
