// A whole object read back with /get is a valid PatchObject (RFC 8620 §5.3): what /get adds
// to a record (its id, null for every secret, values computed as it is read) must not be
// taken for changes when it comes back in an update.

import { deepEqual } from '../../shared/equal';
import type { SetError } from '../../shared/jmap/errors';
import { isSecret, topLevelProperties, type ObjectDef } from '../objects/define';

type Obj = Record<string, unknown>;

/**
 * The patch without its `id` (when it is the record's) and without secrets sent as null
 * (as /get shows every secret: the secret stays as it is; '' clears one). An other id is
 * invalidProperties: ids are set by the server.
 */
export function withoutReadBack(def: ObjectDef, id: string, patch: Obj): { changes: Obj } | { error: SetError } {
  const { id: sentId, ...changes } = patch;
  if ('id' in patch && sentId !== id) return { error: { type: 'invalidProperties', description: 'id cannot change', properties: ['id'] } };
  for (const [k, p] of topLevelProperties(def)) if (isSecret(p) && changes[k] === null) delete changes[k];
  return { changes };
}

const HOUR = 3_600_000;

/**
 * Whether `sent` may be what /get showed a moment ago of a computed value that moves with
 * the clock (an uptime, a status near its expiry): by the time it comes back it differs, so
 * any value of its type stands for "unchanged". Computed values are never stored.
 */
export function readEarlier(def: ObjectDef, id: string, stored: Obj, k: string, sent: unknown): boolean {
  const f = def.computed?.[k];
  if (!f) return false;
  const now = Date.now();
  const value = f(stored, now, id);
  const moves = !deepEqual(value, f(stored, now - HOUR, id)) || !deepEqual(value, f(stored, now + HOUR, id));
  return moves && (sent === null || typeof sent === typeof value);
}
