// @vitest-environment jsdom
// The generated form in German: the console's own words come from the German catalogue
// (a key missing there would show English or the key), the schema's labels stay as the
// server sends them, and values to read are formatted for German.

import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n';
import { buildNav, flattenLinks, trailCrumbs } from '../schema/nav';
import { resolveView } from '../schema/resolve';
import { testSchema as doc } from '../schema/testSchema';
import { renderWithConsole } from '../test/render';
import { DynamicForm, type Values } from './DynamicForm';
import { ReadOnlyValue } from './ReadOnlyValue';
import RecordPage from './RecordPage';
import { describeSetError } from './setErrors';

beforeEach(async () => {
  await i18n.changeLanguage('de');
  await i18n.loadNamespaces('forms');
});
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('en');
});

const sample: Values = {
  name: 'alpha', notes: null, email: null, website: null, address: null, network: null, listen: null, password: null,
  certificate: null, page: null, colour: null, count: null, port: null, ratio: null, quota: 1024 ** 2, timeout: 30000,
  enabled: false, expiresAt: null, taskType: null, tenantId: null, limits: { maxConnections: 100 }, tasks: { '@type': 'EnableAll' },
  rules: {}, taskTypes: {}, roleIds: {}, aliases: {}, headers: {}, logo: 'blob1',
};

function renderForm(canWrite = true) {
  const view = resolveView(doc, 'x:Sample')!;
  const entry = doc.fields['x:Sample'];
  return renderWithConsole(
    <DynamicForm
      view={view} properties={entry.properties} defaults={entry.defaults ?? {}} initial={{ values: sample }}
      mode="edit" canWrite={canWrite} submitLabel="Speichern" onSubmit={vi.fn()} cancelTo="/"
    />,
    { doc },
  );
}

/** The text of everything an element's aria-describedby points at. */
function description(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('the form in German', () => {
  it('speaks German around the schema’s own labels', async () => {
    renderForm();
    // Schema labels stay as the server sends them; the console's words are German.
    const quota = screen.getByLabelText('Quota');
    const unit = within(quota.parentElement!).getByRole('combobox', { name: 'Einheit' });
    expect(unit).toHaveProperty('value', 'MB');
    expect(within(screen.getByLabelText('Timeout').parentElement!).getByRole('option', { name: 'Sekunden' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Abbrechen' })).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Headers' })).getByRole('button', { name: 'Eintrag hinzufügen' })).toBeTruthy();
    expect(screen.getByLabelText('Zu Aliases hinzufügen')).toBeTruthy();

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'name@example');
    await user.type(screen.getByLabelText('Port'), '70000');
    await user.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(description(screen.getByLabelText('Email'))).toContain('Geben Sie eine E-Mail-Adresse ein, etwa name@example.com');
    expect(description(screen.getByLabelText('Port'))).toContain('Geben Sie höchstens 65535 ein');
    expect(screen.getByText('Ungespeicherte Änderungen')).toBeTruthy();
  });

  it('puts the server’s refusals into German sentences, with plurals', () => {
    const d = describeSetError({
      type: 'validationFailed',
      validationErrors: [
        { type: 'MaxLength', property: 'name', required: 255 },
        { type: 'MinLength', property: 'notes', required: 1 },
      ],
    }, 'sample', { doc, properties: doc.fields['x:Sample'].properties });
    expect(d.summary).toBe('Einige Felder sind fehlerhaft: Korrigieren Sie sie und speichern Sie erneut.');
    expect(d.fields).toEqual({ name: 'Verwenden Sie höchstens 255 Zeichen', notes: 'Verwenden Sie mindestens 1 Zeichen' });
    expect(describeSetError({ type: 'objectIsLinked' }, 'role').summary).toMatch(/^Dieser Eintrag \(role\) wird noch von anderen Einträgen verwendet/);
  });

  it('shows values to read in German formats', () => {
    renderWithConsole(
      <>
        <ReadOnlyValue type={{ type: 'utcDateTime' }} value="2030-01-31T16:05:00Z" />
        <ReadOnlyValue type={{ type: 'number', format: 'size' }} value={1536} />
        <ReadOnlyValue type={{ type: 'number', format: 'duration' }} value={90_000} />
        <ReadOnlyValue type={{ type: 'number' }} value={12345} />
        <ReadOnlyValue type={{ type: 'boolean' }} value />
        <ReadOnlyValue type={{ type: 'string' }} value={null} />
      </>,
      { doc },
    );
    expect(screen.getByText('31.01.2030, 16:05 UTC')).toBeTruthy();
    expect(screen.getByText('1,5 KB')).toBeTruthy();
    expect(screen.getByText('90 Sekunden')).toBeTruthy();
    expect(screen.getByText('12.345')).toBeTruthy();
    expect(screen.getByText('Ja')).toBeTruthy();
    expect(screen.getByText('Nicht festgelegt')).toBeTruthy();
  });

  it('offers Inherit, Unlimited and Limit in German', async () => {
    const { LimitInput } = await import('./widgets/LimitInput');
    renderWithConsole(<LimitInput id="q" label="Storage" type={{ type: 'number', format: 'size', unlimited: 0 }} value={2 * 1024 ** 2} onChange={vi.fn()} />, { doc });
    const group = screen.getByRole('radiogroup', { name: 'Storage' });
    expect(within(group).getByRole('radio', { name: 'Erben' })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: 'Unbegrenzt' })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: 'Grenzwert' })).toHaveProperty('checked', true);
    expect(screen.getByLabelText('Storage: Grenzwert')).toHaveProperty('value', '2');
  });

  it('saves a record page in German, the record’s own name a German noun', async () => {
    const link = flattenLinks(buildNav(doc)).find((l) => l.viewName === 'x:AllowedIp')!;
    const view = resolveView(doc, 'x:AllowedIp')!;
    const record = { id: 'a1', address: '10.1.2.3', reason: 'x', createdAt: '2030-01-01T00:00:00Z', expiresAt: null };
    renderWithConsole(<RecordPage link={link} view={view} id="a1" crumbs={trailCrumbs(link)} />, {
      doc, url: '/settings/security/allowed-ips/a1',
      jmap: (name) => (name === 'x:AllowedIp/get' ? { state: 's1', list: [{ ...record }] } : { newState: 's2', updated: { a1: null } }),
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Reason'), 'y');
    expect(screen.getByRole('button', { name: 'Allowed IP löschen' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));
    expect(await screen.findByText('Gespeichert.')).toBeTruthy();
    expect(screen.getByLabelText('Created').textContent).toBe('01.01.2030, 00:00 UTC');
  });
});
