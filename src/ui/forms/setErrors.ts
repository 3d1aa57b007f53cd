// Turns a per-record SetError into words: a message per field where the server named
// fields, and one sentence for the banner.

import type { Property, SchemaDocument } from '../../shared/schema/types';
import type { SetError } from '../jmap/types';
import { REFUSED, validationMessage } from './messages';

export interface DescribedError {
  summary: string;
  fields: Record<string, string>;
}

/** The record's schema, so messages fit each field's type (units, examples, nested names). */
export interface RecordSchema {
  doc: SchemaDocument;
  properties: Record<string, Property>;
}

/** `tasks/taskTypes` → `tasks` and `taskTypes`: errors show on the top-level field that holds the value. */
function split(property: string): [string, string] {
  const i = property.indexOf('/');
  return i < 0 ? [property, ''] : [property.slice(0, i), property.slice(i + 1)];
}

export function describeSetError(error: SetError, singularName = 'record', schema?: RecordSchema): DescribedError {
  const fields: Record<string, string> = {};
  const put = (property: string, message: string) => {
    const [key] = split(property);
    if (!fields[key]) fields[key] = message;
  };
  for (const v of error.validationErrors ?? []) {
    const [key, below] = split(v.property);
    const prop = schema?.properties[key];
    put(key, validationMessage({ ...v, property: below }, prop && schema ? { doc: schema.doc, type: prop.type } : undefined));
  }
  let summary: string;
  switch (error.type) {
    case 'validationFailed':
    case 'invalidProperties':
      summary = 'Some fields need attention.';
      for (const p of error.properties ?? []) put(p, error.description ?? REFUSED);
      break;
    case 'invalidPatch':
      summary = error.description ?? 'The server refused this change.';
      for (const p of error.properties ?? []) put(p, error.description ?? 'This field cannot be changed');
      break;
    case 'primaryKeyViolation':
      summary = `Another ${singularName} already exists with the same value.`;
      for (const p of error.properties ?? []) put(p, `Another ${singularName} already uses this value`);
      break;
    case 'invalidForeignKey':
      summary = 'A referenced record does not exist.';
      for (const p of error.properties ?? []) put(p, 'This refers to a record that does not exist');
      break;
    case 'objectIsLinked':
      summary = `This ${singularName} is still used by other records, so it cannot be deleted.`;
      break;
    case 'forbidden':
      summary = error.description ?? 'You are not allowed to do this.';
      break;
    case 'notFound':
      summary = `This ${singularName} no longer exists.`;
      break;
    default:
      summary = error.description ?? `The server refused: ${error.type}`;
  }
  return { summary, fields };
}

/** Puts the server's per-field messages on the form's own fields (those it shows). */
export function showFieldErrors(
  error: SetError,
  schema: RecordSchema,
  setError: (name: string, e: { message: string }) => void,
  singularName?: string,
): void {
  const { fields } = describeSetError(error, singularName, schema);
  for (const [name, message] of Object.entries(fields)) if (name in schema.properties) setError(name, { message });
}
