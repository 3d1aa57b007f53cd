// Which columns a list shows and in what order, chosen by the administrator and kept in
// this browser per object type and view: the schema's columns plus the object's other
// simple fields (those a cell can show in a few words).

import type { Form, List, Property } from '../../shared/schema/types';
import { humanize } from '../schema/resolve';
import { isSecret } from './export/values';

export interface Column { name: string; label: string }

/** A value a list cell shows in a few words: no secret, no nested record, no blob. */
export function isSimple(property: Property | undefined): boolean {
  const t = property?.type;
  if (!t || isSecret(t)) return false;
  switch (t.type) {
    case 'string': case 'number': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId':
      return true;
    case 'set':
      return ['string', 'enum', 'objectId'].includes(t.class.type);
    case 'object': case 'objectList': case 'map': case 'blobId':
      return false;
    default: {
      const _: never = t;
      return false;
    }
  }
}

/** The schema's columns first, then the other simple fields, labelled as the form labels them. */
export function availableColumns(list: List, properties: Record<string, Property>, form?: Form): Column[] {
  const labels = new Map((form?.sections ?? []).flatMap((s) => s.fields.map((f) => [f.name, f.label] as const)));
  const listed = new Set(list.columns.map((c) => c.name));
  const others = Object.entries(properties)
    .filter(([name, p]) => !listed.has(name) && isSimple(p))
    .map(([name]) => ({ name, label: labels.get(name) || humanize(name) }));
  return [...list.columns, ...others];
}

/** The columns shown: the stored choice where it still names available columns, else the schema's. */
export function chosenColumns(available: Column[], list: List, choice: string[] | null): Column[] {
  const byName = new Map(available.map((c) => [c.name, c]));
  const picked = (choice ?? []).map((n) => byName.get(n)).filter((c): c is Column => !!c);
  return picked.length > 0 ? [...new Map(picked.map((c) => [c.name, c])).values()] : list.columns;
}

/** Shows or hides one column; the last one shown stays (a list needs a column to link from). */
export function toggleColumn(shown: string[], name: string): string[] {
  if (!shown.includes(name)) return [...shown, name];
  return shown.length > 1 ? shown.filter((n) => n !== name) : shown;
}

/** Moves a shown column one place up (-1) or down (+1); at either end nothing moves. */
export function moveColumn(shown: string[], name: string, by: -1 | 1): string[] {
  const i = shown.indexOf(name);
  const j = i + by;
  if (i < 0 || j < 0 || j >= shown.length) return shown;
  const next = [...shown];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

/** The localStorage key of one list's choice. */
export function columnsKey(objectName: string, viewName: string): string {
  return `postern.columns.${objectName}.${viewName}`;
}

/** A stored choice, or null when there is none or it is unreadable. */
export function parseChoice(text: string | null): string[] | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((n) => typeof n === 'string') ? v : null;
  } catch {
    return null;
  }
}
