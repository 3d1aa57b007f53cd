// A field's check before anything is sent: the server's own validator (src/shared), its
// first problem put into words by messages.ts; undefined when the value is fine.

import type { FieldType, SchemaDocument } from '../../shared/schema/types';
import { checkValue } from '../../shared/schema/validate';
import { validationMessage } from './messages';

/**
 * `required` is the form's verdict (isRequired): an empty value (null, or a cleared text
 * box) is a problem only then; anything else goes through the shared rules.
 */
export function validateValue(doc: SchemaDocument, type: FieldType, value: unknown, required: boolean): string | undefined {
  const field = { doc, type };
  if (value === undefined || value === null || value === '') {
    return required ? validationMessage({ type: 'Required', property: '' }, field) : undefined;
  }
  const [first] = checkValue(doc, type, value);
  return first && validationMessage(first, field);
}
