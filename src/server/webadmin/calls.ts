// The WebAdmin routes read and write only through the JMAP methods (/get, /query, /set) with
// the caller's own CallContext: validation, permissions, uniqueness, the change log, push
// and each type's own rules apply exactly as they do to a JMAP client.

import type { SetError } from '../../shared/jmap/errors';
import type { Caller } from '../auth/caller';
import { LIMITS, type CallContext } from '../jmap/context';
import { MethodError } from '../jmap/errors';
import { get } from '../jmap/get';
import { query } from '../jmap/query';
import { set } from '../jmap/set';
import type { Catalogue, HookMethod } from '../objects/define';
import { afterSet, beforeCall, ensureSingleton, snapshotBefore } from '../jmap/hooks';
import type { Store } from '../store/records';
import { fromMethodError, fromSetError, serverError } from './errors';

type Obj = Record<string, unknown>;
export type Rec = Obj & { id: string };

/** What every route is handed. */
export interface WebAdminBase {
  store: Store;
  catalogue: Catalogue;
  log: (e: unknown) => void;
}

export class Calls {
  private readonly ctx: CallContext;

  constructor(
    private readonly base: WebAdminBase,
    caller: Caller,
    clientIp?: string,
  ) {
    this.ctx = { store: base.store, catalogue: base.catalogue, caller, accountId: caller.accountId, createdIds: new Map(), limits: LIMITS, clientIp, via: 'webadmin' };
  }

  /** The store, for bytes that are no record (a mail's message): read only after a /get of the record allowed it. */
  get store(): Store {
    return this.ctx.store;
  }

  private resolve(type: string) {
    const resolved = this.ctx.catalogue.resolveObject(type);
    // A type the server does not implement is our fault, not the client's.
    if (!resolved) {
      this.base.log(new Error(`WebAdmin: no object type ${type}`));
      throw serverError();
    }
    ensureSingleton(this.ctx, resolved.def);
    return resolved;
  }

  private run<T>(f: () => T): T {
    // Like a JMAP request: what other processes wrote is seen first.
    this.ctx.store.pollExternalWrites();
    try {
      return f();
    } catch (e) {
      if (e instanceof MethodError) throw fromMethodError(e);
      throw e;
    }
  }

  /** Every id a filter matches (paged through /query), in the given order. */
  queryAll(type: string, filter?: Obj, sort?: Obj[]): string[] {
    const { def, filter: view } = this.resolve(type);
    const ids: string[] = [];
    const limit = this.ctx.limits.maxQueryLimit;
    for (;;) {
      const page = this.run(() => query(this.ctx, def, view, { filter, sort, position: ids.length, limit }));
      ids.push(...page.ids);
      if (page.ids.length < limit) return ids;
    }
  }

  /** One page of ids a filter matches, in the given order. */
  queryPage(type: string, filter: Obj | undefined, sort: Obj[] | undefined, position: number, limit: number): string[] {
    const { def, filter: view } = this.resolve(type);
    return this.run(() => query(this.ctx, def, view, { filter, sort, position, limit })).ids;
  }

  /** Records by id (in chunks the /get limit allows), in the order asked. */
  getMany(type: string, ids: string[], properties?: string[]): Rec[] {
    const { def, filter: view } = this.resolve(type);
    const out: Rec[] = [];
    const chunk = this.ctx.limits.maxObjectsInGet;
    for (let i = 0; i < ids.length; i += chunk) {
      const res = this.run(() => get(this.ctx, def, view, { ids: ids.slice(i, i + chunk), ...(properties ? { properties } : {}) }));
      out.push(...(res.list as Rec[]));
    }
    return out;
  }

  /** The records a filter matches, read whole (or with the given properties). */
  find(type: string, filter: Obj, properties?: string[]): Rec[] {
    return this.getMany(type, this.queryAll(type, filter), properties);
  }

  /** One /set; its per-record errors come back as they are. */
  set(type: string, args: { create?: Obj; update?: Obj; destroy?: string[] }): Obj {
    const { def, filter: view } = this.resolve(type);
    return this.run(() => set(this.ctx, def, view, args));
  }

  /** Brings a type that mirrors outside state up to date for a call, as a JMAP request does first. */
  async refresh(type: string, method: HookMethod, args: Obj = {}): Promise<void> {
    const { def } = this.resolve(type);
    this.ctx.store.pollExternalWrites();
    try {
      await beforeCall(this.ctx, def, method, args);
    } catch (e) {
      if (e instanceof MethodError) throw fromMethodError(e);
      throw e;
    }
  }

  /** One /set whose writes are carried out (the type's apply hook) before it answers. */
  async setApplied(type: string, args: { create?: Obj; update?: Obj; destroy?: string[] }): Promise<Obj> {
    const { def, filter: view } = this.resolve(type);
    await this.refresh(type, 'set', args);
    const before = snapshotBefore(this.ctx, def, args);
    const res = this.run(() => set(this.ctx, def, view, args));
    return afterSet(this.ctx, def, before, res);
  }

  /** Creates one record; a refusal becomes the WebAdmin error `message` with the SetError as its cause. */
  create(type: string, value: Obj, message: string, mapError?: (e: SetError) => Error | null): string {
    const res = this.set(type, { create: { c: value } });
    const err = (res.notCreated as Record<string, SetError> | null)?.c;
    if (err) throw mapError?.(err) ?? fromSetError(message, err);
    return (res.created as Record<string, Rec>).c.id;
  }

  update(type: string, id: string, patch: Obj, message: string, mapError?: (e: SetError) => Error | null): void {
    const res = this.set(type, { update: { [id]: patch } });
    const err = (res.notUpdated as Record<string, SetError> | null)?.[id];
    if (err) throw mapError?.(err) ?? fromSetError(message, err);
  }

  destroy(type: string, id: string, message: string, mapError?: (e: SetError) => Error | null): void {
    const res = this.set(type, { destroy: [id] });
    const err = (res.notDestroyed as Record<string, SetError> | null)?.[id];
    if (err) throw mapError?.(err) ?? fromSetError(message, err);
  }
}
