// A UTCDateTime, entered and shown in UTC as lists show dates; the field says so.

import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import { formatInstant } from '../../i18n/format';
import type { WidgetProps } from '../registry';
import { ariaOf } from './aria';

/** `2030-01-01T00:00:00Z` ↔ the `2030-01-01T00:00` a datetime-local input shows (in UTC). */
const toLocalInput = (v: unknown) => (typeof v === 'string' && v.length >= 16 ? v.slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? `${v.length === 16 ? `${v}:00` : v.slice(0, 19)}Z` : null);

export function DateTimeWidget(props: WidgetProps<Extract<FieldType, { type: 'utcDateTime' }>>) {
  const { t } = useTranslation('forms');
  const { id, value, onChange, onBlur, readOnly, describedBy } = props;
  if (readOnly) return <input id={id} className="readonly" readOnly value={typeof value === 'string' && value ? formatInstant(value) : ''} {...ariaOf(props)} />;
  return (
    <span className="datetime-utc">
      <input
        id={id}
        type="datetime-local"
        step={60}
        value={toLocalInput(value)}
        onChange={(e) => onChange(fromLocalInput(e.target.value))}
        onBlur={onBlur}
        {...ariaOf(props)}
        aria-describedby={[describedBy, `${id}-utc`].filter(Boolean).join(' ')}
      />
      <span id={`${id}-utc`} className="muted">
        {t('utc')}
      </span>
    </span>
  );
}
