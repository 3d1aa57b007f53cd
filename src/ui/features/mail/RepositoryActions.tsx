// Beside a mail repository's form and a repository mail's: send mails back into the mail
// path (reprocess) or delete every mail of the repository. Each is a task (x:Task), asked
// for after a confirmation; the task's page then shows its progress. Offered only where
// the server has that kind of task and the caller may start tasks.

import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { PanelProps } from '../../forms/registry';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { can } from '../../schema/resolve';
import { hasVariant, TASK, TASKS_PAGE } from '../tasks/model';
import { refusalWords, useStartTask } from '../tasks/queries';
import './mail.css';

/** Task kinds of the mail repositories (issue 13's contract names). */
export const REPROCESS = 'ReprocessRepositoryMails';
export const CLEAR = 'ClearMailRepository';

interface Ask {
  title: string;
  words: string;
  confirmLabel: string;
  danger?: boolean;
  task: Record<string, unknown>;
}

function useRepositoryTask() {
  const { t } = useTranslation('mail');
  const { doc, links, permissions } = useConsole();
  const navigate = useNavigate();
  const start = useStartTask();
  const [asking, setAsking] = useState<Ask | null>(null);
  const task = doc.objects[TASK];
  const target = links.find((l) => l.viewName === TASKS_PAGE) ?? linkForObject(doc, links, TASK);
  const allowed = !!task && can(permissions, task.permissionPrefix, 'Create');
  const offers = (variant: string) => allowed && hasVariant(doc, variant);
  const confirm = () => {
    if (!asking) return;
    const value = asking.task;
    setAsking(null);
    start.mutate(value, { onSuccess: (id) => target && void navigate(paths.record(target, id)) });
  };
  const dialog = (
    <>
      <div aria-live="polite">
        {start.isError && <p className="field-error">{t('notStarted', { reason: refusalWords(start.error) })}</p>}
        {start.isSuccess && !target && <p>{t('startedTask', { id: start.data })}</p>}
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={asking?.title ?? ''}
        confirmLabel={asking?.confirmLabel ?? t('start')}
        danger={asking?.danger}
        onConfirm={confirm}
        onCancel={() => setAsking(null)}
      >
        <p>{asking?.words}</p>
      </ConfirmDialog>
    </>
  );
  return { offers, ask: setAsking, busy: start.isPending, dialog };
}

/** On a repository mail's page: reprocess this one mail. */
export function RepositoryMailActions({ control, recordId }: PanelProps) {
  const { t } = useTranslation('mail');
  const repositoryId = useWatch({ control, name: 'repositoryId' });
  const { offers, ask, busy, dialog } = useRepositoryTask();
  if (!recordId || typeof repositoryId !== 'string' || !offers(REPROCESS)) return null;
  return (
    <section className="panel" aria-labelledby="mail-actions">
      <h2 id="mail-actions" className="h3">{t('mail.title')}</h2>
      <p className="hint">{t('mail.hint')}</p>
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={() =>
          ask({
            title: t('mail.confirmTitle'),
            words: t('mail.confirmWords'),
            confirmLabel: t('mail.confirmLabel'),
            task: { '@type': REPROCESS, repositoryId, mailIds: { [recordId]: true } },
          })
        }
      >
        {t('mail.button')}
      </button>
      {dialog}
    </section>
  );
}

/** On a repository's page: reprocess every mail, or delete them all. */
export function MailRepositoryActions({ control, recordId }: PanelProps) {
  const { t } = useTranslation('mail');
  const path = useWatch({ control, name: 'path' });
  const { offers, ask, busy, dialog } = useRepositoryTask();
  if (!recordId || (!offers(REPROCESS) && !offers(CLEAR))) return null;
  const name = typeof path === 'string' && path ? path : recordId;
  const actions: (Ask & { label: string; variant: string; className: string })[] = [
    {
      variant: REPROCESS, label: t('repository.reprocessAll'), className: 'btn',
      title: t('repository.reprocessTitle', { name }),
      words: t('repository.reprocessWords'),
      confirmLabel: t('repository.reprocessAll'),
      task: { '@type': REPROCESS, repositoryId: recordId, mailIds: {} },
    },
    {
      variant: CLEAR, label: t('repository.clear'), className: 'btn btn-danger-outline',
      title: t('repository.clearTitle', { name }),
      words: t('repository.clearWords'),
      confirmLabel: t('repository.clear'), danger: true,
      task: { '@type': CLEAR, repositoryId: recordId },
    },
  ];
  return (
    <section className="panel" aria-labelledby="repository-actions">
      <h2 id="repository-actions" className="h3">{t('repository.title')}</h2>
      <div className="panel-actions">
        {actions.filter((a) => offers(a.variant)).map((a) => (
          <button key={a.variant} type="button" className={a.className} disabled={busy} onClick={() => ask(a)}>
            {a.label}
          </button>
        ))}
      </div>
      {dialog}
    </section>
  );
}
