// Above a list with ticked records: how many, the bulk actions, the offer to reach past this
// page ("All 50 on this page are selected. Select all 1,234 matching"), and the progress of
// a bulk write running in batches.

import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/format';
import type { Progress } from './useBulkWrite';

interface Props {
  /** Ticked on this page. */
  selected: number;
  /** Every record on this page that can be ticked is. */
  allOnPage: boolean;
  /** Every record the filter matches is selected. */
  matching: boolean;
  /** How many the filter matches, when the server counts. */
  total: number | undefined;
  onSelectMatching: () => void;
  onClear: () => void;
  progress: Progress | null;
  children: ReactNode;
}

export function SelectionBar({ selected, allOnPage, matching, total, onSelectMatching, onClear, progress, children }: Props) {
  const { t } = useTranslation('lists');
  const id = useId();
  const more = total !== undefined && total > selected;
  const count = matching && total !== undefined ? total : selected;
  return (
    <div className="bulk-bar" role="region" aria-label={t('bulk.region')}>
      {/* Said when it changes (a tick, "Select all … matching"), not only seen. */}
      <span role="status">{t('bulk.selected', { n: formatNumber(count) })}</span>
      {children}
      {allOnPage && more && !matching && (
        <span className="bulk-more">
          {t('bulk.pageSelected', { n: formatNumber(selected) })}{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={onSelectMatching}>
            {t('bulk.selectMatching', { n: formatNumber(total) })}
          </button>
        </span>
      )}
      {matching && total !== undefined && (
        <span className="bulk-more">
          {t('bulk.matchingSelected', { n: formatNumber(total) })}{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={onClear}>
            {t('bulk.clear')}
          </button>
        </span>
      )}
      {progress && (
        <span className="bulk-progress">
          <label htmlFor={id}>{t('bulk.working')}</label>
          <progress id={id} max={progress.total} value={progress.done} />
          <span>{t('export.count', { n: formatNumber(progress.done), total: formatNumber(progress.total) })}</span>
        </span>
      )}
    </div>
  );
}
