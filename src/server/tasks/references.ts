// The references a task holds on what it works on (an account, a mailbox's owner): kept
// while it waits or runs, so that what it needs cannot be deleted under it; dropped once
// it finished, so that the history never blocks a deletion.

import type { Ref, Store } from '../store/records';
import { statement } from '../store/statements';

/** The references the task's record holds now (to write them back unchanged). */
export function referencesOf(store: Store, id: string): Ref[] {
  return store.refsOf('x:Task', id);
}

export function dropReferences(store: Store, id: string): void {
  statement(store, 'DELETE FROM refs WHERE from_type = ? AND from_id = ?').run('x:Task', id);
}
