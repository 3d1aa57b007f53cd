// A ratio as a bar with its percentage (role meter, named by what it measures), in list
// cells and on record pages; "Not measured" when the server has no figure (no limit).

import { useTranslation } from 'react-i18next';
import { formatPercent } from '../i18n/format';
import { levelOf, percentOf } from './ratio';
import './usage.css';

export function UsageMeter({ label, value, id, describedBy }: { label: string; value: unknown; id?: string; describedBy?: string }) {
  const { t } = useTranslation('lists');
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return <span id={id} className="muted" aria-describedby={describedBy}>{t('usage.noLimit')}</span>;
  }
  const pct = percentOf(value);
  const text = formatPercent(pct / 100);
  return (
    <span className="usage">
      <span
        id={id}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(pct, 100)}
        aria-valuetext={text}
        aria-describedby={describedBy}
        className="usage-bar"
        data-level={levelOf(value)}
      >
        <span className="usage-fill" style={{ width: `${Math.min(pct, 100)}%` }} />
      </span>
      <span className="usage-text" aria-hidden="true">{text}</span>
    </span>
  );
}
