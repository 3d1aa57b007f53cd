// Which other records a record's page lists below its form, read from the schema alone: its
// parts, records of another type with a required reference to this type that clients cannot
// move (immutable or server-set) and that their list filters on: an account's mailboxes, a
// domain's DLP rules, a repository's mails. A part whose reference is set on create
// (immutable) can be created there, the reference filled in. (A list's `query` jumps, such
// as a domain's accounts, stay jumps: those records are not the record's own.)

import type { List, Property, SchemaDocument } from '../../shared/schema/types';
import { listProperties, resolveView } from '../schema/resolve';

export interface Relation {
  /** Where the records' list layout comes from (an object or a view). */
  viewName: string;
  /** The object whose /query and /set are called. */
  objectName: string;
  /** The property of theirs that holds this record's id. */
  fieldName: string;
  title: string;
  list: List;
  /** The reference is written on create (immutable): a part can be made from here, the reference set. */
  creatable: boolean;
}

const baseOf = (doc: SchemaDocument, name: string) => (doc.objects[name]?.type === 'view' ? doc.objects[name].objectName ?? name : name);

/** A reference property to records of `objectName` (or one of its views). */
function pointsAt(doc: SchemaDocument, p: Property | undefined, objectName: string): boolean {
  const t = p?.type;
  if (!t) return false;
  const target = t.type === 'objectId' ? t.objectName : t.type === 'set' && t.class.type === 'objectId' ? t.class.objectName : undefined;
  return !!target && baseOf(doc, target) === objectName;
}

function isPart(p: Property): boolean {
  return p.type.type === 'objectId' && !p.type.nullable && (p.update === 'immutable' || p.update === 'serverSet');
}

export function relationsOf(doc: SchemaDocument, viewName: string): Relation[] {
  const self = resolveView(doc, viewName);
  if (!self || self.singleton) return [];
  const out: Relation[] = [];
  const seen = new Set<string>();
  // Through the list of their own object (not one of its views) when it has one.
  const names = Object.keys(doc.lists).sort((a, b) => Number(doc.objects[a]?.type === 'view') - Number(doc.objects[b]?.type === 'view'));
  for (const name of names) {
    const target = resolveView(doc, name);
    if (!target || target.objectName === self.objectName) continue;
    const props = listProperties(doc, target);
    for (const f of target.list?.filters ?? []) {
      const p = props[f.field];
      const key = `${target.objectName}/${f.field}`;
      if (f.type !== 'objectId' || !p || !isPart(p) || !pointsAt(doc, p, self.objectName) || seen.has(key)) continue;
      seen.add(key);
      out.push({ viewName: name, objectName: target.objectName, fieldName: f.field, title: target.list!.title, list: target.list!, creatable: p.update === 'immutable' });
    }
  }
  return out;
}
