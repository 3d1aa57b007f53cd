// @vitest-environment jsdom
// The features in German: the console's own words from the de catalogues, numbers and
// dates in German form, and the server's words (schema labels, failure reasons) as sent.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../../i18n/i18n';
import type { JmapRecord } from '../../jmap/types';
import { buildNav, flattenLinks, trailCrumbs } from '../../schema/nav';
import { renderWithConsole, type JmapHandler } from '../../test/render';
import { summary, tally } from '../health/model';
import { formatUptime, outcomeTitle, progressText, whereWords } from '../services/format';
import TasksPage from './TasksPage';
import { taskSchema } from './testSchema';

const link = flattenLinks(buildNav(taskSchema)).find((l) => l.viewName === 'CustomComponent/Tasks')!;

const records: JmapRecord[] = [
  {
    id: 't2', '@type': 'ReIndexUser', accountId: 'u1', status: { '@type': 'Running' }, submittedAt: '2030-01-01T10:00:00Z', startedAt: '2030-01-01T10:00:05Z',
    completedAt: null, failedAt: null, cancelledAt: null, failureReason: null,
    progress: { initialCount: 12000, processedCount: 1198, failedCount: 2, remainingCount: 10800 },
  },
  {
    id: 't1', '@type': 'FullReIndexing', status: { '@type': 'Failed' }, submittedAt: '2030-01-01T09:00:00Z', startedAt: '2030-01-01T09:00:01Z',
    completedAt: null, failedAt: '2030-01-01T09:02:00Z', cancelledAt: null, failureReason: 'IMAP service is stopped', progress: null,
  },
];

const jmap: JmapHandler = (name, args) => {
  if (name === 'x:Task/query') return { ids: records.map((r) => r.id), position: 0, total: records.length };
  if (name === 'x:Task/get') return { state: 's1', list: records.filter((r) => !args.ids || (args.ids as string[]).includes(r.id)), notFound: [] };
  if (name === 'x:Account/get') return { state: 'a1', list: [{ id: 'u1', name: 'alice' }] };
  throw new Error(`unexpected ${name}`);
};

beforeAll(async () => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  await i18n.changeLanguage('de');
});
afterEach(cleanup);
afterAll(async () => {
  await i18n.changeLanguage('en');
});

describe('the features in German', () => {
  it('lists tasks in German: buttons, progress words, German numbers and dates; server words as sent', async () => {
    const user = userEvent.setup();
    renderWithConsole(<TasksPage link={link} id={null} crumbs={trailCrumbs(link)} />, { doc: taskSchema, url: link.path, jmap });
    const bar = await screen.findByRole('progressbar', { name: 'Fortschritt von Re-index one user: alice' });
    expect(bar.getAttribute('aria-valuetext')).toBe('1.200 von 12.000 erledigt, 2 fehlgeschlagen');
    expect(screen.getByRole('button', { name: 'Alles neu indizieren' })).toBeTruthy();
    const rows = screen.getAllByRole('row');
    expect(within(rows[0]).getByRole('columnheader', { name: 'Aufgabe' })).toBeTruthy();
    expect(within(rows[0]).getByRole('columnheader', { name: 'Beendet' })).toBeTruthy();
    expect(within(rows[1]).getAllByText('01.01.2030, 10:00 UTC')).toHaveLength(2);
    expect(within(rows[2]).getByText('IMAP service is stopped')).toBeTruthy();
    expect(within(rows[2]).getByText('(fehlgeschlagen)')).toBeTruthy();

    await user.click(within(rows[1]).getByRole('button', { name: 'Re-index one user: alice abbrechen' }));
    const dialog = screen.getByRole('dialog', { name: 'Re-index one user: alice abbrechen?' });
    expect(dialog.textContent).toContain('Die Aufgabe hält am nächsten sicheren Punkt an.');
    expect(within(dialog).getByRole('button', { name: 'Nicht abbrechen' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Aufgabe abbrechen' })).toBeTruthy();
  });

  it('shows one task in German', async () => {
    renderWithConsole(<TasksPage link={link} id="t1" crumbs={trailCrumbs(link)} />, { doc: taskSchema, url: `${link.path}/t1`, jmap });
    expect(await screen.findByRole('heading', { name: 'Status', level: 2 })).toBeTruthy();
    expect(screen.getByText('Grund des Fehlschlags:').parentElement?.textContent).toBe('Grund des Fehlschlags: IMAP service is stopped');
    expect(screen.getByText('Eingereicht', { selector: 'dt' }).nextElementSibling?.textContent).toBe('01.01.2030, 09:00 UTC');
    expect(screen.getByText('Beendet', { selector: 'dt' }).nextElementSibling?.textContent).toBe('01.01.2030, 09:02 UTC (fehlgeschlagen)');
  });

  it('words health and service actions in German, with the server’s status labels as sent', () => {
    const label = (s: string) => s[0].toUpperCase() + s.slice(1);
    expect(summary(tally(['healthy', 'unhealthy', 'degraded', 'unhealthy']), 'healthy', label)).toBe('3 von 4 Komponenten brauchen Aufmerksamkeit: 2 × unhealthy, 1 × degraded.');
    expect(summary(tally(['healthy', 'healthy']), 'healthy', label)).toBe('Alle 2 Komponenten sind im Zustand „healthy“.');
    expect(progressText('stop', 'IMAP', whereWords(true, 'mx1'))).toBe('IMAP wird auf allen Knoten gestoppt…');
    expect(outcomeTitle('restart', 'IMAP', whereWords(false, 'mx1'), true)).toBe('Neustart von IMAP auf mx1 abgeschlossen');
    expect(formatUptime((2 * 3600 + 5 * 60) * 1000)).toBe('2 Std. 5 Min.');
  });
});
