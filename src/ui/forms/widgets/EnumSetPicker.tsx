// A set of enum values. Short enums are a list of checkboxes; long ones (the ~660
// permissions) are searchable and grouped by area, with groups rendered only when open.

import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { EnumValue } from '../../../shared/schema/types';
import { setMembers, toSet } from '../../lib/set';
import { useConsole } from '../../schema/context';
import { groupEnum } from '../../schema/format';

const SHORT = 16;

interface Props {
  id: string;
  label: string;
  enumName: string;
  value: unknown;
  onChange: (value: Record<string, true>) => void;
  readOnly?: boolean;
  describedBy?: string;
}

// Memoised, with a stable onToggle: ticking one of 660 boxes re-renders that box only.
const Checkbox = memo(function Checkbox({ id, v, checked, disabled, onToggle }: { id: string; v: EnumValue; checked: boolean; disabled?: boolean; onToggle: (name: string) => void }) {
  return (
    <label className="check" htmlFor={id} title={v.explanation}>
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={() => onToggle(v.name)} />
      {v.label}
    </label>
  );
});

export const EnumSetPicker = memo(function EnumSetPicker({ id, label, enumName, value, onChange, readOnly, describedBy }: Props) {
  const { doc } = useConsole();
  const values = useMemo(() => doc.enums[enumName] ?? [], [doc, enumName]);
  const selected = useMemo(() => new Set(setMembers(value)), [value]);
  const latest = useRef({ selected, onChange });
  latest.current = { selected, onChange };
  const toggle = useCallback((name: string) => {
    const next = new Set(latest.current.selected);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    latest.current.onChange(toSet(next));
  }, []);

  if (values.length <= SHORT) {
    return (
      <div className="check-grid" aria-describedby={describedBy}>
        {values.map((v) => (
          <Checkbox key={v.name} id={`${id}-${v.name}`} v={v} checked={selected.has(v.name)} disabled={readOnly} onToggle={toggle} />
        ))}
      </div>
    );
  }
  return <LongEnumSet id={id} label={label} values={values} selected={selected} toggle={toggle} readOnly={readOnly} describedBy={describedBy} doc={doc} />;
});

function LongEnumSet({ id, label, values, selected, toggle, readOnly, describedBy, doc }: {
  id: string; label: string; values: EnumValue[]; selected: Set<string>; toggle: (n: string) => void; readOnly?: boolean; describedBy?: string;
  doc: ReturnType<typeof useConsole>['doc'];
}) {
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim().toLowerCase());
  const [open, setOpen] = useState<Set<string>>(new Set());
  const groups = useMemo(() => groupEnum(doc, values), [doc, values]);
  const byName = useMemo(() => new Map(values.map((v) => [v.name, v])), [values]);
  const shown = useMemo(
    () =>
      groups
        .map((g) => ({ ...g, values: deferred ? g.values.filter((v) => v.label.toLowerCase().includes(deferred) || v.name.toLowerCase().includes(deferred) || g.name.toLowerCase().includes(deferred)) : g.values }))
        .filter((g) => g.values.length > 0),
    [groups, deferred],
  );

  return (
    <div className="enum-set" aria-describedby={describedBy}>
      {selected.size > 0 ? (
        <ul className="chips" aria-label={`Selected ${label.toLowerCase()}`}>
          {[...selected].map((n) => (
            <li key={n} className="chip">
              {byName.get(n)?.label ?? n}
              {!readOnly && (
                <button type="button" className="chip-remove" aria-label={`Remove ${byName.get(n)?.label ?? n}`} onClick={() => toggle(n)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None selected.</p>
      )}
      {!readOnly && (
        <>
          <label htmlFor={`${id}-search`} className="sr-only">
            Search {label.toLowerCase()}
          </label>
          <input id={`${id}-search`} type="search" placeholder={`Search ${values.length} options…`} value={search} onChange={(e) => setSearch(e.target.value)} />
          <div className="enum-groups">
            {shown.length === 0 && <p className="muted">No option matches “{search}”.</p>}
            {shown.map((g) => {
              const expanded = deferred !== '' || open.has(g.name);
              const count = g.values.filter((v) => selected.has(v.name)).length;
              const gid = `${id}-g-${g.name.replace(/\W+/g, '-')}`;
              return (
                <div key={g.name} className="enum-group">
                  <button
                    type="button"
                    className="enum-group-toggle"
                    aria-expanded={expanded}
                    aria-controls={gid}
                    onClick={() => {
                      const next = new Set(open);
                      if (next.has(g.name)) next.delete(g.name);
                      else next.add(g.name);
                      setOpen(next);
                    }}
                  >
                    <span className="chevron" aria-hidden="true" />
                    {g.name}
                    <span className="muted"> ({count ? `${count} of ` : ''}{g.values.length})</span>
                  </button>
                  {expanded && (
                    <div id={gid} className="check-grid" role="group" aria-label={`${label}: ${g.name}`}>
                      {g.values.map((v) => (
                        <Checkbox key={v.name} id={`${id}-${v.name}`} v={v} checked={selected.has(v.name)} onToggle={toggle} />
                      ))}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
