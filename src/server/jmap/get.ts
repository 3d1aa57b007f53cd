// Foo/get (RFC 8620 §5.1).

import { isSecret, topLevelProperties, withoutSecrets, type ObjectDef } from '../objects/define';
import { checkArgs, idList, requirePermission, type CallContext } from './context';
import { MethodError } from './errors';
import { compileFilter, matchesView } from './filter';
import { visibility, withVisibility } from './visibility';

type Obj = Record<string, unknown>;

/** What a client may read of a stored record: secrets hidden. */
export function present(def: ObjectDef, id: string, data: Obj, properties: string[] | null): Obj {
  const props = topLevelProperties(def);
  const out: Obj = { id };
  const now = Date.now();
  for (const name of properties ?? props.keys()) {
    if (name === 'id') continue;
    const p = props.get(name);
    if (!p) continue;
    if (name !== '@type' && !(name in data) && def.variants) continue; // property of another variant
    const compute = def.computed?.[name];
    out[name] = compute ? compute(data, now, id) : isSecret(p) ? null : withoutSecrets(def, p.type, data[name] ?? null);
  }
  return out;
}

export function get(ctx: CallContext, def: ObjectDef, view: Obj | undefined, args: Obj) {
  checkArgs(ctx, args, ['ids', 'properties']);
  requirePermission(ctx, def, 'Get');
  let properties: string[] | null = null;
  if (args.properties !== undefined && args.properties !== null) {
    if (!Array.isArray(args.properties) || !args.properties.every((p) => typeof p === 'string')) {
      throw new MethodError('invalidArguments', 'properties must be an array of property names');
    }
    const known = topLevelProperties(def);
    const unknown = args.properties.filter((p) => p !== 'id' && !known.has(p));
    if (unknown.length) {
      throw new MethodError('invalidArguments', `Unknown properties: ${unknown.join(', ')}`, { properties: unknown });
    }
    properties = args.properties as string[];
  }
  // Read the state first: a change that lands between the two reads shows up in /changes.
  const state = ctx.store.state(def.name);
  const seen = visibility(ctx, def);
  const list: Obj[] = [];
  const notFound: string[] = [];
  if (args.ids === undefined || args.ids === null) {
    const all = ctx.store.smallSnapshot(def.name, ctx.limits.maxObjectsInGet);
    let shown = all?.filter(([, data]) => matchesView(view, data) && seen.sees(data));
    if (!shown && (view || def.ownerProperty)) {
      // A large type seen through a view (or with records hidden from this caller) may still be small.
      const { where, params } = withVisibility(compileFilter(ctx.catalogue.schema, def, undefined, view), seen);
      const ids = ctx.store.queryIds(def.name, where, params, 'rid', ctx.limits.maxObjectsInGet + 1, 0);
      if (ids.length <= ctx.limits.maxObjectsInGet) {
        const found = ctx.store.getMany(def.name, ids);
        shown = ids.filter((id) => found.has(id)).map((id): [string, Obj] => [id, found.get(id)!]);
      }
    }
    if (!shown || shown.length > ctx.limits.maxObjectsInGet) {
      throw new MethodError('requestTooLarge', `There are more than ${ctx.limits.maxObjectsInGet} records: ask for ids (use /query)`);
    }
    for (const [id, data] of shown) list.push(present(def, id, data, properties));
  } else {
    const ids = [...new Set(idList(ctx, args.ids, 'ids'))];
    if (ids.length > ctx.limits.maxObjectsInGet) {
      throw new MethodError('requestTooLarge', `At most ${ctx.limits.maxObjectsInGet} ids in one /get`);
    }
    const found = ctx.store.getMany(def.name, ids);
    for (const id of ids) {
      const data = found.get(id);
      if (data && matchesView(view, data) && seen.sees(data)) list.push(present(def, id, data, properties));
      else notFound.push(id);
    }
  }
  return { accountId: ctx.accountId, state, list, notFound };
}
