// One render helper for component tests: a page inside the providers the app shell sets
// up (query cache, router, console context, JMAP client, form registry, notices), against
// a JMAP handler the test writes. Use it in files that start with `// @vitest-environment jsdom`.

import { render, type RenderResult } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import type { SchemaDocument } from '../../shared/schema/types';
import { consoleFor } from '../app/console';
import { completeRegistry, RegistrationContext, RegistryContext, type Registration } from '../forms/registry';
import { defaultWidgets } from '../forms/widgets';
import { JmapClient } from '../jmap/client';
import { ClientContext } from '../jmap/context';
import { Toaster } from '../lib/toast';
import { ConsoleContext } from '../schema/context';

/** Answers one method call: `[name, args]` → the response arguments, or throws a method error. */
export type JmapHandler = (name: string, args: Record<string, unknown>) => Record<string, unknown>;

export interface RenderOptions {
  doc: SchemaDocument;
  /** Defaults to every permission the schema names. */
  permissions?: string[];
  /** Where the router starts (path and query). */
  url?: string;
  jmap?: JmapHandler;
  /** Defaults to the default widgets and no panels. */
  /** What the app shell would register (panels, swapped widgets); forms add the default widgets. */
  registration?: Registration;
  /** Wraps the page, e.g. in another provider. */
  wrap?: (page: ReactElement) => ReactElement;
}

export interface Rendered extends RenderResult {
  /** Every method call the page sent, in order. */
  calls: { name: string; args: Record<string, unknown> }[];
  /** The router's current location (`pathname + search`). */
  location: () => string;
  queryClient: QueryClient;
}

const SESSION = {
  capabilities: { 'urn:ietf:params:jmap:core': { maxCallsInRequest: 64, maxObjectsInGet: 1000, maxObjectsInSet: 1000 } },
  accounts: { a: { name: 'admin', isPersonal: true, isReadOnly: false, accountCapabilities: { 'urn:stalwart:jmap': {} } } },
  primaryAccounts: { 'urn:stalwart:jmap': 'a' },
  username: 'admin',
  apiUrl: 'http://localhost/jmap/',
  state: 's0',
};

/**
 * Resolves `#arg` result references (RFC 8620 §3.7) against earlier responses of the
 * same request, so a handler sees plain arguments (`ids`, not `#ids`). Paths are plain
 * JSON pointers, which is all the console sends.
 */
function resolveReferences(args: Record<string, unknown>, earlier: [string, Record<string, unknown>, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (!key.startsWith('#') || !value || typeof value !== 'object') {
      out[key] = value;
      continue;
    }
    const ref = value as { resultOf: string; path: string };
    const source = earlier.find(([, , id]) => id === ref.resultOf)?.[1];
    out[key.slice(1)] = ref.path.split('/').slice(1).reduce<unknown>((v, step) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[step] : undefined), source);
  }
  return out;
}

function fakeFetch(handler: JmapHandler, calls: Rendered['calls']): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    if (url.endsWith('/.well-known/jmap') || url.endsWith('/jmap/session')) return Response.json(SESSION);
    if (url.endsWith('/jmap/') && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { methodCalls: [string, Record<string, unknown>, string][] };
      const responses: [string, Record<string, unknown>, string][] = [];
      for (const [name, raw, id] of body.methodCalls) {
        const args = resolveReferences(raw, responses);
        calls.push({ name, args });
        try {
          responses.push([name, handler(name, args), id]);
        } catch (e) {
          responses.push(['error', { type: 'serverFail', description: (e as Error).message }, id]);
        }
      }
      return Response.json({ methodResponses: responses, sessionState: SESSION.state });
    }
    return new Response('not found', { status: 404 });
  };
}

function allPermissions(doc: SchemaDocument): string[] {
  return (doc.enums.Permission ?? []).map((p) => p.name).concat(
    Object.values(doc.objects).flatMap((o) =>
      o.permissionPrefix ? ['Get', 'Query', 'Create', 'Update', 'Destroy'].map((v) => `${o.permissionPrefix}${v}`) : [],
    ),
  );
}

export function renderWithConsole(page: ReactElement, options: RenderOptions): Rendered {
  const calls: Rendered['calls'] = [];
  const handler: JmapHandler = options.jmap ?? ((name) => {
    throw new Error(`unexpected call ${name}`);
  });
  const client = new JmapClient({ authorization: () => 'Bearer test', fetch: fakeFetch(handler, calls), origin: 'http://localhost' });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const consoleValue = consoleFor(options.doc, new Set(options.permissions ?? allPermissions(options.doc)));
  const registration = options.registration ?? {};
  // Widgets rendered outside a form (in widget tests) find the same registry a form would build.
  const registry = completeRegistry(registration, defaultWidgets);
  let current = options.url ?? '/';
  function Where() {
    const l = useLocation();
    current = l.pathname + l.search;
    return null;
  }
  const inner = options.wrap ? options.wrap(page) : page;
  const result = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[options.url ?? '/']}>
        <ClientContext.Provider value={client}>
          <ConsoleContext.Provider value={consoleValue}>
            <RegistrationContext.Provider value={registration}>
              <RegistryContext.Provider value={registry}>
                <Where />
                {inner}
                <Toaster />
              </RegistryContext.Provider>
            </RegistrationContext.Provider>
          </ConsoleContext.Provider>
        </ClientContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return Object.assign(result, { calls, location: () => current, queryClient });
}
