// How much of the one event loop a single request may hold: its work is estimated in
// microseconds from what it asks for (members parsed, records read and written, rows
// scanned), and past a budget of about 50 ms the rest of its calls are refused, so one
// client's large request cannot stall everyone else's.

import { MethodError, problem } from './errors';

/**
 * Estimated cost of each unit of work, in µs, measured on a 2-core machine under load
 * (x:AllowedIp over 10,000–55,000 records): parsing, walking, copying and answering one
 * object member ("name": value); reading and answering one record; checking and writing
 * one record; one id of a result; one row an SQL scan visits; one byte of an answer built
 * from result references (measured and serialized).
 */
export const COST_US = { member: 2, recordRead: 4, recordWritten: 40, idListed: 0.5, rowVisited: 0.2, byteReferenced: 0.01 };

/** What a request may spend in all. Its first call always runs: each call is bounded on its own. */
export const WORK_BUDGET_US = 50_000;

/** Object members a request may carry: what parsing and answering them costs fills the budget. */
export const MAX_MEMBERS = Math.floor(WORK_BUDGET_US / COST_US.member);

/**
 * Object members ("name": value pairs) in a JSON text, counted without parsing it; null
 * once past `max`. A member is a colon outside strings; strings are skipped whole.
 */
export function countMembers(text: string, max: number): number | null {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) {
      if (++n > max) return null;
    } else if (c === 34 /* " */) {
      // The closing quote is the first one not escaped by an odd run of backslashes.
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let b = j - 1;
        while (text.charCodeAt(b) === 92 /* \ */) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1) return n; // unterminated: JSON.parse says what is wrong
      i = j;
    }
  }
  return n;
}

/** Refuses a request body with more members than one request may carry (before it is parsed). */
export function checkMembers(body: string): number {
  const n = countMembers(body, MAX_MEMBERS);
  if (n === null) {
    throw problem.limit(
      'maxMembersInRequest',
      `The request has more than ${MAX_MEMBERS} object members ("name": value pairs), more work than one request may ask: split it`,
    );
  }
  return n;
}

type Obj = Record<string, unknown>;

const size = (v: unknown) => (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0);

/** What a call will cost as far as its (resolved) arguments tell. */
function estimate(method: string, args: Obj): number {
  if (method === 'get') return size(args.ids) * COST_US.recordRead;
  if (method === 'set') return (size(args.create) + size(args.update) + size(args.destroy)) * COST_US.recordWritten;
  if (method === 'query') return (typeof args.limit === 'number' && args.limit > 0 ? Math.min(args.limit, 1000) : 0) * COST_US.idListed;
  return 0;
}

/** What a call did, from its answer and the rows its SQL visited. */
function actual(method: string, result: Obj, rowsVisited: number): number {
  let us = rowsVisited * COST_US.rowVisited;
  if (method === 'get') us += size(result.list) * COST_US.recordRead;
  if (method === 'set') us += (size(result.created) + size(result.updated) + size(result.destroyed)) * COST_US.recordWritten;
  if (method === 'query') us += size(result.ids) * COST_US.idListed;
  if (method === 'changes') us += (size(result.created) + size(result.updated) + size(result.destroyed)) * COST_US.idListed;
  if (method === 'queryChanges') us += (size(result.removed) + size(result.added)) * COST_US.idListed;
  return us;
}

/** The work of one request so far. */
export class WorkMeter {
  private used: number;
  private calls = 0;
  private refused = false;

  constructor(members: number) {
    this.used = members * COST_US.member;
  }

  /** Before a call: refuses it when what it asks for would pass the request's budget. */
  admit(name: string, args: Obj): void {
    const method = name.slice(name.lastIndexOf('/') + 1);
    const cost = estimate(method, args);
    if (this.refused || (this.calls > 0 && this.used + cost > WORK_BUDGET_US)) {
      this.refused = true;
      throw new MethodError(
        'requestTooLarge',
        `This request has already done about ${Math.round(this.used / 1000)} ms of work of the ${WORK_BUDGET_US / 1000} ms one request may use; this call and the rest were not run: send them in another request`,
        { limit: 'workPerRequest' },
      );
    }
  }

  /** After a call ran (or failed): what it did, and the bytes of a result built from references. */
  charge(name: string, result: Obj | null, rowsVisited: number, referencedBytes = 0): void {
    this.calls++;
    this.used += actual(name.slice(name.lastIndexOf('/') + 1), result ?? {}, rowsVisited) + referencedBytes * COST_US.byteReferenced;
  }
}
