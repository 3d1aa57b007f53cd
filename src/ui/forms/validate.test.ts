import { describe, expect, it } from 'vitest';
import { testSchema as doc } from '../schema/testSchema';
import { validateValue } from './validate';
import { initialValues, switchVariant } from './values';

const ip = { type: 'string', format: 'ipNetwork' } as const;

describe('validateValue', () => {
  it('checks IP networks before anything is sent', () => {
    expect(validateValue(doc, ip, '10.0.0.0/8', true)).toBeUndefined();
    expect(validateValue(doc, ip, '2001:db8::/32', true)).toBeUndefined();
    expect(validateValue(doc, ip, '10.0.0.0/99', true)).toMatch(/prefix/);
    expect(validateValue(doc, ip, '10.0.0.300', true)).toMatch(/not a valid/);
    expect(validateValue(doc, ip, '', true)).toBe('This field is required');
    expect(validateValue(doc, ip, null, false)).toBeUndefined();
  });

  it('checks lengths, ranges and whole numbers', () => {
    expect(validateValue(doc, { type: 'string', maxLength: 3 }, 'abcd', false)).toMatch(/at most 3/);
    expect(validateValue(doc, { type: 'number', format: 'duration', min: 1000 }, 500, true)).toBe('Enter at least 1 s');
    expect(validateValue(doc, { type: 'number', format: 'integer' }, 1.5, true)).toBe('Enter a whole number');
    expect(validateValue(doc, { type: 'number', format: 'unsignedInteger' }, -1, true)).toMatch(/positive/);
    expect(validateValue(doc, { type: 'number', format: 'float', max: 1 }, 0.5, true)).toBeUndefined();
  });

  it('checks formats and enums', () => {
    expect(validateValue(doc, { type: 'string', format: 'emailAddress' }, 'a@b', false)).toMatch(/email/);
    expect(validateValue(doc, { type: 'string', format: 'uri' }, 'https://x.org', false)).toBeUndefined();
    expect(validateValue(doc, { type: 'enum', enumName: 'ClusterTaskType' }, 'nope', true)).toMatch(/options/);
  });

  it('requires a variant for a union and validates the variant fields', () => {
    const tasks = { type: 'object', objectName: 'x:ClusterTaskGroup' } as const;
    expect(validateValue(doc, tasks, null, true)).toBe('Choose an option');
    expect(validateValue(doc, tasks, { '@type': 'EnableAll' }, true)).toBeUndefined();
    expect(validateValue(doc, { type: 'set', class: { type: 'string' }, minItems: 1 }, {}, false)).toMatch(/at least 1/);
  });

  it('names the nested property in error, and checks set members by their type', () => {
    const limits = { type: 'object', objectName: 'x:Limits' } as const;
    expect(validateValue(doc, limits, { maxConnections: -1 }, false)).toBe('Max connections: Enter zero or a positive number');
    const masks = { type: 'set', class: { type: 'string', format: 'ipNetwork' } } as const;
    expect(validateValue(doc, masks, { '10.0.0.0/99': true }, false)).toMatch(/^Enter an IP address or network such as 10\.0\.0\.0\/8 \(.*prefix/);
    expect(validateValue(doc, { type: 'string' }, 'x'.repeat(1025), false)).toBe('Use at most 1,024 characters');
  });
});

describe('initial values', () => {
  it('uses defaults, empty sets and nested single objects, and skips server-set fields', () => {
    expect(initialValues(doc, 'x:SystemSettings')).toEqual({ hostname: null, timeout: 30000, limits: { maxConnections: 100 }, headers: {} });
    expect(initialValues(doc, 'x:AllowedIp')).toEqual({ address: null, reason: null, expiresAt: null });
  });

  it('switches a union variant keeping the fields both variants share', () => {
    const prev = { '@type': 'EnableSome', taskTypes: { outboundMta: true } };
    expect(switchVariant(doc, 'x:ClusterTaskGroup', prev, 'DisableSome')).toEqual({ '@type': 'DisableSome', taskTypes: { outboundMta: true } });
    expect(switchVariant(doc, 'x:ClusterTaskGroup', prev, 'EnableAll')).toEqual({ '@type': 'EnableAll' });
  });
});
