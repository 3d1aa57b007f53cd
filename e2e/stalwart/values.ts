// Checking a record against the stand-in's schema, as a Stalwart server does on /set:
// every value of the right type, required ones present, unions naming a known variant,
// references pointing at records that exist, read-only values left alone. Secrets are
// stored hashed and never read back.

import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FieldType, Property } from '../../src/shared/schema/types';
import { SCHEMA } from './schema';

export interface ValidationIssue {
  type: 'Required' | 'Invalid' | 'MaxLength' | 'Min' | 'Max' | 'MinItems';
  property: string;
  value?: unknown;
  required?: unknown;
}

/** What went wrong with one record: the first non-empty group becomes its SetError. */
export class Problems {
  unknown: string[] = [];
  readOnly: string[] = [];
  foreignKeys: string[] = [];
  issues: ValidationIssue[] = [];
  get any(): boolean {
    return this.unknown.length + this.readOnly.length + this.foreignKeys.length + this.issues.length > 0;
  }
  setError(): Record<string, unknown> {
    if (this.unknown.length) return { type: 'invalidProperties', description: `Unknown or server-set properties: ${this.unknown.join(', ')}`, properties: this.unknown };
    if (this.readOnly.length) return { type: 'invalidPatch', description: 'Cannot modify read-only property', properties: this.readOnly };
    if (this.issues.length) return { type: 'validationFailed', validationErrors: this.issues };
    return { type: 'invalidForeignKey', properties: this.foreignKeys };
  }
}

export type Exists = (objectName: string, id: string) => boolean;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A light scrypt (a test server checks Basic credentials on every request). */
const COST = { N: 1024, r: 8, p: 1 };

export function hashSecret(secret: string): string {
  const salt = randomBytes(12);
  return `$scrypt$${salt.toString('base64')}$${scryptSync(secret, salt, 32, COST).toString('base64')}`;
}

export function secretMatches(stored: unknown, secret: string): boolean {
  if (typeof stored !== 'string' || !stored.startsWith('$scrypt$')) return false;
  const [, , salt, hash] = stored.split('$');
  const expected = Buffer.from(hash, 'base64');
  const got = scryptSync(secret, Buffer.from(salt, 'base64'), expected.length, COST);
  return timingSafeEqual(expected, got);
}

const isSecret = (t: FieldType) => t.type === 'string' && (t.format === 'secret' || t.format === 'secretText');

/** The schema name a value of `objectName` uses (by its `@type` for a union), or null when its `@type` is not a variant. */
export function schemaNameOf(objectName: string, value: Obj): { schemaName?: string; variant?: string } | null {
  const shape = SCHEMA.schemas[objectName];
  if (!shape) return null;
  if (shape.type === 'single') return { schemaName: shape.schemaName };
  const v = shape.variants.find((x) => x.name === value['@type']);
  return v ? { schemaName: v.schemaName, variant: v.name } : null;
}

export function propertiesOf(schemaName: string | undefined): Record<string, Property> {
  return (schemaName && SCHEMA.fields[schemaName]?.properties) || {};
}

/** A value's serverSet properties are filled by the caller; `old` is the stored value when updating. */
export function normalize(objectName: string, input: Obj, old: Obj | undefined, path: string, mode: 'create' | 'update', out: Problems, exists: Exists): Obj {
  const which = schemaNameOf(objectName, input);
  if (!which) {
    out.issues.push({ type: 'Invalid', property: `${path}@type`, value: input['@type'] ?? null });
    return {};
  }
  const sameVariant = old && old['@type'] === input['@type'] ? old : undefined;
  const props = propertiesOf(which.schemaName);
  const defaults = (which.schemaName && SCHEMA.fields[which.schemaName]?.defaults) || {};
  const result: Obj = which.variant ? { '@type': which.variant } : {};
  for (const key of Object.keys(input)) if (key !== '@type' && !(key in props)) out.unknown.push(path + key);
  for (const [key, prop] of Object.entries(props)) {
    const here = path + key;
    const has = key in input;
    const before = sameVariant?.[key];
    if (prop.update === 'serverSet') {
      if (has && (mode === 'create' || JSON.stringify(input[key]) !== JSON.stringify(before))) (mode === 'create' ? out.unknown : out.readOnly).push(here);
      if (before !== undefined) result[key] = before;
      continue;
    }
    if (prop.update === 'immutable' && mode === 'update' && sameVariant && has && JSON.stringify(input[key]) !== JSON.stringify(before)) {
      out.readOnly.push(here);
      continue;
    }
    if (!has) {
      // A secret is never read back, so an unchanged one is simply left out.
      if (before !== undefined && isSecret(prop.type)) result[key] = before;
      else if (key in defaults) result[key] = structuredClone(defaults[key]);
      else if ('nullable' in prop.type && prop.type.nullable) result[key] = null;
      else if (['objectList', 'set', 'map'].includes(prop.type.type) && !('minItems' in prop.type && prop.type.minItems)) result[key] = {};
      else out.issues.push({ type: 'Required', property: here });
      continue;
    }
    result[key] = value(prop.type, input[key], before, here, mode, out, exists);
  }
  return result;
}

/** The stored item a list item stands for: the one with its server-given id, else the one at its place. */
function sameItem(objectName: string, item: Obj, olds: Obj[], index: number): Obj | undefined {
  const ids = Object.entries(propertiesOf(schemaNameOf(objectName, item)?.schemaName)).filter(([k, p]) => p.update === 'serverSet' && typeof item[k] === 'string');
  if (ids.length) return olds.find((o) => ids.some(([k]) => o[k] === item[k]));
  return olds[index];
}

function value(t: FieldType, v: unknown, before: unknown, here: string, mode: 'create' | 'update', out: Problems, exists: Exists): unknown {
  const bad = () => (out.issues.push({ type: 'Invalid', property: here, value: v }), v);
  if (v === null) return 'nullable' in t && t.nullable ? null : bad();
  switch (t.type) {
    case 'string': {
      if (typeof v !== 'string') return bad();
      if (t.maxLength && v.length > t.maxLength) out.issues.push({ type: 'MaxLength', property: here, required: t.maxLength });
      if (isSecret(t)) return v === before ? v : v === '' ? bad() : hashSecret(v);
      if (t.format === 'emailAddress' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) return bad();
      if (t.format === 'ipAddress' && !isIP(v)) return bad();
      if (t.format === 'uri' && !URL.canParse(v)) return bad();
      if ((!t.format || t.format === 'string') && v.trim() === '' && !t.nullable) return bad();
      return v;
    }
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad();
      if (t.format !== 'float' && !Number.isInteger(v)) return bad();
      if (['unsignedInteger', 'size', 'duration'].includes(t.format ?? '') && v < 0) return bad();
      if (t.min !== undefined && v < t.min) out.issues.push({ type: 'Min', property: here, required: t.min });
      if (t.max !== undefined && v > t.max) out.issues.push({ type: 'Max', property: here, required: t.max });
      return v;
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : bad();
    case 'utcDateTime': {
      if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) || Number.isNaN(Date.parse(v))) return bad();
      return new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'enum':
      return typeof v === 'string' && SCHEMA.enums[t.enumName]?.some((e) => e.name === v) ? v : bad();
    case 'objectId':
      if (typeof v !== 'string') return bad();
      if (!exists(t.objectName, v)) out.foreignKeys.push(here);
      return v;
    case 'blobId':
      return typeof v === 'string' ? v : bad();
    case 'object':
      return isObj(v) ? normalize(t.objectName, v, isObj(before) ? before : undefined, `${here}/`, mode, out, exists) : bad();
    case 'objectList': {
      const items = Array.isArray(v) ? v : isObj(v) ? Object.keys(v).sort((a, b) => Number(a) - Number(b)).map((k) => v[k]) : null;
      if (!items) return bad();
      if (t.minItems && items.length < t.minItems) out.issues.push({ type: 'MinItems', property: here, required: t.minItems });
      const olds = isObj(before) ? Object.values(before).filter(isObj) : [];
      return Object.fromEntries(
        items.map((item, i) => [String(i), isObj(item) ? normalize(t.objectName, item, sameItem(t.objectName, item, olds, i), `${here}/${i}/`, mode, out, exists) : bad()]),
      );
    }
    case 'set': {
      const members = Array.isArray(v) ? v : isObj(v) ? Object.keys(v).filter((k) => v[k] === true) : null;
      if (!members || (isObj(v) && Object.values(v).some((x) => x !== true))) return bad();
      if (t.minItems && members.length < t.minItems) out.issues.push({ type: 'MinItems', property: here, required: t.minItems });
      return Object.fromEntries(members.map((m, i) => [String(value(t.class, m, undefined, `${here}/${i}`, mode, out, exists)), true]));
    }
    case 'map': {
      if (!isObj(v)) return bad();
      const result: Obj = {};
      for (const [k, x] of Object.entries(v)) {
        if (t.keyClass.type === 'enum' && !SCHEMA.enums[t.keyClass.enumName]?.some((e) => e.name === k)) out.issues.push({ type: 'Invalid', property: `${here}/${k}`, value: k });
        result[k] = value(t.valueClass, x, isObj(before) ? before[k] : undefined, `${here}/${k}`, mode, out, exists);
      }
      return result;
    }
  }
}

/** A stored value as a client sees it: secrets left out, at every depth. */
export function readable(objectName: string, stored: Obj): Obj {
  const which = schemaNameOf(objectName, stored);
  const props = propertiesOf(which?.schemaName);
  const out: Obj = {};
  for (const [k, v] of Object.entries(stored)) {
    const t = props[k]?.type;
    if (t && isSecret(t)) continue;
    out[k] = t ? readableValue(t, v) : v;
  }
  return out;
}

function readableValue(t: FieldType, v: unknown): unknown {
  if (!isObj(v)) return v;
  if (t.type === 'object') return readable(t.objectName, v);
  if (t.type === 'objectList') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isObj(x) ? readable(t.objectName, x) : x]));
  if (t.type === 'map') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readableValue(t.valueClass, x)]));
  return v;
}
