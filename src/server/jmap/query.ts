// Foo/query (RFC 8620 §5.5), and what a query matches (shared with /queryChanges).

import type { ObjectDef } from '../objects/define';
import { orderSql } from '../store/results';
import { checkArgs, optionalBool, optionalInt, requirePermission, resolveId, type CallContext } from './context';
import { MethodError } from './errors';
import { compileFilter, compileSort, type Order, type Sql } from './filter';
import { visibility, withVisibility } from './visibility';

type Obj = Record<string, unknown>;

export interface Matches {
  total(): number;
  page(position: number, limit: number): readonly string[];
  /** Every matching id in order. */
  all(): readonly string[];
}

/**
 * The records a filter and sort match. A filtered list's ordered ids are remembered by the
 * store and kept current from the change log, so its pages and total cost nothing between
 * writes; an unfiltered list's total is the type's maintained count and its pages walk an
 * index. Conditions on computed values change with the clock: always asked of SQLite.
 */
export function matches(ctx: CallContext, def: ObjectDef, sql: Sql, order: Order): Matches {
  const fromSql = (limit: number, position: number) => ctx.store.queryIds(def.name, sql.where, sql.params, orderSql(order.terms), limit, position);
  const cacheable = !sql.volatile && !order.volatile;
  let whole: readonly string[] | null | undefined;
  const all = () => (whole === undefined ? (whole = cacheable ? ctx.store.matching(def.name, sql, order.terms) : null) : whole);
  const listed = () => (sql.where ? all() : null);
  return {
    total: () => (!sql.where ? ctx.store.count(def.name, '', []) : listed()?.length ?? ctx.store.count(def.name, sql.where, sql.params)),
    page: (position, limit) => listed()?.slice(position, position + limit) ?? fromSql(limit, position),
    all: () => all() ?? fromSql(-1, 0),
  };
}

/** The filter of a /query or /queryChanges as SQL, without the records the caller may not see. */
export function querySql(ctx: CallContext, def: ObjectDef, view: Obj | undefined, args: Obj): Sql {
  return withVisibility(compileFilter(ctx.catalogue.schema, def, args.filter, view, args.sort), visibility(ctx, def));
}

export function query(ctx: CallContext, def: ObjectDef, view: Obj | undefined, args: Obj) {
  checkArgs(ctx, args, ['filter', 'sort', 'position', 'anchor', 'anchorOffset', 'limit', 'calculateTotal']);
  requirePermission(ctx, def, 'Query');
  const found = matches(ctx, def, querySql(ctx, def, view, args), compileSort(def, args.sort));
  const calculateTotal = optionalBool(args, 'calculateTotal', false);
  let position = optionalInt(args, 'position', -Infinity) ?? 0;
  const anchorOffset = optionalInt(args, 'anchorOffset', -Infinity) ?? 0;
  const requested = optionalInt(args, 'limit', 0);
  const limit = Math.min(requested ?? ctx.limits.maxQueryLimit, ctx.limits.maxQueryLimit);
  const queryState = ctx.store.state(def.name);
  let total: number | undefined;

  if (args.anchor !== undefined && args.anchor !== null) {
    const anchor = resolveId(ctx, args.anchor, 'anchor');
    const all = found.all();
    const index = all.indexOf(anchor);
    if (index === -1) throw new MethodError('anchorNotFound', `${anchor} is not in the results`);
    position = Math.max(0, index + anchorOffset);
    total = all.length;
  } else if (position < 0) {
    total = found.total();
    position = Math.max(0, total + position);
  }
  const ids = limit === 0 ? [] : [...found.page(position, limit)];
  if (calculateTotal && total === undefined) total = found.total();
  return {
    accountId: ctx.accountId,
    queryState,
    canCalculateChanges: true,
    position,
    ids,
    ...(calculateTotal ? { total } : {}),
    ...(requested === null || requested > limit ? { limit } : {}),
  };
}
