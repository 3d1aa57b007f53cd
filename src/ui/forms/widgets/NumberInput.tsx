// Numbers, with a unit picker for sizes (bytes on the wire) and durations (milliseconds).

import { useEffect, useState } from 'react';
import type { FieldType } from '../../../shared/schema/types';
import { bestUnit, DURATION_UNITS, SIZE_UNITS, type Unit } from '../../lib/units';

type NumberType = Extract<FieldType, { type: 'number' }>;

interface Props {
  id: string;
  type: NumberType;
  value: unknown;
  onChange: (v: number | null) => void;
  onBlur?: () => void;
  readOnly?: boolean;
  inputProps: Record<string, unknown>;
}

export function NumberInput({ id, type, value, onChange, onBlur, readOnly, inputProps }: Props) {
  const units: Unit[] | undefined = type.format === 'size' ? SIZE_UNITS : type.format === 'duration' ? DURATION_UNITS : undefined;
  const num = typeof value === 'number' ? value : null;
  const [unit, setUnit] = useState<Unit>(() => (units ? bestUnit(units, num) : { name: '', label: '', factor: 1 }));
  const shown = num === null ? '' : String(num / unit.factor);
  const [text, setText] = useState(shown);
  // Follow outside changes (reset, server values) unless the text already means that number.
  useEffect(() => {
    if (Number(text) !== Number(shown) || (text === '') !== (shown === '')) setText(shown);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown]);

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
        {...inputProps}
      />
      {units && (
        <select
          aria-label="Unit"
          value={unit.name}
          disabled={readOnly}
          onChange={(e) => {
            const u = units.find((x) => x.name === e.target.value)!;
            setUnit(u);
            emit(text, u);
          }}
        >
          {units.map((u) => (
            <option key={u.name} value={u.name}>
              {u.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
