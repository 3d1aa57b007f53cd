// Removing records from a list page: the confirmation (a plain delete asks first, a
// removal the schema names itself takes one click), the call, and what it says after
// (a notice that goes away; refusals stay on the page).

import { useState } from 'react';
import type { List, SchemaDocument } from '../../shared/schema/types';
import { formatNumber } from '../i18n/format';
import { i18n } from '../i18n/i18n';
import { destroyRecords } from '../jmap/mutations';
import { removalLabel } from '../schema/actions';
import { useConsole } from '../schema/context';
import { listProperties, resolveView } from '../schema/resolve';
import { useBulkWrite, type Targets } from './useBulkWrite';

export interface Removal {
  /** The row button's words ("Delete", or the schema's: "Unblock"). */
  rowLabel: string;
  /** The bulk button's words. */
  massLabel: string;
  /** The schema names the bulk removal ("Unblock"); otherwise it is a plain delete. */
  massNamed: boolean;
  /** The schema names the row's removal. */
  rowNamed: boolean;
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
  const row = removalLabel(list.itemActions);
  const mass = removalLabel(list.massActions);
  const plain = i18n.t('lists:remove.delete');
  return {
    rowLabel: row ?? plain, massLabel: mass ?? plain, rowNamed: !!row, massNamed: !!mass,
    rowConfirms: !row || holdsContent, final: !mass || holdsContent,
  };
}

/** Whether an object's records carry a blob (their content). */
function holdsContent(doc: SchemaDocument, objectName: string): boolean {
  const view = resolveView(doc, objectName);
  return !!view && Object.values(listProperties(doc, view)).some((p) => p.type.type === 'blobId');
}

/** What a finished removal says: `Deleted 2 roles.`, or with the schema's words `Unblock: done for 10.0.0.1.` */
export function removalNotice(removal: Removal, list: List, ids: string[], done: number, labelOf: (id: string) => string): string | null {
  if (done === 0) return null;
  const labelled = removal.massNamed || (ids.length === 1 && removal.rowNamed);
  const what = done === 1 ? list.singularName : list.pluralName;
  if (!labelled) return i18n.t('lists:remove.deleted', { n: formatNumber(done), what });
  const named = done === 1 ? (ids.length === 1 ? labelOf(ids[0]) : `1 ${list.singularName}`) : `${formatNumber(done)} ${list.pluralName}`;
  return i18n.t('lists:done', { action: ids.length === 1 ? removal.rowLabel : removal.massLabel, what: named });
}

export function useDeletion(objectName: string, list: List, labelOf: (id: string) => string, onDone: () => void) {
  const { doc } = useConsole();
  const removal = removalOf(list, holdsContent(doc, objectName));
  const [confirming, setConfirming] = useState<Targets | null>(null);
  const { failures, progress, run, settle } = useBulkWrite(objectName, onDone);

  async function remove(targets: Targets) {
    setConfirming(null);
    await run(targets, (client, batch) => destroyRecords(client, objectName, batch), (done, ids) => removalNotice(removal, list, ids, done, labelOf));
  }

  return {
    removal,
    confirming,
    failures,
    progress,
    /** Asks first when the removal is a plain delete; a named one goes at once. */
    removeRow: (id: string) => (removal.rowConfirms ? setConfirming([id]) : void remove([id])),
    confirm: (targets: Targets) => void settle(targets, setConfirming),
    cancel: () => setConfirming(null),
    remove,
  };
}
