// The table of one list page: sortable column headers, a checkbox per row for bulk
// removal, the first column linking to the record, and each row's actions.

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { List, Property } from '../../shared/schema/types';
import type { JmapRecord } from '../jmap/types';
import { paths, type NavLink } from '../schema/nav';
import type { Cells } from './columns';
import { sortable } from './columns';
import type { Sort } from './listState';

/** A row action that opens another list filtered by this record ("Members"). */
export interface QueryAction {
  label: string;
  fieldName: string;
  target: NavLink;
}

/** One row's actions, in the schema's order (`itemActions`); `view` is the first column's link. */
export type RowAction =
  | ({ kind: 'query' } & QueryAction)
  /** Sets one property of this record (the queue's "Retry now"). */
  | { kind: 'set'; label: string; run: (id: string) => void }
  | { kind: 'separator' }
  | { kind: 'remove' };

interface Props {
  link: NavLink;
  list: List;
  properties: Record<string, Property>;
  records: JmapRecord[];
  cells: Cells;
  labelOf: (r: JmapRecord) => string;
  busy: boolean;
  sort: Sort | undefined;
  onSort: (property: string) => void;
  actions: RowAction[];
  /** Absent when there is nothing to do with several records at once. */
  selection?: {
    selected: ReadonlySet<string>;
    toggle: (id: string) => void;
    toggleAll: () => void;
    /** Whether this record can be ticked (a built-in one cannot be removed). */
    allows: (r: JmapRecord) => boolean;
  };
  /** Absent when the caller may not remove records. */
  removal?: {
    label: string;
    remove: (id: string) => void;
    /** Whether this record can be removed at all (a built-in one cannot). */
    allows: (r: JmapRecord) => boolean;
  };
}

export function ListTable({ link, list, properties, records, cells, labelOf, busy, sort, onSort, actions, selection, removal }: Props) {
  const { t } = useTranslation('lists');
  const tickable = selection ? records.filter(selection.allows) : [];
  const allSelected = !!selection && tickable.length > 0 && tickable.every((r) => selection.selected.has(r.id));
  const shown = actions.filter((a) => a.kind !== 'remove' || removal);
  const hasActions = shown.some((a) => a.kind !== 'separator');
  return (
    <div className="table-wrap">
      <table className="table" aria-busy={busy}>
        <caption className="sr-only">{list.title}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col" className="col-check">
                <input type="checkbox" aria-label={t('table.selectPage')} checked={allSelected} onChange={selection.toggleAll} />
              </th>
            )}
            {list.columns.map((c) => {
              const sorted = sort?.property === c.name ? sort : undefined;
              return (
                <th key={c.name} scope="col" aria-sort={sorted ? (sorted.isAscending ? 'ascending' : 'descending') : undefined}>
                  {sortable(properties[c.name]) ? (
                    <button type="button" className="sort-btn" onClick={() => onSort(c.name)}>
                      {c.label}
                      <span className={sorted ? (sorted.isAscending ? 'sort-icon asc' : 'sort-icon desc') : 'sort-icon'} aria-hidden="true" />
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
            {hasActions && (
              <th scope="col" className="col-actions">
                <span className="sr-only">{t('table.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} className={selection?.selected.has(r.id) ? 'selected' : undefined}>
              {selection && (
                <td className="col-check">
                  {selection.allows(r) && (
                    <input type="checkbox" aria-label={t('table.select', { label: labelOf(r) })} checked={selection.selected.has(r.id)} onChange={() => selection.toggle(r.id)} />
                  )}
                </td>
              )}
              {list.columns.map((c, i) => {
                if (i > 0) return <td key={c.name}>{cells.show(r, c.name)}</td>;
                // An empty first cell (an account without an address) shows the record's label.
                const text = cells.text(r, c.name) || labelOf(r);
                return (
                  <td key={c.name}>
                    <Link to={paths.record(link, r.id)} aria-label={text && text !== r.id ? undefined : t('table.open', { id: r.id })}>{text || r.id}</Link>
                  </td>
                );
              })}
              {hasActions && (
                <td className="col-actions">
                  {shown.map((a, i) => {
                    switch (a.kind) {
                      case 'query':
                        return (
                          <Link key={i} className="btn btn-small btn-ghost" to={paths.filtered(a.target, a.fieldName, r.id)} aria-label={`${a.label}: ${labelOf(r)}`}>
                            {a.label}
                          </Link>
                        );
                      case 'set':
                        return (
                          <button key={i} type="button" className="btn btn-small btn-ghost" aria-label={`${a.label}: ${labelOf(r)}`} onClick={() => a.run(r.id)}>
                            {a.label}
                          </button>
                        );
                      case 'separator':
                        return <span key={i} className="action-separator" aria-hidden="true" />;
                      case 'remove':
                        return removal?.allows(r) ? (
                          <button key={i} type="button" className="btn btn-small btn-ghost" aria-label={`${removal.label} ${labelOf(r)}`} onClick={() => removal.remove(r.id)}>
                            {removal.label}
                          </button>
                        ) : null;
                    }
                  })}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
