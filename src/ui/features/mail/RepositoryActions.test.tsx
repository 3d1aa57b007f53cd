// @vitest-environment jsdom
// Reprocess and clear are tasks, started after a question; without the task kind on the
// server (a real Stalwart) the buttons are not offered.

import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { MailRepositoryActions, RepositoryMailActions } from './RepositoryActions';

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

const doc = (variants: string[]): SchemaDocument => ({
  objects: { 'x:Task': { type: 'object', permissionPrefix: 'sysTask' } },
  schemas: { 'x:Task': { type: 'multiple', variants: variants.map((name) => ({ name, label: name, schemaName: `x:Task${name}` })) } },
  fields: {}, forms: {}, lists: {}, enums: {}, layouts: [],
});

function Mail({ values }: { values: Record<string, unknown> }) {
  const { control } = useForm({ defaultValues: values });
  return <RepositoryMailActions control={control} recordId="m1" />;
}
function Repository({ values }: { values: Record<string, unknown> }) {
  const { control } = useForm({ defaultValues: values });
  return <MailRepositoryActions control={control} recordId="r1" />;
}

const jmap: JmapHandler = (name) => {
  if (name === 'x:Task/set') return { created: { new1: { id: 't1' } } };
  throw new Error(`unexpected ${name}`);
};

describe('repository actions', () => {
  it('reprocesses one mail as a task, after asking', async () => {
    const r = renderWithConsole(<Mail values={{ repositoryId: 'r1' }} />, { doc: doc(['ReprocessRepositoryMails']), jmap });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reprocess' }));
    expect(r.calls).toEqual([]);
    await user.click(screen.getByRole('dialog', { name: 'Reprocess this mail?' }).querySelector('.btn-primary')!);
    await screen.findByText('Started task t1.');
    expect(r.calls[0].args.create).toEqual({ new1: { '@type': 'ReprocessRepositoryMails', repositoryId: 'r1', mailIds: { m1: true } } });
  });

  it('clears a repository after a warning; offers nothing the server cannot run', async () => {
    const r = renderWithConsole(<Repository values={{ path: 'var/mail/quarantine/' }} />, { doc: doc(['ClearMailRepository']), jmap });
    const user = userEvent.setup();
    expect(screen.queryByRole('button', { name: 'Reprocess all' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete all mails' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete every mail of var/mail/quarantine/?' });
    expect(dialog.textContent).toContain('cannot be undone');
    await user.click(dialog.querySelector('.btn-danger')!);
    await screen.findByText('Started task t1.');
    expect(r.calls[0].args.create).toEqual({ new1: { '@type': 'ClearMailRepository', repositoryId: 'r1' } });
    cleanup();
    renderWithConsole(<Repository values={{ path: 'x' }} />, { doc: doc(['Other']), jmap });
    expect(screen.queryByRole('heading', { name: 'All mails' })).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
