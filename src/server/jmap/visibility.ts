// Per-account records (ObjectDef.ownerProperty: API keys) follow their account's
// protection: a caller sees one only when it is its own or the caller holds every
// permission the owning account holds. To anyone else it does not exist.

import { callerFor } from '../auth/caller';
import type { ObjectDef } from '../objects/define';
import { propExpr } from '../store/records';
import type { CallContext } from './context';
import type { Sql } from './filter';

type Obj = Record<string, unknown>;

export interface Visibility {
  /** Whether the caller may see this stored record. */
  sees(data: Obj): boolean;
  /** The same rule as a condition over `data` for /query, or null when nothing is hidden. */
  hiddenSql(): Sql | null;
}

const everything: Visibility = { sees: () => true, hiddenSql: () => null };

/** The rule for one method call (the owners' permissions are worked out once per call). */
export function visibility(ctx: CallContext, def: ObjectDef): Visibility {
  const prop = def.ownerProperty;
  if (!prop) return everything;
  const decided = new Map<string, boolean>();
  // A record without an owner, or of an account that is gone, outranks nobody.
  const seesOwner = (owner: unknown): boolean => {
    if (typeof owner !== 'string' || owner === ctx.caller.accountId) return true;
    let ok = decided.get(owner);
    if (ok === undefined) {
      const held = callerFor(ctx.store, owner)?.permissions ?? new Set<string>();
      ok = [...held].every((p) => ctx.caller.permissions.has(p));
      decided.set(owner, ok);
    }
    return ok;
  };
  return {
    sees: (data) => seesOwner(data[prop]),
    hiddenSql() {
      const hidden = ctx.store.distinctValues(def.name, prop).filter((o) => !seesOwner(o));
      if (hidden.length === 0) return null;
      return { where: `coalesce(${propExpr(prop)}, '') NOT IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(hidden)] };
    },
  };
}

/** A filter's SQL with the records the caller may not see left out. */
export function withVisibility(sql: Sql, v: Visibility): Sql {
  const hidden = v.hiddenSql();
  if (!hidden) return sql;
  const and = (w: string) => [w, hidden.where].filter(Boolean).map((c) => `(${c})`).join(' AND ');
  return { ...sql, where: and(sql.where), params: [...sql.params, ...hidden.params], ...(sql.rowWhere ? { rowWhere: and(sql.rowWhere) } : {}) };
}
