// A list's `setProperty` actions (Stalwart's queue: "Retry now" on a message, "Retry all"
// on the selection): one property set to the schema's value on the chosen records through
// /set update, asked first, then a notice; refusals stay on the page.

import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ItemAction, List } from '../../shared/schema/types';
import { useClient } from '../jmap/context';
import { invalidateObject, patchRecords } from '../jmap/mutations';
import type { SetError } from '../jmap/types';
import { useToast } from '../lib/toast';

export type SetPropertyAction = Extract<ItemAction, { type: 'setProperty' }>;

export function setPropertyActions(actions: ItemAction[] | undefined): SetPropertyAction[] {
  return (actions ?? []).filter((a): a is SetPropertyAction => a.type === 'setProperty');
}

/** What a finished action says: `Retry now: done for bounce@example.com.` or `Retry all: done for 3 messages.` */
export function setPropertyNotice(action: SetPropertyAction, list: List, ids: string[], done: number, labelOf: (id: string) => string): string | null {
  if (done === 0) return null;
  const what = done === 1 && ids.length === 1 ? labelOf(ids[0]) : `${done} ${done === 1 ? list.singularName : list.pluralName}`;
  return `${action.label}: done for ${what}.`;
}

export function useSetProperty(objectName: string, list: List, labelOf: (id: string) => string, onDone: () => void) {
  const client = useClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState<{ action: SetPropertyAction; ids: string[] } | null>(null);
  const [failures, setFailures] = useState<{ id: string; error: SetError }[]>([]);

  async function run(action: SetPropertyAction, ids: string[]) {
    setAsking(null);
    setFailures([]);
    try {
      const refused = await patchRecords(client, objectName, ids, { [action.property]: action.value });
      const failed = Object.entries(refused).map(([id, error]) => ({ id, error }));
      setFailures(failed);
      const notice = setPropertyNotice(action, list, ids, ids.length - failed.length, labelOf);
      if (notice) toast(notice);
      onDone();
      await invalidateObject(queryClient, objectName);
    } catch (e) {
      setFailures([{ id: '', error: { type: 'serverFail', description: (e as Error).message } }]);
    }
  }

  return {
    asking,
    failures,
    ask: (action: SetPropertyAction, ids: string[]) => setAsking({ action, ids }),
    cancel: () => setAsking(null),
    confirm: () => asking && void run(asking.action, asking.ids),
  };
}
