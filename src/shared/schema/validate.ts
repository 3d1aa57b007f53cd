// Validation and normalisation of values against the schema document. The server
// validates every write with it and the console runs the same checks before sending.

import { isPlainObject, type Obj } from '../equal';
import { canonicalIpMask, parseIpMask } from '../ipmask';
import type { FieldType, FieldsEntry, SchemaDocument } from './types';
import { emptyValue } from './values';

export type ValidationErrorType =
  | 'Required' | 'Invalid' | 'MaxLength' | 'MinLength' | 'Min' | 'Max' | 'MinItems';

export interface ValidationError {
  type: ValidationErrorType;
  /** Path of the property inside the record, JSON-pointer style (`tasks/taskTypes`). */
  property: string;
  description: string;
  value?: unknown;
  required?: number;
}

export interface Reference {
  property: string;
  objectName: string;
  id: string;
}

export interface ObjectCheck {
  value: Record<string, unknown>;
  errors: ValidationError[];
  /** Properties the schema does not know. */
  unknown: string[];
  references: Reference[];
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
/**
 * local@domain with a dot in the domain, as mail between machines needs. No spaces, nor the
 * characters that separate or quote addresses (`, ; " \ < > ( ) [ ]`): an address travels
 * as one item in lists of addresses (a Postfix alias answer, a header).
 */
const EMAIL_PATTERN = /^[^\s@,;"\\<>()[\]]+@[^\s@,;"\\<>()[\]]+\.[^\s@,;"\\<>()[\]]+$/;
const DEFAULT_MAX_STRING = 1024;
const DEFAULT_MAX_TEXT = 65536;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A moment as the wire's UTCDateTime: `2026-11-21T15:04:05Z` (whole seconds). */
export function utcDateTime(date: Date = new Date()): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2024-01-02T03:04:05+02:00` → `2024-01-02T01:04:05Z`; null when not an RFC 3339 date-time. */
export function normalizeUtcDateTime(input: string): string | null {
  const m = DATE_PATTERN.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const probe = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  if (probe.getUTCMonth() !== +mo - 1 || probe.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return null;
  const t = Date.parse(input.trim().replace(' ', 'T'));
  if (Number.isNaN(t)) return null;
  return utcDateTime(new Date(t));
}

/** The properties of the record schema behind `objectName` (a view resolves to its parent). */
export function fieldsFor(doc: SchemaDocument, objectName: string, variant?: string): FieldsEntry | null {
  const obj = doc.objects[objectName];
  const name = obj?.type === 'view' && obj.objectName ? obj.objectName : objectName;
  const schema = doc.schemas[name];
  if (!schema) return doc.fields[name] ?? null;
  if (schema.type === 'single') return doc.fields[schema.schemaName] ?? null;
  const v = schema.variants.find((x) => x.name === variant);
  if (!v) return null;
  return v.schemaName ? doc.fields[v.schemaName] ?? { properties: {} } : { properties: {} };
}

export class Validator {
  readonly errors: ValidationError[] = [];
  readonly unknown: string[] = [];
  readonly references: Reference[] = [];

  /** Resolves `#creationId` references (RFC 8620 §5.3) to real ids; null when unknown. */
  constructor(readonly doc: SchemaDocument, private readonly resolveRef?: (creationId: string) => string | null) {}

  private fail(type: ValidationErrorType, property: string, description: string, extra: Partial<ValidationError> = {}) {
    this.errors.push({ type, property, description, ...extra });
    return undefined;
  }

  /** Checks an object-typed value (`object` field, list item, or a whole record). */
  object(objectName: string, input: unknown, path: string, nullable = false): Obj | null | undefined {
    if (input === null && nullable) return null;
    if (!isPlainObject(input)) return this.fail('Invalid', path, 'Expected an object', { value: input });
    const schema = this.doc.schemas[objectName];
    const out: Obj = {};
    let entry: FieldsEntry | null;
    if (schema?.type === 'multiple') {
      const tag = input['@type'];
      const variant = schema.variants.find((v) => v.name === tag);
      if (!variant) {
        const names = schema.variants.map((v) => v.name).join(', ');
        return tag === undefined
          ? this.fail('Required', join(path, '@type'), `"@type" is required: one of ${names}`)
          : this.fail('Invalid', join(path, '@type'), `"@type" must be one of ${names}`, { value: tag });
      }
      out['@type'] = variant.name;
      entry = variant.schemaName ? this.doc.fields[variant.schemaName] ?? { properties: {} } : { properties: {} };
    } else {
      entry = fieldsFor(this.doc, objectName);
    }
    if (!entry) return this.fail('Invalid', path, `Unknown type ${objectName}`);
    for (const key of Object.keys(input)) {
      if (key === '@type' && schema?.type === 'multiple') continue;
      if (!Object.hasOwn(entry.properties, key)) this.unknown.push(join(path, key));
    }
    for (const [name, prop] of Object.entries(entry.properties)) {
      const hasDefault = entry.defaults !== undefined && name in entry.defaults;
      let v = input[name];
      if (v === undefined) {
        if (prop.update === 'serverSet') continue;
        v = hasDefault ? structuredClone(entry.defaults![name]) : emptyValue(this.doc, prop.type);
        if (v === undefined) {
          this.fail('Required', join(path, name), `${name} is required`);
          continue;
        }
      }
      const r = this.value(prop.type, v, join(path, name));
      if (r !== undefined) out[name] = r;
    }
    return out;
  }

  /** Checks and normalises one value; undefined means an error was recorded. */
  value(type: FieldType, v: unknown, path: string): unknown {
    if (v === null) {
      if (type.type === 'set' || type.type === 'map' || type.type === 'objectList') return {};
      if ('nullable' in type && type.nullable) return null;
      return this.fail('Required', path, `${lastPart(path)} is required`);
    }
    switch (type.type) {
      case 'string': return this.string(type, v, path);
      case 'number': return this.number(type, v, path);
      case 'boolean':
        return typeof v === 'boolean' ? v : this.fail('Invalid', path, 'Expected true or false', { value: v });
      case 'utcDateTime': {
        const d = typeof v === 'string' ? normalizeUtcDateTime(v) : null;
        return d ?? this.fail('Invalid', path, 'Expected a date-time such as 2026-01-31T12:00:00Z', { value: v });
      }
      case 'enum': {
        const values = this.doc.enums[type.enumName] ?? [];
        return typeof v === 'string' && values.some((e) => e.name === v)
          ? v
          : this.fail('Invalid', path, `Not a value of ${type.enumName}`, { value: v });
      }
      case 'objectId': {
        if (typeof v === 'string' && v.startsWith('#') && this.resolveRef) {
          const id = this.resolveRef(v.slice(1));
          if (id === null) return this.fail('Invalid', path, `Unknown creation id ${v}`, { value: v });
          v = id;
        }
        if (typeof v !== 'string' || !(ID_PATTERN.test(v))) return this.fail('Invalid', path, 'Expected an id', { value: v });
        this.references.push({ property: path, objectName: type.objectName, id: v });
        return v;
      }
      case 'blobId':
        return typeof v === 'string' && ID_PATTERN.test(v) ? v : this.fail('Invalid', path, 'Expected a blob id', { value: v });
      case 'object': return this.object(type.objectName, v, path, type.nullable);
      case 'objectList': {
        const items = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : isPlainObject(v) ? listItems(v) : null;
        if (!items) return this.fail('Invalid', path, 'Expected a list keyed "0", "1", …', { value: v });
        if (type.minItems && items.length < type.minItems) {
          return this.fail('MinItems', path, `At least ${type.minItems} item(s) required`, { required: type.minItems });
        }
        // Stored renumbered 0…n-1; errors name an item by the key it was given (a form keeps
        // its keys while items are removed, so that is where the message belongs).
        const out: Obj = {};
        items.forEach(([key, item], i) => {
          const r = this.object(type.objectName, item, join(path, key));
          if (r !== undefined) out[String(i)] = r;
        });
        return out;
      }
      case 'set': {
        let members: unknown[];
        if (Array.isArray(v)) members = v;
        else if (isPlainObject(v)) {
          const bad = Object.entries(v).find(([, flag]) => flag !== true);
          if (bad) return this.fail('Invalid', join(path, bad[0]), 'Set members must be true', { value: bad[1] });
          members = Object.keys(v);
        } else return this.fail('Invalid', path, 'Expected a set: {"member": true, …}', { value: v });
        const out: Obj = {};
        for (const m of members) {
          const r = this.value(type.class, m, path);
          if (r !== undefined && r !== null) put(out, String(r), true);
        }
        if (type.minItems && Object.keys(out).length < type.minItems) {
          return this.fail('MinItems', path, `At least ${type.minItems} item(s) required`, { required: type.minItems });
        }
        return out;
      }
      case 'map': {
        if (!isPlainObject(v)) return this.fail('Invalid', path, 'Expected an object', { value: v });
        const out: Obj = {};
        for (const [k, val] of Object.entries(v)) {
          const key = this.value(type.keyClass, k, path);
          const r = this.value(type.valueClass, val, join(path, k));
          if (key !== undefined && r !== undefined) put(out, String(key), r);
        }
        return out;
      }
      default: {
        const _: never = type;
        return this.fail('Invalid', path, 'Unknown field type');
      }
    }
  }

  private string(type: Extract<FieldType, { type: 'string' }>, v: unknown, path: string): unknown {
    if (typeof v !== 'string') return this.fail('Invalid', path, 'Expected a string', { value: v });
    const max = type.maxLength ?? (type.format === 'text' || type.format === 'html' || type.format === 'secretText' ? DEFAULT_MAX_TEXT : DEFAULT_MAX_STRING);
    if (v.length > max) return this.fail('MaxLength', path, `At most ${max} characters`, { required: max });
    if (type.minLength && v.length < type.minLength) {
      return this.fail('MinLength', path, `At least ${type.minLength} characters`, { required: type.minLength });
    }
    switch (type.format) {
      case 'ipNetwork': {
        const r = parseIpMask(v);
        return r.ok ? canonicalIpMask(v) : this.fail('Invalid', path, r.reason, { value: v });
      }
      case 'ipAddress': {
        const r = parseIpMask(v);
        return r.ok && !v.includes('/') ? canonicalIpMask(v) : this.fail('Invalid', path, 'Expected a single IP address', { value: v });
      }
      case 'emailAddress':
        return EMAIL_PATTERN.test(v) ? v : this.fail('Invalid', path, 'Expected an email address', { value: v });
      case 'socketAddress': {
        const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v);
        const ok = m && +m[3] <= 65535 && parseIpMask(m[1] ?? m[2]).ok && !(m[1] ?? m[2]).includes('/');
        return ok ? v : this.fail('Invalid', path, 'Expected an address and port, e.g. 0.0.0.0:143 or [::]:993', { value: v });
      }
      case 'uri':
        try {
          new URL(v);
          return v;
        } catch {
          return this.fail('Invalid', path, 'Expected a URL', { value: v });
        }
      case 'color':
        return /^#[0-9a-fA-F]{6}$/.test(v) ? v : this.fail('Invalid', path, 'Expected a colour like #12abef', { value: v });
      case 'loginName': {
        if (v === '') return this.fail('Required', path, `${lastPart(path)} is required`);
        const problem = loginNameProblem(v);
        return problem ? this.fail('Invalid', path, problem, { value: v }) : v;
      }
      default:
        if ((type.format ?? 'string') === 'string' && !type.nullable && v.trim() === '' && !type.minLength) {
          // A required single-line string that is blank is as good as missing.
          return this.fail('Required', path, `${lastPart(path)} is required`);
        }
        return v;
    }
  }

  private number(type: Extract<FieldType, { type: 'number' }>, v: unknown, path: string): unknown {
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail('Invalid', path, 'Expected a number', { value: v });
    const integer = type.format !== 'float';
    if (integer && !Number.isSafeInteger(v)) return this.fail('Invalid', path, 'Expected a whole number', { value: v });
    const min = type.min ?? (type.format && type.format !== 'integer' && type.format !== 'float' ? 0 : undefined);
    if (min !== undefined && v < min) return this.fail('Min', path, `Must be at least ${min}`, { required: min, value: v });
    if (type.max !== undefined && v > type.max) return this.fail('Max', path, `Must be at most ${type.max}`, { required: type.max, value: v });
    return v;
  }
}

/**
 * Why a login name is refused, in words for the person typing it, or null when it is fine.
 * Login names travel to mail clients and daemons (IMAP LOGIN, SASL, Dovecot's passdb) that
 * treat spaces, quotes and other punctuation differently, so only characters every one of
 * them takes as-is are allowed; the dots rule keeps names usable as an address's local part.
 */
export function loginNameProblem(v: string): string | null {
  const bad = [...new Set(v.replace(/[A-Za-z0-9._+@-]/g, ''))];
  if (bad.length) {
    const named = [...new Set(bad.map((c) => (/\s/.test(c) ? 'spaces' : JSON.stringify(c))))];
    return `A login name cannot contain ${named.join(', ')}: use letters (a–z, A–Z), digits and . _ - + @`;
  }
  if (v.startsWith('.') || v.endsWith('.') || v.includes('..')) {
    return 'A login name cannot start or end with a dot, nor have two dots in a row';
  }
  return null;
}

/** Sets an own member even for keys like "__proto__" (set members and map keys come from clients). */
function put(o: Obj, key: string, value: unknown) {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function listItems(v: Obj): (readonly [string, unknown])[] | null {
  const keys = Object.keys(v);
  if (!keys.every((k) => /^\d+$/.test(k))) return null;
  return keys.sort((a, b) => +a - +b).map((k) => [k, v[k]] as const);
}

function join(path: string, key: string): string {
  return path ? `${path}/${key}` : key;
}

function lastPart(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Validates a whole record of `objectName` as a client would write it. */
export function checkObject(
  doc: SchemaDocument,
  objectName: string,
  input: unknown,
  resolveRef?: (creationId: string) => string | null,
): ObjectCheck {
  const v = new Validator(doc, resolveRef);
  const value = v.object(objectName, input, '') ?? {};
  return { value, errors: v.errors, unknown: v.unknown, references: v.references };
}

/** Validates one value of `type`; the console checks each field with it before sending. */
export function checkValue(doc: SchemaDocument, type: FieldType, value: unknown, path = ''): ValidationError[] {
  const v = new Validator(doc);
  v.value(type, value, path);
  return v.errors;
}
