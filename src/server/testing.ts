// Starts a real server on a free port with a fresh data directory, for tests and benchmarks.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type Running } from './app';
import type { Config } from './config';

export const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'];
export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestServer extends Running {
  dataDir: string;
  /** POST a JMAP request as `user` (default admin); returns status and parsed body. */
  api(methodCalls: unknown[], opts?: { user?: string; password?: string; using?: string[]; createdIds?: object }): Promise<any>;
  /** One call; returns its [name, args] response. */
  call(name: string, args: object, opts?: { user?: string; password?: string }): Promise<[string, any]>;
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
    return { status: res.status, ...(await res.json()) };
  };
  return {
    ...running,
    dataDir: dir,
    raw,
    api,
    async call(name, args, opts) {
      const r = await api([[name, args, 'c']], opts);
      const [n, a] = r.methodResponses[0];
      return [n, a];
    },
    async restart() {
      await running.close();
      return startTestServer(dir, overrides);
    },
  };
}
