// One activity entry's changes, for reading: each property by its form label, then its old
// value → new value; a set as the members added and removed; a secret only as changed.

import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { useConsole } from '../../schema/context';
import { changesOf, propertyLabel, type Change } from './model';

function Value({ value }: { value: unknown }) {
  const { t } = useTranslation('activity');
  if (value === null || value === undefined || value === '') return <span className="muted">{t('change.empty')}</span>;
  if (typeof value === 'boolean') return <span>{value ? t('change.yes') : t('change.no')}</span>;
  if (typeof value === 'number') return <span>{formatNumber(value)}</span>;
  if (typeof value === 'string') return <q className="activity-value">{value}</q>;
  return <code className="activity-value">{JSON.stringify(value)}</code>;
}

function Described({ change }: { change: Change }) {
  const { t } = useTranslation('activity');
  switch (change.kind) {
    case 'secret':
      return <span className="activity-secret">{t('change.secret')}</span>;
    case 'omitted':
      return <span className="muted">{t('change.omitted')}</span>;
    case 'set':
      return (
        <>
          {change.added.length > 0 && <span className="activity-added">{t('change.added', { items: change.added.join(', ') })}</span>}
          {change.removed.length > 0 && <span className="activity-removed">{t('change.removed', { items: change.removed.join(', ') })}</span>}
        </>
      );
    case 'values':
      return (
        <>
          <Value value={change.from} />
          <span className="activity-arrow" aria-label={t('change.to')}>
            {t('change.arrow')}
          </span>
          <Value value={change.to} />
          {change.secret && <span className="activity-secret">{t('change.secretInside')}</span>}
          {change.truncated && <span className="muted">{t('change.truncated')}</span>}
        </>
      );
  }
}

export function ChangeList({ entry }: { entry: Record<string, unknown> }) {
  const { t } = useTranslation('activity');
  const { doc } = useConsole();
  const items = changesOf(entry);
  if (items.length === 0) return <p className="muted">{t('change.none')}</p>;
  const objectType = String(entry.objectType ?? '');
  return (
    <dl className="activity-changes">
      {items.map(({ property, change }) => (
        <div key={property} className="activity-change">
          <dt>{propertyLabel(doc, objectType, property)}</dt>
          <dd>
            <Described change={change} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
