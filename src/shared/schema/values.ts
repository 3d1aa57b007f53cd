// What stands in for a property nobody gave, and so which properties a writer must give:
// one rule for the server filling a create and the console filling a new form.

import type { FieldType, Property, SchemaDocument } from './types';

/**
 * The value a property takes when it is left out and has no default, or undefined when
 * nothing can stand in for it. Sets, maps and lists start empty, nullable values null, a
 * boolean false (a checkbox is always ticked or not), and a nested object of one schema its
 * own initial values. A non-nullable union has none: only the writer can pick its variant.
 */
export function emptyValue(doc: SchemaDocument, type: FieldType): unknown {
  switch (type.type) {
    case 'set':
    case 'map':
    case 'objectList':
      return {};
    case 'boolean':
      return false;
    case 'object': {
      if (type.nullable) return null;
      const shape = doc.schemas[type.objectName];
      return shape?.type === 'single' ? initialValues(doc, shape.schemaName) : undefined;
    }
    case 'string':
    case 'number':
    case 'utcDateTime':
    case 'enum':
    case 'objectId':
      return type.nullable ? null : undefined;
    case 'blobId':
      return undefined;
    default: {
      const _: never = type;
      return undefined;
    }
  }
}

/**
 * design/schema-format.md: a field is required when it is not nullable and has no default,
 * unless it has an empty value to stand in for it (see emptyValue).
 */
export function isRequired(doc: SchemaDocument, type: FieldType, hasDefault: boolean): boolean {
  return !hasDefault && emptyValue(doc, type) === undefined;
}

/** A fresh value of `schemaName` (with `@type` for a union variant): defaults, else empty values, else null for what the writer must fill. */
export function initialValues(doc: SchemaDocument, schemaName: string | undefined, variant?: string): Record<string, unknown> {
  const entry = schemaName ? doc.fields[schemaName] : undefined;
  const defaults = entry?.defaults ?? {};
  const out: Record<string, unknown> = variant ? { '@type': variant } : {};
  for (const [name, prop] of Object.entries(entry?.properties ?? {}) as [string, Property][]) {
    if (prop.update === 'serverSet') continue;
    out[name] = name in defaults ? structuredClone(defaults[name]) : emptyValue(doc, prop.type) ?? null;
  }
  return out;
}
