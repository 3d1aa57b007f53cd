// @vitest-environment jsdom
// The pages before sign-in and the console's own sentences in German: every word from the
// German catalogue (a key missing there would show English), what the server names as sent.

import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n';
import { explainError } from '../lib/errors';
import { formatBytes as formatSize, formatInstant as formatUtc } from '../i18n/format';
import { HttpError, UnreachableError } from '../jmap/types';
import { measureWords } from '../schema/dashboards';
import { listOf } from '../schema/words';
import { testSchema } from '../schema/testSchema';
import { AuthProvider } from './auth';
import { BlockedPage } from './BlockedPage';
import { Crash } from './Crash';
import { forbiddenWords } from './errorWords';
import { SignInPage } from './SignInPage';

beforeEach(async () => {
  await i18n.changeLanguage('de');
});
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('en');
});

describe('in German', () => {
  it('the sign-in page asks for the username and names the page', () => {
    render(
      <AuthProvider>
        <SignInPage />
      </AuthProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Bei der Konsole des Mailservers anmelden' })).toBeTruthy();
    expect(screen.getByLabelText('Benutzername')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Weiter' })).toBeTruthy();
    expect(document.title).toBe('Anmelden · Postern');
  });

  it('the blocked page says who is blocked, until when (in UTC), and what an administrator can do', () => {
    render(
      <AuthProvider>
        <BlockedPage blocked={{ address: '192.0.2.7', expiresAt: '2030-01-01T10:30:00Z', reason: null }} />
      </AuthProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Diese Adresse ist gesperrt' })).toBeTruthy();
    const text = document.body.textContent ?? '';
    expect(text).toContain('Der Server lehnt jede Anfrage von 192.0.2.7 ab, vermutlich nach zu vielen fehlgeschlagenen Anmeldungen von dort.');
    expect(text).toContain('Die Sperre endet am 01.01.2030, 10:30 UTC.');
    // The place in the navigation is the schema's, as the server names it.
    expect(text).toContain('unter Settings › Security › Blocked IPs aufheben');
    expect(screen.getByText('npm run unblock -- 192.0.2.7').tagName).toBe('CODE');
    expect(screen.getByRole('button', { name: 'Erneut versuchen' })).toBeTruthy();
  });

  it('puts the server’s reason and a missing address in as text, not markup', () => {
    render(
      <AuthProvider>
        <BlockedPage blocked={{ address: null, expiresAt: null, reason: 'rule <b>42</b> & more' }} />
      </AuthProvider>,
    );
    const text = document.body.textContent ?? '';
    expect(text).toContain('Der Server lehnt jede Anfrage von Ihrer Adresse ab (rule <b>42</b> & more).');
    expect(text).toContain('Eine Sperre nach fehlgeschlagenen Anmeldungen endet nach einer Weile von selbst.');
    expect(screen.getByText('npm run unblock -- <Adresse>').tagName).toBe('CODE');
    expect(document.querySelector('b')).toBeNull();
  });

  it('the crash page explains and offers a reload', () => {
    render(<Crash error={new TypeError('Failed to fetch dynamically imported module')} />);
    expect(screen.getByRole('heading', { name: 'Diese Seite konnte nicht angezeigt werden' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Ein Teil der Konsole konnte nicht geladen werden');
    expect(screen.getByRole('button', { name: 'Seite neu laden' })).toBeTruthy();
  });

  it('errors, lists, sizes and instants are the language’s; the server’s own words stay', () => {
    expect(explainError(new UnreachableError(true))).toEqual({
      message: 'Der Server ist nicht erreichbar: Dieser Computer ist offline.',
      next: 'Versuchen Sie es erneut, sobald die Verbindung wieder besteht.',
    });
    expect(explainError(new HttpError(500, { detail: 'disk full' })).message).toBe('Der Server konnte nicht antworten (HTTP 500): disk full');
    expect(explainError(new HttpError(503, { detail: 'Maintenance until noon' })).message).toBe('Maintenance until noon');
    expect(forbiddenWords(testSchema, 'Tracing', undefined).message).toBe('Sie können Tracing nicht öffnen.');
    expect(listOf(['A', 'B', 'C'])).toBe('A, B und C');
    expect(listOf(['A', 'B', 'C', 'D'], 40)).toBe('A, B und 42 weitere');
    expect(measureWords({ aggregate: 'avg', source: 'live' })).toBe('Durchschnitt aktuell');
    expect(formatSize(1536)).toBe('1,5 KB');
    expect(formatUtc('2030-01-02T03:04:05Z')).toBe('02.01.2030, 03:04 UTC');
    expect(formatUtc('not a date')).toBe('not a date');
  });
});
