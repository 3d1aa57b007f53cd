// A list page's state (filters, sort, page) lives in the URL so it can be bookmarked,
// and becomes a JMAP /query filter and sort here.

import type { List, ListFilter } from '../../shared/schema/types';

export const PAGE_SIZE = 50;
/** The most a `size` in the URL may ask for on one page. */
export const MAX_PAGE_SIZE = 500;

export interface Sort { property: string; isAscending: boolean }

export interface ListState {
  /** Filter inputs by key: the field name, or `<field>.after` / `<field>.before` for dates. */
  filters: Record<string, string>;
  sort?: Sort;
  /** Zero-based. */
  page: number;
  /** Records per page when the URL asks for other than PAGE_SIZE (`size=`). */
  size?: number;
}

export type Filter = Record<string, unknown>;

/** The URL keys a filter uses. */
export function filterKeys(f: ListFilter): string[] {
  return f.type === 'date' ? [`${f.field}.after`, `${f.field}.before`] : [f.field];
}

export function parseListState(params: URLSearchParams, list: List | undefined): ListState {
  const filters: Record<string, string> = {};
  for (const f of list?.filters ?? []) {
    for (const key of filterKeys(f)) {
      const v = params.get(`f.${key}`);
      if (v) filters[key] = v;
    }
  }
  const sortProp = params.get('sort');
  const sort = sortProp ? { property: sortProp, isAscending: params.get('dir') !== 'desc' } : list?.sort?.[0];
  const page = Math.max(0, (Number.parseInt(params.get('page') ?? '1', 10) || 1) - 1);
  const size = Number.parseInt(params.get('size') ?? '', 10);
  return { filters, sort, page, ...(size >= 1 && size <= MAX_PAGE_SIZE && size !== PAGE_SIZE ? { size } : {}) };
}

export function serializeListState(state: ListState, list: List | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) params.set(`f.${k}`, v);
  const def = list?.sort?.[0];
  if (state.sort && (state.sort.property !== def?.property || state.sort.isAscending !== def?.isAscending)) {
    params.set('sort', state.sort.property);
    params.set('dir', state.sort.isAscending ? 'asc' : 'desc');
  }
  if (state.page > 0) params.set('page', String(state.page + 1));
  if (state.size && state.size !== PAGE_SIZE) params.set('size', String(state.size));
  return params;
}

export function pageSizeOf(state: ListState): number {
  return state.size ?? PAGE_SIZE;
}

/** A `YYYY-MM-DD` date input as the start of that day in UTC. */
function dayToUtc(day: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : undefined;
}

function nextDay(day: string): string | undefined {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function conditionsOf(f: ListFilter, values: Record<string, string>): Filter[] {
  const v = values[f.field]?.trim();
  switch (f.type) {
    case 'date': {
      const out: Filter[] = [];
      const after = values[`${f.field}.after`] && dayToUtc(values[`${f.field}.after`]);
      const before = values[`${f.field}.before`] && nextDay(values[`${f.field}.before`]);
      if (after) out.push({ [`${f.field}IsGreaterThanOrEqual`]: after });
      if (before) out.push({ [`${f.field}IsLessThan`]: before });
      return out;
    }
    case 'integer': {
      const n = Number(v);
      return v && Number.isFinite(n) ? [{ [f.field]: n }] : [];
    }
    case 'text':
    case 'enum':
    case 'objectId':
      return v ? [{ [f.field]: v }] : [];
    default: {
      const _: never = f;
      return [];
    }
  }
}

/**
 * The /query filter: the list's static condition and every filled filter. Conditions
 * are merged into one object when their properties differ (a real Stalwart server
 * accepts that everywhere), and joined with AND only when they collide.
 */
export function buildFilter(list: List | undefined, values: Record<string, string>): Filter | undefined {
  const conditions: Filter[] = [];
  if (list?.filtersStatic && Object.keys(list.filtersStatic).length > 0) conditions.push(list.filtersStatic);
  for (const f of list?.filters ?? []) conditions.push(...conditionsOf(f, values));
  if (conditions.length === 0) return undefined;
  const merged: Filter = {};
  for (const c of conditions) {
    for (const k of Object.keys(c)) {
      if (k in merged) return { operator: 'AND', conditions };
      merged[k] = c[k];
    }
  }
  return merged;
}
