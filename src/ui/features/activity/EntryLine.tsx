// The heading of one activity entry: when, who, through which API and what was done.

import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../i18n/format';
import { Badge } from '../../lib/Badge';
import { useConsole } from '../../schema/context';

export function EntryLine({ entry }: { entry: Record<string, unknown> }) {
  const { t } = useTranslation('activity');
  const { doc } = useConsole();
  const enumOf = (enumName: string, value: unknown) => doc.enums[enumName]?.find((e) => e.name === value);
  const action = enumOf('ActivityAction', entry.action);
  const via = enumOf('ActivityVia', entry.via);
  return (
    <p className="activity-line">
      {action ? <Badge label={action.label} color={action.color ?? 'gray'} /> : <span>{String(entry.action ?? '')}</span>}
      <time dateTime={String(entry.at ?? '')}>{typeof entry.at === 'string' ? formatInstant(entry.at) : ''}</time>
      <span>{t('entry.by', { who: String(entry.actorName ?? '') })}</span>
      <span className="muted">{t('entry.via', { via: via?.label ?? String(entry.via ?? '') })}</span>
      {typeof entry.remoteIp === 'string' && entry.remoteIp && <span className="muted">{t('entry.from', { ip: entry.remoteIp })}</span>}
    </p>
  );
}
