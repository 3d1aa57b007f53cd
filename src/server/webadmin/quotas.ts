// Seed 002 › Administrating quotas by users, by domains and global, over x:Account.quotas,
// x:Domain.quotas and the x:Email singleton (objects/quotas.ts has the encoding).
// James's values ↔ Postern's: null ↔ key absent (not set, the next level decides),
// -1 ↔ 0 (unlimited), N ↔ N (N ≥ 1; James's 0 has no meaning here and is refused).
//   GET    /quota/users/{u}            {global, domain, user, computed, occupation}
//   PUT    /quota/users/{u}            {"count": …, "size": …}   204
//   GET    /quota/users/{u}/count|size 52, -1 or null (not set)
//   PUT    /quota/users/{u}/count|size 52 or -1                  204
//   DELETE /quota/users/{u}/count|size sets unlimited (-1), as seed 002 says   204
//   GET    /quota/users?minOccupationRatio&maxOccupationRatio&domain&limit&offset
//          [{username, detail}] ordered by username
//   the same for /quota/domains/{d} ({global, domain, computed}) and /quota (global: {count, size}).

import type { Calls, Rec } from './calls';
import { domainName, findDomain } from './domains';
import { invalid, notFound } from './errors';
import { noContent, ok, type Route } from './router';
import { findUser, parseUsername, USER } from './users';
import { parseBody, toJames, type Which, WHICH, KEY } from './quotaValues';

type Obj = Record<string, unknown>;
type Pair = { count: number | null; size: number | null };

const DOMAIN = 'x:Domain';
const ACCOUNT = 'x:Account';
const EMAIL = 'x:Email';
const SINGLETON = 'singleton';
const USER_PROPERTIES = ['name', 'domainId', 'emailAddress', 'quotas', 'usedDiskQuota', 'usedEmails', 'occupationRatioCount', 'occupationRatioSize', 'occupationRatio'];

const mapPair = (quotas: unknown): Pair => {
  const q = (quotas && typeof quotas === 'object' ? quotas : {}) as Obj;
  return { count: toJames(q[KEY.count]), size: toJames(q[KEY.size]) };
};

function globalRecord(calls: Calls): Rec {
  const [g] = calls.getMany(EMAIL, [SINGLETON], ['maxMessages', 'maxDiskQuota']);
  return g ?? { id: SINGLETON };
}
const globalPair = (g: Obj): Pair => ({ count: toJames(g.maxMessages), size: toJames(g.maxDiskQuota) });

/** James's computed value: the first level that sets one (-1 included); null when none does. */
const computed = (...levels: Pair[]): Pair => ({
  count: levels.map((l) => l.count).find((v) => v !== null) ?? null,
  size: levels.map((l) => l.size).find((v) => v !== null) ?? null,
});

function userDetail(user: Rec, domain: Pair, global: Pair): Obj {
  const own = mapPair(user.quotas);
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    global,
    domain,
    user: own,
    computed: computed(own, domain, global),
    occupation: {
      size: n(user.usedDiskQuota),
      count: n(user.usedEmails),
      ratio: { size: n(user.occupationRatioSize), count: n(user.occupationRatioCount), max: n(user.occupationRatio) },
    },
  };
}

/** The user named in the path with its quota properties, or 404. */
function user(calls: Calls, raw: string): Rec {
  const name = parseUsername(raw);
  const domain = name.domain === null ? null : findDomain(calls, name.domain);
  const found = name.domain !== null && !domain ? null : findUser(calls, name.local, domain);
  if (!found) throw notFound(`The user ${raw} does not exist`, null);
  const [rec] = calls.getMany(USER, [found.id], USER_PROPERTIES);
  return rec;
}

function domain(calls: Calls, raw: string): Rec {
  const found = findDomain(calls, domainName(raw));
  if (!found) throw notFound(`The domain ${raw} does not exist`, null);
  const [rec] = calls.getMany(DOMAIN, [found.id], ['name', 'quotas']);
  return rec;
}

const domainPairOf = (calls: Calls, domainId: unknown): Pair => {
  if (typeof domainId !== 'string') return { count: null, size: null };
  const [d] = calls.getMany(DOMAIN, [domainId], ['quotas']);
  return mapPair(d?.quotas);
};

/** A quotas map with James's values for `which` written in (null removes the key). */
function withValues(quotas: unknown, values: Partial<Pair>): Obj {
  const out: Obj = { ...((quotas && typeof quotas === 'object' ? quotas : {}) as Obj) };
  for (const w of WHICH) {
    if (!(w in values)) continue;
    const v = values[w]!;
    if (v === null) delete out[KEY[w]];
    else out[KEY[w]] = v === -1 ? 0 : v;
  }
  return out;
}

const globalPatch = (values: Partial<Pair>): Obj => {
  const out: Obj = {};
  if ('count' in values) out.maxMessages = values.count === null ? null : values.count === -1 ? 0 : values.count;
  if ('size' in values) out.maxDiskQuota = values.size === null ? null : values.size === -1 ? 0 : values.size;
  return out;
};

/** GET, PUT and DELETE of …/count and …/size, and the whole object, for one level. */
function levelRoutes(base: string, level: {
  read(calls: Calls, params: Record<string, string>): Pair;
  whole(calls: Calls, params: Record<string, string>): Obj;
  write(calls: Calls, params: Record<string, string>, values: Partial<Pair>): void;
}): Route[] {
  const routes: Route[] = [
    { method: 'GET', path: base, handler: ({ params, calls }) => ok(level.whole(calls, params)) },
    {
      method: 'PUT',
      path: base,
      handler: async ({ params, calls, body }) => {
        level.read(calls, params); // 404 before 400, as James answers
        level.write(calls, params, parseBody(await body(), 'whole'));
        return noContent();
      },
    },
  ];
  for (const which of WHICH) {
    routes.push(
      { method: 'GET', path: `${base}/${which}`, handler: ({ params, calls }) => ok(level.read(calls, params)[which]) },
      {
        method: 'PUT',
        path: `${base}/${which}`,
        handler: async ({ params, calls, body }) => {
          level.read(calls, params);
          level.write(calls, params, { [which]: parseBody(await body(), which as Which) });
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: `${base}/${which}`,
        handler: ({ params, calls }) => {
          level.read(calls, params);
          level.write(calls, params, { [which]: -1 });
          return noContent();
        },
      },
    );
  }
  return routes;
}

/** `GET /quota/users?…`: the users whose occupation ratio is in range, by username. */
function searchUsers(calls: Calls, query: URLSearchParams): Obj[] {
  const known = ['minOccupationRatio', 'maxOccupationRatio', 'domain', 'limit', 'offset'];
  const unknown = [...query.keys()].filter((k) => !known.includes(k));
  if (unknown.length) throw invalid('Invalid query parameters', `Unknown parameter(s): ${unknown.join(', ')}; this search takes ${known.join(', ')}`);
  const ratio = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const v = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > 1) throw invalid(`Invalid ${name}`, `${name} must be a number from 0 to 1, not ${JSON.stringify(raw)}`);
    return v;
  };
  const whole = (name: string, min: number, fallback: number): number => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < min) throw invalid(`Invalid ${name}`, `${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const min = ratio('minOccupationRatio');
  const max = ratio('maxOccupationRatio');
  if (min !== undefined && max !== undefined && min > max) throw invalid('Invalid occupation ratios', `minOccupationRatio (${min}) is greater than maxOccupationRatio (${max})`);
  const limit = whole('limit', 1, Number.MAX_SAFE_INTEGER);
  const offset = whole('offset', 0, 0);
  const filter: Obj = {};
  if (min !== undefined) filter.occupationRatioIsGreaterThanOrEqual = min;
  if (max !== undefined) filter.occupationRatioIsLessThanOrEqual = max;
  const domainParam = query.get('domain');
  if (domainParam !== null) {
    const d = findDomain(calls, domainName(domainParam));
    if (!d) throw invalid(`Invalid domain`, `The domain ${domainParam} does not exist: give the name of an existing domain, or leave domain out`);
    filter.domainId = d.id;
  }
  // No limit: every match, as James answers; read 1000 at a time.
  const ids: string[] = [];
  for (let want = limit; want > 0;) {
    const page = calls.queryPage(USER, filter, [{ property: 'emailAddress', isAscending: true }], offset + ids.length, Math.min(want, 1000));
    ids.push(...page);
    want -= page.length;
    if (page.length < Math.min(want + page.length, 1000)) break;
  }
  const users = calls.getMany(USER, ids, USER_PROPERTIES);
  const global = globalPair(globalRecord(calls));
  const domains = new Map<string, Pair>();
  return users.map((u) => {
    const key = String(u.domainId ?? '');
    if (!domains.has(key)) domains.set(key, domainPairOf(calls, u.domainId));
    return { username: String(u.emailAddress ?? u.name), detail: userDetail(u, domains.get(key)!, global) };
  });
}

export function quotaRoutes(): Route[] {
  return [
    { method: 'GET', path: '/quota/users', handler: ({ calls, query }) => ok(searchUsers(calls, query)) },
    ...levelRoutes('/quota/users/:user', {
      read: (calls, p) => mapPair(user(calls, p.user).quotas),
      whole: (calls, p) => {
        const u = user(calls, p.user);
        return userDetail(u, domainPairOf(calls, u.domainId), globalPair(globalRecord(calls)));
      },
      write: (calls, p, values) => {
        const u = user(calls, p.user);
        calls.update(ACCOUNT, u.id, { quotas: withValues(u.quotas, values) }, `The quota of ${p.user} cannot be changed`);
      },
    }),
    ...levelRoutes('/quota/domains/:domain', {
      read: (calls, p) => mapPair(domain(calls, p.domain).quotas),
      whole: (calls, p) => {
        const own = mapPair(domain(calls, p.domain).quotas);
        const global = globalPair(globalRecord(calls));
        return { global, domain: own, computed: computed(own, global) };
      },
      write: (calls, p, values) => {
        const d = domain(calls, p.domain);
        calls.update(DOMAIN, d.id, { quotas: withValues(d.quotas, values) }, `The quota of ${p.domain} cannot be changed`);
      },
    }),
    ...levelRoutes('/quota', {
      read: (calls) => globalPair(globalRecord(calls)),
      whole: (calls) => globalPair(globalRecord(calls)),
      write: (calls, _p, values) => calls.update(EMAIL, SINGLETON, globalPatch(values), 'The global quota cannot be changed'),
    }),
  ];
}
