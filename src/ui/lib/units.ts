// Units for `size` (bytes) and `duration` (milliseconds) numbers: the widget edits a
// number in a chosen unit, the wire carries the base unit.

export interface Unit { name: string; label: string; factor: number }

export const SIZE_UNITS: Unit[] = [
  { name: 'B', label: 'bytes', factor: 1 },
  { name: 'KB', label: 'KB', factor: 1024 },
  { name: 'MB', label: 'MB', factor: 1024 ** 2 },
  { name: 'GB', label: 'GB', factor: 1024 ** 3 },
  { name: 'TB', label: 'TB', factor: 1024 ** 4 },
];

export const DURATION_UNITS: Unit[] = [
  { name: 'ms', label: 'milliseconds', factor: 1 },
  { name: 's', label: 'seconds', factor: 1000 },
  { name: 'min', label: 'minutes', factor: 60_000 },
  { name: 'h', label: 'hours', factor: 3_600_000 },
  { name: 'd', label: 'days', factor: 86_400_000 },
];

/** The largest unit that shows `value` as a whole number (1536 B → 1.5 KB is not whole, so 1536 B). */
export function bestUnit(units: Unit[], value: number | null | undefined): Unit {
  if (!value) return units[0];
  for (let i = units.length - 1; i > 0; i--) if (value % units[i].factor === 0) return units[i];
  return units[0];
}

export function formatWithUnit(units: Unit[], value: number): string {
  const u = bestUnit(units, value);
  return `${value / u.factor} ${u.name}`;
}

/**
 * A size to read (not to edit): exact in the largest unit that shows it whole (1 MB), else
 * about, to one decimal, in the largest unit it reaches (1000756 bytes → "977.3 KB").
 */
export function formatSize(bytes: number): string {
  const exact = bestUnit(SIZE_UNITS, bytes);
  if (exact.factor > 1 || Math.abs(bytes) < 1024) return `${bytes / exact.factor} ${exact.name}`;
  const unit = [...SIZE_UNITS].reverse().find((u) => Math.abs(bytes) >= u.factor) ?? SIZE_UNITS[0];
  return `${(bytes / unit.factor).toFixed(1)} ${unit.name}`;
}
