// The overview's mail queue: how many messages wait for delivery, linked to the queue's
// list. Only where the schema as served has x:QueuedMessage and the caller may search it.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber } from '../../i18n/format';
import { useClient } from '../../jmap/context';
import { explainError } from '../../lib/errors';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { can } from '../../schema/resolve';
import { QUEUE, queueSizeQueryOptions } from './queries';

export function QueueSize() {
  const { t } = useTranslation('health');
  const { doc, links, permissions } = useConsole();
  const client = useClient();
  const entry = doc.objects[QUEUE];
  const allowed = !!entry && can(permissions, entry.permissionPrefix, 'Query');
  const size = useQuery({ ...queueSizeQueryOptions(client), enabled: allowed });
  if (!allowed) return null;
  const page = linkForObject(doc, links, QUEUE);
  const title = doc.lists[QUEUE]?.title ?? t('queue.title');
  const n = size.data;

  return (
    <section className="card overview-card" aria-labelledby="overview-queue">
      <h2 id="overview-queue">{title}</h2>
      {size.isError ? (
        <p>{t('queue.unreadable', { reason: explainError(size.error).message })}</p>
      ) : size.isPending ? (
        <p className="muted">{t('queue.loading')}</p>
      ) : (
        <p className="overview-figure">
          {n === null || n === undefined ? t('queue.unknown') : formatNumber(n)}
          <span className="muted"> {t('queue.waits', { count: n ?? 0 })}</span>
        </p>
      )}
      {page && (
        <p>
          <Link to={paths.list(page)}>{t('queue.open')}</Link>
        </p>
      )}
    </section>
  );
}
