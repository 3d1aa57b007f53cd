// What a record picker shows: the labels of the chosen records, the records matching what
// is typed (searched on the server, 20 at a time), and for records that carry permissions
// (roles) why one may not be chosen: it would give permissions the caller does not hold.

import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { JmapClient } from '../../jmap/client';
import { useClient } from '../../jmap/context';
import { keys } from '../../jmap/keys';
import { fetchList, recordsQueryOptions } from '../../jmap/queries';
import type { GetResponse, JmapRecord } from '../../jmap/types';
import { setMembers } from '../../lib/set';
import { useConsole } from '../../schema/context';
import { enumLabel } from '../../schema/format';
import { effectivePermissions, grantModel, notHeld, PERMISSION_ENUM, type GrantModel } from '../../schema/grants';
import { labelPropertyOf, resolveView, searchPropertyOf } from '../../schema/resolve';
import { listOf } from '../../schema/words';
import { i18n } from '../../i18n/i18n';

const LIMIT = 20;

/** Records `start` extends, and those they extend, one request per level: what a role gives depends on them all. */
async function fetchExtended(client: JmapClient, objectName: string, model: GrantModel, start: string[], properties: string[]) {
  const found = new Map<string, JmapRecord>();
  let wanted = start;
  while (wanted.length > 0) {
    const r = await client.call<GetResponse>(`${objectName}/get`, { ids: wanted, properties });
    const gone = new Set(r.notFound ?? []);
    for (const rec of r.list) found.set(rec.id, rec);
    const next = new Set<string>();
    for (const rec of r.list) for (const p of model.extends) for (const id of setMembers(rec[p])) if (!found.has(id) && !gone.has(id)) next.add(id);
    wanted = [...next];
  }
  return found;
}

export interface RecordSearch {
  /** A record's label, from the results or the chosen records; its id until loaded. */
  labelOf: (id: string) => string;
  options: JmapRecord[];
  pending: boolean;
  error: Error | null;
  /** Why a record cannot be chosen by this caller, or undefined when it can. */
  refusal: (r: JmapRecord) => string | undefined;
}

/** `grants`: check what each record would grant (see ObjectPicker). */
export function useRecordSearch(objectName: string, text: string, open: boolean, selectedIds: string[], grants = false): RecordSearch {
  const { doc, permissions } = useConsole();
  const client = useClient();
  const view = resolveView(doc, objectName);
  const target = view?.objectName ?? objectName;
  const labelProp = labelPropertyOf(doc, objectName);
  const searchProp = searchPropertyOf(doc, objectName);
  const model = useMemo(() => (grants ? grantModel(doc, target) : null), [doc, target, grants]);

  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);

  const shown = labelProp ? ['id', labelProp] : ['id'];
  const labels = useQuery({ ...recordsQueryOptions(client, target, selectedIds, shown), enabled: selectedIds.length > 0 });

  const properties = model ? [...shown, ...model.gives, ...model.takes, ...model.extends] : shown;
  const filter = { ...(view?.list?.filtersStatic ?? {}), ...(debounced && searchProp ? { [searchProp]: debounced } : {}) };
  const args = { filter, position: 0, limit: LIMIT, properties };
  const results = useQuery({
    queryKey: keys.search(target, args),
    queryFn: () => fetchList(client, target, { ...args, filter: Object.keys(filter).length ? filter : undefined }),
    enabled: open,
    staleTime: 10_000,
  });
  const options = results.data?.records ?? [];
  const labelOf = (id: string) => {
    const r = options.find((x) => x.id === id) ?? labels.data?.find((x) => x.id === id);
    return (labelProp && r && typeof r[labelProp] === 'string' && (r[labelProp] as string)) || id;
  };

  const found = new Set(options.map((r) => r.id));
  const outside = model ? [...new Set(options.flatMap((r) => model.extends.flatMap((p) => setMembers(r[p]))))].filter((id) => !found.has(id)).sort() : [];
  const extended = useQuery({
    queryKey: keys.derived(target, 'extended', outside),
    queryFn: () => fetchExtended(client, target, model!, outside, properties),
    enabled: open && outside.length > 0,
    staleTime: 10_000,
  });

  const refusal = (r: JmapRecord): string | undefined => {
    if (!model) return undefined;
    if (outside.length > 0 && !extended.data) return i18n.t('forms:picker.checking');
    const lookup = (id: string) => options.find((o) => o.id === id) ?? extended.data?.get(id);
    const missing = notHeld(permissions, effectivePermissions(model, [r.id], lookup));
    if (missing.length === 0) return undefined;
    return i18n.t('forms:picker.grantsUnheld', { list: listOf(missing.map((p) => enumLabel(doc, PERMISSION_ENUM, p)).sort()) });
  };

  return {
    labelOf,
    options,
    pending: results.isPending,
    error: results.error ?? extended.error ?? null,
    refusal,
  };
}
