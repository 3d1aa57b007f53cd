// Small helpers shared by the server's integration tests (src/server/*.test.ts).
// Everything goes through the real HTTP API of a server started by startTestServer().

import { expect } from 'vitest';
import type { TestServer } from './testing';

type Obj = Record<string, any>;

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

/** Runs one /set and returns its response arguments; fails the test on a method-level error. */
export async function set(server: TestServer, type: string, args: Obj, opts?: { user?: string; password?: string }): Promise<Obj> {
  const [name, res] = await server.call(`${type}/set`, args, opts);
  expect(name, JSON.stringify(res)).toBe(`${type}/set`);
  return res;
}

/** Creates one record and returns its id; fails the test when the create fails. */
export async function create(server: TestServer, type: string, value: Obj, opts?: { user?: string; password?: string }): Promise<string> {
  const res = await set(server, type, { create: { n: value } }, opts);
  expect(res.notCreated, JSON.stringify(res.notCreated)).toBeNull();
  return res.created.n.id as string;
}

/** Reads records by id (or all when ids is null). */
export async function get(server: TestServer, type: string, ids: string[] | null, extra: Obj = {}): Promise<Obj> {
  const [name, res] = await server.call(`${type}/get`, { ids, ...extra });
  expect(name, JSON.stringify(res)).toBe(`${type}/get`);
  return res;
}

export async function getOne(server: TestServer, type: string, id: string): Promise<Obj | undefined> {
  const res = await get(server, type, [id]);
  return res.list[0];
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
  const accountId = await create(server, 'x:Account', { '@type': 'User', name: user, password, roles: { [roleId]: true } });
  return { user, password, accountId, roleId };
}

/** GET /api/account as a user. */
export async function account(server: TestServer, user: string, password: string): Promise<Obj> {
  const res = await server.raw('/api/account', { user, password });
  expect(res.status).toBe(200);
  return res.json();
}

/** POST a raw body to a path and return status, content type and parsed JSON (or text). */
export async function post(server: TestServer, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await server.raw(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', json, text };
}
