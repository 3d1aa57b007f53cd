// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { taskSchema } from '../tasks/testSchema';
import Overview from './Overview';

afterEach(cleanup);

const str = { type: 'string' as const, format: 'text' as const, nullable: true };
const doc: SchemaDocument = {
  ...taskSchema,
  objects: {
    ...taskSchema.objects,
    'x:HealthCheck': { type: 'object', permissionPrefix: 'sysHealthCheck' },
    'x:QueuedMessage': { type: 'object', permissionPrefix: 'sysQueuedMessage' },
    'x:Service': { type: 'object', permissionPrefix: 'sysService' },
  },
  schemas: { ...taskSchema.schemas, 'x:HealthCheck': { type: 'single', schemaName: 'x:HealthCheck' }, 'x:QueuedMessage': { type: 'single', schemaName: 'x:QueuedMessage' } },
  fields: {
    ...taskSchema.fields,
    'x:HealthCheck': {
      properties: {
        componentName: { type: { type: 'string' }, update: 'serverSet', description: 'Component' },
        status: { type: { type: 'enum', enumName: 'HealthStatus' }, update: 'serverSet', description: 'Status' },
        cause: { type: str, update: 'serverSet', description: 'Cause' },
        remedy: { type: str, update: 'serverSet', description: 'What to do' },
      },
    },
    'x:QueuedMessage': { properties: { returnPath: { type: { type: 'string' }, update: 'serverSet', description: 'Sender' } } },
  },
  lists: {
    ...taskSchema.lists,
    'x:HealthCheck': { title: 'Health', subtitle: '', singularName: 'health check', pluralName: 'health checks', labelProperty: 'componentName', columns: [{ name: 'componentName', label: 'Component' }] },
    'x:QueuedMessage': { title: 'Mail queue', subtitle: '', singularName: 'message', pluralName: 'messages', columns: [{ name: 'returnPath', label: 'Sender' }] },
  },
  enums: {
    ...taskSchema.enums,
    HealthStatus: [
      { name: 'healthy', label: 'Healthy', explanation: 'Works as it should', color: 'green' },
      { name: 'degraded', label: 'Degraded', color: 'orange' },
      { name: 'unhealthy', label: 'Unhealthy', color: 'red' },
    ],
  },
  layouts: [
    ...taskSchema.layouts,
    {
      name: 'Settings',
      icon: 'settings',
      items: [
        { link: { name: 'Services', icon: 'activity', viewName: 'CustomComponent/Services' } },
        { link: { name: 'Queue', icon: 'inbox', viewName: 'x:QueuedMessage' } },
      ],
    },
  ],
};

const checks = [
  { id: 'store', componentName: 'Store', status: 'healthy', cause: null, remedy: null },
  { id: 'imap', componentName: 'IMAP', status: 'unhealthy', cause: 'The IMAP service is stopped', remedy: 'Start it in Settings \u203a Services \u203a IMAP' },
  { id: 'disk', componentName: 'Disk space', status: 'degraded', cause: 'Disk space is running low', remedy: 'Free space there' },
];

const server = (queue: () => Record<string, unknown> = () => ({ ids: ['q1'], position: 0, total: 12 })): JmapHandler => (name, args) => {
  if (name === 'x:HealthCheck/get') return { state: 'h1', list: checks };
  if (name === 'x:QueuedMessage/query') return queue();
  if (name === 'x:Task/query') {
    const status = (args.filter as { status: string }).status;
    if (status === 'Running') return { ids: ['t1'], position: 0, total: 1 };
    if (status === 'Pending') return { ids: ['t2'], position: 0, total: 3 };
    return { ids: [], position: 0, total: 0 };
  }
  if (name === 'x:Task/get') {
    const ids = args.ids as string[];
    return { state: 's1', list: ids.includes('t1') ? [{ id: 't1', '@type': 'FullReIndexing', status: { '@type': 'Running' }, progress: { initialCount: 200, processedCount: 50, failedCount: 0, remainingCount: 150 } }] : [] };
  }
  throw new Error(`unexpected ${name}`);
};

describe('the overview’s status at a glance', () => {
  it('shows each component’s health, what to do with a link to the page it names, tasks at work and the queue', async () => {
    renderWithConsole(<Overview />, { doc, jmap: server() });
    const imap = await screen.findByRole('listitem', { name: 'IMAP: Unhealthy' });
    expect(within(imap).getByText('The IMAP service is stopped')).toBeTruthy();
    expect(within(imap).getByRole('link', { name: 'Settings \u203a Services' }).getAttribute('href')).toBe('/settings/services');
    expect(imap.textContent).toContain('What to do: Start it in Settings \u203a Services \u203a IMAP');
    const store = screen.getByRole('listitem', { name: 'Store: Healthy' });
    expect(within(store).getByText('Works as it should')).toBeTruthy();
    expect(within(store).queryByText(/What to do/)).toBeNull();
    expect(screen.getByText('2 of 3 components need attention: 1 unhealthy, 1 degraded.')).toBeTruthy();

    const bar = await screen.findByRole('progressbar', { name: 'Progress of Re-index every mail' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByRole('link', { name: 'Re-index every mail' }).getAttribute('href')).toBe('/management/tasks/t1');
    expect(screen.getByText(/3 waiting their turn/)).toBeTruthy();

    const queue = screen.getByRole('region', { name: 'Mail queue' });
    await waitFor(() => expect(queue.textContent).toContain('12 messages wait for delivery'));
    expect(within(queue).getByRole('link', { name: 'Open the queue' }).getAttribute('href')).toBe('/settings/queue');
  });

  it('says why the queue cannot be counted, and keeps the rest', async () => {
    renderWithConsole(<Overview />, {
      doc,
      jmap: server(() => {
        throw new Error('SMTP service is stopped');
      }),
    });
    const queue = await screen.findByRole('region', { name: 'Mail queue' });
    await waitFor(() => expect(queue.textContent).toMatch(/cannot be read now: .*SMTP service is stopped/));
    expect(await screen.findByRole('listitem', { name: 'IMAP: Unhealthy' })).toBeTruthy();
  });

  it('on a server without these types (a real Stalwart: tasks only wait or fail), asks nothing and shows nothing', async () => {
    const stalwart: SchemaDocument = {
      ...taskSchema,
      schemas: { ...taskSchema.schemas, 'x:TaskStatus': { type: 'multiple', variants: [{ name: 'Pending', label: 'Pending' }, { name: 'Failed', label: 'Failed' }] } },
    };
    const r = renderWithConsole(<Overview />, { doc: stalwart, jmap: server() });
    await new Promise((done) => setTimeout(done, 50));
    expect(r.calls).toEqual([]);
    expect(r.container.querySelector('.overview')?.textContent).toBe('');
  });

  it('leaves out what the caller may not read', async () => {
    const r = renderWithConsole(<Overview />, { doc, jmap: server(), permissions: ['sysQueuedMessageQuery'] });
    await screen.findByRole('region', { name: 'Mail queue' });
    expect(screen.queryByRole('region', { name: 'Health' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Tasks at work' })).toBeNull();
    expect(r.calls.map((c) => c.name)).toEqual(['x:QueuedMessage/query']);
  });
});
