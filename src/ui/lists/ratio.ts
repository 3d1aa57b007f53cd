// A ratio is a fraction where 1 is full (a mailbox's occupation): the schema says so with
// the Postern extension `ratio`, or by bounding a float to 0–1. Shown as a bar with its
// percentage, not as 0.9731.

import type { FieldType } from '../../shared/schema/types';

export function isRatio(type: FieldType | undefined): boolean {
  if (type?.type !== 'number') return false;
  return type.ratio === true || (type.format === 'float' && type.min === 0 && type.max === 1);
}

/** 0.9731 → 97 (whole percent, floored so "100%" only when full); a value over 1 stays over. */
export function percentOf(value: number): number {
  return Math.max(0, Math.floor(value * 100 + 1e-9));
}

/** How full reads at a glance: below 80% fine, up to 95% a warning, beyond that full. */
export function levelOf(value: number): 'ok' | 'high' | 'full' {
  return value >= 0.95 ? 'full' : value >= 0.8 ? 'high' : 'ok';
}
