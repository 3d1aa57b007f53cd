// A map of limits (an account's or a domain's quotas): one row per kind of limit, each
// with Inherit / Unlimited / Limit. A short enum shows every kind; a long one (Stalwart's
// nineteen kinds) shows the kinds set and lets the person add another.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isPlainObject } from '../../../shared/equal';
import type { FieldType } from '../../../shared/schema/types';
import { useConsole } from '../../schema/context';
import type { WidgetProps } from '../registry';
import { keyType, withChoice } from './limits';
import { LimitInput, limitText } from './LimitInput';

type MapType = Extract<FieldType, { type: 'map' }>;

/** Enums up to this long show all their kinds at once. */
const SHOW_ALL = 6;

export function LimitMap({ id, label, type, value, onChange, onBlur, readOnly, describedBy, invalid }: WidgetProps<MapType>) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const kinds = type.keyClass.type === 'enum' ? doc.enums[type.keyClass.enumName] ?? [] : [];
  const map = isPlainObject(value) ? value : {};
  const [added, setAdded] = useState<string[]>([]);
  const all = kinds.length <= SHOW_ALL;
  const shown = kinds.filter((k) => all || k.name in map || added.includes(k.name));
  const addable = kinds.filter((k) => !shown.includes(k));

  if (readOnly) {
    const set = shown.filter((k) => k.name in map || all);
    if (set.length === 0) return <p id={id} className="muted">{t('limit.noneSet')}</p>;
    return (
      <dl id={id} className="readonly-map" aria-describedby={describedBy}>
        {set.map((k) => (
          <div key={k.name} className="limit-row">
            <dt>{k.label}</dt>
            <dd>{limitText(keyType(doc, type, k.name), map[k.name])}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <div id={id} className="limit-map" aria-describedby={describedBy}>
      {shown.map((k) => (
        <div key={k.name} className="limit-row">
          <span className="limit-key" aria-hidden="true">{k.label}</span>
          <LimitInput
            id={`${id}-${k.name}`}
            label={k.label}
            type={keyType(doc, type, k.name)}
            value={map[k.name]}
            invalid={invalid}
            onBlur={onBlur}
            onChange={(v) => onChange(withChoice(map, k.name, v))}
          />
        </div>
      ))}
      {addable.length > 0 && (
        <div className="field field-inline">
          <label htmlFor={`${id}-add`}>{t('limit.add')}</label>
          <select
            id={`${id}-add`}
            value=""
            onChange={(e) => {
              if (e.target.value) setAdded([...added, e.target.value]);
            }}
          >
            <option value="">{t('limit.chooseKind')}</option>
            {addable.map((k) => (
              <option key={k.name} value={k.name}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {kinds.length === 0 && <p className="muted">{t('limit.noKinds', { label })}</p>}
    </div>
  );
}
