// Management › Tasks: the server's background work (x:Task), waiting, running and the
// history, with live progress and Cancel; "Re-index everything" starts a task and opens
// it. With an id in the address, that task's own page.

import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../lib/PageHeader';
import { useConsole } from '../../schema/context';
import type { CustomPageProps } from '../../schema/nav';
import { linkForObject, paths } from '../../schema/nav';
import { can, resolveView } from '../../schema/resolve';
import { hasVariant, REINDEX_ALL, TASK } from './model';
import { refusalWords, useStartTask } from './queries';
import { TaskDetail } from './TaskDetail';
import { TaskList } from './TaskList';
import './tasks.css';

function ReindexEverything({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation('tasks');
  const start = useStartTask();
  return (
    <>
      <button type="button" className="btn btn-primary" disabled={start.isPending} onClick={() => start.mutate({ '@type': REINDEX_ALL }, { onSuccess: onStarted })}>
        {t('reindexEverything')}
      </button>
      {start.isError && (
        <p className="field-error" role="alert">
          {t('notStarted', { reason: refusalWords(start.error) })}
        </p>
      )}
    </>
  );
}

/** The task manager's settings (how long the history is kept), where the layouts link them. */
const TASK_MANAGER = 'x:TaskManager';

export default function TasksPage({ link, id, crumbs }: CustomPageProps) {
  const { t } = useTranslation('tasks');
  const { doc, links, permissions } = useConsole();
  const navigate = useNavigate();
  const view = resolveView(doc, TASK);
  if (!view) return <PageHeader crumbs={crumbs} title={link.name} subtitle={t('noTasks')} />;
  if (id) return <TaskDetail link={link} id={id} crumbs={crumbs} />;
  const canStart = can(permissions, view.permissionPrefix, 'Create') && hasVariant(doc, REINDEX_ALL);
  const settings = linkForObject(doc, links, TASK_MANAGER);
  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={view.list?.title ?? link.name}
        subtitle={view.list?.subtitle}
        actions={
          (canStart || settings) && (
            <>
              {settings && (
                <Link className="btn" to={paths.list(settings)}>
                  {t('historySettings')}
                </Link>
              )}
              {canStart && <ReindexEverything onStarted={(taskId) => void navigate(paths.record(link, taskId))} />}
            </>
          )
        }
      />
      <TaskList link={link} />
    </>
  );
}
