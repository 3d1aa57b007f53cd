// A set, edited by what its members are: enum values are ticked, records searched for,
// anything else typed in as chips.

import type { FieldType } from '../../../shared/schema/types';
import { takesAway } from '../../schema/grants';
import type { WidgetProps } from '../registry';
import { EnumSetPicker } from './EnumSetPicker';
import { ObjectPicker } from './ObjectPicker';
import { StringSetEditor } from './StringSetEditor';

export function SetWidget({ id, name, label, type, value, onChange, onBlur, readOnly, invalid, describedBy }: WidgetProps<Extract<FieldType, { type: 'set' }>>) {
  const member = type.class;
  if (member.type === 'enum') {
    return <EnumSetPicker id={id} label={label} enumName={member.enumName} value={value} onChange={onChange} readOnly={readOnly} describedBy={describedBy} takes={!!name && takesAway(name)} />;
  }
  if (member.type === 'objectId') {
    return <ObjectPicker id={id} multiple grants objectName={member.objectName} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} invalid={invalid} describedBy={describedBy} />;
  }
  return <StringSetEditor id={id} label={label} memberType={member} value={value} onChange={onChange} readOnly={readOnly} describedBy={describedBy} />;
}
