// One limit: three labelled radios, "Inherit" (not set: the level above decides),
// "Unlimited" (the schema's unlimited value) and "Limit" with the number in its unit
// (sizes in KB/MB/GB, bytes on the wire). Keyboard: arrows move between the radios.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import { formatBytes, formatNumber } from '../../i18n/format';
import { i18n } from '../../i18n/i18n';
import type { WidgetProps } from '../registry';
import { choiceOf, unlimitedValue, type LimitChoice } from './limits';
import { NumberInput } from './NumberInput';
import './limits.css';

type NumberType = Extract<FieldType, { type: 'number' }>;

const CHOICES: LimitChoice[] = ['inherit', 'unlimited', 'limit'];

/** The words for a choice, in the current language (read when shown). */
function choiceLabel(choice: LimitChoice): string {
  return i18n.t(`forms:limit.${choice}`);
}

/** A limit to read: "Inherit", "Unlimited", "1 MB" or "500", in the current language. */
export function limitText(type: NumberType, value: unknown): string {
  const choice = choiceOf(value, type);
  if (choice !== 'limit') return choiceLabel(choice);
  if (typeof value !== 'number') return String(value);
  return type.format === 'size' ? formatBytes(value) : formatNumber(value);
}

export function LimitInput(props: WidgetProps<NumberType>) {
  const { id, label, type, value, onChange, onBlur, readOnly, describedBy, invalid } = props;
  const { t } = useTranslation('forms');
  const current = choiceOf(value, type);
  // The number typed last, so "Limit" picked again after "Unlimited" finds it.
  const [lastLimit, setLastLimit] = useState<number | null>(current === 'limit' && typeof value === 'number' ? value : null);
  const [picked, setPicked] = useState<LimitChoice>(current);
  // "Limit" stays picked while its box is still empty (null on the wire would read as Inherit).
  const choice = picked === 'limit' && current === 'inherit' ? 'limit' : current;
  if (readOnly) {
    return (
      <span id={id} className="readonly-value" aria-describedby={describedBy}>
        {limitText(type, value)}
      </span>
    );
  }
  const pick = (c: LimitChoice) => {
    setPicked(c);
    if (c === 'inherit') onChange(null);
    else if (c === 'unlimited') onChange(unlimitedValue(type) ?? null);
    else onChange(lastLimit ?? NaN);
  };
  const name = `${id}-choice`;
  return (
    <div className="limit-input">
      <div role="radiogroup" id={id} aria-label={label} aria-describedby={describedBy} aria-invalid={invalid || undefined} className="limit-choices">
        {CHOICES.map((c) => (
          <label key={c} className="limit-choice">
            <input type="radio" name={name} value={c} checked={choice === c} onChange={() => pick(c)} onBlur={onBlur} />
            {choiceLabel(c)}
          </label>
        ))}
      </div>
      {choice === 'limit' && (
        <>
        <label htmlFor={`${id}-value`} className="sr-only">{t('limit.valueLabel', { label })}</label>
        <NumberInput
          id={`${id}-value`}
          label={t('limit.valueLabel', { label })}
          type={{ ...type, min: 0 }}
          value={typeof value === 'number' && Number.isFinite(value) && value !== unlimitedValue(type) ? value : null}
          onChange={(v) => {
            if (typeof v === 'number' && Number.isFinite(v)) setLastLimit(v);
            onChange(v === null ? NaN : v);
          }}
          onBlur={onBlur}
          invalid={invalid}
          describedBy={describedBy}
        />
        </>
      )}
    </div>
  );
}
