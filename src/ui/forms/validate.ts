// A field's check before anything is sent: the server's own validator (src/shared), its
// first problem put into words by messages.ts; undefined when the value is fine.

import type { FieldType, SchemaDocument } from '../../shared/schema/types';
import { checkValue } from '../../shared/schema/validate';
import { validationMessage } from './messages';
import { isSecretPath } from './values';

/**
 * `required` is the form's verdict (isRequired): an empty value (null, or a cleared text
 * box) is a problem only then; anything else goes through the shared rules.
 */
export function validateValue(
  doc: SchemaDocument, type: FieldType, value: unknown, required: boolean, opts: { secretsKept?: boolean } = {},
): string | undefined {
  const field = { doc, type };
  if (value === undefined || value === null || value === '') {
    return required ? validationMessage({ type: 'Required', property: '' }, field) : undefined;
  }
  // Editing a record: a nested secret left empty keeps the one the server holds (it is
  // never shown), so its emptiness is no problem.
  const errors = checkValue(doc, type, value).filter((e) => !(opts.secretsKept && e.type === 'Required' && isSecretPath(doc, type, value, e.property)));
  const [first] = errors;
  return first && validationMessage(first, field);
}
