// Wire types of RFC 8620 as the console uses them, and the typed errors the client raises.

import type { SetError as WireSetError } from '../../shared/jmap/errors';
import { i18n } from '../i18n/i18n';

export type Invocation = [name: string, args: Record<string, unknown>, callId: string];

export interface Session {
  apiUrl: string;
  username?: string;
  accounts: Record<string, { name?: string; accountCapabilities?: Record<string, unknown> }>;
  primaryAccounts: Record<string, string>;
  capabilities: Record<string, Record<string, unknown> | undefined>;
  state?: string;
  /** Push (RFC 8620 §7.3); Postern's server reports x: types there, Stalwart does not. */
  eventSourceUrl?: string;
  /** Blob downloads (RFC 8620 §6.2): {accountId}, {blobId}, {name}, {type}. */
  downloadUrl?: string;
}

export interface ResultReference {
  resultOf: string;
  name: string;
  path: string;
}

export type JmapRecord = { id: string } & Record<string, unknown>;

export interface GetResponse<T = JmapRecord> {
  accountId: string;
  state?: string;
  list: T[];
  notFound?: string[];
}

export interface QueryResponse {
  accountId: string;
  queryState?: string;
  ids: string[];
  position: number;
  total?: number;
  /** The limit the server used, when it clamped the one asked for (RFC 8620 §5.5). */
  limit?: number;
}

type WireValidationError = NonNullable<WireSetError['validationErrors']>[number];

/**
 * One entry of a validationFailed SetError. The shared wire type with its unions opened
 * up: a real Stalwart may send types and members ours does not (yet) name.
 */
export type ValidationError = Omit<WireValidationError, 'type' | 'description' | 'required'> & {
  type: string;
  description?: string;
  required?: unknown;
};

/** A per-record /set error: the shared wire type, tolerant of types outside its union. */
export type SetError = Omit<WireSetError, 'type' | 'validationErrors'> & { type: string; validationErrors?: ValidationError[] };

export interface SetResponse {
  accountId: string;
  oldState?: string | null;
  newState?: string;
  created?: Record<string, JmapRecord> | null;
  updated?: Record<string, Record<string, unknown> | null> | null;
  destroyed?: string[] | null;
  notCreated?: Record<string, SetError> | null;
  notUpdated?: Record<string, SetError> | null;
  notDestroyed?: Record<string, SetError> | null;
}

export interface ChangesResponse {
  oldState: string;
  newState: string;
  hasMoreChanges: boolean;
  created: string[];
  updated: string[];
  destroyed: string[];
}

/** The server refused the credentials (HTTP 401). */
export class AuthError extends Error {
  override name = 'AuthError';
}

/** A non-2xx HTTP answer other than 401; `problem` is the RFC 7807 body when there is one. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(readonly status: number, readonly problem?: { title?: string; detail?: string; type?: string }) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/** A method-level JMAP error, e.g. `["error",{"type":"forbidden"},"c1"]`. */
export class MethodError extends Error {
  override name = 'MethodError';
  constructor(readonly type: string, readonly method: string, description?: string) {
    super(description ?? `${method}: ${type}`);
  }
}

/** One record of a /set was refused; `error` is the per-record SetError. */
export class SetRecordError extends Error {
  override name = 'SetRecordError';
  constructor(readonly error: SetError, readonly recordId: string) {
    super(error.description ?? error.type);
  }
}

/**
 * No answer came (fetch rejected): the browser is offline, or the server is down or out of
 * reach. Still a TypeError, as fetch's own rejection is, for code that tests for that.
 */
export class UnreachableError extends TypeError {
  override name = 'UnreachableError';
  readonly reason: string;
  readonly next: string;
  constructor(readonly offline: boolean) {
    const reason = i18n.t(offline ? 'app:errors.offline' : 'app:errors.noAnswer');
    const next = i18n.t(offline ? 'app:errors.retryOnline' : 'app:errors.checkRunning');
    super(`${reason} ${next}`);
    this.reason = reason;
    this.next = next;
  }
}

/** Whether the browser says it is offline (it may be wrong the other way: online yet cut off). */
export function browserOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}
