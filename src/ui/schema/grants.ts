// What a caller may grant, read from the schema: records that carry sets of the schema's
// permission enum (roles) give those permissions, minus the ones they take away, with
// everything the records they extend give. Nobody can grant what they do not hold.

import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import { setMembers } from '../lib/set';

/** The enum whose values are the permissions every method checks. */
export const PERMISSION_ENUM = 'Permission';

/**
 * A set of permissions that takes them away rather than giving them. The schema types both
 * alike, so the name says which: Stalwart calls these `disabled…` (disabledPermissions).
 */
export function takesAway(property: string): boolean {
  return /^disabled[A-Z]/.test(property);
}

export function isPermissionSet(type: FieldType): boolean {
  return type.type === 'set' && type.class.type === 'enum' && type.class.enumName === PERMISSION_ENUM;
}

/** How one object type's records hold permissions. */
export interface GrantModel {
  gives: string[];
  takes: string[];
  /** Sets of references to records of the same type whose permissions these records have too. */
  extends: string[];
}

function propertiesOfObject(doc: SchemaDocument, objectName: string): [string, Property][] {
  const shape = doc.schemas[objectName];
  const schemaNames = !shape ? [objectName] : shape.type === 'single' ? [shape.schemaName] : shape.variants.flatMap((v) => (v.schemaName ? [v.schemaName] : []));
  return schemaNames.flatMap((s) => Object.entries(doc.fields[s]?.properties ?? {}));
}

/** The grant model of an object type whose records carry permission sets; null for any other. */
export function grantModel(doc: SchemaDocument, objectName: string): GrantModel | null {
  const target = doc.objects[objectName]?.type === 'view' ? (doc.objects[objectName].objectName ?? objectName) : objectName;
  const model: GrantModel = { gives: [], takes: [], extends: [] };
  for (const [name, p] of propertiesOfObject(doc, target)) {
    if (isPermissionSet(p.type)) (takesAway(name) ? model.takes : model.gives).push(name);
    else if (p.type.type === 'set' && p.type.class.type === 'objectId' && p.type.class.objectName === target) model.extends.push(name);
  }
  return model.gives.length > 0 ? model : null;
}

export type Lookup = (id: string) => Record<string, unknown> | undefined;

/** Ids reachable from `roots` (included) through the model's extends; unknown ids are skipped. */
export function reachable(model: GrantModel, roots: string[], lookup: Lookup): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const r = lookup(id);
    if (r) for (const prop of model.extends) queue.push(...setMembers(r[prop]));
  }
  return [...seen].filter((id) => lookup(id));
}

/** The permissions records `roots` end up giving: what they and those they extend give, less what any of them takes. */
export function effectivePermissions(model: GrantModel, roots: string[], lookup: Lookup): Set<string> {
  const ids = reachable(model, roots, lookup);
  const given = new Set<string>();
  const taken = new Set<string>();
  for (const id of ids) {
    const r = lookup(id)!;
    for (const p of model.gives) for (const m of setMembers(r[p])) given.add(m);
    for (const p of model.takes) for (const m of setMembers(r[p])) taken.add(m);
  }
  for (const m of taken) given.delete(m);
  return given;
}

/** The members of `perms` the caller does not hold, sorted. */
export function notHeld(held: ReadonlySet<string>, perms: Iterable<string>): string[] {
  return [...perms].filter((p) => !held.has(p)).sort();
}
