// The JMAP methods of the stand-in, with the semantics of Stalwart 0.16's `x:` objects
// (design/wire.md): no `state` in /get, no `oldState`/`newState` in /set, no /changes or
// /queryChanges, AND-only filters on indexed properties, unknown names in `properties`
// silently dropped, x:Action create-only, x:Task variants partly internal.

import { runAction } from './actions';
import { CREATABLE_TASKS, INDEXES, SCHEMA } from './schema';
import { nowUtc, type Rec, type Store } from './store';
import { normalize, Problems, propertiesOf, readable, schemaNameOf } from './values';

type Obj = Record<string, unknown>;
type Invocation = [string, Obj, string];

export class MethodError extends Error {
  constructor(readonly type: string, description: string) {
    super(description);
  }
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Runs the method calls of one request for a caller holding `permissions`. */
export function handleRequest(store: Store, body: Obj, permissions: Set<string>, accountId: string): Obj {
  const using = Array.isArray(body.using) ? body.using : [];
  if (!using.includes('urn:stalwart:jmap')) throw new MethodError('urn:ietf:params:jmap:error:unknownCapability', 'The request must use urn:stalwart:jmap');
  const calls = body.methodCalls as Invocation[];
  const wellFormed = (c: unknown) => Array.isArray(c) && c.length === 3 && typeof c[0] === 'string' && isObj(c[1]) && typeof c[2] === 'string';
  if (!Array.isArray(calls) || !calls.every(wellFormed)) throw new MethodError('urn:ietf:params:jmap:error:notRequest', 'methodCalls must be a list of [name, arguments, call id]');
  const responses: Invocation[] = [];
  const createdIds: Record<string, string> = {};
  for (const [name, rawArgs, callId] of calls) {
    try {
      const args = resolveReferences(rawArgs, responses);
      if (args.accountId !== undefined && args.accountId !== accountId) throw new MethodError('accountNotFound', `No account ${String(args.accountId)}`);
      responses.push([name, call(store, name, args, permissions, accountId, createdIds), callId]);
    } catch (e) {
      if (!(e instanceof MethodError)) throw e;
      responses.push(['error', { type: e.type, description: e.message }, callId]);
    }
  }
  return { methodResponses: responses, sessionState: 'stalwart-stand-in', createdIds };
}

/** RFC 8620 §3.7 result references: `#name` arguments point into an earlier response. */
function resolveReferences(args: Obj, responses: Invocation[]): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(args)) {
    if (!k.startsWith('#')) {
      out[k] = v;
      continue;
    }
    const r = v as { resultOf?: string; name?: string; path?: string };
    const earlier = responses.find(([n, , id]) => id === r.resultOf && n === r.name);
    if (!earlier) throw new MethodError('invalidResultReference', `No response ${String(r.resultOf)} of ${String(r.name)}`);
    out[k.slice(1)] = pointer(earlier[1], String(r.path ?? ''));
  }
  return out;
}

function pointer(doc: unknown, path: string): unknown {
  let values: unknown[] = [doc];
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    values = values.flatMap((v) => (key === '*' && Array.isArray(v) ? v : [isObj(v) || Array.isArray(v) ? (v as Obj)[key] : undefined]));
    if (values.some((v) => v === undefined)) throw new MethodError('invalidResultReference', `Nothing at ${path}`);
  }
  return path.split('/').includes('*') ? values.flat() : values[0];
}

function call(store: Store, name: string, args: Obj, perms: Set<string>, accountId: string, createdIds: Record<string, string>): Obj {
  const slash = name.lastIndexOf('/');
  const objectName = name.slice(0, slash);
  const method = name.slice(slash + 1);
  const entry = SCHEMA.objects[objectName];
  if (!entry || entry.type === 'view' || !['get', 'set', 'query'].includes(method)) throw new MethodError('unknownMethod', `Unknown method ${name}`);
  const verb = method === 'get' ? 'Get' : method === 'query' ? 'Query' : null;
  if (verb && !perms.has(`${entry.permissionPrefix}${verb}`)) throw new MethodError('forbidden', `You are not authorized to ${method} ${objectName}`);
  const shapes: [string, (v: unknown) => boolean, string][] = [
    ['ids', (v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')), 'an array of ids or null'],
    ['properties', (v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')), 'an array of names or null'],
    ['create', isObj, 'an object'],
    ['update', isObj, 'an object'],
    ['destroy', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'an array of ids'],
    ['sort', Array.isArray, 'an array'],
  ];
  for (const [arg, ok, what] of shapes) if (args[arg] !== undefined && !ok(args[arg])) throw new MethodError('invalidArguments', `${arg} must be ${what}`);
  if (method === 'get') return get(store, objectName, args, accountId);
  if (method === 'query') return query(store, objectName, args, accountId);
  return set(store, objectName, args, perms, accountId, createdIds);
}

function get(store: Store, objectName: string, args: Obj, accountId: string): Obj {
  const table = store.table(objectName);
  const singleton = SCHEMA.objects[objectName].type === 'singleton';
  const ids = args.ids === null || args.ids === undefined ? (objectName === 'x:Action' ? [] : [...table.keys()]) : (args.ids as unknown[]).map(String);
  const wanted = Array.isArray(args.properties) ? new Set((args.properties as unknown[]).map(String)) : null;
  const list: Obj[] = [];
  const notFound: string[] = [];
  for (const id of ids) {
    const rec = objectName === 'x:Action' ? undefined : table.get(singleton && id === 'singleton' ? 'singleton' : id);
    if (!rec) {
      notFound.push(id);
      continue;
    }
    const shown = readable(objectName, rec);
    // Names this record's type does not have are dropped, not refused.
    list.push(wanted ? Object.fromEntries(Object.entries(shown).filter(([k]) => k === 'id' || k === '@type' || wanted.has(k))) : shown);
  }
  return { accountId, list, notFound };
}

const RANGE = /^(.*)Is(GreaterThan|GreaterThanOrEqual|LessThan|LessThanOrEqual)$/;

function matcher(objectName: string, filter: unknown): (r: Rec) => boolean {
  if (filter === null || filter === undefined) return () => true;
  if (!isObj(filter)) throw new MethodError('invalidArguments', 'filter must be an object');
  if ('operator' in filter) {
    if (filter.operator !== 'AND') throw new MethodError('unsupportedFilter', 'Only AND is supported in filters');
    const parts = ((filter.conditions as unknown[]) ?? []).map((c) => matcher(objectName, c));
    return (r) => parts.every((m) => m(r));
  }
  const indexed = INDEXES[objectName]?.filter ?? [];
  const tests = Object.entries(filter).map(([key, want]): ((r: Rec) => boolean) => {
    const range = RANGE.exec(key);
    const prop = range ? range[1] : key;
    if (!indexed.includes(prop)) throw new MethodError('unsupportedFilter', `Filter on property ${key} is not supported or invalid`);
    if (range) {
      const op = range[2];
      return (r) => {
        const v = r[prop] as string | number;
        const w = want as string | number;
        return op === 'GreaterThan' ? v > w : op === 'GreaterThanOrEqual' ? v >= w : op === 'LessThan' ? v < w : v <= w;
      };
    }
    if (prop === 'text') {
      const needle = String(want).toLowerCase();
      return (r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
    }
    // A task's status filter only tells failed tasks from the rest.
    if (objectName === 'x:Task' && prop === 'status') return (r) => ((r.status as Obj)?.['@type'] === 'Failed') === (want === 'Failed');
    if (prop === 'returnPath') return (r) => String(r.returnPath).includes(String(want));
    return (r) => (isObj(r[prop]) ? (r[prop] as Obj)[String(want)] === true : r[prop] === want);
  });
  return (r) => tests.every((t) => t(r));
}

function query(store: Store, objectName: string, args: Obj, accountId: string): Obj {
  if (objectName === 'x:Action') throw new MethodError('invalidArguments', 'Actions cannot be queried');
  if (SCHEMA.objects[objectName].type === 'singleton') throw new MethodError('unknownMethod', `${objectName} is a singleton`);
  const match = matcher(objectName, args.filter);
  let recs = [...store.table(objectName).values()].filter(match);
  const sort = (Array.isArray(args.sort) ? args.sort : []) as { property?: string; isAscending?: boolean }[];
  for (const c of [...sort].reverse()) {
    const prop = String(c.property);
    if (prop !== 'id' && !(INDEXES[objectName]?.sort ?? []).includes(prop)) throw new MethodError('unsupportedSort', `Property ${prop} is not supported for sorting`);
    const dir = c.isAscending === false ? -1 : 1;
    recs = recs.sort((a, b) => dir * String(a[prop] ?? '').localeCompare(String(b[prop] ?? ''), undefined, { numeric: true }));
  }
  const total = recs.length;
  let position = Number(args.position ?? 0);
  if (!Number.isInteger(position)) throw new MethodError('invalidArguments', 'position must be an integer');
  if (position < 0) position = Math.max(0, total + position);
  const limit = args.limit === undefined || args.limit === null ? 1000 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new MethodError('invalidArguments', 'limit must be a non-negative integer');
  const ids = recs.slice(position, position + limit).map((r) => r.id);
  return { accountId, queryState: 'stand-in', canCalculateChanges: false, position, ids, ...(args.calculateTotal ? { total } : {}) };
}

const UNIQUE: Record<string, (r: Obj) => string> = {
  'x:Account': (r) => `${String(r.name)}@${String(r.domainId)}`.toLowerCase(),
  'x:Domain': (r) => String(r.name).toLowerCase(),
  'x:Role': (r) => String(r.name).toLowerCase(),
};

/** `#creationId` strings (and set members) become the ids made earlier in this request. */
function withCreatedIds(v: unknown, created: Record<string, string>): unknown {
  if (typeof v === 'string' && v.startsWith('#') && created[v.slice(1)]) return created[v.slice(1)];
  if (Array.isArray(v)) return v.map((x) => withCreatedIds(x, created));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.startsWith('#') && created[k.slice(1)] ? created[k.slice(1)] : k, withCreatedIds(x, created)]));
  return v;
}

function applyPatch(stored: Rec, patch: Obj): Obj | string {
  const out = structuredClone(stored) as Obj;
  for (const [path, v] of Object.entries(patch)) {
    const keys = path.split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    let parent: Obj = out;
    for (const k of keys.slice(0, -1)) {
      if (!isObj(parent[k])) return path;
      parent = parent[k] as Obj;
    }
    const last = keys[keys.length - 1];
    if (v === null) delete parent[last];
    else parent[last] = v;
  }
  return out;
}

function set(store: Store, objectName: string, args: Obj, perms: Set<string>, accountId: string, createdIds: Record<string, string>): Obj {
  const table = store.table(objectName);
  const kind = SCHEMA.objects[objectName].type;
  const prefix = SCHEMA.objects[objectName].permissionPrefix;
  const res: Obj = { accountId, created: null, updated: null, destroyed: null, notCreated: null, notUpdated: null, notDestroyed: null };
  const put = (key: string, id: string, value: unknown) => ((res[key] ??= {}) as Obj)[id] = value;
  const forbidden = (description: string) => ({ type: 'forbidden', description });

  for (const [cid, raw] of Object.entries((args.create ?? {}) as Obj)) {
    const input = withCreatedIds(raw, createdIds);
    if (!perms.has(`${prefix}Create`)) put('notCreated', cid, forbidden(`You are not authorized to create ${objectName}`));
    else if (kind === 'singleton') put('notCreated', cid, forbidden(`${objectName} is a singleton; update it instead`));
    else if (objectName === 'x:QueuedMessage') put('notCreated', cid, forbidden('Messages are queued by the SMTP service, not created here'));
    else if (!isObj(input)) put('notCreated', cid, { type: 'invalidArguments', description: 'A record must be an object' });
    else {
      const variant = schemaNameOf(objectName, input)?.variant;
      if (objectName === 'x:Task' && variant && !CREATABLE_TASKS.has(variant)) put('notCreated', cid, forbidden(`${variant} tasks are scheduled by the server only`));
      else if ((objectName === 'x:Task' || objectName === 'x:Action') && variant && !perms.has(`${objectName === 'x:Task' ? 'task' : 'action'}${variant}`)) {
        put('notCreated', cid, forbidden(`You are not authorized to run ${variant}`));
      } else {
        const problems = new Problems();
        const value = normalize(objectName, input, undefined, '', 'create', problems, store.exists);
        const clash = UNIQUE[objectName] && !problems.any && [...table.values()].find((r) => UNIQUE[objectName](r) === UNIQUE[objectName](value));
        if (problems.any) put('notCreated', cid, problems.setError());
        else if (clash) put('notCreated', cid, { type: 'primaryKeyViolation', properties: ['name'], objectId: { object: objectName, id: clash.id } });
        else if (objectName === 'x:Action') {
          // The id of an action is the moment it ran; its result comes back here and only here.
          put('created', cid, { id: Date.now().toString(36), ...runAction(store, value) });
        } else {
          const rec = store.insert(objectName, value);
          createdIds[cid] = rec.id;
          const serverSet = Object.entries(propertiesOf(schemaNameOf(objectName, rec)?.schemaName)).filter(([, p]) => p.update === 'serverSet').map(([k]) => k);
          put('created', cid, { id: rec.id, ...Object.fromEntries(serverSet.map((k) => [k, rec[k]])) });
        }
      }
    }
  }

  for (const [id, patch] of Object.entries((args.update ?? {}) as Obj)) {
    const stored = table.get(id);
    if (!perms.has(`${prefix}Update`)) put('notUpdated', id, forbidden(`You are not authorized to update ${objectName}`));
    else if (objectName === 'x:Action') put('notUpdated', id, forbidden('Actions cannot be updated'));
    else if (!stored) put('notUpdated', id, { type: 'notFound' });
    else if (!isObj(patch)) put('notUpdated', id, { type: 'invalidPatch', description: 'A patch must be an object' });
    else {
      const merged = applyPatch(stored, withCreatedIds(patch, createdIds) as Obj);
      if (typeof merged === 'string') {
        put('notUpdated', id, { type: 'invalidPatch', description: `Nothing to patch at ${merged}`, properties: [merged] });
        continue;
      }
      delete merged.id;
      const problems = new Problems();
      const value = normalize(objectName, merged, stored, '', 'update', problems, store.exists);
      const clash = UNIQUE[objectName] && !problems.any && [...table.values()].find((r) => r.id !== id && UNIQUE[objectName](r) === UNIQUE[objectName](value));
      if (problems.any) put('notUpdated', id, problems.setError());
      else if (clash) put('notUpdated', id, { type: 'primaryKeyViolation', properties: ['name'], objectId: { object: objectName, id: clash.id } });
      else {
        const rec = { ...value, id } as Rec;
        store.fillServerSet(objectName, rec, stored);
        table.set(id, rec);
        put('updated', id, null);
      }
    }
  }

  for (const id of ((args.destroy ?? []) as unknown[]).map(String)) {
    const stored = table.get(id);
    if (!perms.has(`${prefix}Destroy`)) put('notDestroyed', id, forbidden(`You are not authorized to destroy ${objectName}`));
    else if (kind === 'singleton' || objectName === 'x:Action') put('notDestroyed', id, forbidden(`${objectName} records cannot be destroyed`));
    else if (!stored) put('notDestroyed', id, { type: 'notFound' });
    else {
      const links = store.linksTo(objectName, id);
      if (links.length) {
        put('notDestroyed', id, { type: 'objectIsLinked', linkedObjects: links });
        continue;
      }
      table.delete(id);
      put('destroyed', id, true);
      if (objectName === 'x:Account') {
        // As on Stalwart, removing an account's data is a task the server schedules.
        store.insert('x:Task', { '@type': 'DestroyAccount', accountId: null, accountName: stored.emailAddress, accountType: stored['@type'], due: nowUtc(60_000) });
      }
    }
  }
  if (res.destroyed) res.destroyed = Object.keys(res.destroyed as Obj);
  return res;
}
