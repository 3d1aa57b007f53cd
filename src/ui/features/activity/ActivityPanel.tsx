// Beside an activity entry's form: what it says in words (who did what to which record,
// when, through which API) with a link to the record, and its changes, property by property.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PanelProps } from '../../forms/registry';
import { useClient } from '../../jmap/context';
import { recordQueryOptions } from '../../jmap/queries';
import { Loading } from '../../lib/Status';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { ChangeList } from './ChangeList';
import { EntryLine } from './EntryLine';
import { ACTIVITY } from './model';
import './activity.css';

export function ActivityPanel({ recordId }: PanelProps) {
  const { t } = useTranslation('activity');
  const { doc, links } = useConsole();
  const client = useClient();
  // The record page read this entry already: the same query, answered from the cache.
  const entry = useQuery({ ...recordQueryOptions(client, ACTIVITY, recordId ?? ''), enabled: !!recordId }).data?.record;
  if (!recordId) return null;
  if (!entry) return <Loading />;
  const objectType = String(entry.objectType ?? '');
  const objectId = String(entry.objectId ?? '');
  const target = linkForObject(doc, links, objectType);
  const singleton = doc.objects[objectType]?.type === 'singleton';
  const typeName = doc.lists[objectType]?.singularName ?? objectType;
  return (
    <section className="panel activity-panel" aria-labelledby="activity-panel-title">
      <h2 id="activity-panel-title">{t('entry.title')}</h2>
      <EntryLine entry={entry} />
      <p>
        {target && entry.action !== 'destroyed' ? (
          <Link to={singleton ? paths.list(target) : paths.record(target, objectId)}>{t('entry.record', { type: typeName, id: objectId })}</Link>
        ) : (
          t('entry.record', { type: typeName, id: objectId })
        )}
      </p>
      <h3>{t('entry.changes')}</h3>
      <ChangeList entry={entry} />
    </section>
  );
}
