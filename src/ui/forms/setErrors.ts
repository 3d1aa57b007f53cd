// Turns a per-record SetError into words: a message per field where the server named
// fields, and one sentence for the banner.

import type { SetError, ValidationError } from '../jmap/types';

export interface DescribedError {
  summary: string;
  fields: Record<string, string>;
}

function validationMessage(v: ValidationError): string {
  switch (v.type) {
    case 'Required':
      return 'This field is required';
    case 'MaxLength':
      return `Use at most ${String(v.required)} characters`;
    case 'MinLength':
      return `Use at least ${String(v.required)} characters`;
    case 'Invalid':
      return 'The server did not accept this value';
    default:
      return v.required !== undefined ? `${v.type} (expected ${String(v.required)})` : v.type.replace(/([a-z])([A-Z])/g, '$1 $2');
  }
}

/** `tasks/taskTypes` → `tasks`: errors show on the top-level field that holds the value. */
function topLevel(property: string): string {
  return property.split('/')[0];
}

export function describeSetError(error: SetError, singularName = 'record'): DescribedError {
  const fields: Record<string, string> = {};
  const put = (property: string, message: string) => {
    const key = topLevel(property);
    if (!fields[key]) fields[key] = message;
  };
  for (const v of error.validationErrors ?? []) put(v.property, validationMessage(v));
  let summary: string;
  switch (error.type) {
    case 'validationFailed':
    case 'invalidProperties':
      summary = 'Some fields need attention.';
      for (const p of error.properties ?? []) put(p, error.description ?? 'The server did not accept this value');
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
