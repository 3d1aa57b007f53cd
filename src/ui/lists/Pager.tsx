// Previous / next under a list, with the range shown and the total when the server counts.

import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/format';

interface Props {
  firstShown: number;
  lastShown: number;
  total: number | undefined;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

export function Pager({ firstShown, lastShown, total, hasPrevious, hasNext, onPrevious, onNext }: Props) {
  const { t } = useTranslation('lists');
  const range = { first: formatNumber(firstShown), last: formatNumber(lastShown) };
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <span>{total !== undefined ? t('pager.rangeOf', { ...range, total: formatNumber(total) }) : t('pager.range', range)}</span>
      <button type="button" className="btn btn-small" disabled={!hasPrevious} onClick={onPrevious}>
        {t('pager.previous')}
      </button>
      <button type="button" className="btn btn-small" disabled={!hasNext} onClick={onNext}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
