// The list page of any object or view: columns, filters and sort from the schema's
// `lists`, server-side paging through /query, state in the URL, bulk removal. The
// pieces live beside it: URL state, data, selection, removal, table, pager.

import { useMemo } from 'react';
import { Link } from 'react-router';
import { SetErrorBanner } from '../forms/SetErrorBanner';
import type { JmapRecord } from '../jmap/types';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { PageHeader } from '../lib/PageHeader';
import { ErrorBanner, Loading } from '../lib/Status';
import { useFailure } from '../lib/useFailure';
import { useConsole } from '../schema/context';
import { linkForObject, paths, type Crumb, type NavLink } from '../schema/nav';
import { can, recordFields, resolveView, type ResolvedView } from '../schema/resolve';
import { fallbackList, useCells } from './columns';
import { FilterBar } from './FilterBar';
import { ListTable, type QueryAction } from './ListTable';
import { Pager } from './Pager';
import { useDeletion } from './useDeletion';
import { useListPage } from './useListPage';
import { useListState } from './useListState';
import { useSelection } from './useSelection';

export default function ListPage({ link, view, crumbs }: { link: NavLink; view: ResolvedView; crumbs: Crumb[] }) {
  const { doc, links, permissions } = useConsole();
  const { properties } = useMemo(() => recordFields(doc, view), [doc, view]);
  const list = useMemo(() => view.list ?? fallbackList(view, Object.keys(properties)), [view, properties]);
  const url = useListState(list);
  const { state } = url;
  const selection = useSelection();
  const page = useListPage(view.objectName, list, state, url.toPage);
  const { query, records } = page;
  const failure = useFailure(query);
  const cells = useCells(records, list, properties);
  const labelOf = (r: JmapRecord) => String((page.labelProp && r[page.labelProp]) || r.id);
  const labelOfId = (id: string) => labelOf(records.find((r) => r.id === id) ?? { id });
  const deletion = useDeletion(view.objectName, list, labelOfId, selection.clear);
  const { removal } = deletion;

  const canCreate = can(permissions, view.permissionPrefix, 'Create');
  const canDestroy = can(permissions, view.permissionPrefix, 'Destroy') && (!list.itemActions || list.itemActions.some((a) => a.type === 'delete') || !!list.massActions?.some((a) => a.type === 'delete'));
  const builtIn = doc.objects[view.objectName]?.builtInProperty;
  const removable = (r: JmapRecord) => !(builtIn && r[builtIn] === true);
  const queryActions: QueryAction[] = (list.itemActions ?? []).flatMap((a) => {
    if (a.type !== 'query') return [];
    const target = linkForObject(doc, links, a.objectName);
    const targetList = target && resolveView(doc, target.viewName)?.list;
    return target && targetList?.filters?.some((f) => f.field === a.fieldName) ? [{ label: a.label, fieldName: a.fieldName, target }] : [];
  });
  const filtered = Object.keys(state.filters).length > 0;
  // Any change of filters, sort or page starts a new selection.
  const change: typeof url.change = (next) => {
    selection.clear();
    url.change(next);
  };
  const toPage = (n: number) => {
    selection.clear();
    url.toPage(n);
  };
  const newButton = canCreate && (
    <Link className="btn btn-primary" to={paths.create(link)}>
      New {list.singularName}
    </Link>
  );

  let body;
  if (page.unsupportedSort) {
    body = (
      <ErrorBanner onRetry={() => change({ sort: undefined })}>
        This list cannot be sorted by {list.columns.find((c) => c.name === state.sort?.property)?.label ?? state.sort?.property}.
      </ErrorBanner>
    );
  } else if (failure.error !== undefined) body = <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void query.refetch()} />;
  else if (query.isPending) body = <Loading label={`Loading ${list.pluralName}…`} />;
  else if (records.length === 0) {
    body = (
      <div className="empty">
        <p>{filtered ? `No ${list.pluralName} match these filters.` : `There are no ${list.pluralName} yet.`}</p>
        {filtered ? (
          <button type="button" className="btn" onClick={() => change({ filters: {} })}>
            Clear filters
          </button>
        ) : (
          newButton
        )}
      </div>
    );
  } else {
    body = (
      <>
        <ListTable
          link={link}
          list={list}
          properties={properties}
          records={records}
          cells={cells}
          labelOf={labelOf}
          busy={query.isFetching}
          sort={state.sort}
          onSort={(property) => change({ sort: { property, isAscending: state.sort?.property === property ? !state.sort.isAscending : true } })}
          queryActions={queryActions}
          removal={
            canDestroy
              ? {
                  label: removal.rowLabel, selected: selection.selected, toggle: selection.toggle, remove: deletion.removeRow, allows: removable,
                  toggleAll: () => selection.toggleAll(records.filter(removable).map((r) => r.id)),
                }
              : undefined
          }
        />
        <Pager
          firstShown={page.firstShown}
          lastShown={page.lastShown}
          total={page.total}
          hasPrevious={state.page > 0}
          hasNext={page.hasNext}
          onPrevious={() => toPage(state.page - 1)}
          onNext={() => toPage(state.page + 1)}
        />
      </>
    );
  }

  const confirming = deletion.confirming;
  return (
    <>
      <PageHeader crumbs={crumbs} title={list.title} subtitle={list.subtitle} actions={newButton} />
      {list.filters && list.filters.length > 0 && <FilterBar filters={list.filters} values={state.filters} onChange={(filters) => change({ filters })} />}
      <div aria-live="polite">
        {deletion.failures.map((f) => (
          <SetErrorBanner key={f.id} error={f.error} singularName={list.singularName} recordLabel={labelOfId(f.id)} />
        ))}
      </div>
      {canDestroy && selection.selected.size > 0 && (
        <div className="bulk-bar" role="region" aria-label="Selection">
          <span>{selection.selected.size} selected</span>
          <button type="button" className="btn btn-danger" onClick={() => deletion.confirm([...selection.selected])}>
            {removal.massLabel} selected
          </button>
        </div>
      )}
      {body}
      <ConfirmDialog
        open={confirming !== null}
        title={`${removal.massLabel} ${confirming?.length === 1 ? list.singularName : `${confirming?.length ?? 0} ${list.pluralName}`}?`}
        confirmLabel={removal.massLabel}
        danger={removal.massLabel === 'Delete'}
        onConfirm={() => confirming && void deletion.remove(confirming)}
        onCancel={deletion.cancel}
      >
        {removal.massLabel === 'Delete' && <p>This cannot be undone.</p>}
        <ul>
          {(confirming ?? []).slice(0, 10).map((id) => (
            <li key={id}>{labelOfId(id)}</li>
          ))}
          {(confirming?.length ?? 0) > 10 && <li>and {(confirming?.length ?? 0) - 10} more</li>}
        </ul>
      </ConfirmDialog>
    </>
  );
}
