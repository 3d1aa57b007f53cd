// Postern's `/set` dry run: `"validateOnly": true` checks every create, update and destroy
// exactly as for real inside the /set transaction, answers as usual, then rolls it all back
// (no state change, no push, no apply hook, no creation ids for later calls).

import { VALIDATE_CAPABILITY } from '../../shared/jmap/capabilities';
import { SINGLETON_ID, type ObjectDef } from '../objects/define';
import type { Store } from '../store/records';
import { MethodError } from './errors';

export { VALIDATE_CAPABILITY };

/** Thrown inside the transaction once the answer is complete: SQLite rolls everything back. */
export class DryRun extends Error {
  constructor() {
    super('validateOnly: rolled back');
  }
}

/** Whether a /set asks for a dry run; a present value must be a boolean and the capability used. */
export function isDryRun(args: Record<string, unknown>, using?: readonly string[]): boolean {
  const v = args.validateOnly;
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new MethodError('invalidArguments', 'validateOnly must be true or false', { arguments: ['validateOnly'] });
  if (v && using && !using.includes(VALIDATE_CAPABILITY)) {
    throw new MethodError('invalidArguments', `validateOnly needs the ${VALIDATE_CAPABILITY} capability in "using"`, { arguments: ['validateOnly'] });
  }
  return v;
}

/** A stand-in for a secret's hash in a dry run: nothing is stored, so no slow hash is paid. */
export const DRY_RUN_HASH = '$dry-run$';

/**
 * A singleton never used before is checked against its defaults: its first record is made
 * inside the dry run's transaction (and rolled back with it), not before it (hooks.ts
 * beforeCall leaves it to this), so a dry run does not even make that.
 */
export function singletonForDryRun(store: Store, def: ObjectDef): void {
  if (def.singleton && !store.get(def.name, SINGLETON_ID)) store.insert(def.name, SINGLETON_ID, { ...def.singleton.defaults }, []);
}
