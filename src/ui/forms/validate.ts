// Client-side field rules from the schema: required, lengths, ranges, formats, set sizes.
// Returns the first problem as a sentence, or undefined when the value is fine.

import type { FieldType, SchemaDocument } from '../../shared/schema/types';
import { parseIpMask } from '../../shared/ipmask';
import { isPlainObject } from '../lib/equal';
import { DURATION_UNITS, formatWithUnit, SIZE_UNITS } from '../lib/units';
import { defaultsOf, humanize, isRequired, propertiesOf } from '../schema/resolve';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function showNumber(type: Extract<FieldType, { type: 'number' }>, n: number): string {
  if (type.format === 'size') return formatWithUnit(SIZE_UNITS, n);
  if (type.format === 'duration') return formatWithUnit(DURATION_UNITS, n);
  return String(n);
}

function validateString(type: Extract<FieldType, { type: 'string' }>, v: string): string | undefined {
  if (type.maxLength !== undefined && v.length > type.maxLength) return `Use at most ${type.maxLength} characters`;
  if (type.minLength !== undefined && v.length < type.minLength) return `Use at least ${type.minLength} characters`;
  switch (type.format) {
    case 'ipNetwork': {
      const r = parseIpMask(v);
      return r.ok ? undefined : `Enter an IP address or network such as 10.0.0.0/8 (${r.reason})`;
    }
    case 'ipAddress': {
      const r = parseIpMask(v);
      return r.ok && !v.includes('/') ? undefined : 'Enter an IP address such as 192.0.2.1';
    }
    case 'emailAddress':
      return EMAIL.test(v) ? undefined : 'Enter an email address such as name@example.com';
    case 'uri':
      try {
        new URL(v);
        return undefined;
      } catch {
        return 'Enter a full URL such as https://example.com';
      }
    default:
      return undefined;
  }
}

function validateNumber(type: Extract<FieldType, { type: 'number' }>, v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'Enter a number';
  const whole = type.format !== 'float';
  if (whole && !Number.isInteger(v)) return 'Enter a whole number';
  if (type.format === 'unsignedInteger' && v < 0) return 'Enter zero or a positive number';
  if (type.min !== undefined && v < type.min) return `Enter at least ${showNumber(type, type.min)}`;
  if (type.max !== undefined && v > type.max) return `Enter at most ${showNumber(type, type.max)}`;
  return undefined;
}

function validateNested(doc: SchemaDocument, objectName: string, v: Record<string, unknown>): string | undefined {
  const shape = doc.schemas[objectName];
  if (!shape) return undefined;
  let schemaName: string | undefined;
  if (shape.type === 'multiple') {
    const variant = shape.variants.find((x) => x.name === v['@type']);
    if (!variant) return 'Choose an option';
    schemaName = variant.schemaName;
  } else {
    schemaName = shape.schemaName;
  }
  const defaults = defaultsOf(doc, schemaName);
  for (const [name, prop] of Object.entries(propertiesOf(doc, schemaName))) {
    if (prop.update === 'serverSet') continue;
    const problem = validateValue(doc, prop.type, v[name], isRequired(doc, prop.type, name in defaults));
    if (problem) return `${humanize(name)}: ${problem}`;
  }
  return undefined;
}

export function validateValue(doc: SchemaDocument, type: FieldType, value: unknown, required: boolean): string | undefined {
  if (isEmpty(value)) return required ? (type.type === 'object' ? 'Choose an option' : 'This field is required') : undefined;
  switch (type.type) {
    case 'string':
      return typeof value === 'string' ? validateString(type, value) : 'Enter text';
    case 'number':
      return validateNumber(type, value);
    case 'utcDateTime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'Enter a date and time';
    case 'enum': {
      const values = doc.enums[type.enumName];
      return !values || values.some((e) => e.name === value) ? undefined : 'Choose one of the options';
    }
    case 'set':
    case 'objectList': {
      const count = isPlainObject(value) ? Object.keys(value).length : 0;
      if (type.minItems !== undefined && count < type.minItems) {
        const pick = type.type === 'set' && (type.class.type === 'enum' || type.class.type === 'objectId');
        return `${pick ? 'Choose' : 'Add'} at least ${type.minItems}`;
      }
      return undefined;
    }
    case 'object':
      return isPlainObject(value) ? validateNested(doc, type.objectName, value) : undefined;
    default:
      return undefined;
  }
}
