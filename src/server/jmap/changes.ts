// Foo/changes (RFC 8620 §5.2) and Foo/queryChanges (§5.6), from the change log.

import { isPlainObject } from '../../shared/equal';
import { topLevelProperties, type ObjectDef } from '../objects/define';
import { ChangeKind } from '../store/records';
import { checkArgs, optionalBool, optionalInt, requirePermission, resolveId, stateArg, type CallContext } from './context';
import { MethodError } from './errors';
import { compileSort } from './filter';
import { matches, querySql } from './query';
import { visibility } from './visibility';

type Obj = Record<string, unknown>;
const MAX_QUERY_CHANGES = 10_000;

function parseState(ctx: CallContext, def: ObjectDef, state: string): number {
  const n = /^\d{1,15}$/.test(state) ? Number(state) : NaN;
  if (!Number.isSafeInteger(n) || n > ctx.store.modseq(def.name)) {
    throw new MethodError('cannotCalculateChanges', `Unknown state ${JSON.stringify(state)}: fetch everything again`);
  }
  return n;
}

export function changes(ctx: CallContext, def: ObjectDef, args: Obj) {
  checkArgs(ctx, args, ['sinceState', 'maxChanges']);
  requirePermission(ctx, def, 'Get');
  const since = parseState(ctx, def, stateArg(args, 'sinceState', true)!);
  const maxChanges = optionalInt(args, 'maxChanges', 1);
  const current = ctx.store.modseq(def.name);
  const limit = maxChanges ?? 100_000;
  // Read one change more than can be returned to know whether more remain.
  const log = ctx.store.changesSince(def.name, since, limit + 1);
  const kinds = new Map<string, { first: ChangeKind; last: ChangeKind }>();
  let newState = since;
  for (const c of log) {
    if (!kinds.has(c.id) && kinds.size >= limit) break;
    const k = kinds.get(c.id);
    kinds.set(c.id, { first: k ? k.first : c.kind, last: c.kind });
    newState = c.modseq;
  }
  const created: string[] = [], updated: string[] = [], destroyed: string[] = [];
  const hidden = hiddenIds(ctx, def, [...kinds].filter(([, k]) => k.last !== ChangeKind.Destroyed).map(([id]) => id));
  for (const [id, { first, last }] of kinds) {
    // A record the caller may not see was never there for it. A destroyed one is listed
    // whoever owned it: it is gone, and its id tells nothing about what exists.
    if (hidden.has(id)) continue;
    if (first === ChangeKind.Created) {
      if (last !== ChangeKind.Destroyed) created.push(id);
    } else if (last === ChangeKind.Destroyed) destroyed.push(id);
    else updated.push(id);
  }
  return {
    accountId: ctx.accountId,
    oldState: String(since),
    newState: String(newState),
    hasMoreChanges: newState < current,
    created,
    updated,
    destroyed,
  };
}

/** Of these existing ids, those whose records the caller may not see. */
function hiddenIds(ctx: CallContext, def: ObjectDef, ids: string[]): Set<string> {
  if (!def.ownerProperty || ids.length === 0) return new Set();
  const seen = visibility(ctx, def);
  const found = ctx.store.getMany(def.name, ids);
  return new Set(ids.filter((id) => found.has(id) && !seen.sees(found.get(id)!)));
}

const COMPARISON = /(IsGreaterThanOrEqual|IsGreaterThan|IsLessThanOrEqual|IsLessThan)$/;

/** Whether a (valid) filter and sort look only at ids and immutable properties. */
export function readsOnlyImmutable(def: ObjectDef, filter: unknown, sort: unknown): boolean {
  const props = topLevelProperties(def);
  const fixed = (name: string) => name === 'id' || props.get(name)?.update === 'immutable';
  const filterFixed = (f: unknown): boolean => {
    if (!isPlainObject(f)) return true;
    if ('operator' in f) return Array.isArray(f.conditions) && f.conditions.every(filterFixed);
    return Object.keys(f).every((k) => fixed(k) || (COMPARISON.test(k) && props.has(k.replace(COMPARISON, '')) && fixed(k.replace(COMPARISON, ''))));
  };
  const sortFixed = !Array.isArray(sort) || sort.every((s) => isPlainObject(s) && typeof s.property === 'string' && fixed(s.property));
  return sortFixed && filterFixed(filter);
}

export function queryChanges(ctx: CallContext, def: ObjectDef, view: Obj | undefined, args: Obj) {
  checkArgs(ctx, args, ['filter', 'sort', 'sinceQueryState', 'maxChanges', 'upToId', 'calculateTotal']);
  requirePermission(ctx, def, 'Query');
  const since = parseState(ctx, def, stateArg(args, 'sinceQueryState', true)!);
  const maxChanges = optionalInt(args, 'maxChanges', 1);
  const calculateTotal = optionalBool(args, 'calculateTotal', false);
  const givenUpToId = args.upToId === undefined || args.upToId === null ? null : resolveId(ctx, args.upToId, 'upToId');
  const found = matches(ctx, def, querySql(ctx, def, view, args), compileSort(def, args.sort));
  // RFC 8620 §5.6: upToId counts only when the filter and sort read immutable values alone;
  // otherwise a record past it may have moved before it.
  const upToId = givenUpToId !== null && readsOnlyImmutable(def, args.filter, args.sort) ? givenUpToId : null;
  const newQueryState = ctx.store.state(def.name);
  // Past this many changes a client is better off querying again.
  const log = ctx.store.changesSince(def.name, since, MAX_QUERY_CHANGES + 1);
  if (log.length > MAX_QUERY_CHANGES) {
    throw new MethodError('cannotCalculateChanges', `More than ${MAX_QUERY_CHANGES} changes since ${since}: query again`);
  }
  // Every changed record may have left its place: report it removed, then added
  // back at its current index if it still matches (RFC 8620 §5.6 allows this).
  const changed = new Set(log.map((c) => c.id));
  const hidden = hiddenIds(ctx, def, [...changed]);
  const removed = [...changed].filter((id) => !hidden.has(id));
  const added: { id: string; index: number }[] = [];
  if (changed.size) {
    const all = found.all();
    for (let i = 0; i < all.length; i++) {
      if (upToId !== null && all[i - 1] === upToId) break;
      if (changed.has(all[i])) added.push({ id: all[i], index: i });
    }
  }
  if (maxChanges !== null && removed.length + added.length > maxChanges) {
    throw new MethodError('tooManyChanges', `More than ${maxChanges} changes since ${since}`);
  }
  return {
    accountId: ctx.accountId,
    oldQueryState: String(since),
    newQueryState,
    ...(calculateTotal ? { total: found.total() } : {}),
    removed,
    added,
  };
}
