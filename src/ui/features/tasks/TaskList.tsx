// The task list: the schema's x:Task list (its columns, filters and order), each row
// with its status badge, a live progress bar, its dates and a Cancel button. Filters
// and page live in the URL as on every list; push refreshes the rows as tasks move.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { List, Property } from '../../../shared/schema/types';
import { useClient } from '../../jmap/context';
import { listQueryOptions } from '../../jmap/queries';
import type { JmapRecord } from '../../jmap/types';
import { ErrorBanner, Loading } from '../../lib/Status';
import { useFailure } from '../../lib/useFailure';
import { FilterBar } from '../../lists/FilterBar';
import { buildFilter, PAGE_SIZE } from '../../lists/listState';
import { Pager } from '../../lists/Pager';
import { useCells } from '../../lists/columns';
import { useListState } from '../../lists/useListState';
import { useConsole } from '../../schema/context';
import { paths, type NavLink } from '../../schema/nav';
import { can, listProperties, resolveView } from '../../schema/resolve';
import { isActive, statusOf, TASK, taskFields, variantLabel } from './model';
import { CancelTask } from './CancelTask';
import { dateOrDash, EndedAt, TaskProgressBar, TaskStatusBadge } from './TaskParts';

/**
 * Cells of the rows: the schema's columns, and each task's own name: its kind, then what
 * it works on ("Re-index one user: alice", referenced records by their labels).
 */
function useTaskCells(records: JmapRecord[], properties: Record<string, Property>, list: List) {
  const { doc } = useConsole();
  const inputNames = [...new Set(records.flatMap((r) => taskFields(doc, String(r['@type'])).inputs.map(([k]) => k)))];
  const columns = [...list.columns, ...inputNames.filter((n) => !list.columns.some((c) => c.name === n)).map((name) => ({ name, label: name }))];
  const cells = useCells(records, { ...list, columns }, properties, TASK);
  const nameOf = (r: JmapRecord) => {
    const what = taskFields(doc, String(r['@type'])).inputs.map(([k]) => cells.text(r, k)).filter(Boolean).join(', ');
    return { kind: variantLabel(doc, r['@type']), what };
  };
  return { cells, nameOf };
}

export function TaskList({ link }: { link: NavLink }) {
  const { t } = useTranslation('tasks');
  const { doc, permissions } = useConsole();
  const client = useClient();
  const view = resolveView(doc, TASK)!;
  const list: List = view.list ?? { title: t('list.title'), subtitle: '', singularName: t('noun'), pluralName: t('nounPlural'), columns: [] };
  const properties = listProperties(doc, view);
  const url = useListState(list);
  const { state } = url;
  const args = {
    filter: buildFilter(list, state.filters),
    sort: state.sort ? [state.sort] : undefined,
    position: state.page * PAGE_SIZE,
    limit: PAGE_SIZE,
    properties: ['id', '@type', ...Object.keys(properties)],
  };
  const query = useQuery({
    ...listQueryOptions(client, TASK, args),
    placeholderData: keepPreviousData,
    // Push refreshes the rows; the poll only covers a server without it while work is under way.
    refetchInterval: (q) => (q.state.data?.records.some(isActive) ? 5000 : false),
  });
  const failure = useFailure(query);
  const records = query.data?.records ?? [];
  const { cells, nameOf } = useTaskCells(records, properties, list);
  const canCancel = can(permissions, view.permissionPrefix, 'Update');
  const shown = list.columns.filter((c) => c.name !== '@type' && c.name !== 'failureReason' && properties[c.name]);
  const filtered = Object.keys(state.filters).length > 0;

  let body;
  if (failure.error !== undefined) body = <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void query.refetch()} />;
  else if (query.isPending) body = <Loading label={t('list.loading')} />;
  else if (records.length === 0) {
    body = (
      <div className="empty">
        <p>{filtered ? t('list.noneMatch') : t('list.noneYet')}</p>
        {filtered && (
          <button type="button" className="btn" onClick={() => url.change({ filters: {} })}>
            {t('list.clearFilters')}
          </button>
        )}
      </div>
    );
  } else {
    const total = query.data?.total;
    const first = state.page * PAGE_SIZE + 1;
    const last = state.page * PAGE_SIZE + records.length;
    body = (
      <>
        <div className="table-wrap">
          <table className="table task-table" aria-busy={query.isFetching || undefined}>
            <caption className="sr-only">{t('list.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.task')}</th>
                {shown.map((c) => (
                  <th key={c.name} scope="col">
                    {c.label}
                  </th>
                ))}
                <th scope="col">{t('list.ended')}</th>
                {canCancel && <th scope="col"><span className="sr-only">{t('list.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {records.map((r) => {
                const { kind, what } = nameOf(r);
                const name = what ? t('name', { kind, what }) : kind;
                return (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={paths.record(link, r.id)}>{kind}</Link>
                      {what && <div className="muted task-what">{what}</div>}
                    </th>
                    {shown.map((c) => (
                      <td key={c.name}>
                        {c.name === 'status' ? (
                          <>
                            <TaskStatusBadge task={r} properties={properties} />
                            {statusOf(r) === 'Failed' && typeof r.failureReason === 'string' && <div className="task-reason">{r.failureReason}</div>}
                          </>
                        ) : c.name === 'progress' ? (
                          <TaskProgressBar task={r} label={t('progress.label', { name })} />
                        ) : properties[c.name].type.type === 'utcDateTime' ? (
                          dateOrDash(r[c.name])
                        ) : (
                          cells.show(r, c.name)
                        )}
                      </td>
                    ))}
                    <td>
                      <EndedAt task={r} />
                    </td>
                    {canCancel && (
                      <td>
                        <CancelTask task={r} name={name} small />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <Pager
          firstShown={first}
          lastShown={last}
          total={total}
          hasPrevious={state.page > 0}
          hasNext={total !== undefined ? last < total : records.length === PAGE_SIZE}
          onPrevious={() => url.toPage(state.page - 1)}
          onNext={() => url.toPage(state.page + 1)}
        />
      </>
    );
  }

  return (
    <>
      {list.filters && list.filters.length > 0 && <FilterBar filters={list.filters} values={state.filters} onChange={(filters) => url.change({ filters })} />}
      {body}
    </>
  );
}
