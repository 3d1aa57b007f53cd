// What every widget's main control carries for assistive technology, how an emptied text
// box reads on the wire, and what Enter may do in a combobox.

import type { KeyboardEvent } from 'react';
import type { FieldType } from '../../../shared/schema/types';
import type { WidgetProps } from '../registry';

export function ariaOf({ invalid, required, describedBy }: Pick<WidgetProps, 'invalid' | 'required' | 'describedBy'>) {
  return {
    'aria-invalid': invalid || undefined,
    'aria-required': required || undefined,
    'aria-describedby': describedBy,
  };
}

export const isNullable = (t: FieldType): boolean => 'nullable' in t && t.nullable === true;

/** An emptied text box is null where the schema allows it or the field is optional, so "" never reaches the server by accident. */
export function typedText(type: FieldType, required: boolean | undefined, text: string): string | null {
  return text === '' && (isNullable(type) || !required) ? null : text;
}

/**
 * Enter in a closed combobox, or with no option moved to, does nothing: no implicit form
 * submission, no first option taken. (When open, Ariakit hands Enter to the active option.)
 */
export function guardEnter(e: KeyboardEvent, activeId: string | null | undefined, open: boolean) {
  if (e.key === 'Enter' && (!open || !activeId)) e.preventDefault();
}
