// Small helpers shared by the server's integration tests (src/server/**/*.test.ts).
// Everything goes through the real HTTP API of a server started by startTestServer().

import { expect } from 'vitest';
import { isPlainObject } from '../shared/equal';
import type {
  ChangesResponse, GetResponse, Invocation, JmapRecord, MethodErrorBody, Obj, QueryChangesResponse, QueryResponse, SetResponse, TestServer,
} from './testing';

type As = { user?: string; password?: string };

let counter = 0;
/** A unique suffix, so tests never collide on unique names or addresses. */
export function uniq(prefix = 'u'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** A distinct IPv4 address per call (10.x.y.z). */
let ipCounter = 1;
export function nextIp(): string {
  ipCounter += 1;
  const n = ipCounter + Math.floor(Math.random() * 1000) * 50_000;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A value the test goes on to use as a string; fails the test when it is not one. */
export function text(v: unknown): string {
  expect(typeof v, JSON.stringify(v)).toBe('string');
  return v as string;
}

/** Runs one call and returns its response arguments; fails the test when it answers anything else (an error). */
export async function answer<T>(server: TestServer, name: string, args: object, opts?: As): Promise<T> {
  const [answered, res] = await server.call(name, args, opts);
  expect(answered, JSON.stringify(res)).toBe(name);
  return res as T;
}

/** Runs one call that must fail; returns the method-level error. */
export async function fails(server: TestServer, name: string, args: object, opts?: As): Promise<MethodErrorBody> {
  const [answered, res] = await server.call(name, args, opts);
  expect(answered, JSON.stringify(res)).toBe('error');
  return res as MethodErrorBody;
}

/** Runs one /set and returns its response arguments; fails the test on a method-level error. */
export function set(server: TestServer, type: string, args: object, opts?: As): Promise<SetResponse> {
  return answer<SetResponse>(server, `${type}/set`, args, opts);
}

/** Creates one record and returns its id; fails the test when the create fails. */
export async function create(server: TestServer, type: string, value: object, opts?: As): Promise<string> {
  const res = await set(server, type, { create: { n: value } }, opts);
  expect(res.notCreated, JSON.stringify(res.notCreated)).toBeNull();
  return res.created!.n.id;
}

/** Reads records by id (or all when ids is null). */
export function get(server: TestServer, type: string, ids: string[] | null, extra: object = {}, opts?: As): Promise<GetResponse> {
  return answer<GetResponse>(server, `${type}/get`, { ids, ...extra }, opts);
}

export async function getOne(server: TestServer, type: string, id: string): Promise<JmapRecord | undefined> {
  const res = await get(server, type, [id]);
  return res.list[0];
}

export function query(server: TestServer, type: string, args: object = {}, opts?: As): Promise<QueryResponse> {
  return answer<QueryResponse>(server, `${type}/query`, args, opts);
}

export function changes(server: TestServer, type: string, args: object): Promise<ChangesResponse> {
  return answer<ChangesResponse>(server, `${type}/changes`, args);
}

export function queryChanges(server: TestServer, type: string, args: object): Promise<QueryChangesResponse> {
  return answer<QueryChangesResponse>(server, `${type}/queryChanges`, args);
}

export async function state(server: TestServer, type: string): Promise<string> {
  const res = await get(server, type, [], {});
  return res.state;
}

/** The raw stored row of a record, read through the server's store (the SQLite file). */
export function stored(server: TestServer, type: string, id: string): Obj | null {
  return server.store.get(type, id);
}

/** All stored records of a type, straight from SQLite, to prove that nothing changed. */
export function snapshot(server: TestServer, type: string): string {
  const rows = server.store.db.prepare('SELECT id, data FROM records WHERE type = ? ORDER BY id').all(type);
  return JSON.stringify(rows);
}

/**
 * An x:Account/set create value for a user without a domain (it signs in by name): a
 * Password credential and, given role ids, Custom roles (else the built-in User role).
 */
export function userAccount(name: string, password: string | null, roleIds?: string[], extra: Obj = {}): Obj {
  return {
    '@type': 'User',
    name,
    ...(password === null ? {} : { credentials: { 0: { '@type': 'Password', secret: password } } }),
    ...(roleIds ? { roles: { '@type': 'Custom', roleIds: Object.fromEntries(roleIds.map((r) => [r, true])) } } : {}),
    ...extra,
  };
}

/** A role with these permissions and a user having only that role. Returns the user's credentials. */
export async function makeUser(
  server: TestServer,
  permissions: string[],
  extra: { roleIds?: string[]; disabled?: string[] } = {},
): Promise<{ user: string; password: string; accountId: string; roleId: string }> {
  const roleId = await create(server, 'x:Role', {
    description: uniq('role for user '),
    enabledPermissions: Object.fromEntries(permissions.map((p) => [p, true])),
    disabledPermissions: Object.fromEntries((extra.disabled ?? []).map((p) => [p, true])),
    roleIds: Object.fromEntries((extra.roleIds ?? []).map((r) => [r, true])),
  });
  const user = uniq('user');
  const password = `pw-${user}-secret`;
  const accountId = await create(server, 'x:Account', userAccount(user, password, [roleId]));
  return { user, password, accountId, roleId };
}

/** What GET /api/account answers. */
export interface AccountInfo {
  name: string;
  accountId: string;
  permissions: string[];
  edition: string;
  locale: string;
}

/** GET /api/account as a user. */
export async function account(server: TestServer, user: string, password: string): Promise<AccountInfo> {
  const res = await server.raw('/api/account', { user, password });
  expect(res.status).toBe(200);
  return (await res.json()) as AccountInfo;
}

/**
 * A parsed response body: a JMAP response or an RFC 7807 problem. Its members are only
 * what one of those may carry; `{}` when the body was not a JSON object.
 */
export interface PostedBody {
  methodResponses?: Invocation[];
  type?: string;
  status?: number;
  detail?: string;
  limit?: string;
}

/** POST a raw body to a path and return status, content type and parsed JSON (or text). */
export async function post(server: TestServer, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await server.raw(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', json: parseBody(text), text };
}

function parseBody(text: string): PostedBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? (parsed as PostedBody) : {};
  } catch {
    return {};
  }
}
