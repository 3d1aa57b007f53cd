// What a list export writes in each cell, and which columns it may write at all.
//
// The choice: text a person can read that also imports again unchanged. So numbers are
// raw (no grouping, sizes in bytes, durations in milliseconds), booleans `true`/`false`,
// instants as the server's ISO text (UTC), enum values and referenced ids by their raw
// names (a label can change or be translated, the name cannot), sets as their members
// joined by "; ", and nested records (unions, maps, lists) as their JSON text. Secret
// fields are never exported: their columns are left out entirely.

import type { FieldType, Property } from '../../../shared/schema/types';
import { setMembers } from '../../lib/set';

/** The separator between the members of a set in one cell. */
export const SET_SEPARATOR = '; ';

export function isSecret(type: FieldType | undefined): boolean {
  return type?.type === 'string' && (type.format === 'secret' || type.format === 'secretText');
}

/** The columns an export may write: every chosen one except secrets. */
export function exportableColumns<C extends { name: string }>(columns: C[], properties: Record<string, Property>): C[] {
  return columns.filter((c) => !isSecret(properties[c.name]?.type));
}

export function exportValue(type: FieldType | undefined, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isSecret(type)) return '';
  if (type?.type === 'set') return setMembers(value).join(SET_SEPARATOR);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}
