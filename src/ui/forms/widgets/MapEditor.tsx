// A map property: rows of key and value, kept as rows while editing so a half-typed or
// duplicate key does not lose data.

import { useEffect, useRef, useState } from 'react';
import type { FieldType } from '../../../shared/schema/types';
import { deepEqual, isPlainObject } from '../../lib/equal';
import { FieldWidget } from '../FieldWidget';

interface Props {
  id: string;
  label: string;
  valueType: FieldType;
  keyLabel?: string;
  valueLabel?: string;
  value: unknown;
  onChange: (v: Record<string, unknown>) => void;
  readOnly?: boolean;
}

type Row = { key: string; value: unknown };

const toRows = (v: unknown): Row[] => (isPlainObject(v) ? Object.entries(v).map(([key, value]) => ({ key, value })) : []);
const toMap = (rows: Row[]) => Object.fromEntries(rows.filter((r) => r.key !== '').map((r) => [r.key, r.value]));

export function MapEditor({ id, label, valueType, keyLabel = 'Key', valueLabel = 'Value', value, onChange, readOnly }: Props) {
  const [rows, setRows] = useState<Row[]>(() => toRows(value));
  const last = useRef<unknown>(value);
  useEffect(() => {
    if (!deepEqual(value, last.current) && !deepEqual(value, toMap(rows))) setRows(toRows(value));
    last.current = value;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const update = (next: Row[]) => {
    setRows(next);
    const m = toMap(next);
    last.current = m;
    onChange(m);
  };
  return (
    <div className="map-editor">
      {rows.length === 0 && <p className="muted">No entries.</p>}
      {rows.map((r, i) => (
        <div className="map-row" key={i}>
          <div className="field">
            <label htmlFor={`${id}-k${i}`}>{keyLabel} {i + 1}</label>
            <input id={`${id}-k${i}`} value={r.key} readOnly={readOnly} onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-v${i}`}>{valueLabel} {i + 1}</label>
            <FieldWidget id={`${id}-v${i}`} label={`${valueLabel} ${i + 1}`} type={valueType} value={r.value} readOnly={readOnly} onChange={(v) => update(rows.map((x, j) => (j === i ? { ...x, value: v } : x)))} />
          </div>
          {!readOnly && (
            <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${label} entry ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))}>
              Remove
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" className="btn btn-small" onClick={() => update([...rows, { key: '', value: valueType.type === 'boolean' ? false : null }])}>
          Add entry
        </button>
      )}
    </div>
  );
}
