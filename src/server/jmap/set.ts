// Foo/set (RFC 8620 §5.3): creates, then updates, then destroys, in one transaction;
// each record is atomic on its own (a savepoint), and a failed record changes nothing.

import { applyPatch, decodePointer, PatchError } from '../../shared/jmap/patch';
import { deepEqual, isPlainObject } from '../../shared/equal';
import { validationFailed, type SetError } from '../../shared/jmap/errors';
import { checkObject, type Reference } from '../../shared/schema/validate';
import { hashPassword } from '../auth/passwords';
import { clientVerbsOf, hashNestedSecrets, isSecret, topLevelProperties, type ObjectDef } from '../objects/define';
import type { Ref } from '../store/records';
import { checkArgs, requirePermission, stateArg, type CallContext } from './context';
import { MethodError } from './errors';
import { matchesView } from './filter';
import { present } from './get';
import { readEarlier, withoutReadBack } from './readback';
import { visibility, type Visibility } from './visibility';
import { orderCreates } from './createOrder';
import { DRY_RUN_HASH, DryRun, isDryRun, singletonForDryRun } from './dryRun';
import { randomBytes } from 'node:crypto';

type Obj = Record<string, unknown>;

class RecordError extends Error {
  constructor(readonly setError: SetError) {
    super(setError.description ?? setError.type);
  }
}

const MAX_PASSWORDS_PER_REQUEST = 20;

const dict = <T>(): Record<string, T> => Object.create(null);

const fail = (e: SetError): never => {
  throw new RecordError(e);
};

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export function newId(): string {
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += ID_ALPHABET[b & 31];
  return s;
}

export function set(ctx: CallContext, def: ObjectDef, view: Obj | undefined, args: Obj) {
  checkArgs(ctx, args, ['ifInState', 'create', 'update', 'destroy', 'validateOnly']);
  const dryRun = isDryRun(args);
  const create = args.create ?? null;
  const update = args.update ?? null;
  const destroy = args.destroy ?? null;
  if (create !== null && !isPlainObject(create)) throw new MethodError('invalidArguments', 'create must be an object');
  if (update !== null && !isPlainObject(update)) throw new MethodError('invalidArguments', 'update must be an object');
  if (destroy !== null && (!Array.isArray(destroy) || !destroy.every((d) => typeof d === 'string'))) {
    throw new MethodError('invalidArguments', 'destroy must be an array of ids');
  }
  const counts = [create, update].map((o) => Object.keys(o ?? {}).length).concat((destroy as unknown[] | null)?.length ?? 0);
  if (counts.reduce((a, b) => a + b, 0) > ctx.limits.maxObjectsInSet) {
    throw new MethodError('requestTooLarge', `At most ${ctx.limits.maxObjectsInSet} records in one /set`);
  }
  (['Create', 'Update', 'Destroy'] as const).forEach((verb, i) => {
    if (counts[i] > 0 && !clientVerbsOf(def).includes(verb)) {
      throw new MethodError('forbidden', `${def.name} records are maintained by the server: clients cannot ${verb.toLowerCase()} them`);
    }
  });
  if (counts[0]) requirePermission(ctx, def, 'Create');
  if (counts[1]) requirePermission(ctx, def, 'Update');
  if (counts[2]) requirePermission(ctx, def, 'Destroy');
  const ifInState = stateArg(args, 'ifInState', false);

  const result = {
    accountId: ctx.accountId,
    oldState: '',
    newState: '',
    // Keys are client-chosen ("__proto__" included): maps without a prototype.
    created: dict<Obj>(),
    updated: dict<null>(),
    destroyed: [] as string[],
    notCreated: dict<SetError>(),
    notUpdated: dict<SetError>(),
    notDestroyed: dict<SetError>(),
  };
  // Creation ids of this call count for the rest of the request only once it commits.
  const mine = new Map<string, string>();
  const resolveCreation = (cid: string) => mine.get(cid) ?? ctx.createdIds.get(cid) ?? null;
  // The entries of this call's writes only: an apply hook that undoes one forgets those (hooks.ts afterSet).
  ctx.activityEntries = new Map();
  const writer = new RecordWriter(ctx, def, view, resolveCreation, dryRun);
  try {
    ctx.store.transaction(() => {
      result.oldState = ctx.store.state(def.name);
      if (ifInState !== null && ifInState !== result.oldState) {
        throw new MethodError('stateMismatch', `The state is ${result.oldState}, not ${ifInState}`);
      }
      if (dryRun) singletonForDryRun(ctx.store, def);
      for (const [cid, value] of orderCreates(create ?? {})) {
        try {
          const { id, created } = ctx.store.step(() => writer.create(value));
          mine.set(cid, id);
          result.created[cid] = created;
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          result.notCreated[cid] = e.setError;
        }
      }
      for (const [rawId, patch] of Object.entries(update ?? {})) {
        const id = rawId.startsWith('#') ? resolveCreation(rawId.slice(1)) ?? rawId : rawId;
        try {
          ctx.store.step(() => writer.update(id, patch));
          result.updated[id] = null;
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          result.notUpdated[id] = e.setError;
        }
      }
      for (const raw of (destroy ?? []) as unknown[]) {
        const id = (raw as string).startsWith('#') ? resolveCreation((raw as string).slice(1)) ?? (raw as string) : (raw as string);
        try {
          ctx.store.step(() => writer.destroy(id));
          result.destroyed.push(id);
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          result.notDestroyed[id] = e.setError;
        }
      }
      result.newState = ctx.store.state(def.name);
      if (dryRun) throw new DryRun(); // the answer is complete: roll everything back
    });
  } catch (e) {
    ctx.store.discardPending();
    if (!(e instanceof DryRun)) throw e;
    result.newState = result.oldState;
  }
  ctx.store.flushChanges();
  if (!dryRun) for (const [cid, id] of mine) ctx.createdIds.set(cid, id);
  // RFC 8620: the maps are null when empty.
  const out: Obj = { ...result };
  for (const k of ['created', 'updated', 'notCreated', 'notUpdated', 'notDestroyed'] as const) if (Object.keys(result[k]).length === 0) out[k] = null;
  if (result.destroyed.length === 0) out.destroyed = null;
  return out;
}

/** The checks and writes for one record. Throws RecordError with the SetError. */
class RecordWriter {
  private readonly props;
  /** What the caller may see: records it may not see do not exist for it. */
  private readonly seen: Visibility;

  constructor(
    private readonly ctx: CallContext,
    private readonly def: ObjectDef,
    private readonly view: Obj | undefined,
    private readonly resolveCreation: (cid: string) => string | null,
    private readonly dryRun = false,
  ) {
    this.props = topLevelProperties(def);
    this.seen = visibility(ctx, def);
  }

  /** The stored record of this type that the caller may change, or notFound. */
  private existing(id: string): Obj {
    const prev = this.ctx.store.get(this.def.name, id);
    if (!prev || !matchesView(this.view, prev) || !this.seen.sees(prev)) fail({ type: 'notFound', description: `No ${this.def.name} with id ${id}` });
    return prev!;
  }

  create(input: unknown): { id: string; created: Obj } {
    if (!isPlainObject(input)) fail({ type: 'invalidProperties', description: 'A record must be an object', properties: [] });
    const value = { ...(input as Obj) };
    if ('id' in value) fail({ type: 'invalidProperties', description: 'id is set by the server', properties: ['id'] });
    for (const [k, v] of Object.entries(this.view ?? {})) value[k] ??= v;
    const serverSet = Object.keys(value).filter((k) => this.props.get(k)?.update === 'serverSet');
    if (serverSet.length) {
      fail({ type: 'invalidProperties', description: `Set by the server: ${serverSet.join(', ')}`, properties: serverSet });
    }
    const record = this.validate(value);
    if (!matchesView(this.view, record.value)) {
      fail({ type: 'invalidProperties', description: `Not a record of this view`, properties: Object.keys(this.view!) });
    }
    const id = newId();
    const reveal = this.def.onCreate?.(record.value, this.writeContext(), id) ?? {};
    this.checkStored(id, record.value, null, record.references);
    this.hashSecrets(record.value, null);
    this.ctx.store.insert(this.def.name, id, record.value, this.refs(record.references));
    this.def.afterWrite?.(this.writeContext(), id, record.value, null);
    this.recordActivity('created', id, null, record.value);
    // Return what the client did not send: server-set and defaulted properties.
    const shown = present(this.def, id, record.value, null);
    const created: Obj = { id };
    for (const [k, v] of Object.entries(shown)) if (!(k in (input as Obj)) || this.props.get(k)?.update === 'serverSet') created[k] = v;
    // A dry run reveals no secret: the record it was made for never exists.
    return { id, created: this.dryRun ? created : { ...created, ...reveal } };
  }

  update(id: string, patch: unknown): void {
    const prev = this.existing(id);
    if (!isPlainObject(patch)) fail({ type: 'invalidPatch', description: 'A patch must be an object', properties: [] });
    // A whole object read back with /get is a valid patch (readback.ts): the patch applies
    // to the record as /get shows it, computed values included (then left unstored).
    const readBack = withoutReadBack(this.def, id, patch as Obj);
    if ('error' in readBack) fail(readBack.error);
    const { changes } = readBack as { changes: Obj };
    const unknown = Object.keys(changes).filter((k) => !this.props.has(decodePointer(k)[0]));
    if (unknown.length) fail({ type: 'invalidProperties', description: `Unknown properties: ${unknown.join(', ')}`, properties: unknown });
    const shown = this.asShown(id, prev);
    let next: Obj;
    try {
      next = applyPatch(shown, changes);
    } catch (e) {
      if (e instanceof PatchError) fail({ type: 'invalidPatch', description: e.message, properties: [e.path] });
      throw e;
    }
    const changed = (mode: string) =>
      [...this.props].filter(([k, p]) => p.update === mode && !deepEqual(shown[k] ?? null, next![k] ?? null) && !readEarlier(this.def, id, prev, k, next![k])).map(([k]) => k);
    // RFC 8620 §5.3: a server-set value may be sent only as it is.
    const serverChanged = changed('serverSet');
    if (serverChanged.length) fail({ type: 'invalidProperties', description: `Set by the server: ${serverChanged.join(', ')}`, properties: serverChanged });
    const readOnly = changed('immutable');
    if (readOnly.length) {
      fail({ type: 'invalidPatch', description: `Cannot modify read-only property: ${readOnly.join(', ')}`, properties: readOnly });
    }
    for (const k of Object.keys(this.def.computed ?? {})) delete next![k];
    const serverSet: Obj = {};
    for (const [k, p] of this.props) {
      if (p.update !== 'serverSet') continue;
      if (k in prev) serverSet[k] = prev[k];
      else delete next![k]; // sent as /get shows a value the server never set: null
    }
    // A value fixed at creation and left as it was stands, even where today's rules are
    // stricter than those it was created under (login names): nothing can change it anyway.
    const kept = new Set([...this.props].filter(([k, p]) => p.update === 'immutable' && k in prev && deepEqual(prev[k], next![k])).map(([k]) => k));
    const record = this.validate(next!, serverSet, kept);
    for (const k of kept) record.value[k] = prev[k];
    Object.assign(record.value, serverSet);
    this.checkStored(id, record.value, prev, record.references);
    this.hashSecrets(record.value, prev);
    this.ctx.store.update(this.def.name, id, record.value, this.refs(record.references));
    this.def.afterWrite?.(this.writeContext(), id, record.value, prev);
    this.recordActivity('updated', id, prev, record.value);
  }

  /** The stored record with the values computed when it is read. */
  private asShown(id: string, stored: Obj): Obj {
    const computed = Object.entries(this.def.computed ?? {});
    if (computed.length === 0) return stored;
    const now = Date.now();
    return { ...stored, ...Object.fromEntries(computed.map(([k, f]) => [k, f(stored, now, id)])) };
  }

  destroy(id: string): void {
    this.secretsMoved.clear();
    const prev = this.existing(id);
    const linked = this.ctx.store.referrers(this.def.name, id).filter((r) => !(r.object === this.def.name && r.id === id));
    if (linked.length) {
      const names = linked.map((l) => `${l.object} ${l.id}`).join(', ');
      fail({ type: 'objectIsLinked', description: `Still used by ${names}`, linkedObjects: linked });
    }
    const err = this.def.checkDestroy?.(this.writeContext(), id, prev);
    if (err) fail(err);
    this.ctx.store.delete(this.def.name, id);
    this.recordActivity('destroyed', id, prev, null);
  }

  /** `kept`: top-level properties whose stored value stands as it is (errors there are not the writer's). */
  private validate(value: Obj, serverSet: Obj = {}, kept: ReadonlySet<string> = new Set()) {
    const input = { ...value };
    for (const k of Object.keys(serverSet)) delete input[k];
    const check = checkObject(this.ctx.catalogue.schema, this.def.name, input, this.resolveCreation);
    if (check.unknown.length) {
      fail({ type: 'invalidProperties', description: `Unknown properties: ${check.unknown.join(', ')}`, properties: check.unknown });
    }
    const errors = check.errors.filter((e) => !kept.has(e.property.split('/')[0]));
    if (errors.length) fail(validationFailed(errors));
    return check;
  }

  private hashSecrets(value: Obj, prev: Obj | null) {
    for (const [k, p] of this.props) {
      if (p.type.type === 'object' || p.type.type === 'objectList') value[k] = hashNestedSecrets(this.def, p.type, value[k], prev?.[k], (s) => this.hash(k, s));
      if (!isSecret(p) || p.update === 'serverSet' || typeof value[k] !== 'string') continue;
      if (prev && value[k] === prev[k]) continue; // untouched: already a hash
      if (value[k] === '') {
        value[k] = null;
        continue;
      }
      value[k] = this.hash(k, value[k] as string);
    }
  }

  /** scrypt is deliberately slow and runs inside the transaction: few per request. */
  private hash(k: string, secret: string): string {
    if (this.dryRun) return DRY_RUN_HASH; // rolled back: nothing to protect, no scrypt to pay
    this.ctx.passwordsHashed = (this.ctx.passwordsHashed ?? 0) + 1;
    if (this.ctx.passwordsHashed > MAX_PASSWORDS_PER_REQUEST) fail({ type: 'tooLarge', description: `At most ${MAX_PASSWORDS_PER_REQUEST} passwords can be set in one request`, properties: [k] });
    return hashPassword(secret);
  }

  /** Foreign keys, unique values and the object's own rules. */
  private checkStored(id: string, value: Obj, prev: Obj | null, references: Reference[]) {
    this.secretsMoved.clear(); // this record's, from its check hook on
    const missing = references.filter((r) => {
      if (r.objectName === this.def.name && r.id === id) return false;
      const target = this.ctx.catalogue.resolveObject(r.objectName);
      const data = target && this.ctx.store.get(target.def.name, r.id);
      return !data || !matchesView(target.filter, data);
    });
    if (missing.length) {
      const properties = [...new Set(missing.map((m) => m.property))];
      fail({
        type: 'invalidForeignKey',
        description: missing.map((m) => `${m.property}: no ${m.objectName} with id ${m.id}`).join('; '),
        properties,
      });
    }
    for (const p of this.def.unique ?? []) {
      if (value[p] === null || value[p] === undefined) continue;
      if (prev && deepEqual(prev[p], value[p])) continue;
      const other = this.ctx.store.findBy(this.def.name, p, value[p], id);
      if (other) {
        fail({
          type: 'primaryKeyViolation',
          description: `Another ${this.def.name} already has ${p} ${JSON.stringify(value[p])}`,
          properties: [p],
          objectId: { object: this.def.name, id: other },
        });
      }
    }
    const err = this.def.check?.(this.writeContext(), id, value, prev);
    if (err) fail(err);
  }

  /** A client's write goes to the activity log in this record's savepoint: it stands or falls with it (a dry run records nothing). */
  private recordActivity(action: 'created' | 'updated' | 'destroyed', id: string, prev: Obj | null, next: Obj | null) {
    const { via, caller, clientIp } = this.ctx;
    if (!via || this.dryRun) return;
    const entry = this.ctx.catalogue.recordWrite?.(this.ctx.store, { def: this.def, action, id, prev, next, via, caller, clientIp, secretsChanged: [...this.secretsMoved] });
    const [entries, key] = [(this.ctx.activityEntries ??= new Map()), `${this.def.name}/${id}`];
    if (entry) entries.set(key, [...(entries.get(key) ?? []), entry]);
  }

  /** Secrets the record's check hook kept outside it and changed (the relay's password). */
  private readonly secretsMoved = new Set<string>();
  private writeContext = () => ({ store: this.ctx.store, caller: this.ctx.caller, clientIp: this.ctx.clientIp, dryRun: this.dryRun, secretChanged: (p: string) => this.secretsMoved.add(p) });

  private refs(references: Reference[]): Ref[] {
    return references.map((r) => ({ objectName: this.ctx.catalogue.resolveObject(r.objectName)?.def.name ?? r.objectName, id: r.id }));
  }
}
