// Per-record errors of a /set (RFC 8620 §5.3, with Stalwart's extra members from
// design/wire.md): one wire type for the server that sends them and the console that reads them.

import type { ValidationError } from '../schema/validate';

export type SetErrorType =
  | 'validationFailed' | 'invalidProperties' | 'invalidPatch' | 'primaryKeyViolation' | 'objectIsLinked'
  | 'invalidForeignKey' | 'forbidden' | 'notFound' | 'singleton' | 'tooLarge' | 'overQuota' | 'rateLimit'
  | 'willDestroy' | 'serverFail';

export interface SetError {
  type: SetErrorType;
  description?: string;
  properties?: string[];
  validationErrors?: ValidationError[];
  objectId?: { object: string; id: string };
  linkedObjects?: { object: string; id: string }[];
}

/** A validationFailed SetError naming every property in error. */
export function validationFailed(errors: ValidationError[]): SetError {
  const properties = [...new Set(errors.map((e) => e.property))];
  return {
    type: 'validationFailed',
    description: errors.map((e) => `${e.property}: ${e.description}`).join('; '),
    properties,
    validationErrors: errors,
  };
}
