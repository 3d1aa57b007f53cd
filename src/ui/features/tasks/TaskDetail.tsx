// One task's page: what it was asked to do, where it stands (live: push refreshes it as
// it moves), how far it got, when it ran and ended, what it reports, and Cancel.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber } from '../../i18n/format';
import { useClient } from '../../jmap/context';
import { recordQueryOptions } from '../../jmap/queries';
import { PageHeader } from '../../lib/PageHeader';
import { ErrorBanner, Loading } from '../../lib/Status';
import { useFailure } from '../../lib/useFailure';
import { useCells } from '../../lists/columns';
import { useConsole } from '../../schema/context';
import { paths, type Crumb, type NavLink } from '../../schema/nav';
import { can, listProperties, resolveView } from '../../schema/resolve';
import { CancelTask } from './CancelTask';
import { fieldLabel, isActive, progressOf, statusLabel, statusOf, TASK, taskFields, variantLabel } from './model';
import { dateOrDash, EndedAt, TaskProgressBar, TaskStatusBadge } from './TaskParts';

export function TaskDetail({ link, id, crumbs }: { link: NavLink; id: string; crumbs: Crumb[] }) {
  const { t } = useTranslation('tasks');
  const { doc, permissions } = useConsole();
  const client = useClient();
  const view = resolveView(doc, TASK)!;
  const properties = listProperties(doc, view);
  const record = useQuery({
    ...recordQueryOptions(client, TASK, id),
    refetchInterval: (q) => (isActive(q.state.data?.record) ? 5000 : false),
  });
  const failure = useFailure(record);
  const task = record.data?.record;
  const variant = task ? String(task['@type']) : undefined;
  const { inputs, results } = taskFields(doc, variant);
  const rows = task ? [task] : [];
  const cells = useCells(rows, { title: '', subtitle: '', singularName: t('noun'), pluralName: t('nounPlural'), columns: [...inputs, ...results].map(([name]) => ({ name, label: name })) }, properties, TASK);
  const kind = task ? variantLabel(doc, variant) : t('detail.kind');
  const what = task ? inputs.map(([k]) => cells.text(task, k)).filter(Boolean).join(', ') : '';
  const name = what ? t('name', { kind, what }) : kind;
  const title = task ? name : t('detail.title', { id });

  let body;
  if (failure.error !== undefined) body = <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void record.refetch()} />;
  else if (record.isPending) body = <Loading label={t('detail.loading')} />;
  else if (!task) {
    body = (
      <p className="banner banner-info">
        {t('detail.gone', { id })} <Link to={paths.list(link)}>{t('detail.allTasks')}</Link>.
      </p>
    );
  } else {
    const status = statusOf(task);
    const p = progressOf(task.progress);
    body = (
      <>
        <section className="panel task-detail" aria-labelledby="task-state">
          <div className="task-head">
            <h2 id="task-state">{t('detail.status')}</h2>
            <TaskStatusBadge task={task} properties={properties} />
          </div>
          {/* The status is announced when it changes; the bar's value is not (it moves several times a second). */}
          <p className="sr-only" role="status">
            {t('detail.statusAnnounce', { status: statusLabel(doc, task, properties) })}
          </p>
          {status === 'Failed' && typeof task.failureReason === 'string' && (
            <div className="banner banner-error" role="note">
              <div>
                <strong>{t('detail.whyFailed')}</strong> {task.failureReason}
              </div>
            </div>
          )}
          {status === 'CancelRequested' && <p className="status-line" role="status">{t('detail.stopping')}</p>}
          <TaskProgressBar task={task} label={t('progress.label', { name })} />
          {p && (
            <dl className="task-facts">
              <div><dt>{t('detail.toDo')}</dt><dd>{formatNumber(p.total)}</dd></div>
              <div><dt>{t('detail.processed')}</dt><dd>{formatNumber(p.processed)}</dd></div>
              <div><dt>{t('detail.failed')}</dt><dd>{formatNumber(p.failed)}</dd></div>
              <div><dt>{t('detail.remaining')}</dt><dd>{formatNumber(p.remaining)}</dd></div>
            </dl>
          )}
          <dl className="task-facts">
            <div><dt>{t('detail.submitted')}</dt><dd>{dateOrDash(task.submittedAt)}</dd></div>
            <div><dt>{t('detail.started')}</dt><dd>{dateOrDash(task.startedAt)}</dd></div>
            <div><dt>{t('detail.ended')}</dt><dd><EndedAt task={task} /></dd></div>
          </dl>
        </section>
        {(inputs.length > 0 || results.length > 0) && (
          <section className="panel task-detail" aria-labelledby="task-what">
            <h2 id="task-what">{t('detail.details')}</h2>
            <dl className="task-facts">
              {[...inputs, ...results].map(([k, prop]) => (
                <div key={k}>
                  <dt>{fieldLabel(doc, variant, k, prop)}</dt>
                  <dd>{task[k] === null || task[k] === undefined ? '—' : cells.text(task, k)}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}
      </>
    );
  }

  return (
    <>
      <PageHeader
        crumbs={[...crumbs, { label: title }]}
        title={title}
        subtitle={t('detail.title', { id })}
        actions={task && can(permissions, view.permissionPrefix, 'Update') ? <CancelTask task={task} name={name} /> : undefined}
      />
      {body}
    </>
  );
}
