// The overview's "Tasks at work": what runs now with its progress, and how many wait.
// Only on a server whose task status union has a Running state (Postern's; Stalwart's
// tasks only wait or fail), and only for a caller who may read tasks.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber } from '../../i18n/format';
import { useClient } from '../../jmap/context';
import { ErrorBanner } from '../../lib/Status';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { can, listProperties, resolveView } from '../../schema/resolve';
import { TASK, TASKS_PAGE, variantLabel } from '../tasks/model';
import { TaskProgressBar, TaskStatusBadge } from '../tasks/TaskParts';
import { activeTasksQueryOptions } from './queries';

/** The status variants this server's tasks have, among those the overview follows. */
export function followedStatuses(variants: string[]): { running: string[]; waiting?: string } | null {
  if (!variants.includes('Running')) return null;
  return { running: ['Running', 'CancelRequested'].filter((s) => variants.includes(s)), waiting: variants.includes('Pending') ? 'Pending' : undefined };
}

function useStatuses() {
  const { doc, permissions } = useConsole();
  const view = resolveView(doc, TASK);
  if (!view || !can(permissions, view.permissionPrefix, 'Query')) return null;
  const status = listProperties(doc, view).status?.type;
  const shape = status?.type === 'object' ? doc.schemas[status.objectName] : undefined;
  const names = shape?.type === 'multiple' ? shape.variants.map((v) => v.name) : [];
  // The server filters on status only if its list says so.
  if (!view.list?.filters?.some((f) => f.field === 'status')) return null;
  return followedStatuses(names);
}

export function ActiveTasks() {
  const { t } = useTranslation(['health', 'tasks']);
  const { doc, links } = useConsole();
  const client = useClient();
  const statuses = useStatuses();
  const active = useQuery({ ...activeTasksQueryOptions(client, statuses ?? { running: [] }), enabled: !!statuses });
  if (!statuses) return null;
  const page = links.find((l) => l.viewName === TASKS_PAGE) ?? linkForObject(doc, links, TASK);
  const properties = listProperties(doc, resolveView(doc, TASK)!);
  const data = active.data;

  return (
    <section className="card overview-card" aria-labelledby="overview-tasks">
      <h2 id="overview-tasks">{t('tasks.title')}</h2>
      {active.isError ? (
        <ErrorBanner error={active.error} />
      ) : !data ? (
        <p className="muted">{t('tasks.loading')}</p>
      ) : (
        <>
          {data.running.length === 0 ? (
            <p>{t('tasks.noneRunning')}</p>
          ) : (
            <ul className="overview-tasks">
              {data.running.map((task) => {
                const name = variantLabel(doc, task['@type']);
                return (
                  <li key={task.id}>
                    <div className="overview-task-head">
                      {page ? <Link to={paths.record(page, task.id)}>{name}</Link> : <span>{name}</span>}
                      <TaskStatusBadge task={task} properties={properties} />
                    </div>
                    <TaskProgressBar task={task} label={t('tasks:progress.label', { name })} />
                  </li>
                );
              })}
            </ul>
          )}
          <p className="muted">
            {data.waiting === 0 ? t('tasks.noneWaiting') : t('tasks.waiting', { count: data.waiting, n: formatNumber(data.waiting) })}
            {page && (
              <>
                {' '}
                <Link to={paths.list(page)}>{t('tasks.all')}</Link>
              </>
            )}
          </p>
        </>
      )}
    </section>
  );
}
