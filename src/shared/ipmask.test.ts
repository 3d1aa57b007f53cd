import { describe, expect, it } from 'vitest';
import { canonicalIpMask, maskContains, parseIpMask } from './ipmask';

describe('ip masks', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.7', '192.168.1.7'],
    ['192.168.1.7/32', '192.168.1.7'],
    [' 172.16.0.0/12 ', '172.16.0.0/12'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::1', '::1'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['fe80::1/128', 'fe80::1'],
  ])('%s → %s', (input, want) => {
    expect(canonicalIpMask(input)).toBe(want);
  });

  it.each(['10.0.0.0/99', '10.0.0.0/7', '256.1.1.1', '1.2.3', '01.2.3.4', '::/7', '1::2::3', 'abc', '', '10.0.0.0/', '10.0.0.0/a'])(
    'rejects %j',
    (input) => {
      const r = parseIpMask(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    },
  );

  it('tells whether an address is inside a mask', () => {
    const m = parseIpMask('10.0.0.0/8');
    if (!m.ok) throw new Error('parse');
    expect(maskContains(m.mask, '10.200.3.4')).toBe(true);
    expect(maskContains(m.mask, '::ffff:10.1.1.1')).toBe(true);
    expect(maskContains(m.mask, '11.0.0.1')).toBe(false);
    expect(maskContains(m.mask, '::1')).toBe(false);
  });
});
