import { describe, expect, it } from 'vitest';
import { testSchema as doc } from './testSchema';
import { formatValue, groupEnum } from './format';

describe('formatValue', () => {
  it('shows each type readably', () => {
    expect(formatValue(doc, { type: 'utcDateTime' }, '2030-01-02T03:04:05Z')).toBe('2030-01-02 03:04 UTC');
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1048576)).toBe('1 MB');
    // A measured size reads about, not to the byte.
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1000756)).toBe('977.3 KB');
    expect(formatValue(doc, { type: 'number', format: 'size' }, 1000)).toBe('1000 B');
    expect(formatValue(doc, { type: 'number', format: 'duration' }, 90000)).toBe('90 s');
    expect(formatValue(doc, { type: 'boolean' }, false)).toBe('No');
    expect(formatValue(doc, { type: 'object', objectName: 'x:ClusterTaskGroup' }, { '@type': 'EnableAll' })).toBe('Enable all tasks');
    expect(formatValue(doc, { type: 'set', class: { type: 'enum', enumName: 'ClusterTaskType' } }, { outboundMta: true })).toBe('Outbound Email MTA');
    expect(formatValue(doc, { type: 'string', format: 'secret' }, 'pw')).toBe('••••••');
    expect(formatValue(doc, undefined, null)).toBe('');
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
