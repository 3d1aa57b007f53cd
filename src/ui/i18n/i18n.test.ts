// @vitest-environment jsdom
// The language machinery: numbers inside sentences, the order of choices, <html lang>, and a
// catalogue that cannot be read (offline): English instead, never a wait without end.
import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAccountLocale, catalogueBackend, chooseLanguage, forgetAccountLocale, i18n, initialLanguage, languageOf } from './i18n';

afterEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage('en');
});

describe('numbers in sentences', () => {
  it('are written in the language, while the plural form follows the number', async () => {
    expect(i18n.t('common:entries', { count: 1234 })).toBe('1,234 entries');
    expect(i18n.t('common:entries', { count: 1 })).toBe('1 entry');
    await i18n.changeLanguage('de');
    expect(i18n.t('common:entries', { count: 1234 })).toBe('1.234 Einträge');
    expect(i18n.t('common:entries', { count: 1 })).toBe('1 Eintrag');
  });

  it('leave text values and a missing value alone', () => {
    expect(i18n.t('app:pageTitle', { title: '2030' })).toBe('2030 · Postern');
  });
});

describe('choosing the language', () => {
  it('reads base languages from locale tags', () => {
    expect(languageOf('de_DE')).toBe('de');
    expect(languageOf('DE-at')).toBe('de');
    expect(languageOf('fr_FR')).toBeNull();
    expect(languageOf(undefined)).toBeNull();
  });

  it('keeps the choice made here over the account locale, and marks <html lang>', async () => {
    await chooseLanguage('de');
    expect(document.documentElement.lang).toBe('de');
    expect(initialLanguage()).toBe('de');
    localStorage.setItem('postern.language', 'en');
    await i18n.changeLanguage('en');
    await applyAccountLocale('de_DE');
    expect(i18n.language).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('applies the account locale when this browser has no choice; en_US says nothing', async () => {
    await applyAccountLocale('en_US');
    expect(i18n.language).toBe('en');
    await applyAccountLocale('de_DE');
    expect(i18n.language).toBe('de');
    expect(localStorage.getItem('postern.language')).toBeNull(); // not this browser's choice
  });

  it('starts a reload in the account language until sign-out, then the browser’s again', async () => {
    await applyAccountLocale('de_DE');
    expect(initialLanguage()).toBe('de');
    await applyAccountLocale('en_US'); // the account's locale was changed back
    expect(initialLanguage()).toBe('en');
    expect(i18n.language).toBe('en');
    await applyAccountLocale('de_DE');
    await forgetAccountLocale();
    expect(initialLanguage()).toBe('en');
    expect(i18n.language).toBe('en');
  });
});

describe('a catalogue that cannot be read', () => {
  // a real key of `common` (t's keys are typed), read from these stand-in catalogues
  const english = { close: 'Close' };
  const german = { close: 'Schließen' };

  async function instance(germanFails: () => boolean) {
    let reads = 0;
    const backend = catalogueBackend((language) => {
      if (language === 'de') {
        reads++;
        return germanFails() ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve(german);
      }
      return Promise.resolve(english);
    });
    const inst = i18next.createInstance();
    await inst.use(backend).init({ lng: 'de', fallbackLng: 'en', ns: ['common'], defaultNS: 'common', maxRetries: 2, retryTimeout: 1 });
    return { inst, reads: () => reads };
  }

  it('falls back to English after a few tries, and reads it again when next needed', async () => {
    let offline = true;
    const { inst, reads } = await instance(() => offline);
    expect(inst.t('close')).toBe('Close');
    expect(reads()).toBe(3);
    expect(inst.hasLoadedNamespace('common')).toBe(true); // nothing waits for it any more
    offline = false;
    await inst.loadNamespaces('common'); // the next page that needs it
    expect(inst.t('close')).toBe('Schließen');
  });

  it('says which catalogue does not exist', async () => {
    const backend = catalogueBackend(() => undefined);
    const failures: string[] = [];
    const inst = i18next.createInstance();
    inst.on('failedLoading', (lng: string, ns: string) => failures.push(`${lng}/${ns}`));
    await inst.use(backend).init({ lng: 'de', fallbackLng: 'en', ns: ['x'], defaultNS: 'x' });
    expect(failures.sort()).toEqual(['de/x', 'en/x']);
  });
});
