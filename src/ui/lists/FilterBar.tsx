// Filter inputs from the list's `filters`; text is applied as you type (debounced).

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListFilter } from '../../shared/schema/types';
import { ObjectPicker } from '../forms/widgets/ObjectPicker';
import { useConsole } from '../schema/context';
import { filterKeys } from './listState';

interface Props {
  filters: ListFilter[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
}

export function FilterBar({ filters, values, onChange }: Props) {
  const { t } = useTranslation('lists');
  const { doc } = useConsole();
  const [draft, setDraft] = useState(values);
  const serialized = JSON.stringify(values);
  useEffect(() => setDraft(JSON.parse(serialized) as Record<string, string>), [serialized]);

  useEffect(() => {
    if (JSON.stringify(draft) === serialized) return;
    const t = setTimeout(() => onChange(draft), 300);
    return () => clearTimeout(t);
  }, [draft, serialized, onChange]);

  const set = (key: string, v: string, immediate = false) => {
    const next = { ...draft, [key]: v };
    if (!v) delete next[key];
    setDraft(next);
    if (immediate) onChange(next);
  };
  const anyFilled = filters.some((f) => filterKeys(f).some((k) => draft[k]));

  return (
    <div role="search" className="filter-bar" aria-label={t('filters.label')}>
      {filters.map((f) => {
        const id = `filter-${f.field}`;
        switch (f.type) {
          case 'enum':
            return (
              <div className="field field-inline" key={f.field}>
                <label htmlFor={id}>{f.label}</label>
                <select id={id} value={draft[f.field] ?? ''} onChange={(e) => set(f.field, e.target.value, true)}>
                  <option value="">{t('filters.any')}</option>
                  {(doc.enums[f.enumName] ?? []).map((e) => (
                    <option key={e.name} value={e.name}>
                      {e.label}
                    </option>
                  ))}
                </select>
              </div>
            );
          case 'date':
            return (
              <fieldset className="field field-inline date-range" key={f.field}>
                <legend>{f.label}</legend>
                <label htmlFor={`${id}-after`} className="sr-only">{t('filters.from', { label: f.label })}</label>
                <input id={`${id}-after`} type="date" value={draft[`${f.field}.after`] ?? ''} onChange={(e) => set(`${f.field}.after`, e.target.value, true)} />
                <span aria-hidden="true">–</span>
                <label htmlFor={`${id}-before`} className="sr-only">{t('filters.until', { label: f.label })}</label>
                <input id={`${id}-before`} type="date" value={draft[`${f.field}.before`] ?? ''} onChange={(e) => set(`${f.field}.before`, e.target.value, true)} />
              </fieldset>
            );
          case 'objectId':
            return (
              <div className="field field-inline" key={f.field}>
                <label htmlFor={id}>{f.label}</label>
                <ObjectPicker id={id} objectName={f.objectName} value={draft[f.field] ?? null} onChange={(v) => set(f.field, (v as string | null) ?? '', true)} />
              </div>
            );
          case 'text':
          case 'integer':
            return (
              <div className="field field-inline" key={f.field}>
                <label htmlFor={id}>{f.label}</label>
                <input
                  id={id}
                  type="search"
                  inputMode={f.type === 'integer' ? 'numeric' : undefined}
                  value={draft[f.field] ?? ''}
                  onChange={(e) => set(f.field, e.target.value)}
                />
              </div>
            );
          default: {
            const _: never = f;
            return null;
          }
        }
      })}
      {anyFilled && (
        <button type="button" className="btn btn-ghost" onClick={() => { setDraft({}); onChange({}); }}>
          {t('filters.clear')}
        </button>
      )}
    </div>
  );
}
