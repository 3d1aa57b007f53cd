// The JMAP request envelope (RFC 8620 §3): capabilities, calls run in order, result
// references (§3.7), creation ids across calls, and method dispatch.

import { isPlainObject } from '../../shared/equal';
import type { Caller } from '../auth/caller';
import type { Catalogue, ObjectDef } from '../objects/define';
import type { Store } from '../store/records';
import { changes, queryChanges } from './changes';
import { LIMITS, type CallContext, type Limits } from './context';
import { checkMembers, WorkMeter } from './cost';
import { MethodError, problem } from './errors';
import { get } from './get';
import { query } from './query';
import { set } from './set';
import { afterSet, beforeCall, refuseSingletonQuery, snapshotBefore } from './hooks';
import { isDryRun, VALIDATE_CAPABILITY } from './dryRun';

export const CAPABILITIES = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap', VALIDATE_CAPABILITY];

type Obj = Record<string, unknown>;
type Invocation = [string, Obj, string];

export interface ApiOptions {
  store: Store;
  catalogue: Catalogue;
  limits?: Limits;
  /** Called with unexpected errors; the client only sees serverFail. */
  log?: (e: unknown) => void;
  sessionState: (caller: Caller) => string;
  clientIp?: string;
}

const MAX_DEPTH = 128;
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * About how many bytes `value` takes as JSON, or null past `limit`. Walks shared
 * subtrees as often as JSON.stringify would, but stops as soon as the limit is passed.
 */
export function serializedSizeAtMost(value: unknown, limit: number): number | null {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 2;
    else if (v === null || typeof v !== 'object') size += 8;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      for (const x of v) stack.push(x);
    } else {
      for (const [k, x] of Object.entries(v)) {
        size += k.length + 4;
        stack.push(x);
      }
    }
    if (size > limit) return null;
  }
  return size;
}

/** Whether JSON nests deeper than `max` (iterative: deep input must not blow the stack). */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d >= max) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === 'object' && x !== null) stack.push([x, d + 1]);
  }
  return false;
}

/** Parses and checks the envelope; throws ProblemError for request-level errors. */
export function parseRequest(body: string, limits: Limits): { using: string[]; methodCalls: Invocation[]; createdIds?: Obj; members: number } {
  // Counted before parsing: parsing 200,000 members alone would hold the loop for 100 ms.
  const members = checkMembers(body);
  let req: unknown;
  try {
    req = JSON.parse(body);
  } catch {
    throw problem.notJSON('The request body is not valid JSON');
  }
  if (!isPlainObject(req)) throw problem.notRequest('The request must be a JSON object');
  if (depthExceeds(req, MAX_DEPTH)) throw problem.notRequest(`The request is nested deeper than ${MAX_DEPTH} levels`);
  const { using, methodCalls, createdIds } = req;
  if (!Array.isArray(using) || !using.every((u) => typeof u === 'string')) {
    throw problem.notRequest('"using" must be an array of capability names');
  }
  const unknownCap = using.find((u) => !CAPABILITIES.includes(u));
  if (unknownCap) throw problem.unknownCapability(unknownCap);
  if (!Array.isArray(methodCalls)) throw problem.notRequest('"methodCalls" must be an array');
  if (methodCalls.length > limits.maxCallsInRequest) {
    throw problem.limit('maxCallsInRequest', `At most ${limits.maxCallsInRequest} method calls in one request`);
  }
  for (const call of methodCalls) {
    if (!Array.isArray(call) || call.length !== 3 || typeof call[0] !== 'string' || !isPlainObject(call[1]) || typeof call[2] !== 'string') {
      throw problem.notRequest('Each method call must be [name, arguments object, call id]');
    }
  }
  if (createdIds !== undefined && !isPlainObject(createdIds)) throw problem.notRequest('"createdIds" must be an object');
  const extra = Object.keys(req).filter((k) => !['using', 'methodCalls', 'createdIds'].includes(k));
  if (extra.length) throw problem.notRequest(`Unknown request properties: ${extra.join(', ')}`);
  return { using, methodCalls: methodCalls as Invocation[], createdIds: createdIds as Obj | undefined, members };
}

/** Evaluates a JSON pointer with `*` over arrays (RFC 8620 §3.7). */
export function evaluatePointer(value: unknown, path: string): unknown {
  if (path === '' || path === '/') return value;
  if (!path.startsWith('/')) throw new Error('path must start with /');
  const parts = path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const walk = (v: unknown, i: number): unknown => {
    if (i === parts.length) return v;
    const part = parts[i];
    if (Array.isArray(v)) {
      if (part === '*') {
        return v.flatMap((item) => {
          const r = walk(item, i + 1);
          return Array.isArray(r) ? r : [r];
        });
      }
      if (!/^\d+$/.test(part) || +part >= v.length) throw new Error(`no item ${part}`);
      return walk(v[+part], i + 1);
    }
    if (isPlainObject(v) && Object.hasOwn(v, part)) return walk(v[part], i + 1);
    throw new Error(`no member ${part}`);
  };
  return walk(value, 0);
}

function resolveReferences(args: Obj, responses: Invocation[]): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(args)) {
    if (!key.startsWith('#')) {
      out[key] = value;
      continue;
    }
    const name = key.slice(1);
    if (name in args) throw new MethodError('invalidArguments', `Both ${name} and #${name} were given`);
    if (!isPlainObject(value) || typeof value.resultOf !== 'string' || typeof value.name !== 'string' || typeof value.path !== 'string') {
      throw new MethodError('invalidResultReference', `#${name} must be {resultOf, name, path}`);
    }
    const source = responses.find((r) => r[2] === value.resultOf);
    if (!source || source[0] !== value.name) {
      throw new MethodError('invalidResultReference', `No ${value.name} response with call id ${value.resultOf}`);
    }
    try {
      out[name] = evaluatePointer(source[1], value.path);
    } catch (e) {
      throw new MethodError('invalidResultReference', `${value.path} does not resolve in ${value.name}: ${(e as Error).message}`);
    }
  }
  return out;
}

export async function runRequest(opts: ApiOptions, caller: Caller, body: string) {
  const limits = opts.limits ?? LIMITS;
  const req = parseRequest(body, limits);
  const ctx: CallContext = {
    store: opts.store,
    catalogue: opts.catalogue,
    caller,
    accountId: caller.accountId,
    createdIds: new Map(Object.entries(req.createdIds ?? {}).filter(([, v]) => typeof v === 'string') as [string, string][]),
    limits,
    clientIp: opts.clientIp,
    via: 'jmap',
  };
  const responses: Invocation[] = [];
  let budget = MAX_RESPONSE_BYTES;
  const work = new WorkMeter(req.members);
  for (const [name, rawArgs, callId] of req.methodCalls) {
    const visitedBefore = opts.store.rowsVisited;
    let result: Obj | null = null;
    let referenced = 0;
    try {
      const args = resolveReferences(rawArgs, responses);
      work.admit(name, args);
      // Each call sees what other processes wrote up to now (one cheap pragma), so a call
      // never answers from a state this process remembered before they wrote.
      opts.store.pollExternalWrites();
      result = await call(ctx, name, args, req.using);
      // Without references an answer is bounded by the request and the limits; with them,
      // one result can be repeated many times over (an echo of echoes).
      if (Object.keys(rawArgs).some((k) => k.startsWith('#'))) {
        const size = serializedSizeAtMost(result, budget);
        if (size === null) throw new MethodError('requestTooLarge', `The response would exceed ${MAX_RESPONSE_BYTES} bytes`);
        budget -= size;
        referenced = size;
      }
      responses.push([name, result, callId]);
    } catch (e) {
      if (e instanceof MethodError) {
        responses.push(['error', e.body(), callId]);
      } else {
        opts.log?.(e);
        responses.push(['error', { type: 'serverFail', description: 'The server could not process this call' }, callId]);
      }
    } finally {
      work.charge(name, result, opts.store.rowsVisited - visitedBefore, referenced);
    }
  }
  return {
    methodResponses: responses,
    ...(req.createdIds !== undefined ? { createdIds: Object.fromEntries(ctx.createdIds) } : {}),
    sessionState: opts.sessionState(caller),
  };
}

async function call(ctx: CallContext, name: string, args: Obj, using: string[]): Promise<Obj> {
  if (name === 'Core/echo') return args;
  const slash = name.lastIndexOf('/');
  const resolved = slash > 0 ? ctx.catalogue.resolveObject(name.slice(0, slash)) : null;
  if (!resolved) throw new MethodError('unknownMethod', `Unknown method ${name}`);
  if (!using.includes('urn:stalwart:jmap')) {
    throw new MethodError('unknownMethod', `${name} needs the urn:stalwart:jmap capability in "using"`);
  }
  const { def, filter } = resolved;
  const method = name.slice(slash + 1);
  refuseSingletonQuery(def, method);
  // A dry run carries nothing out: it was rolled back before an apply hook could see it.
  const dryRun = method === 'set' && isDryRun(args, using);
  await beforeCall(ctx, def, method, args);
  if (method === 'set' && def.apply && !dryRun) {
    const before = snapshotBefore(ctx, def, args);
    return afterSet(ctx, def, before, set(ctx, def, filter, args));
  }
  return callMethod(ctx, def, filter, method, name, args);
}

function callMethod(ctx: CallContext, def: ObjectDef, filter: Obj | undefined, method: string, name: string, args: Obj): Obj {
  switch (method) {
    case 'get': return get(ctx, def, filter, args);
    case 'set': return set(ctx, def, filter, args);
    case 'query': return query(ctx, def, filter, args);
    case 'changes': return changes(ctx, def, args);
    case 'queryChanges': return queryChanges(ctx, def, filter, args);
    default: throw new MethodError('unknownMethod', `Unknown method ${name}`);
  }
}
