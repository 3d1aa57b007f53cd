// Which record field each CSV column fills, from the schema alone: a header names a field of
// the create form by property name or by its form label (any case); `@type` (or the label of
// the type switch) picks the variant of a union; a column named after a variant of a list of
// tagged items (x:Account's `credentials`: "Password") fills that item's one value field.

import type { FieldType, Property, SchemaDocument, Variant } from '../../../shared/schema/types';
import { isRequired } from '../../../shared/schema/values';
import { creatableVariants, formFieldsOf, formFor, recordFields, type ResolvedView } from '../../schema/resolve';

export type Target =
  | { kind: 'type' }
  | { kind: 'property'; name: string }
  /** One tagged item of an objectList property: `{"@type": variant, [field]: cell}`. */
  | { kind: 'item'; property: string; variant: string; field: string };

export interface Column {
  index: number;
  header: string;
  target: Target | null;
  /** Why the column is left out of the import. */
  ignored?: 'unknown' | 'unsupported' | 'twice' | 'serverSet';
}

/** A variant of the record (or the one shape of a single-schema record: name undefined). */
export interface RecordVariant {
  name?: string;
  label?: string;
  /** Properties the create form of this variant has, with their schema. */
  fields: Map<string, { label: string; property: Property }>;
}

export interface Plan {
  objectName: string;
  columns: Column[];
  /** Variants a record may be created as; one entry without a name for a single schema. */
  variants: RecordVariant[];
  /** Whether records pick their variant (a union not fixed by the view). */
  union: boolean;
  fixedVariant?: string;
}

const norm = (s: string) => s.trim().toLowerCase();

/** The one field of an item variant a cell can fill: the only one that is required or a secret. */
export function itemValueField(doc: SchemaDocument, schemaName: string | undefined): string | null {
  const entry = schemaName ? doc.fields[schemaName] : undefined;
  const defaults = entry?.defaults ?? {};
  const candidates = Object.entries(entry?.properties ?? {}).filter(
    ([k, p]) => p.update !== 'serverSet' && (isRequired(doc, p.type, k in defaults) || (p.type.type === 'string' && (p.type.format === 'secret' || p.type.format === 'secretText'))),
  );
  return candidates.length === 1 ? candidates[0][0] : null;
}

/** Whether a cell can hold a value of this type. */
export function cellType(doc: SchemaDocument, t: FieldType): boolean {
  switch (t.type) {
    case 'string': case 'number': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId':
      return true;
    case 'set':
      return ['string', 'enum', 'objectId', 'number'].includes(t.class.type);
    case 'object': {
      // A union picked by name, when the picked variant needs nothing more.
      const shape = doc.schemas[t.objectName];
      return shape?.type === 'multiple';
    }
    case 'objectList': case 'map': case 'blobId':
      return false;
    default: {
      const never: never = t;
      return never;
    }
  }
}

function variantsOf(doc: SchemaDocument, view: ResolvedView): RecordVariant[] {
  const fieldsOf = (variant?: string) => {
    const { properties } = recordFields(doc, view, variant);
    const out = new Map<string, { label: string; property: Property }>();
    for (const f of formFieldsOf(formFor(doc, view, variant))) {
      const property = properties[f.name];
      if (f.name !== '@type' && property) out.set(f.name, { label: f.label, property });
    }
    return out;
  };
  if (view.shape?.type !== 'multiple') return [{ fields: fieldsOf() }];
  const all: Variant[] = creatableVariants(doc, view.shape.variants);
  const chosen = view.fixedVariant ? all.filter((v) => v.name === view.fixedVariant) : all;
  return chosen.map((v) => ({ name: v.name, label: v.label, fields: fieldsOf(v.name) }));
}

/** What each column of `header` fills. */
export function planColumns(doc: SchemaDocument, view: ResolvedView, header: string[]): Plan {
  const variants = variantsOf(doc, view);
  const union = view.shape?.type === 'multiple' && !view.fixedVariant;
  // The type switch's label is in the union's own form (Stalwart's convention: its only field).
  const own = doc.forms[view.viewName] ?? doc.forms[view.objectName];
  const typeLabels = (own ? formFieldsOf(own) : []).filter((f) => f.name === '@type').map((f) => norm(f.label));
  const taken = new Set<string>();
  const columns = header.map((raw, index): Column => {
    const h = norm(raw);
    const col = (target: Target | null, ignored?: Column['ignored']): Column => {
      const key = JSON.stringify(target);
      if (target && taken.has(key)) return { index, header: raw, target: null, ignored: 'twice' };
      if (target) taken.add(key);
      return { index, header: raw, target, ...(ignored ? { ignored } : {}) };
    };
    if (h === '@type' || (view.shape?.type === 'multiple' && (h === 'type' || typeLabels.includes(h)))) return col({ kind: 'type' });
    for (const v of variants) {
      for (const [name, f] of v.fields) {
        if (norm(name) !== h && norm(f.label) !== h) continue;
        if (f.property.update === 'serverSet') return { index, header: raw, target: null, ignored: 'serverSet' };
        if (f.property.type.type === 'objectList') continue; // filled by item columns, below
        if (!cellType(doc, f.property.type)) return { index, header: raw, target: null, ignored: 'unsupported' };
        return col({ kind: 'property', name });
      }
    }
    for (const v of variants) {
      for (const [name, f] of v.fields) {
        const t = f.property.type;
        const shape = t.type === 'objectList' ? doc.schemas[t.objectName] : undefined;
        if (shape?.type !== 'multiple') continue;
        const item = shape.variants.find((iv) => norm(iv.name) === h || norm(iv.label) === h);
        const field = item && itemValueField(doc, item.schemaName);
        if (item && field) return col({ kind: 'item', property: name, variant: item.name, field });
      }
    }
    return { index, header: raw, target: null, ignored: 'unknown' };
  });
  return { objectName: view.objectName, columns, variants, union, fixedVariant: view.fixedVariant };
}

/** The variant a type cell names (by name or label); the only one when the cell is empty and there is one. */
export function pickVariant(plan: Plan, cell: string | undefined): RecordVariant | undefined {
  if (!plan.union) return plan.variants[0];
  const h = norm(cell ?? '');
  if (h === '') return plan.variants.length === 1 ? plan.variants[0] : undefined;
  return plan.variants.find((v) => norm(v.name ?? '') === h || norm(v.label ?? '') === h);
}

/** The column that shows an error on `path` (a property, or a path inside one), or -1 for the row. */
export function columnOf(plan: Plan, path: string): number {
  const top = path.split('/')[0];
  const hit = plan.columns.find((c) => (c.target?.kind === 'property' && c.target.name === top) || (c.target?.kind === 'item' && c.target.property === top) || (top === '@type' && c.target?.kind === 'type'));
  return hit ? hit.index : -1;
}

/** Whether a column holds secrets (a password item, a secret field): shown masked. */
export function isSecretColumn(plan: Plan, c: Column): boolean {
  if (c.target?.kind === 'item') return true;
  if (c.target?.kind !== 'property') return false;
  const name = c.target.name;
  return plan.variants.some((v) => {
    const t = v.fields.get(name)?.property.type;
    return t?.type === 'string' && (t.format === 'secret' || t.format === 'secretText');
  });
}

/** The headers a file may use, as the create form labels them (for the hint under the file input). */
export function importableLabels(doc: SchemaDocument, plan: Plan): string[] {
  const out = new Set<string>();
  if (plan.union) out.add('@type');
  for (const v of plan.variants) {
    for (const f of v.fields.values()) {
      const t = f.property.type;
      if (f.property.update === 'serverSet') continue;
      if (cellType(doc, t)) out.add(f.label);
      const shape = t.type === 'objectList' ? doc.schemas[t.objectName] : undefined;
      if (shape?.type === 'multiple') for (const iv of shape.variants) if (itemValueField(doc, iv.schemaName)) out.add(iv.label);
    }
  }
  return [...out];
}
