// One limit: three labelled radios, "Inherit" (not set: the level above decides),
// "Unlimited" (the schema's unlimited value) and "Limit" with the number in its unit
// (sizes in KB/MB/GB, bytes on the wire). Keyboard: arrows move between the radios.

import { useState } from 'react';
import type { FieldType } from '../../../shared/schema/types';
import { formatWithUnit, SIZE_UNITS } from '../../lib/units';
import type { WidgetProps } from '../registry';
import { choiceOf, unlimitedValue, type LimitChoice } from './limits';
import { NumberInput } from './NumberInput';
import './limits.css';

type NumberType = Extract<FieldType, { type: 'number' }>;

const CHOICES: { choice: LimitChoice; label: string }[] = [
  { choice: 'inherit', label: 'Inherit' },
  { choice: 'unlimited', label: 'Unlimited' },
  { choice: 'limit', label: 'Limit' },
];

/** A limit as text: "Inherit", "Unlimited", "1 MB" or "500". */
export function limitText(type: NumberType, value: unknown): string {
  const choice = choiceOf(value, type);
  if (choice !== 'limit') return CHOICES.find((c) => c.choice === choice)!.label;
  if (typeof value !== 'number') return String(value);
  return type.format === 'size' ? formatWithUnit(SIZE_UNITS, value) : value.toLocaleString('en');
}

export function LimitInput(props: WidgetProps<NumberType>) {
  const { id, label, type, value, onChange, onBlur, readOnly, describedBy, invalid } = props;
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
          <label key={c.choice} className="limit-choice">
            <input type="radio" name={name} value={c.choice} checked={choice === c.choice} onChange={() => pick(c.choice)} onBlur={onBlur} />
            {c.label}
          </label>
        ))}
      </div>
      {choice === 'limit' && (
        <>
        <label htmlFor={`${id}-value`} className="sr-only">{`${label}: limit`}</label>
        <NumberInput
          id={`${id}-value`}
          label={`${label}: limit`}
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
