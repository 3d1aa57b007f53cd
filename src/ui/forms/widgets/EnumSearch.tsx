// The search of a long enum set (the ~660 permissions): a WAI-ARIA multi-select combobox
// (Ariakit). Typing lists matches; an arrow and Enter tick or untick the option moved to,
// and the text stays for the next pick. Enter alone, or on a closed box, does nothing.

import { Combobox, ComboboxItem, ComboboxItemCheck, ComboboxPopover, ComboboxProvider, useComboboxStore } from '@ariakit/react';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnumValue } from '../../../shared/schema/types';
import { guardEnter } from './aria';
import '../forms.css';
import { midSentence } from '../words';

/** More matches than this: the person keeps typing. */
const SHOWN = 50;

interface Props {
  id: string;
  label: string;
  values: EnumValue[];
  /** The group each value sits in (its area), also searched. */
  groupOf: (name: string) => string;
  selected: ReadonlySet<string>;
  toggle: (name: string) => void;
  /** Why a value cannot be ticked or unticked by this caller, if so. */
  locked: (name: string) => string | undefined;
}

export function EnumSearch({ id, label, values, groupOf, selected, toggle, locked }: Props) {
  const { t } = useTranslation('forms');
  const [text, setText] = useState('');
  const query = useDeferredValue(text.trim().toLowerCase());
  const matches = useMemo(
    () => (query ? values.filter((v) => v.label.toLowerCase().includes(query) || v.name.toLowerCase().includes(query) || groupOf(v.name).toLowerCase().includes(query)) : values),
    [values, query, groupOf],
  );
  const combo = useComboboxStore({
    inputValue: text,
    setInputValue: setText,
    selectedValue: [...selected],
    setSelectedValue: (next: string[]) => {
      const now = new Set(next);
      for (const v of values) if (now.has(v.name) !== selected.has(v.name)) toggle(v.name);
    },
    resetValueOnHide: false,
  });
  const shown = matches.slice(0, SHOWN);
  return (
    <ComboboxProvider store={combo}>
      <label htmlFor={`${id}-search`} className="sr-only">
        {t('enumSearch.label', { label: midSentence(label) })}
      </label>
      <Combobox
        id={`${id}-search`}
        className="enum-search"
        autoSelect={false}
        placeholder={t('enumSearch.placeholder', { count: values.length })}
        onKeyDown={(e) => guardEnter(e, combo.getState().activeId, combo.getState().open)}
      />
      {/* Notes sit outside the listbox, which may hold options only. */}
      <p className="picker-note" role="status">
        {matches.length === 0 ? t('enumSearch.noMatch', { text }) : matches.length > SHOWN ? t('enumSearch.more', { count: matches.length - SHOWN }) : ''}
      </p>
      <ComboboxPopover portal={false} sameWidth gutter={4} unmountOnHide className="combo-popover" aria-label={t('enumSearch.matching', { label: midSentence(label) })}>
        {shown.map((v) => {
          const why = locked(v.name);
          return (
            <ComboboxItem key={v.name} value={v.name} className="option" disabled={!!why} accessibleWhenDisabled resetValueOnSelect={false}>
              <ComboboxItemCheck />
              <span>{v.label}</span>
              <span className="option-why">{why ?? groupOf(v.name)}</span>
            </ComboboxItem>
          );
        })}
      </ComboboxPopover>
    </ComboboxProvider>
  );
}
