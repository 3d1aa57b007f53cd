// A list's `setProperty` actions (Stalwart's queue: "Retry now" on a message, "Retry all"
// on the selection): one property set to the schema's value on the chosen records through
// /set update, asked first, then a notice; refusals stay on the page.

import { useState } from 'react';
import type { ItemAction, List } from '../../shared/schema/types';
import { formatNumber } from '../i18n/format';
import { i18n } from '../i18n/i18n';
import { patchRecords } from '../jmap/mutations';
import { useBulkWrite, type Targets } from './useBulkWrite';

export type SetPropertyAction = Extract<ItemAction, { type: 'setProperty' }>;

export function setPropertyActions(actions: ItemAction[] | undefined): SetPropertyAction[] {
  return (actions ?? []).filter((a): a is SetPropertyAction => a.type === 'setProperty');
}

/** What a finished action says: `Retry now: done for bounce@example.com.` or `Retry all: done for 3 messages.` */
export function setPropertyNotice(action: SetPropertyAction, list: List, ids: string[], done: number, labelOf: (id: string) => string): string | null {
  if (done === 0) return null;
  const what = done === 1 && ids.length === 1 ? labelOf(ids[0]) : `${formatNumber(done)} ${done === 1 ? list.singularName : list.pluralName}`;
  return i18n.t('lists:done', { action: action.label, what });
}

export function useSetProperty(objectName: string, list: List, labelOf: (id: string) => string, onDone: () => void) {
  const [asking, setAsking] = useState<{ action: SetPropertyAction; ids: Targets } | null>(null);
  const { failures, progress, run, settle } = useBulkWrite(objectName, onDone);

  function confirm() {
    if (!asking) return;
    const { action, ids } = asking;
    setAsking(null);
    void run(ids, (client, batch) => patchRecords(client, objectName, batch, { [action.property]: action.value }), (done, all) => setPropertyNotice(action, list, all, done, labelOf));
  }

  return {
    asking,
    failures,
    progress,
    ask: (action: SetPropertyAction, ids: Targets) => void settle(ids, (settled) => setAsking({ action, ids: settled })),
    cancel: () => setAsking(null),
    confirm,
  };
}
