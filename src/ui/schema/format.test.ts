import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n';
import { testSchema as doc } from './testSchema';
import { formatValue, groupEnum } from './format';

describe('formatValue', () => {
  // A browser set to US English (as the end-to-end tests run it).
  beforeEach(() => vi.stubGlobal('navigator', { language: 'en-US', languages: ['en-US'] }));
  afterEach(async () => {
    vi.unstubAllGlobals();
    await i18n.changeLanguage('en');
  });

  it('shows each type readably', () => {
    expect(formatValue(doc, { type: 'utcDateTime' }, '2030-01-02T03:04:05Z')).toBe('Jan 2, 2030, 03:04 UTC');
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1048576)).toBe('1 MB');
    // A measured size reads about, not to the byte.
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1000756)).toBe('977.3 KB');
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1000)).toBe('1,000 B');
    expect(formatValue(doc, { type: 'number', format: 'duration' }, 90000)).toBe('90 s');
    expect(formatValue(doc, { type: 'boolean' }, false)).toBe('No');
    expect(formatValue(doc, { type: 'object', objectName: 'x:ClusterTaskGroup' }, { '@type': 'EnableAll' })).toBe('Enable all tasks');
    expect(formatValue(doc, { type: 'set', class: { type: 'enum', enumName: 'ClusterTaskType' } }, { outboundMta: true })).toBe('Outbound Email MTA');
    expect(formatValue(doc, { type: 'string', format: 'secret' }, 'pw')).toBe('••••••');
    expect(formatValue(doc, undefined, null)).toBe('');
    expect(formatValue(doc, { type: 'number' }, 12345.5)).toBe('12,345.5');
    expect(formatValue(doc, { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } }, { a: 1 })).toBe('1 entry');
  });

  it('reads numbers, sizes, instants and words in German, the schema’s labels as they are', async () => {
    await i18n.loadLanguages('de');
    await i18n.changeLanguage('de');
    expect(formatValue(doc, { type: 'utcDateTime' }, '2030-01-02T03:04:05Z')).toBe('02.01.2030, 03:04 UTC');
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1000756)).toBe('977,3 KB');
    expect(formatValue(doc, { type: 'number', format: 'duration' }, 90000)).toBe('90 s');
    expect(formatValue(doc, { type: 'number' }, 12345.5)).toBe('12.345,5');
    expect(formatValue(doc, { type: 'boolean' }, true)).toBe('Ja');
    expect(formatValue(doc, { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } }, { a: 1, b: 2 })).toBe('2 Einträge');
    expect(formatValue(doc, { type: 'set', class: { type: 'enum', enumName: 'ClusterTaskType' } }, { outboundMta: true })).toBe('Outbound Email MTA');
  });
});

describe('groupEnum', () => {
  it('groups permissions by the object owning their prefix, else by leading word', () => {
    const groups = groupEnum(doc, doc.enums.Permission);
    expect(groups.map((g) => [g.name, g.values.map((v) => v.name)])).toEqual([
      ['Allowed IPs', ['sysAllowedIpGet']],
      ['Email', ['emailSend']],
      ['Role', ['sysRoleGet', 'sysRoleCreate']],
    ]);
  });
});
