// The values a form holds and the version they came from; values of a new record or a
// newly picked union variant (the empty values themselves are the shared rule the server
// fills creates with).

import { isPlainObject } from '../../shared/equal';
import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import { initialValues } from '../../shared/schema/values';

export { initialValues };

export type Values = Record<string, unknown>;

/** One version of a record: its values and the state they were read at (when known). */
export interface Version {
  values: Values;
  state?: string;
}

/** `fresh` with the values of `from` for every field they share (not `@type`). */
export function carryOver(fresh: Values, from: Values): Values {
  const next = { ...fresh };
  for (const k of Object.keys(next)) if (k !== '@type' && k in from) next[k] = from[k];
  return next;
}

/** The value a union takes when the user picks `variant`, keeping fields the variants share. */
export function switchVariant(doc: SchemaDocument, objectName: string, previous: unknown, variant: string): Record<string, unknown> {
  const shape = doc.schemas[objectName];
  const schemaName = shape?.type === 'multiple' ? shape.variants.find((v) => v.name === variant)?.schemaName : undefined;
  const next = initialValues(doc, schemaName, variant);
  if (isPlainObject(previous)) {
    for (const k of Object.keys(next)) if (k !== '@type' && k in previous) next[k] = previous[k];
  }
  return next;
}

function isSecretType(type: FieldType | undefined): boolean {
  return type?.type === 'string' && (type.format === 'secret' || type.format === 'secretText');
}

/** The properties of a nested value of `objectName`, following its `@type` in a union. */
export function nestedPropertiesOf(doc: SchemaDocument, objectName: string, value: Record<string, unknown>): Record<string, Property> {
  const shape = doc.schemas[objectName];
  if (!shape) return {};
  const schemaName = shape.type === 'single' ? shape.schemaName : shape.variants.find((v) => v.name === value['@type'])?.schemaName;
  return (schemaName && doc.fields[schemaName]?.properties) || {};
}

function hideIn(doc: SchemaDocument, type: FieldType, value: unknown): unknown {
  if (isSecretType(type)) return value === undefined ? value : null;
  if (type.type === 'object' && isPlainObject(value)) return hideSecrets(doc, nestedPropertiesOf(doc, type.objectName, value), value);
  if (type.type === 'objectList' && isPlainObject(value)) {
    const item: FieldType = { type: 'object', objectName: type.objectName };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideIn(doc, item, v)]));
  }
  return value;
}

/**
 * A record as the form shows it: secrets (here and in nested objects and lists) empty,
 * whatever the server sent for them. A secret is never echoed back; it is sent only
 * when the person types a new one (patch.ts leaves an empty one out).
 */
export function hideSecrets(doc: SchemaDocument, properties: Record<string, Property>, values: Values): Values {
  const out: Values = { ...values };
  for (const [name, p] of Object.entries(properties)) if (name in out) out[name] = hideIn(doc, p.type, out[name]);
  return out;
}

/** Whether `path` (a validation error's, `credentials/0/secret`) inside a value of `type` names a secret. */
export function isSecretPath(doc: SchemaDocument, type: FieldType, value: unknown, path: string): boolean {
  const [head, ...rest] = path.split('/');
  if (head === undefined || head === '') return isSecretType(type);
  if (type.type === 'objectList' && isPlainObject(value)) return isSecretPath(doc, { type: 'object', objectName: type.objectName }, value[head], rest.join('/'));
  if (type.type === 'object' && isPlainObject(value)) {
    const p = nestedPropertiesOf(doc, type.objectName, value)[head];
    return !!p && isSecretPath(doc, p.type, value[head], rest.join('/'));
  }
  return false;
}
