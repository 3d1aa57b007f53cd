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
import { can, listProperties, resolveView, type ResolvedView } from '../schema/resolve';
import { fallbackList, useCells } from './columns';
import { formatValue } from '../schema/format';
import { FilterBar } from './FilterBar';
import { ListTable, type RowAction } from './ListTable';
import { Pager } from './Pager';
import { useDeletion } from './useDeletion';
import { useListPage } from './useListPage';
import { useListState } from './useListState';
import { useSelection } from './useSelection';
import { setPropertyActions, useSetProperty, type SetPropertyAction } from './useSetProperty';
import './lists.css';
import { ENTERPRISE_NOTE, lacksEnterprise } from '../schema/edition';

export default function ListPage({ link, view, crumbs }: { link: NavLink; view: ResolvedView; crumbs: Crumb[] }) {
  const { doc, links, permissions, edition } = useConsole();
  const properties = useMemo(() => listProperties(doc, view), [doc, view]);
  const list = useMemo(() => view.list ?? fallbackList(view, Object.keys(properties)), [view, properties]);
  const url = useListState(list);
  const { state } = url;
  const selection = useSelection();
  const page = useListPage(view.objectName, list, state, url.toPage);
  const { query, records } = page;
  const failure = useFailure(query);
  const cells = useCells(records, list, properties, view.objectName);
  const labelOf = (r: JmapRecord) => String((page.labelProp && r[page.labelProp]) || r.id);
  const labelOfId = (id: string) => labelOf(records.find((r) => r.id === id) ?? { id });
  const deletion = useDeletion(view.objectName, list, labelOfId, selection.clear);
  const { removal } = deletion;

  const setting = useSetProperty(view.objectName, list, labelOfId, selection.clear);
  // An enterprise-only object on a server whose edition lacks it: shown, not changed.
  const lacking = lacksEnterprise(edition) && !!(view.entry.enterprise || doc.objects[view.objectName]?.enterprise);
  const canCreate = !lacking && can(permissions, view.permissionPrefix, 'Create');
  const canUpdate = !lacking && can(permissions, view.permissionPrefix, 'Update');
  const canDestroy = !lacking && can(permissions, view.permissionPrefix, 'Destroy') && (!list.itemActions || list.itemActions.some((a) => a.type === 'delete') || !!list.massActions?.some((a) => a.type === 'delete'));
  const massSets = canUpdate ? setPropertyActions(list.massActions) : [];
  const setQuestion = ({ action, ids }: { action: SetPropertyAction; ids: string[] }) =>
    `${action.label}: ${ids.length === 1 ? labelOfId(ids[0]) : `${ids.length} ${list.pluralName}`}?`;
  const setWords = (action: SetPropertyAction) => {
    const p = properties[action.property];
    return `Sets ${p?.description.toLowerCase() || action.property} to ${formatValue(doc, p?.type, action.value) || String(action.value)}.`;
  };
  const builtIn = doc.objects[view.objectName]?.builtInProperty;
  const removable = (r: JmapRecord) => !(builtIn && r[builtIn] === true);
  // The row's actions in the schema's order; without itemActions, removal alone.
  const actions: RowAction[] = (list.itemActions ?? [{ type: 'delete' }]).flatMap((a): RowAction[] => {
    switch (a.type) {
      case 'query': {
        const target = linkForObject(doc, links, a.objectName);
        const targetList = target && resolveView(doc, target.viewName)?.list;
        return target && targetList?.filters?.some((f) => f.field === a.fieldName) ? [{ kind: 'query', label: a.label, fieldName: a.fieldName, target }] : [];
      }
      case 'setProperty':
        return canUpdate ? [{ kind: 'set', label: a.label, run: (id) => setting.ask(a, [id]) }] : [];
      case 'separator':
        return [{ kind: 'separator' }];
      case 'delete':
        return [{ kind: 'remove' }];
      case 'view':
        return [];
    }
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
          actions={actions}
          selection={
            canDestroy || massSets.length > 0
              ? {
                  selected: selection.selected, toggle: selection.toggle, allows: (r) => massSets.length > 0 || removable(r),
                  toggleAll: () => selection.toggleAll(records.filter((r) => massSets.length > 0 || removable(r)).map((r) => r.id)),
                }
              : undefined
          }
          removal={canDestroy ? { label: removal.rowLabel, remove: deletion.removeRow, allows: removable } : undefined}
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
      {lacking && <p className="banner banner-info">{ENTERPRISE_NOTE}: this server runs the {edition} edition, so these can be viewed but not changed.</p>}
      <div aria-live="polite">
        {setting.failures.map((f) => (
          <SetErrorBanner key={`set-${f.id}`} error={f.error} singularName={list.singularName} recordLabel={labelOfId(f.id)} />
        ))}
        {deletion.failures.map((f) => (
          <SetErrorBanner key={f.id} error={f.error} singularName={list.singularName} recordLabel={labelOfId(f.id)} />
        ))}
      </div>
      {selection.selected.size > 0 && (canDestroy || massSets.length > 0) && (
        <div className="bulk-bar" role="region" aria-label="Selection">
          <span>{selection.selected.size} selected</span>
          {massSets.map((a) => (
            <button key={a.label} type="button" className="btn" onClick={() => setting.ask(a, [...selection.selected])}>
              {a.label}
            </button>
          ))}
          {canDestroy && (
            <button type="button" className="btn btn-danger" onClick={() => deletion.confirm([...selection.selected].filter((id) => removable(records.find((r) => r.id === id) ?? { id })))}>
              {removal.massLabel} selected
            </button>
          )}
        </div>
      )}
      {body}
      {/* One question at a time, so one dialog (its title's id is the page's only one). */}
      {setting.asking ? (
        <ConfirmDialog open title={setQuestion(setting.asking)} confirmLabel={setting.asking.action.label} onConfirm={setting.confirm} onCancel={setting.cancel}>
          <p>{setWords(setting.asking.action)}</p>
        </ConfirmDialog>
      ) : (
        <ConfirmDialog
          open={confirming !== null}
          title={`${confirming?.length === 1 ? removal.rowLabel : removal.massLabel} ${confirming?.length === 1 ? list.singularName : `${confirming?.length ?? 0} ${list.pluralName}`}?`}
          confirmLabel={confirming?.length === 1 ? removal.rowLabel : removal.massLabel}
          danger={removal.final}
          onConfirm={() => confirming && void deletion.remove(confirming)}
          onCancel={deletion.cancel}
        >
          {removal.final && <p>This cannot be undone.</p>}
          <ul>
            {(confirming ?? []).slice(0, 10).map((id) => (
              <li key={id}>{labelOfId(id)}</li>
            ))}
            {(confirming?.length ?? 0) > 10 && <li>and {(confirming?.length ?? 0) - 10} more</li>}
          </ul>
        </ConfirmDialog>
      )}
    </>
  );
}
