// The table of one list page: sortable column headers, a checkbox per row for bulk
// removal, the first column linking to the record, and each row's actions.

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
  queryActions: QueryAction[];
  /** Absent when the caller may not remove records. */
  removal?: {
    label: string;
    selected: ReadonlySet<string>;
    toggle: (id: string) => void;
    toggleAll: () => void;
    remove: (id: string) => void;
    /** Whether this record can be removed at all (a built-in one cannot). */
    allows: (r: JmapRecord) => boolean;
  };
}

export function ListTable({ link, list, properties, records, cells, labelOf, busy, sort, onSort, queryActions, removal }: Props) {
  const removable = removal ? records.filter(removal.allows) : [];
  const allSelected = !!removal && removable.length > 0 && removable.every((r) => removal.selected.has(r.id));
  const hasActions = !!removal || queryActions.length > 0;
  return (
    <div className="table-wrap">
      <table className="table" aria-busy={busy}>
        <caption className="sr-only">{list.title}</caption>
        <thead>
          <tr>
            {removal && (
              <th scope="col" className="col-check">
                <input type="checkbox" aria-label="Select all on this page" checked={allSelected} onChange={removal.toggleAll} />
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
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} className={removal?.selected.has(r.id) ? 'selected' : undefined}>
              {removal && (
                <td className="col-check">
                  {removal.allows(r) && (
                    <input type="checkbox" aria-label={`Select ${labelOf(r)}`} checked={removal.selected.has(r.id)} onChange={() => removal.toggle(r.id)} />
                  )}
                </td>
              )}
              {list.columns.map((c, i) => {
                if (i > 0) return <td key={c.name}>{cells.show(r, c.name)}</td>;
                const text = cells.text(r, c.name);
                return (
                  <td key={c.name}>
                    <Link to={paths.record(link, r.id)} aria-label={text ? undefined : `Open ${r.id}`}>{text || r.id}</Link>
                  </td>
                );
              })}
              {hasActions && (
                <td className="col-actions">
                  {queryActions.map((a) => (
                    <Link key={a.label} className="btn btn-small btn-ghost" to={paths.filtered(a.target, a.fieldName, r.id)} aria-label={`${a.label}: ${labelOf(r)}`}>
                      {a.label}
                    </Link>
                  ))}
                  {removal?.allows(r) && (
                    <button type="button" className="btn btn-small btn-ghost" aria-label={`${removal.label} ${labelOf(r)}`} onClick={() => removal.remove(r.id)}>
                      {removal.label}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
