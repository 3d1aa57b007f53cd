// The type of a record of a union: a picker while it may be chosen (a new record, a
// union-typed singleton), else the type as text.

import { useTranslation } from 'react-i18next';
import type { Variant } from '../../shared/schema/types';

interface Props {
  variants: Variant[];
  value: string | undefined;
  onChange: (variant: string) => void;
  readOnly?: boolean;
  /** What the choice is called: "Type" unless the page says otherwise ("Action"). */
  label?: string;
}

export function VariantChoice({ variants, value, onChange, readOnly, label: named }: Props) {
  const { t } = useTranslation('forms');
  const label = named ?? t('variant.type');
  const current = variants.find((v) => v.name === value);
  if (readOnly) {
    return (
      <dl className="field-readonly variant-choice">
        <dt id="record-type-label">{label}</dt>
        <dd id="record-type" aria-labelledby="record-type-label">
          <span className="readonly-value">{current?.label ?? value ?? t('notSet')}</span>
        </dd>
      </dl>
    );
  }
  return (
    <div className="field variant-choice">
      <label htmlFor="record-type">{label}</label>
      <select id="record-type" value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {!current && <option value="">{t('choose')}</option>}
        {variants.map((v) => (
          <option key={v.name} value={v.name}>
            {v.label}
          </option>
        ))}
      </select>
    </div>
  );
}
