// Test helpers for the WebAdmin listener: a real server with the listener on a free port,
// API keys made through JMAP, and the seed's curl commands sent as written.

import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { makeUser, set, snapshot } from '../testkit';

export interface WebAdminReply {
  status: number;
  /** Parsed JSON, or null for an empty body. */
  json: unknown;
  contentType: string;
}

export interface WebAdminTest {
  server: TestServer;
  /** The base URL of the WebAdmin listener. */
  base: string;
  adminKey: string;
  /** A request with `Authorization: Bearer <key>` (the admin's by default; null sends none). */
  call(method: string, path: string, opts?: { body?: string; key?: string | null; headers?: Record<string, string> }): Promise<WebAdminReply>;
  /**
   * A seed curl command as written (`curl -XPUT http://ip:port/… -d '…'`), with the
   * Authorization header added and ip:port pointing at the listener.
   */
  curl(command: string, key?: string): Promise<WebAdminReply>;
  /** An API key acting as a new user holding only these permissions. */
  keyWith(permissions: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Creates an API key as `user` (admin by default) and returns its secret. */
export async function apiKey(server: TestServer, opts?: { user?: string; password?: string }): Promise<string> {
  const res = await set(server, 'x:ApiKey', { create: { k: { description: 'webadmin test' } } }, opts);
  expect(res.notCreated, JSON.stringify(res.notCreated)).toBeNull();
  const secret = res.created!.k.secret;
  expect(typeof secret).toBe('string');
  return secret as string;
}

/** `curl -XPUT http://ip:port/path -d '{…}'` → method, path, body. Only the forms seed 002 uses. */
export function parseCurl(command: string): { method: string; path: string; body?: string } {
  // A line the seed continues with `\` is one command.
  const m = /^curl\s+-X\s*(GET|PUT|DELETE|POST|HEAD|PATCH)\s+http:\/\/ip:port(\/\S*)(?:\s+-d\s+'([^']*)')?\s*$/.exec(command.replace(/\s*\\\s*\n\s*/g, ' ').trim());
  if (!m) throw new Error(`Not a seed curl command: ${command}`);
  return { method: m[1], path: m[2], body: m[3] };
}

export async function startWebAdminTest(): Promise<WebAdminTest> {
  const server = await startTestServer(undefined, { webadminPort: 0 });
  expect(server.webadminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const base = server.webadminUrl!;
  const adminKey = await apiKey(server);
  const call: WebAdminTest['call'] = async (method, path, opts = {}) => {
    const key = opts.key === undefined ? adminKey : opts.key;
    const res = await fetch(base + path, {
      method,
      headers: { ...(key !== null ? { Authorization: `Bearer ${key}` } : {}), ...opts.headers },
      ...(opts.body !== undefined ? { body: opts.body } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null, contentType: res.headers.get('content-type') ?? '' };
  };
  return {
    server,
    base,
    adminKey,
    call,
    curl: (command, key) => {
      const { method, path, body } = parseCurl(command);
      // curl -d sends a form content type; the route reads the body as JSON all the same.
      return call(method, path, { key, body, ...(body !== undefined ? { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}) });
    },
    async keyWith(permissions) {
      const u = await makeUser(server, [...permissions, 'sysApiKeyCreate']);
      return apiKey(server, { user: u.user, password: u.password });
    },
    close: () => server.close(),
  };
}

/** The seed's error body: {statusCode, type, message, cause}, with this status and type. */
export function expectError(reply: WebAdminReply, status: number, type: string, cause?: RegExp) {
  expect(reply.status, JSON.stringify(reply.json)).toBe(status);
  expect(reply.contentType).toMatch(/^application\/json/);
  const body = reply.json as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['cause', 'message', 'statusCode', 'type']);
  expect(body.statusCode).toBe(status);
  expect(body.type).toBe(type);
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(0);
  if (cause) expect(String(body.cause)).toMatch(cause);
}

/** Runs `f` and checks that these object types are stored exactly as before. */
export async function unchanged(server: TestServer, types: string[], f: () => Promise<void>) {
  const before = types.map((t) => snapshot(server, t));
  await f();
  expect(types.map((t) => snapshot(server, t))).toEqual(before);
}

