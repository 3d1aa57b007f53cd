// One request cannot hold the event loop: members are counted before parsing, and past the
// work budget the rest of a request's calls are refused with a precise error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { COST_US, countMembers, MAX_MEMBERS, WORK_BUDGET_US, WorkMeter } from './cost';
import { ProblemError } from './errors';
import { parseRequest } from './api';
import { LIMITS } from './context';

/** Members of a parsed value, the slow way: the oracle for the count without parsing. */
const membersOf = (v: unknown): number =>
  Array.isArray(v) ? v.reduce((n: number, x) => n + membersOf(x), 0)
  : v && typeof v === 'object' ? Object.values(v).reduce((n: number, x) => n + 1 + membersOf(x), 0)
  : 0;

describe('countMembers', () => {
  const cases: [string, number][] = [
    ['{}', 0],
    ['{"a":1,"b":{"c":[1,2,{"d":null}]}}', 4],
    ['{"a:b":"c:d"}', 1],
    ['{"a":"quote \\" then : colon","b":2}', 2],
    ['{"a":"ends in a backslash \\\\","b":":"}', 2],
    ['{"a":"\\\\\\":"}', 1],
    ['[1, 2, "x:y"]', 0],
  ];
  for (const [text, n] of cases) {
    it(`counts ${n} in ${text}`, () => {
      expect(membersOf(JSON.parse(text))).toBe(n);
      expect(countMembers(text, 100)).toBe(n);
    });
  }

  it('stops past the bound', () => {
    expect(countMembers('{"a":1,"b":2,"c":3}', 2)).toBeNull();
  });

  it('refuses a request with too many members before parsing it, naming the limit', () => {
    const body = JSON.stringify({ using: [], methodCalls: [['Core/echo', Object.fromEntries(Array.from({ length: MAX_MEMBERS }, (_, i) => [`k${i}`, 1])), 'e']] });
    let thrown: unknown;
    try {
      parseRequest(body, LIMITS);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    expect((thrown as ProblemError).body()).toMatchObject({ type: 'urn:ietf:params:jmap:error:limit', limit: 'maxMembersInRequest', status: 400 });
  });
});

describe('WorkMeter', () => {
  it('always runs the first call, then refuses calls past the budget and every one after', () => {
    const meter = new WorkMeter(0);
    const ids = Array.from({ length: 1000 }, (_, i) => `id${i}`);
    const list = ids.map((id) => ({ id }));
    meter.admit('x:Role/set', { create: Object.fromEntries(ids.map((id) => [id, {}])) }); // 40 ms estimated: the first call runs
    meter.charge('x:Role/set', { created: Object.fromEntries(ids.map((id) => [id, {}])) }, 0);
    meter.admit('x:Role/get', { ids }); // 4 ms more still fits
    meter.charge('x:Role/get', { list }, 0);
    expect(() => meter.admit('x:Role/set', { destroy: ids.slice(0, 200) })).toThrow(/this call and the rest were not run/);
    // A small call after a refused one is refused too: "the rest" means the rest.
    expect(() => meter.admit('Core/echo', {})).toThrow(/ms of work/);
  });

  it('counts members and scanned rows', () => {
    const meter = new WorkMeter(WORK_BUDGET_US / COST_US.member - 1);
    meter.admit('Core/echo', {});
    meter.charge('Core/echo', {}, 0);
    meter.admit('x:Role/query', {});
    meter.charge('x:Role/query', { ids: [] }, 100);
    expect(() => meter.admit('x:Role/query', {})).toThrow();
  });
});

describe('a large request against the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers a 200,000-key Core/echo with a limit error, fast', async () => {
    const args = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`key${i}`, 'value']));
    const started = performance.now();
    const res = await server.raw('/jmap/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ using: ['urn:ietf:params:jmap:core'], methodCalls: [['Core/echo', args, 'e']] }),
    });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'urn:ietf:params:jmap:error:limit', limit: 'maxMembersInRequest' });
    expect(elapsed).toBeLessThan(1000);
  });

  it('runs a request up to its budget and refuses the rest of its calls', async () => {
    const create = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`c${i}`, { address: `10.200.${i >> 8}.${i & 255}` }]));
    const calls: unknown[] = [
      ['x:AllowedIp/set', { create }, 's'],
      ['x:AllowedIp/query', { filter: { address: '10.200.' }, limit: 1000 }, 'q'],
    ];
    for (let i = 0; i < 20; i++) calls.push(['x:AllowedIp/get', { '#ids': { resultOf: 'q', name: 'x:AllowedIp/query', path: '/ids' } }, `g${i}`]);
    const r = await server.api(calls);
    expect(r.status).toBe(200);
    const [first, q, ...rest] = r.methodResponses;
    expect(Object.keys(first[1].created as object)).toHaveLength(1000);
    expect(q[1].ids).toHaveLength(1000);
    const ran = rest.filter(([name]) => name === 'x:AllowedIp/get');
    const refused = rest.filter(([name, a]) => name === 'error' && a.type === 'requestTooLarge' && a.limit === 'workPerRequest');
    expect(ran.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(ran.length + refused.length).toBe(20);
    // Refused calls come last: a request is cut, never holed.
    expect(rest.findIndex(([name]) => name === 'error')).toBe(ran.length);
  });
});
