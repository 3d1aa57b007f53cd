// The list page of any object or view: columns, filters and sort from the schema's
// `lists`, server-side paging through /query, state in the URL, bulk delete.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { List } from '../../shared/schema/types';
import { useClient } from '../jmap/context';
import { destroyRecords, invalidateObject, listQueryOptions } from '../jmap/queries';
import { MethodError, type JmapRecord, type SetError } from '../jmap/types';
import { Badge } from '../lib/Badge';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { PageHeader } from '../lib/PageHeader';
import { ErrorBanner, Loading } from '../lib/Status';
import { SetErrorBanner } from '../forms/SetErrorBanner';
import { removalLabel } from '../schema/actions';
import { useConsole } from '../schema/context';
import { formatValue } from '../schema/format';
import { linkForObject, paths, type NavLink } from '../schema/nav';
import { can, humanize, recordFields, resolveView, type ResolvedView } from '../schema/resolve';
import { setMembers } from '../lib/set';
import { FilterBar } from './FilterBar';
import { referencedObject, useReferenceLabels } from './useReferenceLabels';
import { buildFilter, PAGE_SIZE, parseListState, serializeListState, type ListState } from './listState';

/** A list layout for objects the schema gives none: its first few properties. */
function fallbackList(view: ResolvedView, properties: string[]): List {
  const name = view.viewName.replace(/^x:/, '');
  return {
    title: humanize(name), subtitle: '', singularName: 'record', pluralName: 'records',
    columns: properties.slice(0, 4).map((p) => ({ name: p, label: humanize(p) })),
  };
}

export default function ListPage({ link, view }: { link: NavLink; view: ResolvedView }) {
  const { doc, links, permissions } = useConsole();
  const client = useClient();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const { properties } = recordFields(doc, view);
  const list = view.list ?? fallbackList(view, Object.keys(properties));
  const state = parseListState(params, list);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [failures, setFailures] = useState<{ id: string; error: SetError }[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const labelProp = list.labelProperty ?? list.columns[0]?.name;
  // A removal the schema names itself (Blocked IPs: "Unblock") takes one click.
  const rowDeleteLabel = removalLabel(list.itemActions) ?? 'Delete';
  const massDeleteLabel = removalLabel(list.massActions) ?? 'Delete';
  const rowDeleteConfirms = rowDeleteLabel === 'Delete';
  const canCreate = can(permissions, view.permissionPrefix, 'Create');
  const canDestroy = can(permissions, view.permissionPrefix, 'Destroy') && (!list.itemActions || list.itemActions.some((a) => a.type === 'delete') || !!list.massActions?.some((a) => a.type === 'delete'));

  const args = useMemo(
    () => ({
      filter: buildFilter(list, state.filters),
      sort: state.sort ? [state.sort] : undefined,
      position: state.page * PAGE_SIZE,
      limit: PAGE_SIZE,
      properties: [...new Set(['id', ...(labelProp ? [labelProp] : []), ...list.columns.map((c) => c.name)])],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [params.toString(), view.viewName],
  );
  const query = useQuery({ ...listQueryOptions(client, view.objectName, args), placeholderData: keepPreviousData });

  const update = useCallback(
    (next: Partial<ListState>) => {
      setSelected(new Set());
      setParams(serializeListState({ ...parseListState(params, list), page: 0, ...next }, list), { replace: true });
    },
    [params, list, setParams],
  );

  const records = query.data?.records ?? [];
  const total = query.data?.total;
  // A page emptied by deletions (or a stale bookmark) moves to the last page that has records.
  const pastTheEnd = !query.isPlaceholderData && query.isSuccess && records.length === 0 && state.page > 0 && (total ?? 0) > 0;
  useEffect(() => {
    // Once, when it becomes true (state is a new object on every render).
    if (pastTheEnd) setParams(serializeListState({ ...state, page: Math.max(0, Math.ceil((total ?? 0) / PAGE_SIZE) - 1) }, list), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pastTheEnd]);
  const refLabel = useReferenceLabels(records, list.columns.map((c) => c.name), properties);
  const cell = (r: JmapRecord, column: string) => {
    const type = properties[column]?.type;
    if (type?.type === 'enum' && typeof r[column] === 'string') {
      const value = doc.enums[type.enumName]?.find((e) => e.name === r[column]);
      if (value?.color) return <Badge label={value.label ?? value.name} color={value.color} title={value.explanation} />;
    }
    return cellText(r, column);
  };
  const cellText = (r: JmapRecord, column: string) => {
    const type = properties[column]?.type;
    const target = referencedObject(type);
    if (!target) return formatValue(doc, type, r[column]);
    return setMembers(typeof r[column] === 'string' ? [r[column]] : r[column]).map((id) => refLabel(target, id)).join(', ');
  };
  const queryActions = (list.itemActions ?? []).flatMap((a) => {
    if (a.type !== 'query') return [];
    const target = linkForObject(doc, links, a.objectName);
    const targetList = target && resolveView(doc, target.viewName)?.list;
    return target && targetList?.filters?.some((f) => f.field === a.fieldName) ? [{ ...a, target }] : [];
  });
  const labelOf = (r: JmapRecord) => String((labelProp && r[labelProp]) || r.id);
  const allSelected = records.length > 0 && records.every((r) => selected.has(r.id));
  const filtered = Object.keys(state.filters).length > 0;

  async function onDelete(ids: string[]) {
    setConfirming(null);
    setFailures([]);
    setNotice(null);
    try {
      const refused = await destroyRecords(client, view.objectName, ids);
      const failed = Object.entries(refused).map(([id, error]) => ({ id, error }));
      setFailures(failed);
      const done = ids.length - failed.length;
      const labelled = massDeleteLabel !== 'Delete' || (ids.length === 1 && rowDeleteLabel !== 'Delete');
      const what = done === 1 ? (ids.length === 1 ? labelOf(records.find((r) => r.id === ids[0]) ?? { id: ids[0] }) : `1 ${list.singularName}`) : `${done} ${list.pluralName}`;
      if (done > 0) setNotice(labelled ? `${ids.length === 1 ? rowDeleteLabel : massDeleteLabel}: done for ${what}.` : `Deleted ${done} ${done === 1 ? list.singularName : list.pluralName}.`);
      setSelected(new Set());
      await invalidateObject(queryClient, view.objectName);
    } catch (e) {
      setFailures([{ id: '', error: { type: 'serverFail', description: (e as Error).message } }]);
    }
  }

  const toggleSort = (property: string) =>
    update({ sort: { property, isAscending: state.sort?.property === property ? !state.sort.isAscending : true } });
  // Only plain values sort meaningfully (not sets, nested objects or secrets).
  const sortable = (column: string) => {
    const t = properties[column]?.type;
    if (!t) return false;
    if (t.type === 'string') return t.format !== 'secret' && t.format !== 'secretText';
    return t.type === 'number' || t.type === 'boolean' || t.type === 'utcDateTime' || t.type === 'enum';
  };
  // A server may still refuse a sort (a computed column): drop it rather than leave the list stuck.
  const unsupportedSort = query.error instanceof MethodError && query.error.type === 'unsupportedSort' && state.sort;

  const crumbs = link.trail.map((label, i) => ({ label, to: i === link.trail.length - 1 ? paths.list(link) : undefined }));
  const firstShown = state.page * PAGE_SIZE + 1;
  const lastShown = state.page * PAGE_SIZE + records.length;
  const hasNext = total !== undefined ? lastShown < total : records.length === PAGE_SIZE;

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={list.title}
        subtitle={list.subtitle}
        actions={
          canCreate && (
            <Link className="btn btn-primary" to={paths.create(link)}>
              New {list.singularName}
            </Link>
          )
        }
      />
      {list.filters && list.filters.length > 0 && <FilterBar filters={list.filters} values={state.filters} onChange={(filters) => update({ filters })} />}
      <div aria-live="polite">
        {notice && <p className="banner banner-success">{notice}</p>}
        {failures.map((f) => (
          <SetErrorBanner key={f.id} error={f.error} singularName={list.singularName} recordLabel={labelOf(records.find((r) => r.id === f.id) ?? { id: f.id })} />
        ))}
      </div>
      {canDestroy && selected.size > 0 && (
        <div className="bulk-bar" role="region" aria-label="Selection">
          <span>{selected.size} selected</span>
          <button type="button" className="btn btn-danger" onClick={() => setConfirming([...selected])}>
            {massDeleteLabel} selected
          </button>
        </div>
      )}
      {query.isPending ? (
        <Loading label={`Loading ${list.pluralName}…`} />
      ) : unsupportedSort ? (
        <ErrorBanner onRetry={() => update({ sort: undefined })}>
          This list cannot be sorted by {list.columns.find((c) => c.name === state.sort?.property)?.label ?? state.sort?.property}.
        </ErrorBanner>
      ) : query.isError ? (
        <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />
      ) : records.length === 0 ? (
        <div className="empty">
          <p>{filtered ? `No ${list.pluralName} match these filters.` : `There are no ${list.pluralName} yet.`}</p>
          {filtered ? (
            <button type="button" className="btn" onClick={() => update({ filters: {} })}>
              Clear filters
            </button>
          ) : (
            canCreate && (
              <Link className="btn btn-primary" to={paths.create(link)}>
                New {list.singularName}
              </Link>
            )
          )}
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" aria-busy={query.isFetching}>
              <caption className="sr-only">{list.title}</caption>
              <thead>
                <tr>
                  {canDestroy && (
                    <th scope="col" className="col-check">
                      <input
                        type="checkbox"
                        aria-label="Select all on this page"
                        checked={allSelected}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(records.map((r) => r.id)))}
                      />
                    </th>
                  )}
                  {list.columns.map((c) => {
                    const sorted = state.sort?.property === c.name;
                    return (
                      <th key={c.name} scope="col" aria-sort={sorted ? (state.sort!.isAscending ? 'ascending' : 'descending') : undefined}>
                        {sortable(c.name) ? (
                          <button type="button" className="sort-btn" onClick={() => toggleSort(c.name)}>
                            {c.label}
                            <span className={sorted ? (state.sort!.isAscending ? 'sort-icon asc' : 'sort-icon desc') : 'sort-icon'} aria-hidden="true" />
                          </button>
                        ) : (
                          c.label
                        )}
                      </th>
                    );
                  })}
                  {(canDestroy || queryActions.length > 0) && (
                    <th scope="col" className="col-actions">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {records.map((r) => (
                  <tr key={r.id} className={selected.has(r.id) ? 'selected' : undefined}>
                    {canDestroy && (
                      <td className="col-check">
                        <input
                          type="checkbox"
                          aria-label={`Select ${labelOf(r)}`}
                          checked={selected.has(r.id)}
                          onChange={() => {
                            const next = new Set(selected);
                            if (next.has(r.id)) next.delete(r.id);
                            else next.add(r.id);
                            setSelected(next);
                          }}
                        />
                      </td>
                    )}
                    {list.columns.map((c, i) => {
                      if (i > 0) return <td key={c.name}>{cell(r, c.name)}</td>;
                      const text = cellText(r, c.name);
                      return (
                        <td key={c.name}>
                          <Link to={paths.record(link, r.id)} aria-label={text ? undefined : `Open ${r.id}`}>{text || r.id}</Link>
                        </td>
                      );
                    })}
                    {(canDestroy || queryActions.length > 0) && (
                      <td className="col-actions">
                        {queryActions.map((a) => (
                          <Link key={a.label} className="btn btn-small btn-ghost" to={`${paths.list(a.target)}?f.${encodeURIComponent(a.fieldName)}=${encodeURIComponent(r.id)}`} aria-label={`${a.label}: ${labelOf(r)}`}>
                            {a.label}
                          </Link>
                        ))}
                        {canDestroy && (
                          <button
                            type="button"
                            className="btn btn-small btn-ghost"
                            aria-label={`${rowDeleteLabel} ${labelOf(r)}`}
                            onClick={() => (rowDeleteConfirms ? setConfirming([r.id]) : void onDelete([r.id]))}
                          >
                            {rowDeleteLabel}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages">
            <span>
              {firstShown}–{lastShown}
              {total !== undefined && ` of ${total.toLocaleString('en')}`}
            </span>
            <button type="button" className="btn btn-small" disabled={state.page === 0} onClick={() => update({ ...state, page: state.page - 1 })}>
              Previous
            </button>
            <button type="button" className="btn btn-small" disabled={!hasNext} onClick={() => update({ ...state, page: state.page + 1 })}>
              Next
            </button>
          </nav>
        </>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={`${massDeleteLabel} ${confirming?.length === 1 ? list.singularName : `${confirming?.length ?? 0} ${list.pluralName}`}?`}
        confirmLabel={massDeleteLabel}
        danger={massDeleteLabel === 'Delete'}
        onConfirm={() => confirming && void onDelete(confirming)}
        onCancel={() => setConfirming(null)}
      >
        {massDeleteLabel === 'Delete' && <p>This cannot be undone.</p>}
        <ul>
          {(confirming ?? []).slice(0, 10).map((id) => (
            <li key={id}>{labelOf(records.find((r) => r.id === id) ?? { id })}</li>
          ))}
          {(confirming?.length ?? 0) > 10 && <li>and {confirming!.length - 10} more</li>}
        </ul>
      </ConfirmDialog>
    </>
  );
}
