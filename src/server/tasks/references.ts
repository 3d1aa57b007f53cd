// The references a task holds on what it works on (an account, a mailbox's owner): kept
// while it waits or runs, so that what it needs cannot be deleted under it; dropped once
// it finished, so that the history never blocks a deletion.

import type { Ref, Store } from '../store/records';

const byDb = new WeakMap<object, { select: { all(type: string, id: string): unknown[] }; drop: { run(type: string, id: string): unknown } }>();

function statements(store: Store) {
  let s = byDb.get(store.db);
  if (!s) {
    s = {
      select: store.db.prepare('SELECT to_type AS objectName, to_id AS id FROM refs WHERE from_type = ? AND from_id = ?'),
      drop: store.db.prepare('DELETE FROM refs WHERE from_type = ? AND from_id = ?'),
    };
    byDb.set(store.db, s);
  }
  return s;
}

/** The references the task's record holds now (to write them back unchanged). */
export function referencesOf(store: Store, id: string): Ref[] {
  return statements(store).select.all('x:Task', id) as Ref[];
}

export function dropReferences(store: Store, id: string): void {
  statements(store).drop.run('x:Task', id);
}
