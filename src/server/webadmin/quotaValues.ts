// Seed 002's quota values in request bodies and answers: a positive whole number, -1
// (unlimited) or null (not set; the whole-object form only), and how they map to the
// stored encoding (objects/quotas.ts: key absent = not set, 0 = unlimited).

import { invalid } from './errors';

export type Which = 'count' | 'size';
export const WHICH: Which[] = ['count', 'size'];
/** The x:Account / x:Domain quotas key of each James value (Stalwart's StorageQuota names). */
export const KEY: Record<Which, string> = { count: 'maxEmails', size: 'maxDiskQuota' };

/** A stored value as James shows it: null (not set), -1 (unlimited) or the limit. */
export function toJames(v: unknown): number | null {
  if (typeof v !== 'number') return null;
  return v === 0 ? -1 : v;
}

const BAD = 'The body is not a positive integer neither an unlimited value (-1)';

/** One value of a body, or a 400 naming what is wrong with it. */
function value(v: unknown, where: string, nullable: boolean): number | null {
  if (v === null && nullable) return null;
  const shown = JSON.stringify(v) ?? String(v);
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would show as null.
  if (typeof v === 'number' && !Number.isFinite(v)) throw invalid(BAD, `${where} is too large: it is beyond what a number can hold`);
  if (typeof v !== 'number') {
    throw invalid(BAD, `${where} must be a positive whole number or -1 (unlimited)${nullable ? ', or null (not set)' : ''}, not ${shown}`);
  }
  if (!Number.isInteger(v)) throw invalid(BAD, `${where} must be a whole number, not ${shown}`);
  if (v === 0) throw invalid(BAD, `${where} cannot be 0: give a positive number, or -1 for unlimited`);
  if (v < -1) throw invalid(BAD, `${where} cannot be negative (${shown}); the only negative value is -1, unlimited`);
  if (!Number.isSafeInteger(v)) throw invalid(BAD, `${where} is too large: ${shown}`);
  return v;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(BAD, `The body is not JSON: ${JSON.stringify(text.slice(0, 100))}`);
  }
}

/** The body of a PUT: `{"count": …, "size": …}` for the whole object, or one value. */
export function parseBody(text: string, which: 'whole'): { count?: number | null; size?: number | null };
export function parseBody(text: string, which: Which): number;
export function parseBody(text: string, which: Which | 'whole'): unknown {
  if (which !== 'whole') return value(json(text.trim()), `The ${which} limit`, false);
  const body = json(text);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid(BAD, 'The body must be a JSON object such as {"count":52,"size":42}');
  }
  const extra = Object.keys(body).filter((k) => !(WHICH as string[]).includes(k));
  if (extra.length) throw invalid(BAD, `Unknown properties: ${extra.join(', ')}; the body takes count and size`);
  const out: { count?: number | null; size?: number | null } = {};
  for (const w of WHICH) if (w in body) out[w] = value((body as Record<string, unknown>)[w], w, true);
  return out;
}
