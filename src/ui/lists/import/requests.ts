// What an import asks the server: record names to ids (/query then /get), the dry run of
// the creates (validateOnly, in batches of maxObjectsInSet), and the creates themselves,
// batch by batch, each outcome known row by row.

import { VALIDATE_CAPABILITY } from '../../../shared/jmap/capabilities';
import type { SchemaDocument } from '../../../shared/schema/types';
import type { JmapClient } from '../../jmap/client';
import { AuthError, HttpError, MethodError, type GetResponse, type SetError, type SetResponse } from '../../jmap/types';
import { labelPropertyOf, resolveView, searchPropertyOf } from '../../schema/resolve';

const norm = (s: string) => s.trim().toLowerCase();

/** What the session allows: records per /set, and whether the server has the dry run. */
export async function importLimits(client: JmapClient): Promise<{ maxObjectsInSet: number; validateOnly: boolean }> {
  const s = await client.session();
  const max = Number(s.capabilities['urn:ietf:params:jmap:core']?.maxObjectsInSet);
  return { maxObjectsInSet: Number.isSafeInteger(max) && max > 0 ? max : 100, validateOnly: VALIDATE_CAPABILITY in s.capabilities };
}

/** Names looked up at once: each is a /query + /get pair, the next wave starts when this one is answered. */
export const LOOKUP_WAVE = 25;
/** Ids asked for in one /get (below any server's maxObjectsInGet the RFC suggests). */
const ID_PAGE = 500;
const ID = /^[A-Za-z0-9_-]{1,255}$/;

/** objectName → lower-cased name → id, for the names wanted (exact matches of each record's label, any case). */
export async function lookUpNames(client: JmapClient, doc: SchemaDocument, wanted: Map<string, Set<string>>): Promise<Map<string, Map<string, string | null>>> {
  const out = new Map<string, Map<string, string | null>>();
  const jobs: (() => Promise<void>)[] = [];
  for (const [name, values] of wanted) {
    const view = resolveView(doc, name);
    const objectName = view?.objectName ?? name;
    const labelProp = labelPropertyOf(doc, name) ?? 'name';
    const searchProp = searchPropertyOf(doc, name) ?? labelProp;
    const found = new Map<string, string | null>();
    out.set(name, found);
    for (const value of values) {
      const filter = { ...(view?.list?.filtersStatic ?? {}), [searchProp]: value.trim() };
      jobs.push(() =>
        client
          .calls([
            [`${objectName}/query`, { filter, limit: 50 }, 'q'],
            [`${objectName}/get`, { '#ids': { resultOf: 'q', name: `${objectName}/query`, path: '/ids' }, properties: [labelProp] }, 'g'],
          ])
          .then(([, g]) => {
            const hit = (g as unknown as GetResponse).list.find((r) => typeof r[labelProp] === 'string' && norm(r[labelProp] as string) === norm(value));
            found.set(norm(value), hit?.id ?? null);
          }),
      );
    }
  }
  // A file naming thousands of records must not open thousands of requests at once.
  for (let i = 0; i < jobs.length; i += LOOKUP_WAVE) await Promise.all(jobs.slice(i, i + LOOKUP_WAVE).map((job) => job()));
  // No record by that name: the cell may hold the record's id, as an export writes references.
  for (const [name, values] of wanted) {
    const objectName = resolveView(doc, name)?.objectName ?? name;
    const found = out.get(name)!;
    // Only what can be an id (RFC 8620 §1.2): a server may refuse the whole call for one that cannot.
    const open = [...new Set([...values].map((v) => v.trim()))].filter((v) => ID.test(v) && found.get(norm(v)) === null);
    for (let i = 0; i < open.length; i += ID_PAGE) {
      try {
        const [g] = await client.calls([[`${objectName}/get`, { ids: open.slice(i, i + ID_PAGE), properties: ['id'] }, 'g']]);
        for (const r of (g as unknown as GetResponse).list) found.set(norm(r.id), r.id);
      } catch (e) {
        // Refused (the server's id syntax is stricter): those cells stay names that were not found.
        if (!(e instanceof MethodError)) throw e;
      }
    }
  }
  return out;
}

export interface Creatable {
  key: string;
  value: Record<string, unknown>;
}

/** The server's verdict on each create, without storing anything: creation key → error (absent: fine). */
export async function dryRun(client: JmapClient, objectName: string, rows: Creatable[], batch: number, onBatch?: (done: number) => void): Promise<Map<string, SetError>> {
  const out = new Map<string, SetError>();
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const r = await client.call<SetResponse>(`${objectName}/set`, { create: Object.fromEntries(chunk.map((c) => [c.key, c.value])), validateOnly: true });
    for (const [k, e] of Object.entries(r.notCreated ?? {})) out.set(k, e);
    onBatch?.(Math.min(rows.length, i + batch));
  }
  return out;
}

export interface ImportOutcome {
  created: Map<string, string>;
  failed: Map<string, SetError>;
  /** Sent in a request whose answer never came (network, server error): created or not, nobody knows. */
  unknown: Set<string>;
  notTried: Set<string>;
  /** Why the import stopped before the end. */
  stopped?: { kind: 'cancelled' } | { kind: 'refused'; error: MethodError } | { kind: 'failed'; error: unknown };
}

/** The error as a refusal when the server refused the request before doing any of it; null when its fate is open. */
export function turnedAway(e: unknown, method: string): MethodError | null {
  if (e instanceof MethodError) return e;
  if (e instanceof HttpError && e.status >= 400 && e.status < 500 && e.status !== 408) return new MethodError(e.problem?.type ?? `http${e.status}`, method, e.message);
  if (e instanceof AuthError) return new MethodError('unauthorized', method, e.message);
  return null;
}

/**
 * Creates the rows in batches of `batch`, asking `cancelled()` before each. A per-request
 * limit the server states per record (`tooLarge`, e.g. how many passwords one request may
 * hash) sends those rows again in the next batch, and later batches no larger than what
 * the server took; when a batch takes none, the refusals stand.
 */
export async function createAll(
  client: JmapClient, objectName: string, rows: Creatable[], batch: number,
  progress: { cancelled: () => boolean; onBatch: (outcome: ImportOutcome) => void },
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { created: new Map(), failed: new Map(), unknown: new Set(), notTried: new Set() };
  const queue = [...rows];
  let size = batch;
  while (queue.length > 0) {
    if (progress.cancelled()) {
      outcome.stopped = { kind: 'cancelled' };
      break;
    }
    const chunk = queue.splice(0, size);
    let r: SetResponse;
    try {
      r = await client.call<SetResponse>(`${objectName}/set`, { create: Object.fromEntries(chunk.map((c) => [c.key, c.value])) });
    } catch (e) {
      // A method error, or the whole request turned away (HTTP 4xx, credentials refused), is the
      // server's answer before it did anything: nothing of this call was done. Anything else leaves it open.
      const refusal = turnedAway(e, `${objectName}/set`);
      if (refusal) {
        for (const c of chunk) outcome.failed.set(c.key, { type: refusal.type, description: refusal.message });
        outcome.stopped = { kind: 'refused', error: refusal };
      } else {
        for (const c of chunk) outcome.unknown.add(c.key);
        outcome.stopped = { kind: 'failed', error: e };
      }
      break;
    }
    const retry: Creatable[] = [];
    let took = 0;
    for (const c of chunk) {
      const made = r.created?.[c.key];
      const refused = r.notCreated?.[c.key];
      if (made) {
        outcome.created.set(c.key, made.id);
        took++;
      } else if (refused?.type === 'tooLarge') retry.push(c);
      else if (refused) outcome.failed.set(c.key, refused);
      else outcome.unknown.add(c.key); // answered, but silent about this row
    }
    if (retry.length > 0 && took > 0) {
      queue.unshift(...retry);
      size = took;
    } else for (const c of retry) outcome.failed.set(c.key, r.notCreated![c.key]);
    progress.onBatch(outcome);
  }
  for (const c of queue) outcome.notTried.add(c.key);
  progress.onBatch(outcome);
  return outcome;
}
