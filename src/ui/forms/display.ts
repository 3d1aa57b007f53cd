// Values to read (never to edit) in the console's language: numbers, sizes and durations
// with Intl, instants in UTC, yes and no in words. Everything else as the lists show it.

import type { FieldType, SchemaDocument } from '../../shared/schema/types';
import { formatBytes, formatInstant, formatNumber } from '../i18n/format';
import { i18n } from '../i18n/i18n';
import { bestUnit, DURATION_UNITS } from '../lib/units';
import { formatValue } from '../schema/format';

/** The Intl unit for each duration unit of the picker. */
const INTL_DURATION: Record<string, string> = { ms: 'millisecond', s: 'second', min: 'minute', h: 'hour', d: 'day' };

/** Milliseconds in the largest unit that shows them whole: 90000 → `90 seconds`, `90 Sekunden`. */
export function formatDuration(ms: number): string {
  const u = bestUnit(DURATION_UNITS, ms);
  return formatNumber(ms / u.factor, { style: 'unit', unit: INTL_DURATION[u.name] ?? 'millisecond', unitDisplay: 'long' });
}

/** A number of this type to read: a size in bytes, a duration, or a plain number. */
export function formatAmount(type: Extract<FieldType, { type: 'number' }>, n: number): string {
  if (type.format === 'size') return formatBytes(n);
  if (type.format === 'duration') return formatDuration(n);
  return formatNumber(n);
}

/** A value as text for a read-only field; '' when there is none. */
export function displayValue(doc: SchemaDocument, type: FieldType, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (type.type) {
    case 'boolean':
      return value ? i18n.t('forms:yes') : i18n.t('forms:no');
    case 'utcDateTime':
      return typeof value === 'string' || typeof value === 'number' ? formatInstant(value) : String(value);
    case 'number':
      return typeof value === 'number' ? formatAmount(type, value) : String(value);
    default:
      return formatValue(doc, type, value);
  }
}
