// Every language has every key of English, with the same placeholders, and nothing empty.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, NAMESPACES } from './namespaces';

const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'string') out[prefix] = value;
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = String(value);
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const pluralBase = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe.each(NAMESPACES)('catalogue %s', (ns) => {
  const en = flatten(files[`./locales/en/${ns}.json`]);
  it.each(LANGUAGES.filter((l) => l.code !== 'en').map((l) => l.code))('%s has every English key, the same placeholders, nothing empty', (code) => {
    const other = flatten(files[`./locales/${code}/${ns}.json`]);
    const missing = Object.keys(en).filter((k) => !(k in other) && !Object.keys(other).some((o) => pluralBase(o) === pluralBase(k)));
    const extra = Object.keys(other).filter((k) => !(k in en) && !Object.keys(en).some((e) => pluralBase(e) === pluralBase(k)));
    expect(missing, `missing in ${code}/${ns}`).toEqual([]);
    expect(extra, `not in en/${ns}`).toEqual([]);
    for (const [k, v] of Object.entries(other)) {
      expect(v.trim(), `${code}/${ns}:${k} is empty`).not.toBe('');
      const source = en[k] ?? Object.entries(en).find(([e]) => pluralBase(e) === pluralBase(k))?.[1] ?? '';
      expect(placeholders(v), `${code}/${ns}:${k} placeholders`).toEqual(placeholders(source));
    }
  });
});
