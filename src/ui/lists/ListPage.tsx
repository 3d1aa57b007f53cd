// The list page of any object or view: columns (chosen and ordered per list), filters and
// sort from the schema's `lists`, server-side paging through /query, state in the URL,
// bulk actions on the ticked records or on every one the filter matches, CSV export. The
// pieces live beside it: URL state, data, selection, removal, table, pager, columns, export.

import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Download } from 'lucide-react';
import { SetErrorBanner } from '../forms/SetErrorBanner';
import { useClient } from '../jmap/context';
import type { JmapRecord } from '../jmap/types';
import { PageHeader } from '../lib/PageHeader';
import { ErrorBanner, Loading } from '../lib/Status';
import { useFailure } from '../lib/useFailure';
import { useConsole } from '../schema/context';
import { linkForObject, paths, type Crumb, type NavLink } from '../schema/nav';
import { can, listProperties, resolveView, type ResolvedView } from '../schema/resolve';
import { allMatchingIds } from './batches';
import { fallbackList, useCells } from './columns';
import { ColumnsMenu } from './ColumnsMenu';
import { ExportProgress, useCsvExport } from './export/ExportProgress';
import { ImportCsv } from './import/ImportCsv';
import { exportableColumns } from './export/values';
import { FilterBar } from './FilterBar';
import { ListDialogs } from './ListDialogs';
import { buildFilter } from './listState';
import { ListTable, type RowAction } from './ListTable';
import { Pager } from './Pager';
import { SelectionBar } from './SelectionBar';
import type { Targets } from './useBulkWrite';
import { useColumnChoice } from './useColumnChoice';
import { useDeletion } from './useDeletion';
import { useListPage } from './useListPage';
import { useListState } from './useListState';
import { useSelection } from './useSelection';
import { setPropertyActions, useSetProperty } from './useSetProperty';
import './lists.css';
import { enterpriseNote, lacksEnterprise } from '../schema/edition';

export default function ListPage({ link, view, crumbs }: { link: NavLink; view: ResolvedView; crumbs: Crumb[] }) {
  const { t } = useTranslation('lists');
  const { doc, links, permissions, edition } = useConsole();
  const client = useClient();
  const properties = useMemo(() => listProperties(doc, view), [doc, view]);
  const list = useMemo(() => view.list ?? fallbackList(view, Object.keys(properties)), [view, properties]);
  const choice = useColumnChoice(view, list, properties);
  const shownList = useMemo(() => ({ ...list, columns: choice.columns }), [list, choice.columns]);
  const url = useListState(list);
  const { state } = url;
  const selection = useSelection();
  // Another list, filter, sort or page (the filter bar, a link, Back): a new selection.
  const scope = JSON.stringify([view.viewName, state.filters, state.sort, state.page]);
  const { clear } = selection;
  useEffect(() => clear(), [scope, clear]);
  const page = useListPage(view.objectName, shownList, state, url.toPage);
  const { query, records, total } = page;
  const failure = useFailure(query);
  const cells = useCells(records, shownList, properties, view.objectName);
  const labelOf = (r: JmapRecord) => String((page.labelProp && r[page.labelProp]) || r.id);
  const labelOfId = (id: string) => labelOf(records.find((r) => r.id === id) ?? { id });
  const deletion = useDeletion(view.objectName, list, labelOfId, selection.clear);
  const { removal } = deletion;
  const exporting = useCsvExport(view.viewName, list.pluralName);

  const setting = useSetProperty(view.objectName, list, labelOfId, selection.clear);
  // An enterprise-only object on a server whose edition lacks it: shown, not changed.
  const lacking = lacksEnterprise(edition) && !!(view.entry.enterprise || doc.objects[view.objectName]?.enterprise);
  const canCreate = !lacking && can(permissions, view.permissionPrefix, 'Create');
  const canUpdate = !lacking && can(permissions, view.permissionPrefix, 'Update');
  const canDestroy = !lacking && can(permissions, view.permissionPrefix, 'Destroy') && (!list.itemActions || list.itemActions.some((a) => a.type === 'delete') || !!list.massActions?.some((a) => a.type === 'delete'));
  const massSets = canUpdate ? setPropertyActions(list.massActions) : [];
  const builtIn = doc.objects[view.objectName]?.builtInProperty;
  const removable = (r: JmapRecord) => !(builtIn && r[builtIn] === true);
  const tickable = (r: JmapRecord) => massSets.length > 0 || removable(r);
  const filter = buildFilter(list, state.filters);
  // Every record the filter matches, read when the write starts (built-in ones are never removed).
  const matching = (skipBuiltIn: boolean): Targets => ({
    matching: total ?? 0,
    resolve: (pageSize) => allMatchingIds(client, view.objectName, { filter, sort: state.sort, skip: skipBuiltIn ? builtIn : undefined }, pageSize),
  });
  const chosen = (skipBuiltIn: boolean): Targets =>
    selection.matching ? matching(skipBuiltIn) : [...selection.selected].filter((id) => !skipBuiltIn || removable(records.find((r) => r.id === id) ?? { id }));
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
      {t('new', { what: list.singularName })}
    </Link>
  );
  const exportColumns = exportableColumns(choice.columns, properties).map((c) => ({ ...c, type: properties[c.name]?.type }));
  const headerActions = (
    <>
      <ColumnsMenu available={choice.available} columns={choice.columns} customized={choice.customized} onToggle={choice.toggle} onMove={choice.move} onReset={choice.reset} />
      <button
        type="button" className="btn" disabled={!!exporting.running || records.length === 0}
        onClick={() => void exporting.start({ objectName: view.objectName, filter, sort: state.sort, columns: exportColumns })}
      >
        <Download aria-hidden="true" size={16} /> {t('export.button')}
      </button>
      {canCreate && <ImportCsv view={view} list={list} />}
      {newButton}
    </>
  );

  let body;
  if (page.unsupportedSort) {
    body = (
      <ErrorBanner onRetry={() => change({ sort: undefined })}>
        {t('unsortable', { column: choice.available.find((c) => c.name === state.sort?.property)?.label ?? state.sort?.property })}
      </ErrorBanner>
    );
  } else if (failure.error !== undefined) body = <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void query.refetch()} />;
  else if (query.isPending) body = <Loading label={t('loading', { what: list.pluralName })} />;
  else if (records.length === 0) {
    body = (
      <div className="empty">
        <p>{filtered ? t('empty.filtered', { what: list.pluralName }) : t('empty.none', { what: list.pluralName })}</p>
        {filtered ? (
          <button type="button" className="btn" onClick={() => change({ filters: {} })}>
            {t('filters.clear')}
          </button>
        ) : (
          newButton
        )}
      </div>
    );
  } else {
    const pageTickable = records.filter(tickable);
    body = (
      <>
        <ListTable
          link={link}
          list={shownList}
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
              ? { selected: selection.selected, toggle: selection.toggle, allows: tickable, toggleAll: () => selection.toggleAll(pageTickable.map((r) => r.id)) }
              : undefined
          }
          removal={canDestroy ? { label: removal.rowLabel, remove: deletion.removeRow, allows: removable } : undefined}
        />
        <Pager
          firstShown={page.firstShown}
          lastShown={page.lastShown}
          total={total}
          hasPrevious={state.page > 0}
          hasNext={page.hasNext}
          onPrevious={() => toPage(state.page - 1)}
          onNext={() => toPage(state.page + 1)}
        />
      </>
    );
  }

  const ticked = records.filter(tickable);
  const allOnPage = ticked.length > 0 && ticked.every((r) => selection.selected.has(r.id));
  const progress = deletion.progress ?? setting.progress;
  return (
    <>
      <PageHeader crumbs={crumbs} title={list.title} subtitle={list.subtitle} actions={headerActions} />
      {list.filters && list.filters.length > 0 && <FilterBar filters={list.filters} values={state.filters} onChange={(filters) => change({ filters })} />}
      {lacking && <p className="banner banner-info">{t('enterprise', { note: enterpriseNote(), edition })}</p>}
      <ExportProgress exporting={exporting} pluralName={list.pluralName} />
      <div aria-live="polite">
        {setting.failures.map((f) => (
          <SetErrorBanner key={`set-${f.id}`} error={f.error} singularName={list.singularName} recordLabel={f.id ? labelOfId(f.id) : undefined} />
        ))}
        {deletion.failures.map((f) => (
          <SetErrorBanner key={f.id} error={f.error} singularName={list.singularName} recordLabel={f.id ? labelOfId(f.id) : undefined} />
        ))}
      </div>
      {(selection.selected.size > 0 || progress) && (canDestroy || massSets.length > 0) && (
        <SelectionBar
          selected={selection.selected.size} allOnPage={allOnPage} matching={selection.matching} total={total}
          onSelectMatching={selection.selectMatching} onClear={selection.clear} progress={progress}
        >
          {massSets.map((a) => (
            <button key={a.label} type="button" className="btn" disabled={!!progress} onClick={() => setting.ask(a, chosen(false))}>
              {a.label}
            </button>
          ))}
          {canDestroy && (
            <button type="button" className="btn btn-danger" disabled={!!progress} onClick={() => deletion.confirm(chosen(true))}>
              {t('bulk.removeSelected', { action: removal.massLabel })}
            </button>
          )}
        </SelectionBar>
      )}
      {body}
      <ListDialogs list={list} properties={properties} setting={setting} deletion={deletion} labelOfId={labelOfId} />
    </>
  );
}
