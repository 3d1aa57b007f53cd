// A combobox that searches the server for records to reference (objectId, or a set of
// objectId when `multiple`), instead of loading every record.

import { useEffect, useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FieldType } from '../../../shared/schema/types';
import { useClient } from '../../jmap/context';
import { keys } from '../../jmap/keys';
import { fetchList, recordsQueryOptions } from '../../jmap/queries';
import type { JmapRecord } from '../../jmap/types';
import { setMembers, toSet } from '../../lib/set';
import { useConsole } from '../../schema/context';
import { labelPropertyOf, resolveView, searchPropertyOf } from '../../schema/resolve';
import type { WidgetProps } from '../registry';

type Props = Pick<WidgetProps, 'id' | 'value' | 'onChange' | 'onBlur' | 'readOnly' | 'required' | 'invalid' | 'describedBy'> & {
  objectName: string;
  multiple?: boolean;
};

export function ObjectPicker({ id, objectName, value, onChange, onBlur, multiple, readOnly, required, invalid, describedBy }: Props) {
  const { doc } = useConsole();
  const client = useClient();
  const listId = useId();
  const view = resolveView(doc, objectName);
  const target = view?.objectName ?? objectName;
  const staticFilter = view?.list?.filtersStatic;
  const labelProp = labelPropertyOf(doc, objectName);
  const searchProp = searchPropertyOf(doc, objectName);
  const selectedIds = useMemo(() => (multiple ? setMembers(value) : typeof value === 'string' && value ? [value] : []), [multiple, value]);

  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);

  const labels = useQuery({ ...recordsQueryOptions(client, target, selectedIds, labelProp ? ['id', labelProp] : ['id']), enabled: selectedIds.length > 0 });
  const labelOf = (rid: string) => {
    const r = labels.data?.find((x) => x.id === rid);
    return (labelProp && r && typeof r[labelProp] === 'string' && (r[labelProp] as string)) || rid;
  };

  const searchArgs = {
    filter: { ...(staticFilter ?? {}), ...(debounced && searchProp ? { [searchProp]: debounced } : {}) },
    position: 0,
    limit: 20,
    properties: labelProp ? ['id', labelProp] : ['id'],
  };
  const results = useQuery({
    queryKey: keys.search(target, searchArgs),
    queryFn: () => fetchList(client, target, { ...searchArgs, filter: Object.keys(searchArgs.filter).length ? searchArgs.filter : undefined }),
    enabled: open && !readOnly,
    staleTime: 10_000,
  });
  const options: JmapRecord[] = (results.data?.records ?? []).filter((r) => !multiple || !selectedIds.includes(r.id));

  const choose = (r: JmapRecord) => {
    onChange(multiple ? toSet([...selectedIds, r.id]) : r.id);
    setText('');
    setActive(0);
    if (!multiple) setOpen(false);
  };
  const remove = (rid: string) => onChange(multiple ? toSet(selectedIds.filter((x) => x !== rid)) : null);

  const shownText = open || multiple ? text : selectedIds[0] ? labelOf(selectedIds[0]) : '';

  if (readOnly) {
    return (
      <input id={id} className="readonly" readOnly value={selectedIds.map(labelOf).join(', ')} aria-describedby={describedBy} />
    );
  }

  return (
    <div className="picker">
      {multiple && selectedIds.length > 0 && (
        <ul className="chips" aria-label="Selected">
          {selectedIds.map((rid) => (
            <li key={rid} className="chip">
              {labelOf(rid)}
              <button type="button" className="chip-remove" aria-label={`Remove ${labelOf(rid)}`} onClick={() => remove(rid)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="picker-input">
        <input
          id={id}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && options[active] ? `${listId}-${options[active].id}` : undefined}
          aria-invalid={invalid || undefined}
          aria-required={required || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          placeholder={multiple ? 'Search to add…' : 'Search…'}
          value={shownText}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            setText('');
            onBlur?.();
          }}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setOpen(true);
              setActive((a) => Math.min(a + 1, options.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === 'Enter' && open && options[active]) {
              e.preventDefault();
              choose(options[active]);
            } else if (e.key === 'Escape') {
              setOpen(false);
            }
          }}
        />
        {!multiple && selectedIds[0] && !required && (
          <button type="button" className="btn btn-small btn-ghost" aria-label="Clear selection" onClick={() => remove(selectedIds[0])}>
            Clear
          </button>
        )}
      </div>
      {open && (
        <div className="popover">
          {results.isPending && <p className="listbox-note">Searching…</p>}
          {results.isError && <p className="listbox-note">Search failed: {(results.error as Error).message}</p>}
          {results.data && options.length === 0 && <p className="listbox-note">No matches</p>}
          <ul id={listId} role="listbox" className="listbox" aria-label="Matching records">
            {options.map((r, i) => (
              <li
                key={r.id}
                id={`${listId}-${r.id}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'option active' : 'option'}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(r)}
              >
                {(labelProp && (r[labelProp] as string)) || r.id}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The registry's widget for an objectId property. */
export function ObjectIdWidget({ id, type, value, onChange, onBlur, readOnly, required, invalid, describedBy }: WidgetProps<Extract<FieldType, { type: 'objectId' }>>) {
  return <ObjectPicker id={id} objectName={type.objectName} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} required={required} invalid={invalid} describedBy={describedBy} />;
}
