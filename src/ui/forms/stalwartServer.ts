// For component tests only: a JMAP handler for src/ui/test/render.tsx that answers the
// way a Stalwart 0.16 server does for its `x:` objects (design/wire.md): no `state` in
// /get, no `newState` in /set, no /changes, AND-only filters on equality, an action
// object that runs in /set and cannot be read back. Records live in memory.

import type { JmapHandler } from '../test/render';

type Rec = Record<string, unknown>;

export interface StalwartServer {
  handler: JmapHandler;
  /** Records by object name, then id. */
  records: Map<string, Map<string, Rec>>;
  /** What an action answers when created, by `@type`. */
  actionResults: Record<string, Rec>;
}

function applyPatch(record: Rec, patch: Rec): void {
  for (const [path, v] of Object.entries(patch)) {
    const parts = path.split('/');
    let at: Rec = record;
    for (const p of parts.slice(0, -1)) {
      at[p] = { ...((at[p] as Rec | undefined) ?? {}) };
      at = at[p] as Rec;
    }
    const last = parts[parts.length - 1];
    if (v === null && parts.length > 1) delete at[last];
    else at[last] = v;
  }
}

function matches(r: Rec, filter: Rec | undefined): boolean {
  if (!filter) return true;
  if ('operator' in filter) {
    if (filter.operator !== 'AND') throw new Error('unsupportedFilter');
    return (filter.conditions as Rec[]).every((c) => matches(r, c));
  }
  return Object.entries(filter).every(([k, v]) => (typeof r[k] === 'string' && typeof v === 'string' ? (r[k] as string).includes(v) : r[k] === v || (typeof r[k] === 'object' && r[k] !== null && (r[k] as Rec)[String(v)] === true)));
}

export function stalwartServer(initial: Record<string, Rec[]>, actionObject = 'x:Action'): StalwartServer {
  const records = new Map(Object.entries(initial).map(([name, list]) => [name, new Map(list.map((r) => [String(r.id), structuredClone(r)]))]));
  const server: StalwartServer = { records, actionResults: {}, handler: () => ({}) };
  let next = 1;
  const of = (name: string) => {
    if (!records.has(name)) records.set(name, new Map());
    return records.get(name)!;
  };
  server.handler = (method, args) => {
    const [name, verb] = method.split('/');
    const store = of(name);
    if (verb === 'get') {
      const ids = (args.ids as string[] | null) ?? [...store.keys()];
      if (name === actionObject) return { list: [], notFound: ids };
      const props = args.properties as string[] | undefined;
      const pick = (r: Rec) => (props ? Object.fromEntries(Object.entries(r).filter(([k]) => k === 'id' || k === '@type' || props.includes(k))) : { ...r });
      return { list: ids.flatMap((id) => (store.has(id) ? [pick(store.get(id)!)] : [])), notFound: ids.filter((id) => !store.has(id)) };
    }
    if (verb === 'query') {
      if (name === actionObject) throw new Error('Actions cannot be queried');
      const ids = [...store.values()].filter((r) => matches(r, args.filter as Rec | undefined)).map((r) => String(r.id));
      const position = Number(args.position ?? 0);
      return { ids: ids.slice(position, position + Number(args.limit ?? 50)), position, total: ids.length };
    }
    if (verb === 'set') {
      const created: Rec = {};
      for (const [cid, value] of Object.entries((args.create as Record<string, Rec>) ?? {})) {
        const id = `n${next++}`;
        if (name === actionObject) {
          created[cid] = { id, ...(server.actionResults[String(value['@type'])] ?? {}) };
          continue;
        }
        store.set(id, { ...structuredClone(value), id, createdAt: '2030-01-02T03:04:05Z' });
        created[cid] = { id, createdAt: '2030-01-02T03:04:05Z' };
      }
      const updated: Rec = {};
      for (const [id, patch] of Object.entries((args.update as Record<string, Rec>) ?? {})) {
        if (!store.has(id)) store.set(id, { id });
        applyPatch(store.get(id)!, patch);
        updated[id] = null;
      }
      const destroyed = ((args.destroy as string[]) ?? []).filter((id) => store.delete(id));
      return { created, updated, destroyed };
    }
    throw new Error(`unknownMethod ${method}`);
  };
  return server;
}
