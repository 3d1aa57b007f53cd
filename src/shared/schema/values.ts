// What stands in for a property nobody gave, and so which properties a writer must give:
// one rule for the server filling a create and the console filling a new form.

import type { FieldType, Property, SchemaDocument } from './types';

/**
 * The value a property takes when it is left out and has no default, or undefined when
 * nothing can stand in for it. Sets, maps and lists start empty, nullable values null, a
 * boolean false (a checkbox is always ticked or not). A non-nullable nested object has
 * none: the writer gives it (a new form starts it from its own initial values, below).
 */
export function emptyValue(doc: SchemaDocument, type: FieldType): unknown {
  switch (type.type) {
    case 'set':
    case 'map':
    case 'objectList':
      return {};
    case 'boolean':
      return false;
    case 'object':
      return type.nullable ? null : undefined;
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

/**
 * A fresh value of `schemaName` (with `@type` for a union variant), as a new form starts:
 * defaults, else empty values, a nested object of one schema its own fresh value, else
 * null for what the writer must fill. A schema that nests itself stops at the first repeat.
 */
export function initialValues(
  doc: SchemaDocument, schemaName: string | undefined, variant?: string, within: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const entry = schemaName ? doc.fields[schemaName] : undefined;
  const defaults = entry?.defaults ?? {};
  const out: Record<string, unknown> = variant ? { '@type': variant } : {};
  const path = schemaName ? new Set([...within, schemaName]) : within;
  for (const [name, prop] of Object.entries(entry?.properties ?? {}) as [string, Property][]) {
    if (prop.update === 'serverSet') continue;
    out[name] = name in defaults ? structuredClone(defaults[name]) : freshValue(doc, prop.type, path);
  }
  return out;
}

function freshValue(doc: SchemaDocument, type: FieldType, within: ReadonlySet<string>): unknown {
  if (type.type === 'object' && !type.nullable) {
    const shape = doc.schemas[type.objectName];
    if (shape?.type === 'single' && !within.has(shape.schemaName)) return initialValues(doc, shape.schemaName, undefined, within);
  }
  return emptyValue(doc, type) ?? null;
}
