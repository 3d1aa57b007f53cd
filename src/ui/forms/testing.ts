// For component tests only: a JMAP server in memory for one object type that keeps a
// state and honours ifInState (stateMismatch, /changes), so a test can play "someone else
// saved first" and "the connection dropped" against the real client.

import { JmapClient } from '../jmap/client';
import type { JmapRecord } from '../jmap/types';

type Call = [string, Record<string, unknown>, string];

export interface MemoryServer {
  client: JmapClient;
  records: Map<string, JmapRecord>;
  /** Every method call, in order, with its arguments. */
  calls: Call[];
  /** Someone else's save: changes the record and moves the state on. */
  change: (id: string, values: Record<string, unknown>) => void;
  /** While true, every request fails as fetch does without a connection. */
  down: boolean;
}

/** Applies a JMAP patch (RFC 8620 §5.3: top-level names or `set/member` pointers). */
function applyPatch(record: JmapRecord, patch: Record<string, unknown>) {
  for (const [path, v] of Object.entries(patch)) {
    const [name, member] = path.split('/');
    if (member === undefined) record[name] = v;
    else {
      const set = { ...(record[name] as Record<string, unknown>) };
      if (v === null) delete set[member];
      else set[member] = v;
      record[name] = set;
    }
  }
}

export function memoryServer(objectName: string, initial: JmapRecord[]): MemoryServer {
  const server: MemoryServer = { client: undefined as unknown as JmapClient, records: new Map(initial.map((r) => [r.id, { ...r }])), calls: [], change, down: false };
  let state = 1;
  const log: { state: number; id: string }[] = [];
  function change(id: string, values: Record<string, unknown>) {
    Object.assign(server.records.get(id)!, values);
    log.push({ state: ++state, id });
  }
  function answer([name, args, callId]: Call): Call {
    server.calls.push([name, args, callId]);
    if (name === `${objectName}/get`) {
      const ids = (args.ids as string[] | null) ?? [...server.records.keys()];
      return [name, { state: `s${state}`, list: ids.flatMap((id) => (server.records.has(id) ? [{ ...server.records.get(id)! }] : [])), notFound: ids.filter((id) => !server.records.has(id)) }, callId];
    }
    if (name === `${objectName}/changes`) {
      const since = Number(String(args.sinceState).slice(1));
      const updated = [...new Set(log.filter((c) => c.state > since).map((c) => c.id))];
      return [name, { oldState: args.sinceState, newState: `s${state}`, hasMoreChanges: false, created: [], updated, destroyed: [] }, callId];
    }
    if (name === `${objectName}/set`) {
      if (args.ifInState && args.ifInState !== `s${state}`) return ['error', { type: 'stateMismatch' }, callId];
      const oldState = `s${state}`;
      const updated: Record<string, null> = {};
      for (const [id, patch] of Object.entries((args.update as Record<string, Record<string, unknown>>) ?? {})) {
        applyPatch(server.records.get(id)!, patch);
        log.push({ state: ++state, id });
        updated[id] = null;
      }
      return [name, { oldState, newState: `s${state}`, updated }, callId];
    }
    return ['error', { type: 'unknownMethod' }, callId];
  }
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (server.down) throw new TypeError('Failed to fetch');
    if (String(input).endsWith('/jmap/session')) {
      return Response.json({
        apiUrl: 'http://localhost/jmap/', accounts: { a: { name: 'admin' } }, primaryAccounts: { 'urn:stalwart:jmap': 'a' },
        capabilities: { 'urn:ietf:params:jmap:core': { maxCallsInRequest: 16, maxObjectsInGet: 500, maxObjectsInSet: 500 } }, state: 'x',
      });
    }
    const { methodCalls } = JSON.parse(String(init?.body)) as { methodCalls: Call[] };
    return Response.json({ methodResponses: methodCalls.map(answer), sessionState: 'x' });
  };
  server.client = new JmapClient({ authorization: () => 'Bearer test', fetch, origin: 'http://localhost' });
  return server;
}
