// Starts a real server on a free port with a fresh data directory, for tests and benchmarks.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type Running } from './app';
import type { SetError } from '../shared/jmap/errors';
import type { Config } from './config';

export const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'];
export const ADMIN_PASSWORD = 'test-admin-password';

export type Obj = Record<string, unknown>;
export type Invocation = [name: string, args: Obj, callId: string];

/**
 * Response arguments of the generic methods (RFC 8620 §5), as the tests read them. Type
 * aliases rather than interfaces, so that a call's arguments (`Obj`) can be read as one.
 */
export type JmapRecord = { id: string } & Obj;

export type GetResponse = {
  accountId: string;
  state: string;
  list: JmapRecord[];
  notFound: string[];
};

/** The maps are null when empty (RFC 8620 §5.3). */
export type SetResponse = {
  accountId: string;
  oldState: string;
  newState: string;
  created: Record<string, JmapRecord> | null;
  updated: Record<string, null> | null;
  destroyed: string[] | null;
  notCreated: Record<string, SetError> | null;
  notUpdated: Record<string, SetError> | null;
  notDestroyed: Record<string, SetError> | null;
};

export type QueryResponse = {
  accountId: string;
  queryState: string;
  canCalculateChanges: boolean;
  position: number;
  ids: string[];
  total?: number;
  limit?: number;
};

export type ChangesResponse = {
  accountId: string;
  oldState: string;
  newState: string;
  hasMoreChanges: boolean;
  created: string[];
  updated: string[];
  destroyed: string[];
};

export type QueryChangesResponse = {
  accountId: string;
  oldQueryState: string;
  newQueryState: string;
  total?: number;
  removed: string[];
  added: { id: string; index: number }[];
};

/** A method-level error (RFC 8620 §3.6.2). */
export type MethodErrorBody = {
  type: string;
  description?: string;
  properties?: string[];
  arguments?: string[];
  limit?: string;
};

/** The response of a method by its name; other methods answer a plain object. */
export type ResponseTo<N extends string> =
  N extends `${string}/queryChanges` ? QueryChangesResponse
  : N extends `${string}/changes` ? ChangesResponse
  : N extends `${string}/query` ? QueryResponse
  : N extends `${string}/get` ? GetResponse
  : N extends `${string}/set` ? SetResponse
  : Obj;

/**
 * What one call answers, read as its method's response. A call that failed is named
 * `error` and carries only the error's members: tests check the name before trusting the rest.
 */
export type Answer<N extends string> = ResponseTo<N> & Partial<MethodErrorBody>;

/** The answer to a JMAP request (RFC 8620 §3.4), with the HTTP status beside it. */
export interface ApiResponse {
  status: number;
  methodResponses: Invocation[];
  sessionState: string;
  createdIds?: Record<string, string>;
}

export interface TestServer extends Running {
  dataDir: string;
  /** POST a JMAP request as `user` (default admin); returns status and parsed body. */
  api(methodCalls: unknown[], opts?: { user?: string; password?: string; using?: string[]; createdIds?: object }): Promise<ApiResponse>;
  /** One call; returns its [name, args] response (`error` and its body when it failed). */
  call<N extends string>(name: N, args: object, opts?: { user?: string; password?: string }): Promise<[string, Answer<N>]>;
  raw(path: string, init?: RequestInit & { user?: string; password?: string }): Promise<Response>;
  restart(): Promise<TestServer>;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function startTestServer(dataDir?: string, overrides: Partial<Config> = {}): Promise<TestServer> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'postern-test-'));
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    adminPassword: ADMIN_PASSWORD,
    staticDir: path.join(dir, 'no-console'),
    nodeName: 'test-node',
    nodeRole: 'default',
    quiet: true,
    ...overrides,
  });
  const raw: TestServer['raw'] = (p, init = {}) => {
    const { user = 'admin', password = ADMIN_PASSWORD, headers, ...rest } = init;
    return fetch(running.url + p, { ...rest, headers: { Authorization: basic(user, password), ...(headers as object) } });
  };
  const api: TestServer['api'] = async (methodCalls, opts = {}) => {
    const res = await raw('/jmap/', {
      method: 'POST',
      user: opts.user,
      password: opts.password,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ using: opts.using ?? USING, methodCalls, ...(opts.createdIds ? { createdIds: opts.createdIds } : {}) }),
    });
    return { status: res.status, ...((await res.json()) as Omit<ApiResponse, 'status'>) };
  };
  return {
    ...running,
    dataDir: dir,
    raw,
    api,
    async call<N extends string>(name: N, args: object, opts?: { user?: string; password?: string }): Promise<[string, Answer<N>]> {
      const r = await api([[name, args, 'c']], opts);
      const [n, a] = r.methodResponses[0];
      return [n, a as Answer<N>];
    },
    async restart() {
      await running.close();
      return startTestServer(dir, overrides);
    },
  };
}
