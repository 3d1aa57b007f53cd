// The values a form holds and the version they came from; values of a new record or a
// newly picked union variant (the empty values themselves are the shared rule the server
// fills creates with).

import { isPlainObject } from '../../shared/equal';
import type { SchemaDocument } from '../../shared/schema/types';
import { initialValues } from '../../shared/schema/values';

export { initialValues };

export type Values = Record<string, unknown>;

/** One version of a record: its values and the state they were read at (when known). */
export interface Version {
  values: Values;
  state?: string;
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
