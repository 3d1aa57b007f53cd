// Initial values of a new record, built from the schema's defaults and field types.

import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import { defaultsOf, propertiesOf } from '../schema/resolve';

/** An empty value of a type, as the wire would carry it. Unions start with no variant chosen. */
export function emptyValue(doc: SchemaDocument, type: FieldType): unknown {
  switch (type.type) {
    case 'boolean':
      return false;
    case 'set':
    case 'map':
    case 'objectList':
      return {};
    case 'object': {
      if (type.nullable) return null;
      const shape = doc.schemas[type.objectName];
      if (shape?.type === 'single') return initialValues(doc, shape.schemaName);
      return null;
    }
    default:
      return null;
  }
}

/** A fresh record of `schemaName`: its defaults, else each property's empty value. */
export function initialValues(doc: SchemaDocument, schemaName: string | undefined, variant?: string): Record<string, unknown> {
  const defaults = defaultsOf(doc, schemaName);
  const out: Record<string, unknown> = variant ? { '@type': variant } : {};
  for (const [name, prop] of Object.entries(propertiesOf(doc, schemaName) as Record<string, Property>)) {
    if (prop.update === 'serverSet') continue;
    out[name] = name in defaults ? structuredClone(defaults[name]) : emptyValue(doc, prop.type);
  }
  return out;
}

/** The value a union takes when the user picks `variant`, keeping fields the variants share. */
export function switchVariant(doc: SchemaDocument, objectName: string, previous: unknown, variant: string): Record<string, unknown> {
  const shape = doc.schemas[objectName];
  const schemaName = shape?.type === 'multiple' ? shape.variants.find((v) => v.name === variant)?.schemaName : undefined;
  const next = initialValues(doc, schemaName, variant);
  if (previous && typeof previous === 'object') {
    for (const k of Object.keys(next)) {
      if (k !== '@type' && k in previous) next[k] = (previous as Record<string, unknown>)[k];
    }
  }
  return next;
}
