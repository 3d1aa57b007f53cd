// Builders for the schema content most definitions share, so each states only what is
// its own. Content only: the JMAP engine never needs these (objects/define.ts is the contract).

import type { ItemAction, List, Property, StringFormat, UpdateMode } from '../../shared/schema/types';

/**
 * A list page with the usual actions: open, the jumps in `related`, delete one or many;
 * `deleteLabel` names the removal where it is not a deletion (Blocked IPs: "Unblock").
 */
export function listPage(spec: Omit<List, 'itemActions' | 'massActions'> & { related?: ItemAction[]; deleteLabel?: string }): List {
  const { related = [], deleteLabel, ...list } = spec;
  const remove: ItemAction = deleteLabel ? { type: 'delete', label: deleteLabel } : { type: 'delete' };
  return { ...list, itemActions: [{ type: 'view' }, ...related, { type: 'separator' }, remove], massActions: [remove] };
}

/** `{ property: label, … }` as `[{ name, label }, …]`, in order: list columns and form fields. */
export function labelled(labels: Record<string, string>): { name: string; label: string }[] {
  return Object.entries(labels).map(([name, label]) => ({ name, label }));
}

/** A list's sort on one property, A to Z. */
export function ascending(property: string): NonNullable<List['sort']> {
  return [{ property, isAscending: true }];
}

/** A text property (format `string` unless said otherwise). */
export function textProperty(
  description: string,
  update: UpdateMode,
  opts: { format?: StringFormat; nullable?: boolean; maxLength?: number } = {},
): Property {
  const type = {
    type: 'string' as const,
    format: opts.format ?? 'string',
    ...(opts.nullable ? { nullable: true } : {}),
    ...(opts.maxLength !== undefined ? { maxLength: opts.maxLength } : {}),
  };
  return { description, type, update };
}

/** The unique name most objects have, fixed once created. */
export const nameProperty = (description: string) => textProperty(description, 'immutable', { maxLength: 255 });

/** The optional free text most objects have. */
export const descriptionProperty = (description: string) => textProperty(description, 'mutable', { nullable: true, maxLength: 1024 });

