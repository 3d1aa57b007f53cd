// Saving sends only what changed: a JMAP PatchObject (RFC 8620 §5.3) of JSON-pointer
// paths. Sets and maps are patched member by member, nested objects field by field;
// a tagged union whose `@type` changed is sent whole (a record whose own `@type` changed,
// a union-typed singleton switched to another backend, sends its new type and every
// value it holds). Object lists are patched item by item: kept items in place, new ones
// at their index, removed ones by their key; only a list changed in several ways is sent whole.
// A secret is never read back, so an empty one means "unchanged" and is never sent.

import { deepEqual, isPlainObject } from '../../shared/equal';
import { encodePointerPart } from '../../shared/jmap/patch';
import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import { propertiesOf } from '../schema/resolve';

export type Patch = Record<string, unknown>;

/** The properties of a nested object value, following the union variant named by `@type`. */
function nestedProperties(doc: SchemaDocument, objectName: string, value: Record<string, unknown>): Record<string, Property> | undefined {
  const shape = doc.schemas[objectName];
  if (!shape) return undefined;
  if (shape.type === 'single') return propertiesOf(doc, shape.schemaName);
  const variant = shape.variants.find((v) => v.name === value['@type']);
  return variant ? propertiesOf(doc, variant.schemaName) : undefined;
}

/** A secret left empty: the person did not type a new one (the old one is never shown). */
function untypedSecret(type: FieldType | undefined, value: unknown): boolean {
  return type?.type === 'string' && (type.format === 'secret' || type.format === 'secretText') && (value === null || value === undefined || value === '');
}

function diff(doc: SchemaDocument, type: FieldType | undefined, before: unknown, after: unknown, path: string, out: Patch): void {
  if (deepEqual(before, after) || untypedSecret(type, after)) return;
  if (!type || !isPlainObject(before) || !isPlainObject(after)) {
    out[path] = after ?? null;
    return;
  }
  switch (type.type) {
    case 'set':
      for (const m of Object.keys(before)) if (!(m in after)) out[`${path}/${encodePointerPart(m)}`] = null;
      for (const m of Object.keys(after)) if (!(m in before)) out[`${path}/${encodePointerPart(m)}`] = true;
      return;
    case 'map':
      for (const k of Object.keys(before)) if (!(k in after)) out[`${path}/${encodePointerPart(k)}`] = null;
      for (const k of Object.keys(after)) {
        if (!deepEqual(before[k], after[k])) out[`${path}/${encodePointerPart(k)}`] = after[k];
      }
      return;
    case 'object': {
      const props = nestedProperties(doc, type.objectName, after);
      if (before['@type'] !== after['@type'] || !props) {
        out[path] = after;
        return;
      }
      diffProperties(doc, props, before, after, path, out);
      return;
    }
    case 'objectList': {
      // Every item keeps its key while edited (forms/widgets/NestedObject.tsx), so an item is
      // the same item before and after: removed ones go by their key (highest first, so a
      // server that renumbers as it removes still finds each), kept ones are patched in place
      // (their secrets, never read back, untouched), new ones added under their own key.
      const removed = Object.keys(before).filter((k) => !(k in after)).sort((a, b) => Number(b) - Number(a));
      for (const k of removed) out[`${path}/${encodePointerPart(k)}`] = null;
      const item: FieldType = { type: 'object', objectName: type.objectName };
      for (const k of Object.keys(after)) {
        if (k in before) diff(doc, item, before[k], after[k], `${path}/${encodePointerPart(k)}`, out);
        else out[`${path}/${encodePointerPart(k)}`] = after[k];
      }
      return;
    }
    // Scalars have no parts.
    case 'string': case 'number': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId': case 'blobId':
      out[path] = after;
      return;
    default: {
      const _: never = type;
      out[path] = after;
    }
  }
}

function diffProperties(
  doc: SchemaDocument, props: Record<string, Property>, before: Record<string, unknown>, after: Record<string, unknown>,
  prefix: string, out: Patch,
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('@type');
  keys.delete('id');
  for (const key of keys) {
    const prop = props[key];
    if (prop && prop.update !== 'mutable') continue;
    if (after[key] === undefined) continue;
    diff(doc, prop?.type, before[key], after[key], prefix ? `${prefix}/${encodePointerPart(key)}` : encodePointerPart(key), out);
  }
}

/**
 * The patch turning `original` into `current`, for the record's mutable properties
 * (immutable and server-set ones are never sent on update).
 */
export function buildPatch(
  doc: SchemaDocument, properties: Record<string, Property>, original: Record<string, unknown>, current: Record<string, unknown>,
): Patch {
  const out: Patch = {};
  const known: Record<string, Property> = {};
  for (const [k, p] of Object.entries(properties)) known[k] = p;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of Object.keys(known)) {
    before[k] = original[k];
    after[k] = current[k];
  }
  const type = current['@type'];
  if (type !== undefined && type !== original['@type']) {
    // Another variant: its type and everything it holds, as a create would send it.
    out['@type'] = type;
    for (const [k, p] of Object.entries(known)) {
      if (p.update !== 'serverSet' && current[k] !== undefined && !untypedSecret(p.type, current[k])) out[k] = current[k];
    }
    return out;
  }
  diffProperties(doc, known, before, after, '', out);
  return out;
}

/** The value sent on create: every client-writable property that has a value. */
export function buildCreate(properties: Record<string, Property>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (values['@type'] !== undefined) out['@type'] = values['@type'];
  for (const [k, p] of Object.entries(properties)) {
    if (p.update === 'serverSet' || values[k] === undefined) continue;
    out[k] = values[k];
  }
  return out;
}
