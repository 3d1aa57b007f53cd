// "History" below every saved record's form: the record's activity entries, newest first
// (when, who, via, what changed), and a link to the full activity log filtered to it. Shown
// only when the server has the activity log (x:Activity) and the caller may read it.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient } from '../../jmap/context';
import { listQueryOptions } from '../../jmap/queries';
import { Loading } from '../../lib/Status';
import { explainError } from '../../lib/errors';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { can } from '../../schema/resolve';
import { ChangeList } from './ChangeList';
import { EntryLine } from './EntryLine';
import { ACTIVITY, ACTIVITY_PREFIX, historyPath } from './model';
import './activity.css';

/** How many entries the panel shows; the rest are in the full log. */
const SHOWN = 10;
const PROPERTIES = ['at', 'actorName', 'actorId', 'via', 'remoteIp', 'objectType', 'objectId', 'action', 'properties', 'changes'];

export function RecordHistory({ objectName, recordId }: { objectName: string; recordId: string }) {
  const { doc, permissions } = useConsole();
  const readable = !!doc.objects[ACTIVITY] && can(permissions, ACTIVITY_PREFIX, 'Query') && can(permissions, ACTIVITY_PREFIX, 'Get');
  // An entry of the log has no history of its own.
  if (!readable || objectName === ACTIVITY) return null;
  return <HistoryList objectName={objectName} recordId={recordId} />;
}

function HistoryList({ objectName, recordId }: { objectName: string; recordId: string }) {
  const { t } = useTranslation('activity');
  const { doc, links } = useConsole();
  const client = useClient();
  const args = {
    filter: { objectType: objectName, objectId: recordId },
    sort: [{ property: 'at', isAscending: false }],
    position: 0,
    limit: SHOWN,
    properties: PROPERTIES,
  };
  const history = useQuery(listQueryOptions(client, ACTIVITY, args));
  const log = linkForObject(doc, links, ACTIVITY);
  const total = history.data?.total ?? 0;
  return (
    <section className="panel activity-history" aria-labelledby="activity-history-title">
      <h2 id="activity-history-title">{t('history.title')}</h2>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <p className="field-error">{t('history.failed', { reason: explainError(history.error).message })}</p>
      ) : total === 0 ? (
        <p className="muted">{t('history.empty')}</p>
      ) : (
        <ol className="activity-entries">
          {history.data.records.map((entry) => (
            <li key={entry.id} className="activity-entry">
              <EntryLine entry={entry} />
              <ChangeList entry={entry} />
              {log && (
                <Link to={paths.record(log, entry.id)} className="activity-details">
                  {t('history.details')}
                </Link>
              )}
            </li>
          ))}
        </ol>
      )}
      {log && total > 0 && (
        <p>
          <Link to={historyPath(log, objectName, recordId)}>{t('history.all', { count: total })}</Link>
        </p>
      )}
    </section>
  );
}
