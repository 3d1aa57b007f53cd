// Numbers, with a unit picker for sizes (bytes on the wire) and durations (milliseconds).

import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import { bestUnit, DURATION_UNITS, SIZE_UNITS, type Unit } from '../../lib/units';
import type { WidgetProps } from '../registry';
import { ariaOf } from './aria';

type NumberType = Extract<FieldType, { type: 'number' }>;

const NO_UNIT: Unit = { name: '', label: '', factor: 1 };

function unitsOf(type: NumberType): Unit[] | undefined {
  if (type.format === 'size') return SIZE_UNITS;
  if (type.format === 'duration') return DURATION_UNITS;
  return undefined;
}

const UNIT_KEYS = {
  B: 'units.B', KB: 'units.KB', MB: 'units.MB', GB: 'units.GB', TB: 'units.TB',
  ms: 'units.ms', s: 'units.s', min: 'units.min', h: 'units.h', d: 'units.d',
} as const;

/** A unit's name in the picker, in the current language; the option's value, what is parsed, stays the unit's own name. */
function unitLabel(t: TFunction<'forms'>, u: Unit): string {
  const key = UNIT_KEYS[u.name as keyof typeof UNIT_KEYS] as (typeof UNIT_KEYS)[keyof typeof UNIT_KEYS] | undefined;
  return key ? t(key) : u.label;
}

export function NumberInput(props: WidgetProps<NumberType>) {
  const { id, type, value, onChange, onBlur, readOnly } = props;
  const { t } = useTranslation('forms');
  const units = unitsOf(type);
  const num = typeof value === 'number' ? value : null;
  const [unit, setUnit] = useState<Unit>(() => (units ? bestUnit(units, num) : NO_UNIT));
  const shown = num === null ? '' : String(num / unit.factor);
  const [text, setText] = useState(shown);
  // Follow outside changes (reset, server values) unless the text already means that
  // number ("1.50" stays as typed); adjusted while rendering, as React advises for state
  // derived from props, rather than in an effect one render late.
  const [followed, setFollowed] = useState(shown);
  if (followed !== shown) {
    setFollowed(shown);
    if (Number(text) !== Number(shown) || (text === '') !== (shown === '')) setText(shown);
  }

  const emit = (t: string, u: Unit) => {
    if (t.trim() === '') return onChange(null);
    const n = Number(t);
    onChange(Number.isFinite(n) ? (u.factor === 1 ? n : Math.round(n * u.factor)) : NaN);
  };

  return (
    <div className="number-input">
      <input
        id={id}
        type="text"
        inputMode={type.format === 'float' ? 'decimal' : 'numeric'}
        value={text}
        readOnly={readOnly}
        onChange={(e) => {
          setText(e.target.value);
          emit(e.target.value, unit);
        }}
        onBlur={onBlur}
        {...ariaOf(props)}
      />
      {units && (
        <select
          aria-label={t('number.unit')}
          value={unit.name}
          disabled={readOnly}
          onChange={(e) => {
            const u = units.find((x) => x.name === e.target.value) ?? units[0];
            setUnit(u);
            emit(text, u);
          }}
        >
          {units.map((u) => (
            <option key={u.name} value={u.name}>
              {unitLabel(t, u)}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
