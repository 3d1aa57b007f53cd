// The activity log's recorder: one x:Activity record per record a client's /set wrote, in
// the same transaction (and savepoint) as the write, so a refused or rolled-back write
// leaves no entry and every entry is a change that happened. It says who (the caller's
// account and sign-in name), when, from where (the client's address), through which API,
// which record and which properties, with their old and new values. Secret values are
// never kept: a secret property (or a credential's secret inside one) that changed is
// recorded as {"secret": true}. Values longer than MAX_VALUE_CHARS are cut.

import { deepEqual } from '../../shared/equal';
import { utcDateTime } from '../../shared/schema/validate';
import type { FieldType, Property } from '../../shared/schema/types';
import { mapNestedSecrets, topLevelProperties, type ObjectDef, type RecordedWrite } from '../objects/define';
import type { Store } from '../store/records';
import { randomBytes } from 'node:crypto';
import { ACTIVITY, MAX_CHANGED_WITH_VALUES, MAX_VALUE_CHARS, type ActivityAction } from './names';

type Obj = Record<string, unknown>;

/** Secret by its type: write-only strings (hashed when stored). */
export function isSecretProperty(p: Property | undefined): boolean {
  if (!p || p.type.type !== 'string') return false;
  const format: string = p.type.format ?? '';
  return format === 'secret' || format === 'secretText' || format === 'password';
}

/** The secrets nested in a value of the definition's own schemas (an account's credentials), in order. */
function nestedSecrets(def: ObjectDef, type: FieldType, value: unknown): unknown[] {
  const found: unknown[] = [];
  mapNestedSecrets(def, type, value, (s) => {
    found.push(s);
    return s;
  });
  return found;
}

/** A value as kept in `changes`: itself, or its JSON text cut short with `truncated` said. */
function kept(value: unknown): { value: unknown; truncated: boolean } {
  const json = JSON.stringify(value ?? null);
  if (json.length <= MAX_VALUE_CHARS) return { value: value ?? null, truncated: false };
  return { value: `${json.slice(0, MAX_VALUE_CHARS)}\u2026`, truncated: true };
}

/** What one property's change says, as JSON text: {from, to}, or {secret: true} (with the other values when a nested secret changed). */
function describe(def: ObjectDef, p: Property | undefined, from: unknown, to: unknown, withValues: boolean): string {
  if (isSecretProperty(p)) return JSON.stringify({ secret: true });
  if (p && (p.type.type === 'object' || p.type.type === 'objectList')) {
    const before = nestedSecrets(def, p.type, from);
    const after = nestedSecrets(def, p.type, to);
    if (before.length || after.length) {
      const secretChanged = !deepEqual(before, after);
      const blank = (v: unknown) => mapNestedSecrets(def, p.type, v, () => null);
      const [f, t] = [blank(from), blank(to)];
      if (deepEqual(f, t) || !withValues) return JSON.stringify({ secret: true });
      return JSON.stringify({ ...values(f, t), ...(secretChanged ? { secret: true } : {}) });
    }
  }
  if (!withValues) return JSON.stringify({ omitted: true });
  return JSON.stringify(values(from, to));
}

function values(from: unknown, to: unknown): Obj {
  const f = kept(from);
  const t = kept(to);
  return { from: f.value, to: t.value, ...(f.truncated || t.truncated ? { truncated: true } : {}) };
}

/**
 * The properties a write changed (every property with a value, for a create or a destroy), in
 * schema order. Only the schema's: what a record stores besides them no client reads, so the log
 * does not show it either. Values worked out when read (computed) are not stored.
 */
export function changedProperties(def: ObjectDef, prev: Obj | null, next: Obj | null): string[] {
  const names = [...topLevelProperties(def).keys()].filter((k) => k !== 'id' && !(k in (def.computed ?? {})));
  return names.filter((k) => {
    const a = prev?.[k] ?? null;
    const b = next?.[k] ?? null;
    return !deepEqual(a, b);
  });
}

/** The `changes` map of a write: property → JSON text. */
export function changesOf(def: ObjectDef, prev: Obj | null, next: Obj | null, properties: string[]): Record<string, string> {
  const props = topLevelProperties(def);
  const out: Record<string, string> = {};
  properties.forEach((k, i) => {
    out[k] = describe(def, props.get(k), prev?.[k] ?? null, next?.[k] ?? null, i < MAX_CHANGED_WITH_VALUES);
  });
  return out;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
function activityId(): string {
  let s = '';
  for (const b of randomBytes(12)) s += ID_ALPHABET[b & 31];
  return s;
}

export interface ActivityEntry {
  at: string;
  actorId: string | null;
  actorName: string;
  via: RecordedWrite['via'];
  remoteIp: string | null;
  objectType: string;
  objectId: string;
  action: ActivityAction;
  properties: Record<string, true>;
  changes: Record<string, string>;
}

/** The entry a write makes, or null for an update that changed nothing. */
export function entryFor(write: RecordedWrite, now = new Date()): ActivityEntry | null {
  const changed = changedProperties(write.def, write.prev, write.next);
  // A secret kept outside the record (the relay's password) changed: it counts, with no value.
  const moved = (write.secretsChanged ?? []).filter((k) => !changed.includes(k));
  const properties = [...changed, ...moved];
  if (write.action === 'updated' && properties.length === 0) return null;
  const changes = changesOf(write.def, write.prev, write.next, changed);
  for (const k of moved) changes[k] = JSON.stringify({ secret: true });
  const cli = write.via === 'cli';
  return {
    at: utcDateTime(now),
    actorId: cli ? null : write.caller.accountId,
    actorName: cli ? 'cli' : write.caller.name,
    via: write.via,
    remoteIp: write.clientIp ?? null,
    objectType: write.def.name,
    objectId: write.id,
    action: write.action,
    properties: Object.fromEntries(properties.map((p) => [p, true as const])),
    changes,
  };
}

/** Writes the entry of a client's write; must run inside the write's transaction. Returns its id. */
export function recordWrite(store: Store, write: RecordedWrite): string | null {
  if (write.def.name === ACTIVITY) return null; // the log does not log itself (and clients cannot write it)
  const entry = entryFor(write);
  if (!entry) return null;
  const id = activityId();
  store.insert(ACTIVITY, id, entry as unknown as Obj, []);
  return id;
}

/** Removes the entries of writes that were undone after they committed (an apply hook that failed). */
export function forgetActivity(store: Store, entryIds: (string | undefined)[]): void {
  const ids = entryIds.filter((id): id is string => !!id && store.get(ACTIVITY, id) !== null);
  if (!ids.length) return;
  store.transaction(() => {
    for (const id of ids) store.delete(ACTIVITY, id);
  });
  store.flushChanges();
}
