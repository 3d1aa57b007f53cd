// From CSV records to create values: each row's variant, each cell parsed by its field's
// type, and what went wrong per cell (column -1: the row as a whole).

import type { SchemaDocument } from '../../../shared/schema/types';
import type { SetError } from '../../jmap/types';
import { i18n } from '../../i18n/i18n';
import { parseCell, referencedNames, type Names } from './cells';
import { columnOf, pickVariant, type Plan } from './columns';
import type { CsvRecord } from './csv';
import { unneutralize } from './limits';

export interface CellError {
  /** Column index, or -1 when the error is about the row. */
  column: number;
  message: string;
  /** The property the server named, when it did. */
  property?: string;
}

export interface Row {
  /** Line in the file (1-based), the row's name everywhere. */
  line: number;
  cells: string[];
  /** The create value, or null when the row could not be built. */
  value: Record<string, unknown> | null;
  errors: CellError[];
}

/** Every record name the rows refer to, by object: looked up on the server once each. */
export function wantedNames(doc: SchemaDocument, plan: Plan, records: CsvRecord[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    const variant = pickVariant(plan, typeCell(plan, r.fields));
    for (const c of plan.columns) {
      if (c.target?.kind !== 'property') continue;
      const f = variant?.fields.get(c.target.name);
      if (!f) continue;
      for (const ref of referencedNames(f.property.type, r.fields[c.index] ?? '')) {
        if (!out.has(ref.objectName)) out.set(ref.objectName, new Set());
        out.get(ref.objectName)!.add(ref.name);
      }
    }
  }
  return out;
}

function typeCell(plan: Plan, fields: string[]): string | undefined {
  const c = plan.columns.find((x) => x.target?.kind === 'type');
  return c ? fields[c.index] : undefined;
}

export function buildRow(doc: SchemaDocument, plan: Plan, record: CsvRecord, names: Names): Row {
  const { fields, line } = record;
  const errors: CellError[] = [];
  const typeColumn = plan.columns.find((x) => x.target?.kind === 'type');
  const variant = pickVariant(plan, typeCell(plan, fields));
  const row: Row = { line, cells: plan.columns.map((c) => fields[c.index] ?? ''), value: null, errors };
  if (fields.length !== plan.columns.length) {
    errors.push({ column: -1, message: i18n.t('import:row.fieldCount', { count: fields.length, expected: plan.columns.length }) });
  }
  if (!variant) {
    const options = plan.variants.map((v) => v.label ?? v.name).join(', ');
    errors.push({ column: typeColumn?.index ?? -1, message: typeCell(plan, fields)?.trim() ? i18n.t('import:value.oneOf', { values: options }) : i18n.t('import:row.typeNeeded', { values: options }) });
    return row;
  }
  const value: Record<string, unknown> = variant.name !== undefined ? { '@type': variant.name } : {};
  const items: Record<string, Record<string, unknown>> = {};
  for (const c of plan.columns) {
    const text = fields[c.index] ?? '';
    if (!c.target || c.target.kind === 'type' || text.trim() === '') continue;
    if (c.target.kind === 'item') {
      const list = (items[c.target.property] ??= {});
      list[String(Object.keys(list).length)] = { '@type': c.target.variant, [c.target.field]: text };
      continue;
    }
    const f = variant.fields.get(c.target.name);
    const secret = f?.property.type.type === 'string' && (f.property.type.format === 'secret' || f.property.type.format === 'secretText');
    if (!f) {
      errors.push({ column: c.index, message: i18n.t('import:row.notInVariant', { variant: variant.label ?? variant.name ?? '' }) });
      continue;
    }
    // A secret is as typed (never exported, so never guarded); any other cell without an export's guard.
    const parsed = parseCell(doc, f.property.type, secret ? text : unneutralize(text), names);
    if ('error' in parsed) errors.push({ column: c.index, message: parsed.error });
    else value[c.target.name] = parsed.value;
  }
  Object.assign(value, items);
  if (errors.length === 0) row.value = value;
  return row;
}

/** A SetError's problems placed on the columns of the properties it names (server words kept). */
export function placeSetError(plan: Plan, error: SetError, describe: (e: SetError) => { summary: string; fields: Record<string, string> }): CellError[] {
  const described = describe(error);
  const out: CellError[] = [];
  const seen = new Set<number>();
  const paths = error.validationErrors?.length ? error.validationErrors.map((v) => v.property) : error.properties ?? [];
  for (const path of paths) {
    const column = columnOf(plan, path);
    if (column < 0 || seen.has(column)) continue;
    seen.add(column);
    const top = path.split('/')[0];
    // Per-field checks read in the console's words for that field; any other refusal in the server's own.
    const own = error.type === 'validationFailed' || error.type === 'invalidProperties' ? described.fields[top] : undefined;
    out.push({ column, property: top, message: own ?? error.description ?? described.summary });
  }
  // What no column shows: the row's own error, in the server's words.
  if (out.length === 0) out.push({ column: -1, property: paths[0], message: error.description ?? described.summary });
  return out;
}
