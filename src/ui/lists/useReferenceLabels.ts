// Names for the ids a list page shows in objectId columns: one /get per referenced
// object type for the whole page, batched into a single request.

import { useMemo } from 'react';
import { useQueries } from '@tanstack/react-query';
import type { FieldType, Property } from '../../shared/schema/types';
import { useClient } from '../jmap/context';
import { recordsQueryOptions } from '../jmap/queries';
import type { JmapRecord } from '../jmap/types';
import { setMembers } from '../lib/set';
import { useConsole } from '../schema/context';
import { labelPropertyOf, resolveView } from '../schema/resolve';

/** The object a column refers to, for objectId and set-of-objectId columns. */
export function referencedObject(type: FieldType | undefined): string | undefined {
  if (type?.type === 'objectId') return type.objectName;
  if (type?.type === 'set' && type.class.type === 'objectId') return type.class.objectName;
  return undefined;
}

export function useReferenceLabels(records: JmapRecord[], columns: string[], properties: Record<string, Property>) {
  const { doc } = useConsole();
  const client = useClient();
  const wanted = useMemo(() => {
    const byObject = new Map<string, Set<string>>();
    for (const c of columns) {
      const target = referencedObject(properties[c]?.type);
      if (!target) continue;
      const ids = byObject.get(target) ?? new Set<string>();
      for (const r of records) for (const id of setMembers(typeof r[c] === 'string' ? [r[c]] : r[c])) ids.add(id);
      byObject.set(target, ids);
    }
    return [...byObject].filter(([, ids]) => ids.size > 0).map(([objectName, ids]) => ({
      objectName,
      target: resolveView(doc, objectName)?.objectName ?? objectName,
      labelProp: labelPropertyOf(doc, objectName),
      ids: [...ids].sort(),
    }));
  }, [records, columns, properties, doc]);

  const results = useQueries({
    queries: wanted.map((w) => recordsQueryOptions(client, w.target, w.ids, w.labelProp ? ['id', w.labelProp] : ['id'])),
  });

  return (objectName: string, id: string): string => {
    const i = wanted.findIndex((w) => w.objectName === objectName);
    const rec = i >= 0 ? results[i]?.data?.find((r) => r.id === id) : undefined;
    const lp = wanted[i]?.labelProp;
    return (lp && rec && typeof rec[lp] === 'string' && (rec[lp] as string)) || id;
  };
}
