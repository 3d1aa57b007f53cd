// Numbers, sizes, percentages and instants for reading, in the console's language (Intl).
// Instants stay in UTC and say so: mail logs and queues are read across time zones.

import { currentLocale } from './i18n';

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(currentLocale(), options).format(n);
}

export function formatPercent(ratio: number, digits = 0): string {
  return new Intl.NumberFormat(currentLocale(), { style: 'percent', maximumFractionDigits: digits }).format(ratio);
}

/** `2030-01-01T00:00:00Z` → `1 Jan 2030, 00:00 UTC` (en-GB) / `01.01.2030, 00:00 UTC` (de); unreadable text as it came. */
export function formatInstant(value: string | number | Date): string {
  const t = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(t)) return String(value);
  const text = new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }).format(t);
  return `${text} UTC`;
}

// The unit symbols the size widgets take as input (lib/units.ts): binary steps, so `KB`
// (Intl's `kB` is the decimal kilobyte), the same in every language; the number is the language's.
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in binary steps, to one decimal: 1536 → `1.5 KB`, `1,5 KB` in German; 1000 → `1,000 B`. */
export function formatBytes(bytes: number): string {
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, { maximumFractionDigits: i === 0 ? 0 : 1 })} ${BYTE_UNITS[i]}`;
}
