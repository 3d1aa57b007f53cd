// Foo/query (RFC 8620 §5.5).

import type { ObjectDef } from '../objects/define';
import { checkArgs, optionalBool, optionalInt, requirePermission, resolveId, type CallContext } from './context';
import { MethodError } from './errors';
import { compileFilter, compileSort } from './filter';

type Obj = Record<string, unknown>;

/** Totals are costly on large tables and asked for on every page: remember them per store and state. */
const totalsByStore = new WeakMap<object, Map<string, number>>();

export function countMatches(ctx: CallContext, def: ObjectDef, where: string, params: unknown[]): number {
  let totals = totalsByStore.get(ctx.store);
  if (!totals) totalsByStore.set(ctx.store, (totals = new Map()));
  const key = `${def.name}\u0000${ctx.store.modseq(def.name)}\u0000${where}\u0000${JSON.stringify(params)}`;
  let n = totals.get(key);
  if (n === undefined) {
    n = ctx.store.count(def.name, where, params);
    if (totals.size > 1000) totals.clear();
    totals.set(key, n);
  }
  return n;
}

export function query(ctx: CallContext, def: ObjectDef, view: Obj | undefined, args: Obj) {
  checkArgs(ctx, args, ['filter', 'sort', 'position', 'anchor', 'anchorOffset', 'limit', 'calculateTotal']);
  requirePermission(ctx, def, 'Query');
  const { where, params } = compileFilter(ctx.catalogue.schema, def, args.filter, view, args.sort);
  const orderBy = compileSort(def, args.sort);
  const calculateTotal = optionalBool(args, 'calculateTotal', false);
  let position = optionalInt(args, 'position', -Infinity) ?? 0;
  const anchorOffset = optionalInt(args, 'anchorOffset', -Infinity) ?? 0;
  const requested = optionalInt(args, 'limit', 0);
  const limit = Math.min(requested ?? ctx.limits.maxQueryLimit, ctx.limits.maxQueryLimit);
  const queryState = ctx.store.state(def.name);
  let total: number | undefined;

  if (args.anchor !== undefined && args.anchor !== null) {
    const anchor = resolveId(ctx, args.anchor, 'anchor');
    const all = ctx.store.queryIds(def.name, where, params, orderBy, -1, 0);
    const index = all.indexOf(anchor);
    if (index === -1) throw new MethodError('anchorNotFound', `${anchor} is not in the results`);
    position = Math.max(0, index + anchorOffset);
    total = all.length;
  } else if (position < 0) {
    total = countMatches(ctx, def, where, params);
    position = Math.max(0, total + position);
  }
  const ids = limit === 0 ? [] : ctx.store.queryIds(def.name, where, params, orderBy, limit, position);
  if (calculateTotal && total === undefined) total = countMatches(ctx, def, where, params);
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
