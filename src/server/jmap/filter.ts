// Query filters and sorts (RFC 8620 §5.5, with Stalwart's condition forms) compiled to SQL.

import { isSecret, topLevelProperties, type ObjectDef } from '../objects/define';
import { indexName, propExpr, typeLiteral } from '../store/records';
import type { SortTerm } from '../store/results';
import { MethodError } from './errors';
import { isPlainObject } from '../../shared/equal';
import { ID_PATTERN, normalizeUtcDateTime } from '../../shared/schema/validate';
import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';

type Obj = Record<string, unknown>;
/**
 * A condition over `data`. `volatile` when it reads a computed value (its SQL may use the
 * clock, as x:AllowedIp's status does): its results change without a write, so they are
 * never remembered.
 */
export interface Sql {
  where: string;
  params: unknown[];
  volatile?: boolean;
  /** The same condition for a few given rows, when `where` is written for a whole scan. */
  rowWhere?: string;
}

const COMPARATORS: [string, string][] = [
  ['IsGreaterThanOrEqual', '>='],
  ['IsGreaterThan', '>'],
  ['IsLessThanOrEqual', '<='],
  ['IsLessThan', '<'],
];

const MAX_DEPTH = 16;

export function matchesView(view: Obj | undefined, data: Obj): boolean {
  return !view || Object.entries(view).every(([k, v]) => data[k] === v);
}

/** Properties SQL can see: stored ones, and computed ones that have an SQL form. */
function storedProperties(def: ObjectDef): Map<string, Property> {
  if (!def.computed) return topLevelProperties(def);
  return new Map([...topLevelProperties(def)].filter(([k]) => !(k in def.computed!) || def.computedSql?.[k]));
}

/** The SQL expression for a property's value. */
function expr(def: ObjectDef, prop: string): string {
  return def.computedSql?.[prop] ?? propExpr(prop);
}

const isComputed = (def: ObjectDef, prop: string) => !!def.computedSql?.[prop];

/** SQLite refuses very large expressions; a client gets a clear error long before. */
const MAX_CONDITIONS = 500;

interface FilterContext {
  /** Conditions seen so far in this filter. */
  count: number;
  /** Enum values a condition may name. */
  enums: SchemaDocument['enums'];
  /** Union schemas: a condition on a union-typed property names one of its variants. */
  schemas: SchemaDocument['schemas'];
  def: ObjectDef;
  props: Map<string, Property>;
  /** The first sort key: a text condition on it is better served by the sort's own index walk. */
  sortKey?: string;
  /** Whether a condition read a computed value. */
  volatile: boolean;
  /** Conditions as they test one row, never as a scan of an index (for rowWhere). */
  perRow: boolean;
  /** Whether a condition was written as a scan of an index. */
  scans: boolean;
}

/**
 * `schema` is the document the enums of conditions are checked against; `sort` is the
 * query's sort argument, when there is one (it picks how text conditions run).
 */
export function compileFilter(schema: SchemaDocument, def: ObjectDef, filter: unknown, view?: Obj, sort?: unknown): Sql {
  const first = compileWith(schema, def, filter, view, sort, false);
  // The index scan is fast for a whole list and slow for a handful of rows (it reads the
  // whole index): the store brings remembered results up to date with the per-row form.
  return first.scans ? { ...first.sql, rowWhere: compileWith(schema, def, filter, view, sort, true).sql.where } : first.sql;
}

function compileWith(schema: SchemaDocument, def: ObjectDef, filter: unknown, view: Obj | undefined, sort: unknown, perRow: boolean) {
  const props = storedProperties(def);
  const first = Array.isArray(sort) && isPlainObject(sort[0]) ? sort[0].property : undefined;
  const sortKey = typeof first === 'string' ? first : undefined;
  const fc: FilterContext = { count: 0, enums: schema.enums, schemas: schema.schemas, def, props, sortKey, volatile: false, perRow, scans: false };
  const parts: string[] = [];
  const params: unknown[] = [];
  if (view) {
    for (const [k, v] of Object.entries(view)) {
      parts.push(`${propExpr(k)} = ?`);
      params.push(v);
    }
  }
  if (filter !== undefined && filter !== null) {
    const sql = node(fc, filter, 0);
    parts.push(sql.where);
    params.push(...sql.params);
  }
  return { sql: { where: parts.map((p) => `(${p})`).join(' AND '), params, volatile: fc.volatile }, scans: fc.scans };
}

function node(fc: FilterContext, f: unknown, depth: number): Sql {
  if (depth > MAX_DEPTH) throw new MethodError('unsupportedFilter', `Filters may nest at most ${MAX_DEPTH} deep`);
  if (++fc.count > MAX_CONDITIONS) throw new MethodError('unsupportedFilter', `Filters may have at most ${MAX_CONDITIONS} conditions`);
  if (!isPlainObject(f)) throw new MethodError('invalidArguments', 'A filter must be an object');
  if ('operator' in f) {
    const op = f.operator;
    const conditions = f.conditions;
    if (!Array.isArray(conditions)) throw new MethodError('invalidArguments', 'A filter operator needs a conditions array');
    const extra = Object.keys(f).filter((k) => k !== 'operator' && k !== 'conditions');
    if (extra.length) throw new MethodError('invalidArguments', `Unexpected keys in filter operator: ${extra.join(', ')}`);
    const subs = conditions.map((c) => node(fc, c, depth + 1));
    const params = subs.flatMap((s) => s.params);
    const joined = (sep: string) => (subs.length ? subs.map((s) => `(${s.where})`).join(sep) : sep === ' AND ' ? '1' : '0');
    switch (op) {
      case 'AND': return { where: joined(' AND '), params };
      case 'OR': return { where: joined(' OR '), params };
      // A condition on a null value is NULL in SQL, not false: NOT must still match it.
      case 'NOT':
        return { where: subs.length ? `NOT (${subs.map((s) => `coalesce((${s.where}), 0)`).join(' OR ')})` : '1', params };
      default: throw new MethodError('unsupportedFilter', `Unknown filter operator ${JSON.stringify(op)}`);
    }
  }
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [key, value] of Object.entries(f)) {
    const c = condition(fc, key, value);
    parts.push(c.where);
    params.push(...c.params);
  }
  return { where: parts.length ? parts.map((p) => `(${p})`).join(' AND ') : '1', params };
}

function condition(fc: FilterContext, key: string, value: unknown): Sql {
  const props = fc.props;
  if (key === 'id') {
    const ids = Array.isArray(value) ? value : [value];
    if (ids.length > MAX_CONDITIONS) throw new MethodError('unsupportedFilter', `At most ${MAX_CONDITIONS} ids in an id condition`);
    if (!ids.every((v) => typeof v === 'string' && ID_PATTERN.test(v))) throw new MethodError('invalidArguments', 'id filter takes ids');
    return { where: ids.length ? `id IN (${ids.map(() => '?').join(',')})` : '0', params: ids };
  }
  for (const [suffix, op] of COMPARATORS) {
    if (key.endsWith(suffix) && props.has(key.slice(0, -suffix.length))) {
      const name = key.slice(0, -suffix.length);
      const p = props.get(name)!;
      if (isComputed(fc.def, name)) fc.volatile = true;
      if (!['number', 'utcDateTime', 'string'].includes(p.type.type) || isSecret(p)) {
        throw new MethodError('unsupportedFilter', `${name} cannot be compared`);
      }
      return { where: `${expr(fc.def, name)} ${op} ?`, params: [scalar(fc, name, p.type, value)] };
    }
  }
  const p = props.get(key);
  if (!p || isSecret(p)) throw new MethodError('unsupportedFilter', `Cannot filter on ${JSON.stringify(key)}`);
  if (isComputed(fc.def, key)) fc.volatile = true;
  const t = p.type;
  if (value === null) return { where: `${expr(fc.def, key)} IS NULL`, params: [] };
  switch (t.type) {
    case 'string': {
      if (typeof value !== 'string') throw new MethodError('invalidArguments', `Filter ${key} takes a string`);
      if (key === '@type' || fc.def.exactText?.includes(key)) return { where: `${propExpr(key)} = ?`, params: [value] };
      // Text conditions match anywhere in the value, ignoring ASCII case.
      const like = `${expr(fc.def, key)} LIKE ? ESCAPE '\\'`;
      const params = [`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
      const unique = fc.def.unique?.includes(key) ?? false;
      if (!fc.perRow && key !== fc.sortKey && (unique || fc.def.indexed?.includes(key))) {
        // Scan the property's index (values already extracted) rather than every JSON row.
        fc.scans = true;
        const index = indexName(fc.def.name, key, unique);
        return { where: `rid IN (SELECT rid FROM records INDEXED BY ${index} WHERE type = ${typeLiteral(fc.def.name)} AND ${like})`, params };
      }
      return { where: like, params };
    }
    case 'set': {
      const members = Array.isArray(value) ? value : [value];
      fc.count += members.length;
      if (fc.count > MAX_CONDITIONS) throw new MethodError('unsupportedFilter', `Filters may have at most ${MAX_CONDITIONS} conditions`);
      const conds = members.map((m) => {
        const member = scalar(fc, key, t.class, m);
        if (typeof member !== 'string' || !/^[A-Za-z0-9_.:@-]+$/.test(member)) {
          throw new MethodError('invalidArguments', `Filter ${key}: ${JSON.stringify(m)} is not a valid member`);
        }
        return `json_extract(data, '$."${key}"."${member}"') = 1`;
      });
      return { where: conds.length ? conds.join(' AND ') : '1', params: [] };
    }
    case 'object': {
      // A union (x:Task's status) is matched by the name of its variant: {"status": "Failed"}.
      const shape = fc.schemas[t.objectName];
      if (shape?.type !== 'multiple') throw new MethodError('unsupportedFilter', `Cannot filter on ${key}`);
      if (typeof value !== 'string' || !shape.variants.some((v) => v.name === value)) {
        throw new MethodError('invalidArguments', `Filter ${key} takes one of ${shape.variants.map((v) => v.name).join(', ')}`);
      }
      return { where: `json_extract(data, '$."${key}"."@type"') = ?`, params: [value] };
    }
    case 'objectList': case 'map': case 'blobId':
      throw new MethodError('unsupportedFilter', `Cannot filter on ${key}`);
    case 'number': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId':
      return { where: `${expr(fc.def, key)} = ?`, params: [scalar(fc, key, t, value)] };
    default: {
      const unknownType: never = t;
      throw new Error(`No filter for ${JSON.stringify(unknownType)}`);
    }
  }
}

/** A filter value, checked against the property's type and put in stored form. */
function scalar(fc: FilterContext, name: string, t: FieldType, value: unknown): unknown {
  const bad = (what: string) => new MethodError('invalidArguments', `Filter ${name} takes ${what}`);
  switch (t.type) {
    case 'number': if (typeof value !== 'number') throw bad('a number'); return value;
    case 'boolean': if (typeof value !== 'boolean') throw bad('true or false'); return Number(value);
    case 'utcDateTime': {
      const d = typeof value === 'string' ? normalizeUtcDateTime(value) : null;
      if (!d) throw bad('a date-time');
      return d;
    }
    case 'enum': {
      if (typeof value !== 'string' || !(fc.enums[t.enumName] ?? []).some((e) => e.name === value)) throw bad(`a ${t.enumName} value`);
      return value;
    }
    case 'objectId':
      if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw bad('an id');
      return value;
    // Compared as text: strings, and set members of any other kind.
    case 'string': case 'object': case 'objectList': case 'set': case 'map': case 'blobId':
      if (typeof value !== 'string') throw bad('a string');
      return value;
    default: {
      const unknownType: never = t;
      throw new Error(`No filter value for ${JSON.stringify(unknownType)}`);
    }
  }
}

const SORTABLE = new Set(['string', 'number', 'boolean', 'utcDateTime', 'enum', 'objectId']);

/** The order of a sort argument; `volatile` when it sorts on a computed value. */
export interface Order { terms: SortTerm[]; volatile: boolean }

export function compileSort(def: ObjectDef, sort: unknown): Order {
  if (sort === undefined || sort === null) return { terms: [{ expr: 'rid', nocase: false, desc: false }], volatile: false };
  if (!Array.isArray(sort)) throw new MethodError('invalidArguments', 'sort must be an array');
  const props = storedProperties(def);
  let volatile = false;
  const terms = sort.map((s): SortTerm => {
    if (!isPlainObject(s) || typeof s.property !== 'string') {
      throw new MethodError('invalidArguments', 'Each sort entry needs a property');
    }
    const asc = s.isAscending === undefined ? true : s.isAscending;
    if (typeof asc !== 'boolean') throw new MethodError('invalidArguments', 'isAscending must be true or false');
    const p = props.get(s.property);
    const sql = s.property === 'id' ? 'id' : p && SORTABLE.has(p.type.type) && !isSecret(p) ? expr(def, s.property) : null;
    if (!sql) throw new MethodError('unsupportedSort', `Cannot sort on ${JSON.stringify(s.property)}`);
    if (isComputed(def, s.property)) volatile = true;
    let nocase = false;
    if (s.collation !== undefined) {
      if (s.collation === 'i;ascii-casemap') nocase = true;
      else if (s.collation !== 'i;octet') throw new MethodError('unsupportedSort', `Unsupported collation ${JSON.stringify(s.collation)}`);
    }
    return { expr: sql, nocase, desc: !asc };
  });
  // The tie-break follows the last key, so a descending sort walks its index backwards.
  const lastDesc = terms.length > 0 && terms[terms.length - 1].desc;
  return { terms: [...terms, { expr: 'rid', nocase: false, desc: lastDesc }], volatile };
}
