// The server's page words: both languages complete, and the language a request gets.

import { describe, expect, it } from 'vitest';
import type { BlockInfo } from '../auth/guard';
import { blockedPageHtml } from './pages';
import { fillHtml, PAGE_LANGUAGES, PAGE_WORDS, pageLanguage } from './pageWords';

describe('page words', () => {
  it('has every key in every language, none empty, the same placeholders, and no German left in English', () => {
    const keys = Object.keys(PAGE_WORDS.en).sort();
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const lang of PAGE_LANGUAGES) {
      const words = PAGE_WORDS[lang];
      expect(Object.keys(words).sort(), lang).toEqual(keys);
      for (const key of keys) {
        const text = words[key as keyof typeof words];
        expect(text.trim(), `${lang}:${key}`).not.toBe('');
        expect(placeholders(text), `${lang}:${key}`).toEqual(placeholders(PAGE_WORDS.en[key as keyof typeof words]));
        if (lang !== 'en') expect(text, `${lang}:${key} is still the English text`).not.toBe(PAGE_WORDS.en[key as keyof typeof words]);
      }
    }
  });

  it('fills values into escaped text', () => {
    expect(fillHtml('A & {b} {c}', { b: '<code>x</code>' })).toBe('A &amp; <code>x</code> {c}');
  });
});

describe('pageLanguage', () => {
  it('takes the first supported ui_locales tag, before Accept-Language', () => {
    expect(pageLanguage('de-CH en', 'en-US')).toBe('de');
    expect(pageLanguage('fr  EN-gb de', 'de')).toBe('en');
    expect(pageLanguage('DE', undefined)).toBe('de');
  });

  it('falls back to Accept-Language with its q-values when ui_locales has no supported tag', () => {
    expect(pageLanguage('fr ja', 'de-DE,de;q=0.9')).toBe('de');
    expect(pageLanguage(undefined, 'en;q=0.4, de-AT;q=0.8, fr')).toBe('de');
    expect(pageLanguage(undefined, 'de;q=0, en;q=0.1')).toBe('en');
    expect(pageLanguage('', 'fr, de;q=0.2, en;q=0.2')).toBe('de');
    expect(pageLanguage(undefined, ['fr', 'de;q=0.3'])).toBe('de');
    expect(pageLanguage(undefined, '*, de;q=0.5')).toBe('en');
  });

  it('is English for anything unsupported, missing or malformed', () => {
    expect(pageLanguage(undefined, undefined)).toBe('en');
    expect(pageLanguage('fr', 'ja, zh;q=0.8')).toBe('en');
    expect(pageLanguage(42, ';;,q=,de;q=abc')).toBe('en');
    expect(pageLanguage(['de'], '')).toBe('en');
  });
});

describe('the blocked page', () => {
  const block: BlockInfo = { address: '127.0.0.23', reason: 'failed sign-ins', expiresAt: '2026-12-01T19:00:00Z' };

  it('is German for a German browser, with no English sentence left, and names the way out', () => {
    const de = blockedPageHtml('127.0.0.23', block, 'de');
    expect(de).toContain('<html lang="de">');
    expect(de).toContain('<h1>Diese Adresse ist gesperrt</h1>');
    expect(de).toContain('Anfragen von 127.0.0.23 werden bis 01.12.2026, 19:00 UTC abgelehnt. Grund: failed sign-ins.');
    expect(de).toContain('<code>npm run unblock -- 127.0.0.23</code> ausführen.');
    const en = blockedPageHtml('127.0.0.23', block, 'en');
    expect(en).toContain('<h1>This address is blocked</h1>');
    expect(en).toContain('Requests from 127.0.0.23 are refused until 1 Dec 2026, 19:00 UTC. Reason: failed sign-ins.');
    // What stays English: the console's navigation names, the command, the reason as stored, UTC.
    const kept = new Set(['Settings', 'Security', 'Blocked', 'IPs', 'npm', 'run', 'unblock', 'failed', 'sign', 'ins', 'Postern', 'UTC']);
    const words = (html: string) => new Set(html.replace(/<[^>]*>/g, ' ').split(/[^\p{L}]+/u).filter(Boolean));
    const english = words(en);
    expect([...words(de)].filter((w) => english.has(w) && !kept.has(w))).toEqual([]);
  });

  it('escapes what it shows', () => {
    const html = blockedPageHtml('127.0.0.1', { address: '127.0.0.1', reason: '<b>x</b>', expiresAt: null }, 'en');
    expect(html).toContain('Reason: &lt;b&gt;x&lt;/b&gt;.');
    expect(html).not.toContain('<b>x</b>');
  });
});
