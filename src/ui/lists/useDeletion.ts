// Removing records from a list page: the confirmation (a plain delete asks first, a
// removal the schema names itself takes one click), the call, and what it says after
// (a notice that goes away; refusals stay on the page).

import { useState } from 'react';
import type { List, SchemaDocument } from '../../shared/schema/types';
import { destroyRecords } from '../jmap/mutations';
import { removalLabel } from '../schema/actions';
import { useConsole } from '../schema/context';
import { listProperties, resolveView } from '../schema/resolve';
import { useBulkWrite } from './useBulkWrite';

export interface Removal {
  /** The row button's words ("Delete", or the schema's: "Unblock"). */
  rowLabel: string;
  /** The bulk button's words. */
  massLabel: string;
  /** A plain delete is confirmed first, and so is any removal of a record that holds content. */
  rowConfirms: boolean;
  /** What goes cannot be brought back: a plain delete, or a record holding content (a message). */
  final: boolean;
}

/**
 * `holdsContent`: the records carry a blob (a queued message): removing one loses it, so even
 * a removal the schema names ("Cancel delivery") asks first.
 */
export function removalOf(list: List, holdsContent = false): Removal {
  const rowLabel = removalLabel(list.itemActions) ?? 'Delete';
  const massLabel = removalLabel(list.massActions) ?? 'Delete';
  return { rowLabel, massLabel, rowConfirms: rowLabel === 'Delete' || holdsContent, final: massLabel === 'Delete' || holdsContent };
}

/** Whether an object's records carry a blob (their content). */
function holdsContent(doc: SchemaDocument, objectName: string): boolean {
  const view = resolveView(doc, objectName);
  return !!view && Object.values(listProperties(doc, view)).some((p) => p.type.type === 'blobId');
}

/** What a finished removal says: `Deleted 2 roles.`, or with the schema's words `Unblock: done for 10.0.0.1.` */
export function removalNotice(removal: Removal, list: List, ids: string[], done: number, labelOf: (id: string) => string): string | null {
  if (done === 0) return null;
  const labelled = removal.massLabel !== 'Delete' || (ids.length === 1 && removal.rowLabel !== 'Delete');
  if (!labelled) return `Deleted ${done} ${done === 1 ? list.singularName : list.pluralName}.`;
  const what = done === 1 ? (ids.length === 1 ? labelOf(ids[0]) : `1 ${list.singularName}`) : `${done} ${list.pluralName}`;
  return `${ids.length === 1 ? removal.rowLabel : removal.massLabel}: done for ${what}.`;
}

export function useDeletion(objectName: string, list: List, labelOf: (id: string) => string, onDone: () => void) {
  const { doc } = useConsole();
  const removal = removalOf(list, holdsContent(doc, objectName));
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const { failures, run } = useBulkWrite(objectName, onDone);

  async function remove(ids: string[]) {
    setConfirming(null);
    await run(ids, (client) => destroyRecords(client, objectName, ids), (done) => removalNotice(removal, list, ids, done, labelOf));
  }

  return {
    removal,
    confirming,
    failures,
    /** Asks first when the removal is a plain delete; a named one goes at once. */
    removeRow: (id: string) => (removal.rowConfirms ? setConfirming([id]) : void remove([id])),
    confirm: (ids: string[]) => setConfirming(ids),
    cancel: () => setConfirming(null),
    remove,
  };
}
