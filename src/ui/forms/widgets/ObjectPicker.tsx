// A record picker (objectId, or a set of objectId when `multiple`): a WAI-ARIA combobox
// (Ariakit) that searches the server instead of loading every record. Focus does not
// open it, and Enter chooses only an option the person moved to; each choice is announced.

import { Combobox, ComboboxItem, ComboboxItemCheck, ComboboxPopover, ComboboxProvider, useComboboxStore } from '@ariakit/react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import { setMembers, toSet } from '../../lib/set';
import type { WidgetProps } from '../registry';
import { useAnnouncer } from './Announcer';
import { guardEnter } from './aria';
import { ReadOnlyRecords } from './ReadOnlyRecords';
import { useRecordSearch } from './useRecordSearch';
import '../forms.css';

type Props = Pick<WidgetProps, 'id' | 'value' | 'onChange' | 'onBlur' | 'readOnly' | 'required' | 'invalid' | 'describedBy'> & {
  objectName: string;
  multiple?: boolean;
  /**
   * The choice grants what the chosen record carries (a record's roles): records beyond the
   * caller's permissions are offered disabled. Not for a list filter, which grants nothing.
   */
  grants?: boolean;
};

export function ObjectPicker({ id, objectName, value, onChange, onBlur, multiple, grants, readOnly, required, invalid, describedBy }: Props) {
  const selectedIds = useMemo(() => (multiple ? setMembers(value) : typeof value === 'string' && value ? [value] : []), [multiple, value]);
  const { t } = useTranslation('forms');
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [region, announce] = useAnnouncer();
  const search = useRecordSearch(objectName, text, open && !readOnly, selectedIds, grants);
  const { labelOf } = search;

  const choose = (next: string | string[]) => {
    if (Array.isArray(next)) {
      const added = next.filter((x) => !selectedIds.includes(x));
      const removed = selectedIds.filter((x) => !next.includes(x));
      onChange(toSet(next));
      if (added.length) announce(t('picker.added', { labels: added.map(labelOf).join(', ') }));
      else if (removed.length) announce(t('picker.removed', { labels: removed.map(labelOf).join(', ') }));
      return;
    }
    if (!next) return;
    onChange(next);
    setText('');
    announce(t('picker.chose', { label: labelOf(next) }));
  };
  const combo = useComboboxStore({
    open,
    setOpen,
    // A closed single picker shows what is chosen; typing searches.
    inputValue: multiple || open ? text : selectedIds[0] ? labelOf(selectedIds[0]) : '',
    setInputValue: setText,
    selectedValue: multiple ? selectedIds : (selectedIds[0] ?? ''),
    setSelectedValue: choose,
    resetValueOnHide: true,
  });
  const remove = (rid: string) => {
    onChange(multiple ? toSet(selectedIds.filter((x) => x !== rid)) : null);
    announce(t('picker.removed', { labels: labelOf(rid) }));
  };

  if (readOnly) return <ReadOnlyRecords id={id} objectName={objectName} ids={selectedIds} describedBy={describedBy} />;

  const refusals = search.options.map((r) => search.refusal(r));
  return (
    <div className="picker">
      {multiple && selectedIds.length > 0 && (
        <ul className="chips" aria-label={t('picker.selected')}>
          {selectedIds.map((rid) => (
            <li key={rid} className="chip">
              {labelOf(rid)}
              <button type="button" className="chip-remove" aria-label={t('removeNamed', { name: labelOf(rid) })} onClick={() => remove(rid)}>
                {'\u00d7'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ComboboxProvider store={combo}>
        <div className="picker-input">
          <Combobox
            id={id}
            autoSelect={false}
            autoComplete="list"
            aria-invalid={invalid || undefined}
            aria-required={required || undefined}
            aria-describedby={describedBy}
            placeholder={multiple ? t('picker.searchAdd') : t('picker.search')}
            onFocus={(e) => e.currentTarget.select()}
            onBlur={onBlur}
            onKeyDown={(e) => guardEnter(e, combo.getState().activeId, combo.getState().open)}
          />
          {!multiple && selectedIds[0] && !required && (
            <button type="button" className="btn btn-small btn-ghost" aria-label={t('picker.clearSelection')} onClick={() => remove(selectedIds[0])}>
              {t('picker.clear')}
            </button>
          )}
        </div>
        {/* Notes sit outside the listbox, which may hold options only. */}
        <p className="picker-note" role="status">
          {open && (search.pending ? t('picker.searching') : search.error ? t('picker.failed', { message: search.error.message }) : search.options.length === 0 ? t('picker.noMatches') : '')}
        </p>
        <ComboboxPopover portal={false} sameWidth gutter={4} unmountOnHide className="combo-popover" aria-label={t('picker.matching')}>
          {search.options.map((r, i) => (
            <ComboboxItem key={r.id} value={r.id} className="option" disabled={!!refusals[i]} accessibleWhenDisabled setValueOnClick={false}>
              {multiple && <ComboboxItemCheck />}
              <span>{labelOf(r.id)}</span>
              {refusals[i] && <span className="option-why">{refusals[i]}</span>}
            </ComboboxItem>
          ))}
        </ComboboxPopover>
      </ComboboxProvider>
      {region}
    </div>
  );
}

/** The registry's widget for an objectId property. */
export function ObjectIdWidget({ id, type, value, onChange, onBlur, readOnly, required, invalid, describedBy }: WidgetProps<Extract<FieldType, { type: 'objectId' }>>) {
  return <ObjectPicker id={id} grants objectName={type.objectName} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} required={required} invalid={invalid} describedBy={describedBy} />;
}
