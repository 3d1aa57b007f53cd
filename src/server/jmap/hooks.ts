// What a method call does around the generic methods for types that need more: a
// singleton's record made on first use, a mirror of outside state refreshed before it is
// read (refresh), and a /set's writes carried out afterwards (apply), whose failures are
// moved into the answer's notCreated / notUpdated / notDestroyed.

import type { SetError } from '../../shared/jmap/errors';
import { SINGLETON_ID, type AppliedWrites, type HookMethod, type ObjectDef, type Rec } from '../objects/define';
import type { CallContext } from './context';
import { MethodError } from './errors';
import { forgetActivity } from '../activity/record';
import { isDryRun } from './dryRun';

type Obj = Record<string, unknown>;

const VERB: Record<HookMethod, string[]> = {
  get: ['Get'], changes: ['Get'], query: ['Query'], queryChanges: ['Query'], set: ['Create', 'Update', 'Destroy'],
};

/** The singleton's record exists from its first use on. */
export function ensureSingleton(ctx: CallContext, def: ObjectDef): void {
  if (!def.singleton || ctx.store.get(def.name, SINGLETON_ID)) return;
  ctx.store.transaction(() => {
    if (!ctx.store.get(def.name, SINGLETON_ID)) ctx.store.insert(def.name, SINGLETON_ID, { ...def.singleton!.defaults }, []);
  });
  ctx.store.flushChanges();
}

export function refuseSingletonQuery(def: ObjectDef, method: string): void {
  if (def.singleton && (method === 'query' || method === 'queryChanges')) {
    throw new MethodError('unknownMethod', `${def.name} is a singleton: it has no /${method}; read it with /get {"ids":["${SINGLETON_ID}"]}`);
  }
}

/** Refreshes a mirrored type for a call the caller is allowed to make (else the method refuses it itself). */
export async function beforeCall(ctx: CallContext, def: ObjectDef, method: string, args: Obj): Promise<void> {
  if (!(method in VERB)) return;
  const m = method as HookMethod;
  // Nothing is written or run for a caller the method will refuse.
  if (!VERB[m].some((v) => ctx.caller.permissions.has(`${def.permissionPrefix}${v}`))) return;
  // A dry run makes not even a singleton's first record (set.ts makes it in its rolled-back transaction).
  if (!(m === 'set' && isDryRun(args))) ensureSingleton(ctx, def);
  if (def.refresh) await def.refresh(ctx, m, args);
}

const idOf = (ctx: CallContext, raw: string) => (raw.startsWith('#') ? ctx.createdIds.get(raw.slice(1)) ?? raw : raw);

/** The records a /set is about to update or destroy, as they are before it. */
export function snapshotBefore(ctx: CallContext, def: ObjectDef, args: Obj): Map<string, Rec> {
  const ids = new Set<string>();
  if (args.update && typeof args.update === 'object') for (const k of Object.keys(args.update)) ids.add(idOf(ctx, k));
  if (Array.isArray(args.destroy)) for (const k of args.destroy) if (typeof k === 'string') ids.add(idOf(ctx, k));
  const found = ctx.store.getMany(def.name, [...ids].slice(0, ctx.limits.maxObjectsInSet));
  return new Map([...found].map(([id, data]) => [id, { ...data, id }]));
}

/** Runs the type's apply hook over a committed /set answer and moves what failed. */
export async function afterSet(ctx: CallContext, def: ObjectDef, before: Map<string, Rec>, result: Obj): Promise<Obj> {
  if (!def.apply) return result;
  const created = (result.created ?? {}) as Record<string, { id: string }>;
  const updated = (result.updated ?? {}) as Record<string, unknown>;
  const destroyed = (result.destroyed ?? []) as string[];
  const done: AppliedWrites = { created: new Map(), updated: new Map(), destroyed: new Map() };
  const cidOf = new Map<string, string>();
  for (const [cid, c] of Object.entries(created)) {
    const data = ctx.store.get(def.name, c.id);
    if (data) done.created.set(c.id, { ...data, id: c.id });
    cidOf.set(c.id, cid);
  }
  for (const id of Object.keys(updated)) {
    const next = ctx.store.get(def.name, id);
    const prev = before.get(id);
    if (next && prev) done.updated.set(id, { next: { ...next, id }, prev });
  }
  for (const id of destroyed) {
    const prev = before.get(id);
    if (prev) done.destroyed.set(id, prev);
  }
  if (!done.created.size && !done.updated.size && !done.destroyed.size) return result;
  const failed = await def.apply(ctx, done);
  const out: Obj = { ...result, newState: ctx.store.state(def.name) };
  const move = (from: string, to: string, errors: Record<string, SetError> | undefined, key: (id: string) => string) => {
    if (!errors || !Object.keys(errors).length) return;
    const target: Record<string, SetError> = { ...((out[to] as Record<string, SetError> | null) ?? {}) };
    if (from === 'destroyed') {
      out.destroyed = ((out.destroyed as string[] | null) ?? []).filter((id) => !(id in errors));
      if (!(out.destroyed as string[]).length) out.destroyed = null;
    } else {
      const source: Obj = { ...((out[from] as Obj | null) ?? {}) };
      for (const id of Object.keys(errors)) delete source[key(id)];
      out[from] = Object.keys(source).length ? source : null;
    }
    for (const [id, err] of Object.entries(errors)) target[key(id)] = err;
    out[to] = target;
  };
  move('created', 'notCreated', failed.created, (id) => cidOf.get(id) ?? id);
  move('updated', 'notUpdated', failed.updated, (id) => id);
  move('destroyed', 'notDestroyed', failed.destroyed, (id) => id);
  // What the hook undid did not happen: its activity entries go (written since the /set committed, so kept apart).
  const undone = [failed.created, failed.updated, failed.destroyed].flatMap((e) => Object.keys(e ?? {}));
  if (undone.length) forgetActivity(ctx.store, undone.flatMap((id) => ctx.activityEntries?.get(`${def.name}/${id}`) ?? []));
  for (const id of Object.keys(failed.created ?? {})) {
    const cid = cidOf.get(id);
    if (cid !== undefined) ctx.createdIds.delete(cid);
  }
  return out;
}
