// A set of enum values. Short enums are a list of checkboxes; long ones (the ~660
// permissions) have a search combobox and groups by area, rendered only when open. In a
// set of permissions, what the caller does not hold cannot be granted: such a value cannot
// be ticked (or, in a set that takes permissions away, unticked), and says why.

import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnumValue, SchemaDocument } from '../../../shared/schema/types';
import { setMembers, toSet } from '../../lib/set';
import { useConsole } from '../../schema/context';
import { groupEnum } from '../../schema/format';
import { PERMISSION_ENUM } from '../../schema/grants';
import { useAnnouncer } from './Announcer';
import { i18n } from '../../i18n/i18n';
import { EnumSearch } from './EnumSearch';
import { midSentence } from '../words';

const SHORT = 16;

interface Props {
  id: string;
  label: string;
  enumName: string;
  value: unknown;
  onChange: (value: Record<string, true>) => void;
  readOnly?: boolean;
  describedBy?: string;
  /** A set that takes its members away (disabledPermissions) rather than giving them. */
  takes?: boolean;
}

// Memoised, with a stable onToggle: ticking one of 660 boxes re-renders that box only.
const Checkbox = memo(function Checkbox({ id, v, checked, disabled, why, onToggle }: { id: string; v: EnumValue; checked: boolean; disabled?: boolean; why?: string; onToggle: (name: string) => void }) {
  return (
    <>
      <label className="check" htmlFor={id} title={why ?? v.explanation}>
        <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={why ? `${id}-why` : undefined} onChange={() => onToggle(v.name)} />
        {v.label}
      </label>
      {why && <span id={`${id}-why`} className="sr-only">{why}</span>}
    </>
  );
});

/** Why the caller cannot change `name` in this set, if so: granting needs holding. */
function lockOf(enumName: string, held: ReadonlySet<string>, selected: ReadonlySet<string>, takes: boolean) {
  return (name: string): string | undefined => {
    if (enumName !== PERMISSION_ENUM || held.has(name)) return undefined;
    if (!takes && !selected.has(name)) return i18n.t('forms:enumSet.unheldGive');
    if (takes && selected.has(name)) return i18n.t('forms:enumSet.unheldTake');
    return undefined;
  };
}

export const EnumSetPicker = memo(function EnumSetPicker({ id, label, enumName, value, onChange, readOnly, describedBy, takes = false }: Props) {
  const { doc, permissions } = useConsole();
  const values = useMemo(() => doc.enums[enumName] ?? [], [doc, enumName]);
  const selected = useMemo(() => new Set(setMembers(value)), [value]);
  const locked = useMemo(() => lockOf(enumName, permissions, selected, takes), [enumName, permissions, selected, takes]);
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
          <Checkbox key={v.name} id={`${id}-${v.name}`} v={v} checked={selected.has(v.name)} disabled={readOnly || !!locked(v.name)} why={locked(v.name)} onToggle={toggle} />
        ))}
      </div>
    );
  }
  return <LongEnumSet id={id} label={label} values={values} selected={selected} toggle={toggle} locked={locked} readOnly={readOnly} describedBy={describedBy} doc={doc} />;
});

function LongEnumSet({ id, label, values, selected, toggle, locked, readOnly, describedBy, doc }: {
  id: string; label: string; values: EnumValue[]; selected: Set<string>; toggle: (n: string) => void; locked: (n: string) => string | undefined;
  readOnly?: boolean; describedBy?: string; doc: SchemaDocument;
}) {
  const { t } = useTranslation('forms');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [region, announce] = useAnnouncer();
  const groups = useMemo(() => groupEnum(doc, values), [doc, values]);
  const byName = useMemo(() => new Map(values.map((v) => [v.name, v])), [values]);
  const groupByName = useMemo(() => new Map(groups.flatMap((g) => g.values.map((v) => [v.name, g.name] as const))), [groups]);
  const groupOf = useCallback((n: string) => groupByName.get(n) ?? '', [groupByName]);
  const labelOf = (n: string) => byName.get(n)?.label ?? n;
  // Chips and the search change the set out of sight of the ticked box: say what happened.
  const announced = (n: string) => {
    announce(selected.has(n) ? t('enumSet.removed', { label: labelOf(n) }) : t('enumSet.added', { label: labelOf(n) }));
    toggle(n);
  };

  return (
    <div className="enum-set" aria-describedby={describedBy}>
      {selected.size > 0 ? (
        <ul className="chips" aria-label={t('enumSet.selected', { label: midSentence(label) })}>
          {[...selected].map((n) => (
            <li key={n} className="chip">
              {labelOf(n)}
              {!readOnly && !locked(n) && (
                <button type="button" className="chip-remove" aria-label={t('removeNamed', { name: labelOf(n) })} onClick={() => announced(n)}>
                  {'\u00d7'}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('enumSet.noneSelected')}</p>
      )}
      {region}
      {!readOnly && (
        <>
          <EnumSearch id={id} label={label} values={values} groupOf={groupOf} selected={selected} toggle={announced} locked={locked} />
          <div className="enum-groups">
            {groups.map((g) => {
              const expanded = open.has(g.name);
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
                    <span className="muted"> {count ? t('enumSet.groupCount', { selected: count, total: g.values.length }) : t('enumSet.groupTotal', { total: g.values.length })}</span>
                  </button>
                  {expanded && (
                    <div id={gid} className="check-grid" role="group" aria-label={`${label}: ${g.name}`}>
                      {g.values.map((v) => (
                        <Checkbox key={v.name} id={`${id}-${v.name}`} v={v} checked={selected.has(v.name)} disabled={!!locked(v.name)} why={locked(v.name)} onToggle={toggle} />
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
