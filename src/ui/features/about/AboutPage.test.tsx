// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { renderWithConsole, type JmapHandler } from '../../test/render';

// Vite fixes the console's version when it builds; the sources under test read it the same way.
vi.hoisted(() => {
  (globalThis as { __POSTERN_VERSION__?: string }).__POSTERN_VERSION__ = '7.7.7';
});
const { default: AboutPage } = await import('./AboutPage');

afterEach(cleanup);

const EMPTY: SchemaDocument = { objects: {}, schemas: {}, fields: {}, forms: {}, lists: {}, enums: {}, layouts: [] };
const WITH_INFO: SchemaDocument = {
  ...EMPTY,
  objects: { 'x:ServerInfo': { type: 'singleton', permissionPrefix: 'sysServerInfo' } },
  schemas: { 'x:ServerInfo': { type: 'single', schemaName: 'x:ServerInfo' } },
  fields: { 'x:ServerInfo': { properties: {} } },
};

const record = (daemonsCheckedAt: string | null) => ({
  id: 'singleton', serverName: 'Postern', serverVersion: '0.1.0', edition: 'Postern embedded', nodeVersion: '22.1.0', sqliteVersion: '3.50.2',
  startedAt: '2030-01-01T10:00:00Z', daemonsCheckedAt,
  daemons: daemonsCheckedAt === null ? {} : {
    1: { key: 'postfix', name: 'Postfix', role: 'SMTP', installed: false, version: null, package: null, installHint: 'apt-get install postfix', problem: null },
    0: { key: 'dovecot', name: 'Dovecot', role: 'IMAP', installed: true, version: '2.3.19.1', package: null, installHint: null, problem: null },
    2: { key: 'ftsXapian', name: 'fts-xapian', role: 'Search', installed: true, version: '1.5.5-1', package: 'dovecot-fts-xapian', installHint: null, problem: null },
  },
});

const fact = (term: string) => screen.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;

describe('AboutPage', () => {
  it('shows the console\u2019s and the server\u2019s versions, then the daemons once the server has read them', async () => {
    let reads = 0;
    const jmap: JmapHandler = (name) => {
      if (name !== 'x:ServerInfo/get') throw new Error(`unexpected ${name}`);
      reads += 1;
      return { state: 's', list: [record(reads === 1 ? null : '2030-01-01T10:00:01Z')], notFound: [] };
    };
    renderWithConsole(<AboutPage />, { doc: WITH_INFO, jmap });
    expect(screen.getByRole('heading', { level: 1, name: 'About' })).toBeTruthy();
    expect(fact('Console version')).toBe('7.7.7');
    await screen.findByText('Postern embedded');
    expect(fact('Server version')).toBe('0.1.0');
    expect(fact('SQLite')).toBe('3.50.2');
    expect(screen.getByRole('status').textContent).toBe('Reading the versions…');

    const table = await screen.findByRole('table', { name: 'Mail software' }, { timeout: 3000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Dovecot', 'Postfix', 'fts-xapian']);
    expect(rows[0].textContent).toContain('2.3.19.1');
    expect(rows[1].textContent).toContain('Not installed');
    expect(rows[1].textContent).toContain('Install with: apt-get install postfix');
    expect(rows[2].textContent).toContain('Debian package dovecot-fts-xapian');
    expect(reads).toBe(2);
    // The summary for a bug report has what the page shows.
    const summary = screen.getByText('Summary for a bug report').parentElement!.querySelector('pre')!.textContent!;
    expect(summary).toContain('Console version: 7.7.7');
    expect(summary).toContain('Server version: 0.1.0');
    expect(summary).toContain('Dovecot: 2.3.19.1');
    expect(summary).toContain('Postfix: Not installed');
  });

  it('on a server without x:ServerInfo (Stalwart) it says the version is not published and asks nothing', async () => {
    const r = renderWithConsole(<AboutPage />, { doc: EMPTY });
    expect(screen.getByText(/does not publish its version/)).toBeTruthy();
    expect(fact('Console version')).toBe('7.7.7');
    expect(screen.queryByRole('table')).toBeNull();
    const links = screen.getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual(expect.arrayContaining([
      ['Stalwart documentation', 'https://stalw.art/docs'],
      ['Apache James WebAdmin API', 'https://james.apache.org/server/manage-webadmin.html'],
      ['Dovecot documentation', 'https://doc.dovecot.org/'],
      ['Postfix documentation', 'https://www.postfix.org/documentation.html'],
    ]));
    await new Promise((res) => setTimeout(res, 50));
    expect(r.calls).toEqual([]);
  });

  it('a caller without sysServerInfoGet is told which permission it lacks, and nothing is asked', async () => {
    const r = renderWithConsole(<AboutPage />, { doc: WITH_INFO, permissions: [] });
    expect(screen.getByText(/do not allow reading the server.s details \(permission sysServerInfoGet\)/)).toBeTruthy();
    await waitFor(() => expect(r.calls).toEqual([]));
  });
});
