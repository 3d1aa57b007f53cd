// A map property: rows of key and value, kept as rows while editing so a half-typed or
// duplicate key does not lose data. Each value is edited by the registry's widget for its
// type; a read-only map is its keys and values as text.

import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deepEqual, isPlainObject } from '../../../shared/equal';
import type { FieldType } from '../../../shared/schema/types';
import { emptyValue } from '../../../shared/schema/values';
import { useConsole } from '../../schema/context';
import { FieldInput } from '../Field';
import { isTextWhenReadOnly, ReadOnlyValue } from '../ReadOnlyValue';
import type { WidgetProps } from '../registry';

type Row = { key: string; value: unknown };

const toRows = (v: unknown): Row[] => (isPlainObject(v) ? Object.entries(v).map(([key, value]) => ({ key, value })) : []);
const toMap = (rows: Row[]) => Object.fromEntries(rows.filter((r) => r.key !== '').map((r) => [r.key, r.value]));

export function MapEditor({ id, label, type, keyLabel: namedKey, valueLabel: namedValue, value, onChange, readOnly }: WidgetProps<Extract<FieldType, { type: 'map' }>>) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const keyLabel = namedKey ?? t('map.key');
  const valueLabel = namedValue ?? t('map.value');
  const [rows, setRows] = useState<Row[]>(() => toRows(value));
  // A value from outside (reset, refetch) replaces the rows unless the rows already mean
  // it, which is the case when it is our own change coming back.
  const [seen, setSeen] = useState(value);
  if (!deepEqual(value, seen)) {
    setSeen(value);
    if (!deepEqual(value, toMap(rows))) setRows(toRows(value));
  }
  const update = (next: Row[]) => {
    setRows(next);
    onChange(toMap(next));
  };
  const valueType = type.valueClass;
  const keyEnum = type.keyClass.type === 'enum' ? doc.enums[type.keyClass.enumName] ?? [] : undefined;
  const keyText = (k: string) => (keyEnum?.find((e) => e.name === k)?.label ?? k);
  if (readOnly) {
    if (rows.length === 0) return <p className="muted">{t('map.noEntries')}</p>;
    return (
      <dl id={id} className="readonly-map">
        {rows.map((r, i) => (
          <Fragment key={r.key}>
            <dt>{keyText(r.key)}</dt>
            <dd>
              {isTextWhenReadOnly(valueType) ? (
                <ReadOnlyValue type={valueType} value={r.value} />
              ) : (
                // A nested object or list keeps its layout, read-only (an action's per-tag scores).
                <FieldInput id={`${id}-v${i}`} label={keyText(r.key)} type={valueType} value={r.value} readOnly onChange={() => undefined} />
              )}
            </dd>
          </Fragment>
        ))}
      </dl>
    );
  }
  return (
    <div className="map-editor">
      {rows.length === 0 && <p className="muted">{t('map.noEntries')}</p>}
      {rows.map((r, i) => (
        <div className="map-row" key={i}>
          <div className="field">
            <label htmlFor={`${id}-k${i}`}>{t('map.numbered', { label: keyLabel, n: i + 1 })}</label>
            {keyEnum ? (
              // Enum keys (a quota per kind): the kinds not used by another row.
              <select id={`${id}-k${i}`} value={r.key} onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}>
                <option value="">{t('choose')}</option>
                {keyEnum.filter((e) => e.name === r.key || !rows.some((x) => x.key === e.name)).map((e) => (
                  <option key={e.name} value={e.name}>
                    {e.label}
                  </option>
                ))}
              </select>
            ) : (
              <input id={`${id}-k${i}`} value={r.key} readOnly={readOnly} onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-v${i}`}>{t('map.numbered', { label: valueLabel, n: i + 1 })}</label>
            <FieldInput id={`${id}-v${i}`} label={t('map.numbered', { label: valueLabel, n: i + 1 })} type={valueType} value={r.value} readOnly={readOnly} onChange={(v) => update(rows.map((x, j) => (j === i ? { ...x, value: v } : x)))} />
          </div>
          {!readOnly && (
            <button type="button" className="btn btn-small btn-ghost" aria-label={t('map.removeEntry', { label, n: i + 1 })} onClick={() => update(rows.filter((_, j) => j !== i))}>
              {t('remove')}
            </button>
          )}
        </div>
      ))}
      {!readOnly && (!keyEnum || rows.length < keyEnum.length) && (
        <button type="button" className="btn btn-small" onClick={() => update([...rows, { key: '', value: emptyValue(doc, valueType) ?? null }])}>
          {t('map.add')}
        </button>
      )}
    </div>
  );
}
