// Beside a user account's form: "Re-index this account", which creates a re-indexing
// task for it and opens the task. Shown only where the server has that kind of task and
// the caller may start tasks.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { PanelProps } from '../../forms/registry';
import { useClient } from '../../jmap/context';
import { recordQueryOptions } from '../../jmap/queries';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { can } from '../../schema/resolve';
import { hasVariant, REINDEX_USER, TASK, TASKS_PAGE } from './model';
import { refusalWords, useStartTask } from './queries';
import './tasks.css';

const ACCOUNT = 'x:Account';

export function ReindexAccount({ recordId }: PanelProps) {
  const { t } = useTranslation('tasks');
  const { doc, links, permissions } = useConsole();
  const client = useClient();
  const navigate = useNavigate();
  const start = useStartTask();
  // The record page has read it already: this is the same cached query.
  const account = useQuery({ ...recordQueryOptions(client, ACCOUNT, recordId ?? ''), enabled: !!recordId });
  const task = doc.objects[TASK];
  const target = links.find((l) => l.viewName === TASKS_PAGE) ?? linkForObject(doc, links, TASK);
  if (!recordId || !task || !hasVariant(doc, REINDEX_USER) || !can(permissions, task.permissionPrefix, 'Create')) return null;
  if (account.data?.record?.['@type'] !== 'User') return null;

  const run = () =>
    start.mutate({ '@type': REINDEX_USER, accountId: recordId }, { onSuccess: (id) => target && void navigate(paths.record(target, id)) });

  return (
    <section className="panel task-reindex" aria-labelledby="reindex-account">
      <h2 id="reindex-account" className="h3">{t('reindexAccount.title')}</h2>
      <p className="hint">{t('reindexAccount.hint')}</p>
      <button type="button" className="btn" disabled={start.isPending} onClick={run}>
        {t('reindexAccount.button')}
      </button>
      <div aria-live="polite">
        {start.isError && <p className="field-error">{t('notStarted', { reason: refusalWords(start.error) })}</p>}
        {start.isSuccess && !target && <p>{t('startedTask', { id: start.data })}</p>}
      </div>
    </section>
  );
}
