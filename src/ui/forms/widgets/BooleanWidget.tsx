// A checkbox. Never aria-required: a checkbox is always true or false, and "required" on
// one would tell a screen reader it must be ticked.

import type { FieldType } from '../../../shared/schema/types';
import type { WidgetProps } from '../registry';
import { ariaOf } from './aria';

export function BooleanWidget(props: WidgetProps<Extract<FieldType, { type: 'boolean' }>>) {
  const { id, value, onChange, onBlur, readOnly } = props;
  return (
    <input
      id={id}
      type="checkbox"
      checked={value === true}
      disabled={readOnly}
      onChange={(e) => onChange(e.target.checked)}
      onBlur={onBlur}
      {...ariaOf({ ...props, required: false })}
    />
  );
}
