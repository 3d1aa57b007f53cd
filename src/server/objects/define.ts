// What one object type of the embedded server is: its schema content (fields, form,
// list) and the rules the generic JMAP methods cannot derive from the schema alone; and
// the catalogue contract the engine is handed. Content builders are in builders.ts.

import type { EnumValue, FieldType, FieldsEntry, Form, List, Property, SchemaDocument, SchemaEntry } from '../../shared/schema/types';
import type { SetError } from '../../shared/jmap/errors';
import type { Store } from '../store/records';
import type { Caller } from '../auth/caller';

export type Rec = Record<string, unknown> & { id: string };

export interface WriteContext {
  store: Store;
  caller: Caller;
  /** Address of the client making the request, when there is one. */
  clientIp?: string;
  /** A /set dry run (validateOnly): rolled back, so nothing may be scheduled for after it commits. */
  dryRun?: boolean;
  /** A check hook that keeps a secret outside the record (the relay's password) says it changed: the activity log records it. */
  secretChanged?(property: string): void;
}

export interface ObjectDef {
  name: string;
  description: string;
  permissionPrefix: string;
  /** Field schema of the record. For tagged unions give `variants` instead. */
  fields?: FieldsEntry;
  /** `schemaName`: the variant's schema (Stalwart's, e.g. x:UserAccount); `${name}${variant}` when not given. */
  variants?: { name: string; label: string; fields: FieldsEntry; schemaName?: string }[];
  /** Extra named schemas / fields / enums the record's nested values use. */
  schemas?: Record<string, SchemaEntry>;
  extraFields?: Record<string, FieldsEntry>;
  enums?: Record<string, EnumValue[]>;
  views?: Record<string, { description: string; filter: Record<string, unknown>; list: List; form?: Form }>;
  form: Form;
  /** Forms of the record's variant and nested schemas, by schema name (Stalwart's convention: forms["x:UserAccount"]). */
  extraForms?: Record<string, Form>;
  list: List;
  /** A serverSet boolean marking the records the server made itself and keeps read-only (ObjectEntry.builtInProperty). */
  builtInProperty?: string;
  /**
   * The property naming the x:Account a record belongs to (an API key's accountId). Such
   * records follow their account's protection: a caller sees, changes or deletes one only
   * when it is its own or the caller holds every permission its account holds; to anyone
   * else it does not exist (notFound; left out of /get, /query, /changes). Indexed.
   */
  ownerProperty?: string;
  /** Properties whose values must be unique among records of this type. */
  unique?: string[];
  /** Top-level properties that back list sorting and filtering: indexed in SQLite. */
  indexed?: string[];
  /** Text properties a filter matches whole (ids, type names) rather than as a part: an index seeks them. */
  exactText?: string[];
  /**
   * Read-only properties worked out when a record is read, never stored (an allowance
   * is active or expired by the clock, not by a write). Declared as serverSet fields.
   */
  computed?: Record<string, (data: Record<string, unknown>, now: number, id: string) => unknown>;
  /** The same values as SQL over `data`, for the computed properties lists filter and sort on. */
  computedSql?: Record<string, string>;
  /**
   * What clients may do (all five by default). Records the server maintains itself
   * take fewer: a node is only read, a service only read and updated.
   * There are no permissions for the verbs left out.
   */
  clientVerbs?: readonly ('Get' | 'Query' | 'Create' | 'Update' | 'Destroy')[];
  /**
   * Server-set values on create (createdAt, …). May return values shown once in the
   * created response and never stored in that form (a new API key's secret).
   */
  onCreate?(value: Record<string, unknown>, ctx: WriteContext, id: string): Record<string, unknown> | void;
  /** Checks that need the store: cycles, escalation. Runs inside the /set transaction. */
  check?(ctx: WriteContext, id: string, next: Record<string, unknown>, prev: Record<string, unknown> | null): SetError | null;
  /** Runs inside the /set transaction after a record was written (rolled back with it). */
  afterWrite?(ctx: WriteContext, id: string, next: Record<string, unknown>, prev: Record<string, unknown> | null): void;
  /** Checks before a record is destroyed (after referential integrity). */
  checkDestroy?(ctx: WriteContext, id: string, prev: Record<string, unknown>): SetError | null;
  /**
   * A type of exactly one record, id `"singleton"` (schema type `singleton`): created with
   * `defaults` when first needed; clients read and update it (no /query, create or destroy).
   */
  singleton?: { defaults: Record<string, unknown> };
  /**
   * For records that mirror state kept outside the store (a user's Dovecot mailboxes, the
   * Postfix queue): awaited before a method call on the type, once the caller's permission
   * for it is checked, to bring the mirror up to date for what the call reads. Bounded in
   * time; on failure it leaves the mirror as it was and throws a MethodError saying why.
   */
  refresh?(ctx: WriteContext, method: HookMethod, args: Record<string, unknown>): Promise<void>;
  /**
   * Awaited after a /set committed, to carry its writes out (doveadm, postsuper). Keys are
   * record ids. For a write that could not be carried out the hook restores the store
   * itself (removes the created record, writes `prev` back, inserts the destroyed one) and
   * returns its error: the answer then lists it under notCreated / notUpdated / notDestroyed.
   */
  apply?(ctx: WriteContext, done: AppliedWrites): Promise<ApplyFailures>;
}

export type HookMethod = 'get' | 'query' | 'set' | 'changes' | 'queryChanges';

export interface AppliedWrites {
  created: Map<string, Rec>;
  updated: Map<string, { next: Rec; prev: Rec }>;
  destroyed: Map<string, Rec>;
}

export interface ApplyFailures {
  created?: Record<string, SetError>;
  updated?: Record<string, SetError>;
  destroyed?: Record<string, SetError>;
}

export const SINGLETON_ID = 'singleton';

/** The verbs clients have on a type: all five unless it says fewer; a singleton is read and updated. */
export function clientVerbsOf(def: ObjectDef): readonly ('Get' | 'Query' | 'Create' | 'Update' | 'Destroy')[] {
  return def.clientVerbs ?? (def.singleton ? ['Get', 'Update'] : ['Get', 'Query', 'Create', 'Update', 'Destroy']);
}

/** An object type a method names, and the condition its view adds (none for the type itself). */
export interface ResolvedObject {
  def: ObjectDef;
  filter?: Record<string, unknown>;
}

/**
 * The object types a server implements, as the generic JMAP methods see them: the schema
 * document they validate against, and the lookup from a method's type (or view) name.
 * The wiring hands it over, so the engine never imports the definitions themselves.
 */
export interface Catalogue {
  schema: SchemaDocument;
  resolveObject(name: string): ResolvedObject | null;
  /** Records a client's write in the activity log, inside the write's own transaction (activity/record.ts); the entry's id. */
  recordWrite?(store: Store, write: RecordedWrite): string | null;
}

/** The API a client's write came through (the activity log's `via`); the server's own writes have none. */
export type WriteVia = 'jmap' | 'webadmin' | 'cli';

/** One record a client's /set wrote: stored values (secrets hashed) before and after. */
export interface RecordedWrite {
  def: ObjectDef;
  action: 'created' | 'updated' | 'destroyed';
  id: string;
  prev: Record<string, unknown> | null;
  next: Record<string, unknown> | null;
  via: WriteVia;
  caller: Caller;
  clientIp?: string;
  /** Secret properties kept outside the record that the write changed (WriteContext.secretChanged). */
  secretsChanged?: string[];
}

const propertiesCache = new WeakMap<ObjectDef, Map<string, Property>>();

/** Top-level properties of a record, over every variant of a tagged union. */
export function topLevelProperties(def: ObjectDef): Map<string, Property> {
  const cached = propertiesCache.get(def);
  if (cached) return cached;
  const out = new Map<string, Property>();
  const entries = def.variants ? def.variants.map((v) => v.fields) : [def.fields!];
  if (def.variants) {
    out.set('@type', {
      description: 'Kind of record',
      type: { type: 'string', format: 'string' },
      update: 'immutable',
    });
  }
  for (const e of entries) for (const [k, p] of Object.entries(e.properties)) if (!out.has(k)) out.set(k, p);
  propertiesCache.set(def, out);
  return out;
}

/** Secrets are write-only: stored hashed, read back as null. */
export function isSecret(p: Property): boolean {
  return p.type.type === 'string' && (p.type.format === 'secret' || p.type.format === 'secretText');
}

/** The fields of a nested object schema the definition declares itself (union variants by `@type`). */
function nestedFields(def: ObjectDef, objectName: string, value: Record<string, unknown>): FieldsEntry | undefined {
  const schema = def.schemas?.[objectName];
  if (!schema) return def.extraFields?.[objectName];
  if (schema.type === 'single') return def.extraFields?.[schema.schemaName];
  const variant = schema.variants.find((v) => v.name === value['@type']);
  return variant?.schemaName ? def.extraFields?.[variant.schemaName] : undefined;
}

/**
 * `value` with every secret nested in it (objects and lists of the definition's own
 * schemas: an account's credentials) replaced by `fn(secret)`.
 */
export function mapNestedSecrets(def: ObjectDef, type: FieldType, value: unknown, fn: (secret: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const one = (objectName: string, v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const item = v as Record<string, unknown>;
    const fields = nestedFields(def, objectName, item);
    if (!fields) return v;
    const out: Record<string, unknown> = { ...item };
    for (const [k, p] of Object.entries(fields.properties)) {
      if (k in out) out[k] = isSecret(p) ? fn(out[k]) : mapNestedSecrets(def, p.type, out[k], fn);
    }
    return out;
  };
  if (type.type === 'object') return one(type.objectName, value);
  if (type.type === 'objectList') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, one(type.objectName, v)]));
  }
  return value;
}

/** A stored value as clients read it: nested secrets read back as null, like top-level ones. */
export const withoutSecrets = (def: ObjectDef, type: FieldType, value: unknown): unknown => mapNestedSecrets(def, type, value, () => null);

/**
 * `value` with its new nested secrets hashed by `hash`: a nested secret that is already one
 * of the hashes stored in `prev` (the same property before the write) stays as it is.
 */
export function hashNestedSecrets(def: ObjectDef, type: FieldType, value: unknown, prev: unknown, hash: (secret: string) => string): unknown {
  const stored = new Set<unknown>();
  mapNestedSecrets(def, type, prev, (s) => stored.add(s));
  return mapNestedSecrets(def, type, value, (s) => (typeof s === 'string' && s !== '' && !stored.has(s) ? hash(s) : s));
}

/** A singleton's stored value, or its defaults before it was ever written. */
export function singletonValue(store: Store, def: ObjectDef): Record<string, unknown> {
  return store.get(def.name, SINGLETON_ID) ?? { ...def.singleton?.defaults };
}
