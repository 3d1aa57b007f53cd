// Strings: a text area for long formats, else an input whose type and hints follow the format.

import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import type { WidgetProps } from '../registry';
import { ariaOf, typedText } from './aria';

type StringType = Extract<FieldType, { type: 'string' }>;

const INPUT_TYPES: Partial<Record<NonNullable<StringType['format']>, string>> = { secret: 'password', emailAddress: 'email', uri: 'url', color: 'color' };
const MULTILINE = new Set<StringType['format']>(['text', 'secretText', 'html']);
const TECHNICAL = new Set<StringType['format']>(['ipAddress', 'ipNetwork', 'socketAddress', 'uri', 'emailAddress', 'loginName']);

export function StringWidget(props: WidgetProps<StringType>) {
  const { id, type, value, onChange, onBlur, readOnly, required, placeholder } = props;
  const { t } = useTranslation('forms');
  const text = typeof value === 'string' ? value : '';
  const change = (v: string) => onChange(typedText(type, required, v));
  if (MULTILINE.has(type.format)) {
    return <textarea id={id} rows={4} value={text} readOnly={readOnly} placeholder={placeholder} onChange={(e) => change(e.target.value)} onBlur={onBlur} {...ariaOf(props)} />;
  }
  return (
    <input
      id={id}
      type={(type.format && INPUT_TYPES[type.format]) ?? 'text'}
      value={text}
      readOnly={readOnly}
      placeholder={placeholder ?? (type.format === 'ipNetwork' ? t('string.ipNetworkPlaceholder') : undefined)}
      spellCheck={TECHNICAL.has(type.format) ? false : undefined}
      autoCapitalize={TECHNICAL.has(type.format) ? 'none' : undefined}
      autoComplete={type.format === 'secret' ? 'new-password' : 'off'}
      maxLength={type.maxLength}
      onChange={(e) => change(e.target.value)}
      onBlur={onBlur}
      {...ariaOf(props)}
    />
  );
}
