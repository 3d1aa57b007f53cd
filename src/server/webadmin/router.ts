// Routes of the WebAdmin API: a method and a path pattern (`:name` segments), and the
// handler that answers. Path segments are percent-decoded one by one, so an encoded `/`
// stays inside its segment (and is refused by the name rules, as seed 002 says).

import type { Calls } from './calls';
import { invalid, WebAdminError } from './errors';

export interface Reply {
  status: number;
  /** JSON body; none for 204. */
  body?: unknown;
  /** Sent as they are instead of JSON (a message/rfc822 download). */
  raw?: { type: string; data: Buffer };
  /** Extra response headers (Location of a created task). */
  headers?: Record<string, string>;
}

export interface RouteRequest {
  params: Record<string, string>;
  calls: Calls;
  /** The URL's query parameters (`?limit=…`). */
  query: URLSearchParams;
  /** The request's headers (Accept, …). */
  headers: Record<string, string | string[] | undefined>;
  /** The request body as text (bounded). */
  body(): Promise<string>;
  /** Aborted when the client goes away before the answer is written (a long await stops). */
  signal: AbortSignal;
}

export type Method = 'GET' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';

export interface Route {
  method: Method;
  path: string;
  handler: (r: RouteRequest) => Reply | Promise<Reply>;
}

export const noContent = (): Reply => ({ status: 204 });
export const ok = (body: unknown): Reply => ({ status: 200, body });

/** The decoded segments of a path, or an error for a malformed escape. */
export function segments(pathname: string): string[] {
  const raw = pathname.replace(/\/+$/, '').split('/').slice(1);
  return raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw invalid('The path is not valid', `The path segment ${JSON.stringify(s)} is not validly percent-encoded`);
    }
  });
}

function match(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      if (parts[i] === '') return null;
      params[pattern[i].slice(1)] = parts[i];
    } else if (pattern[i] !== parts[i]) return null;
  }
  return params;
}

export class Router {
  private readonly routes: { method: Method; pattern: string[]; handler: Route['handler'] }[];

  constructor(routes: Route[]) {
    this.routes = routes.map((r) => ({ method: r.method, pattern: r.path.split('/').slice(1), handler: r.handler }));
  }

  /** The handler and parameters for a request; HEAD is answered by the GET route. */
  find(method: string, parts: string[]): { handler: Route['handler']; params: Record<string, string> } {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allowed: string[] = [];
    for (const r of this.routes) {
      const params = match(r.pattern, parts);
      if (!params) continue;
      if (r.method === wanted) return { handler: r.handler, params };
      allowed.push(r.method);
    }
    if (allowed.length) throw new WebAdminError(405, 'InvalidArgument', 'Method not allowed', `${method} is not supported on this path; it takes ${[...new Set(allowed)].join(', ')}`);
    throw new WebAdminError(404, 'notFound', 'Not found', `No WebAdmin endpoint at /${parts.join('/')}`);
  }
}
