// What every method call sees: the store, the object catalogue, the caller, the request's
// creation ids, limits.

import type { Caller } from '../auth/caller';
import type { Store } from '../store/records';
import type { Catalogue, ObjectDef, WriteVia } from '../objects/define';
import { MethodError } from './errors';
import { ID_PATTERN } from '../../shared/schema/validate';

export interface Limits {
  /** Bytes of one upload (RFC 8620 §6.1). */
  maxSizeUpload: number;
  maxConcurrentUpload: number;
  maxSizeRequest: number;
  maxConcurrentRequests: number;
  maxCallsInRequest: number;
  maxObjectsInGet: number;
  maxObjectsInSet: number;
  maxQueryLimit: number;
}

export const LIMITS: Limits = {
  maxSizeUpload: 50_000_000,
  maxConcurrentUpload: 4,
  maxSizeRequest: 10_000_000,
  maxConcurrentRequests: 8,
  maxCallsInRequest: 64,
  maxObjectsInGet: 1000,
  maxObjectsInSet: 1000,
  maxQueryLimit: 1000,
};

export interface CallContext {
  store: Store;
  /** The object types and schema document this server implements. */
  catalogue: Catalogue;
  caller: Caller;
  accountId: string;
  /** creation id → real id, for the whole request (RFC 8620 §3.3). */
  createdIds: Map<string, string>;
  limits: Limits;
  clientIp?: string;
  /** The API the request came through: its writes go to the activity log (none: the server's own). */
  via?: WriteVia;
  /** The activity entries of each record the last /set wrote (`type/id` → entry ids): a write its apply hook undid loses them. */
  activityEntries?: Map<string, string[]>;
  /** Passwords hashed so far in this request (each costs a slow scrypt). */
  passwordsHashed?: number;
}

export function requirePermission(ctx: CallContext, def: ObjectDef, verb: string): void {
  const perm = `${def.permissionPrefix}${verb}`;
  if (!ctx.caller.permissions.has(perm)) {
    throw new MethodError('forbidden', `You are not authorized to use ${def.name}: the ${perm} permission is required.`);
  }
}

/** Checks a method's arguments: known names only, and the account. */
export function checkArgs(ctx: CallContext, args: Record<string, unknown>, known: string[]): void {
  const unknown = Object.keys(args).filter((k) => k !== 'accountId' && !known.includes(k));
  if (unknown.length) throw new MethodError('invalidArguments', `Unknown argument(s): ${unknown.join(', ')}`, { arguments: unknown });
  if (args.accountId !== undefined && args.accountId !== null && args.accountId !== ctx.accountId) {
    throw new MethodError('accountNotFound', `No account ${JSON.stringify(args.accountId)} for this user`);
  }
}

/** An id argument: plain or `#creationId`. */
export function resolveId(ctx: CallContext, value: unknown, what: string): string {
  if (typeof value === 'string' && value.startsWith('#')) {
    const id = ctx.createdIds.get(value.slice(1));
    if (id) return id;
  }
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new MethodError('invalidArguments', `${what}: ${JSON.stringify(value)} is not an id`);
  }
  return value;
}

export function idList(ctx: CallContext, value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new MethodError('invalidArguments', `${what} must be an array of ids`);
  return value.map((v) => resolveId(ctx, v, what));
}

export function optionalBool(args: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = args[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new MethodError('invalidArguments', `${name} must be true or false`);
  return v;
}

export function optionalInt(args: Record<string, unknown>, name: string, min: number): number | null {
  const v = args[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new MethodError('invalidArguments', `${name} must be an integer${min > -Infinity ? ` ≥ ${min}` : ''}`);
  }
  return v;
}

export function stateArg(args: Record<string, unknown>, name: string, required: boolean): string | null {
  const v = args[name];
  if (v === undefined || v === null) {
    if (required) throw new MethodError('invalidArguments', `${name} is required`);
    return null;
  }
  if (typeof v !== 'string') throw new MethodError('invalidArguments', `${name} must be a string`);
  return v;
}
