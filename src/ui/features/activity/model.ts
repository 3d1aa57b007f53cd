// What an activity entry (x:Activity, a Postern extension) says, for reading: each changed
// property's old and new value from its JSON text in `changes`, secrets as "changed" only,
// sets as the members added and removed, and the address of the full log for one record.

import type { SchemaDocument } from '../../../shared/schema/types';
import type { NavLink } from '../../schema/nav';
import { humanize } from '../../schema/resolve';

export const ACTIVITY = 'x:Activity';
export const ACTIVITY_PREFIX = 'sysActivity';

/** One property's change as the entry records it. */
export type Change =
  | { kind: 'secret' }
  | { kind: 'omitted' }
  | { kind: 'values'; from: unknown; to: unknown; truncated: boolean; secret: boolean }
  | { kind: 'set'; added: string[]; removed: string[] };

const isSetLike = (v: unknown): v is Record<string, true> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === true);

/** A `changes` value (JSON text) read; text that is not what the server writes comes back as it is. */
export function parseChange(text: unknown): Change {
  let v: unknown;
  try {
    v = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    return { kind: 'values', from: null, to: text, truncated: false, secret: false };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { kind: 'values', from: null, to: v, truncated: false, secret: false };
  const c = v as Record<string, unknown>;
  if (c.omitted === true) return { kind: 'omitted' };
  if (!('from' in c) && !('to' in c)) return c.secret === true ? { kind: 'secret' } : { kind: 'values', from: null, to: v, truncated: false, secret: false };
  const from = c.from ?? null;
  const to = c.to ?? null;
  // A set (permissions, aliases) reads best as what came and went.
  if (c.truncated !== true && c.secret !== true && (from === null || isSetLike(from)) && (to === null || isSetLike(to)) && (from !== null || to !== null)) {
    const a = Object.keys((from as Record<string, true> | null) ?? {});
    const b = Object.keys((to as Record<string, true> | null) ?? {});
    if (a.length + b.length > 0) return { kind: 'set', added: b.filter((k) => !a.includes(k)).sort(), removed: a.filter((k) => !b.includes(k)).sort() };
  }
  return { kind: 'values', from, to, truncated: c.truncated === true, secret: c.secret === true };
}

const isEmpty = (v: unknown) => v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);

/**
 * The entry's changes in the order of its `properties` (then any others), parsed; a change
 * from nothing to nothing (a new record's empty set or map) says nothing and is left out.
 */
export function changesOf(entry: Record<string, unknown>): { property: string; change: Change }[] {
  const changes = (entry.changes ?? {}) as Record<string, unknown>;
  const props = Object.keys((entry.properties ?? {}) as Record<string, unknown>);
  const order = [...props, ...Object.keys(changes).filter((k) => !props.includes(k))];
  return order
    .map((property) => ({ property, change: property in changes ? parseChange(changes[property]) : { kind: 'omitted' as const } }))
    .filter(({ change }) => !(change.kind === 'values' && !change.secret && isEmpty(change.from) && isEmpty(change.to)));
}

/** A property's label on the form of its type, else its name in words (`builtIn` → "Built in"). */
export function propertyLabel(doc: SchemaDocument, objectType: string, property: string): string {
  for (const name of [objectType, doc.schemas[objectType]?.type === 'single' ? (doc.schemas[objectType] as { schemaName: string }).schemaName : '']) {
    const field = doc.forms[name]?.sections.flatMap((s) => s.fields).find((f) => f.name === property);
    if (field?.label) return field.label;
  }
  return humanize(property);
}

/** The full activity log filtered to one record (the list's URL filter keys, lists/listState.ts). */
export function historyPath(link: NavLink, objectType: string, objectId: string): string {
  return `${link.path}?f.objectType=${encodeURIComponent(objectType)}&f.objectId=${encodeURIComponent(objectId)}`;
}
