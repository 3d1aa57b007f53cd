// One value of an enum: a select, with "None" when the schema allows null and "Choose…"
// until a required value is picked.

import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import { useConsole } from '../../schema/context';
import type { WidgetProps } from '../registry';
import { ariaOf, isNullable } from './aria';

export function EnumWidget(props: WidgetProps<Extract<FieldType, { type: 'enum' }>>) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const { id, type, value, onChange, onBlur, readOnly } = props;
  const nullable = isNullable(type);
  return (
    <select id={id} value={typeof value === 'string' ? value : ''} disabled={readOnly} onChange={(e) => onChange(e.target.value || null)} onBlur={onBlur} {...ariaOf(props)}>
      {(value == null || nullable) && <option value="">{nullable ? t('none') : t('choose')}</option>}
      {(doc.enums[type.enumName] ?? []).map((e) => (
        <option key={e.name} value={e.name}>
          {e.label}
        </option>
      ))}
    </select>
  );
}
