// Limits (quotas) as the schema encodes them, with no per-type code. A limit is a number
// field whose type names its unlimited value (Postern extension `unlimited`, 0 for
// Postern's quotas); it can also be "not set", inheriting the level above: the key absent
// from a map, or the value null. A real Stalwart's quota map names no unlimited value, so
// it keeps the plain map editor.

import type { FieldType, NumberFormat, SchemaDocument } from '../../../shared/schema/types';

type NumberType = Extract<FieldType, { type: 'number' }>;
type MapType = Extract<FieldType, { type: 'map' }>;

export type LimitChoice = 'inherit' | 'unlimited' | 'limit';

/** The wire value that means "no limit at all", when the type has one. */
export function unlimitedValue(type: NumberType): number | undefined {
  return typeof type.unlimited === 'number' ? type.unlimited : undefined;
}

/** A number field edited as a limit: its type names the unlimited value. */
export function isLimitNumber(type: FieldType): type is NumberType {
  return type.type === 'number' && unlimitedValue(type) !== undefined && type.format !== 'float' && type.format !== 'duration';
}

/** A map of limits: enum keys (the kinds of limit) to limit numbers. */
export function isLimitMap(type: FieldType): type is MapType {
  return type.type === 'map' && type.keyClass.type === 'enum' && isLimitNumber(type.valueClass);
}

/** Which of the three a wire value is: absent/null inherits, the unlimited value is unlimited. */
export function choiceOf(value: unknown, type: NumberType): LimitChoice {
  if (value === null || value === undefined) return 'inherit';
  if (value === unlimitedValue(type)) return 'unlimited';
  return 'limit';
}

/**
 * The unit of the values under one key of a limit map. The map's value type names it when
 * every key shares it; otherwise the key's enum value may (Postern extension: `format` on
 * an enum value, e.g. `maxDiskQuota` is a size in bytes while `maxEmails` counts).
 */
export function keyFormat(doc: SchemaDocument, type: MapType, key: string): NumberFormat | undefined {
  const shared = type.valueClass.type === 'number' ? type.valueClass.format : undefined;
  if (shared === 'size') return shared;
  const entry = type.keyClass.type === 'enum' ? (doc.enums[type.keyClass.enumName] ?? []).find((e) => e.name === key) : undefined;
  return entry?.format ?? shared;
}

/** The number type of the values under one key: the map's, with that key's unit. */
export function keyType(doc: SchemaDocument, type: MapType, key: string): NumberType {
  const base = type.valueClass as NumberType;
  const format = keyFormat(doc, type, key);
  return format ? { ...base, format } : base;
}

/** A map value with one key set to a choice; "inherit" removes the key. */
export function withChoice(map: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...map };
  if (value === null || value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
