// What every widget's main control carries for assistive technology, and how an emptied
// text box reads on the wire.

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
