// `npx tsx bench/mixed-load.ts`: many Basic-authenticated clients at once on a mix of list
// pages, role reads and writes, against the targets of issue 16 (p99 ≤ 100 ms, 0 errors,
// every acknowledged write kept).
//
// Postern runs from its sources in a child process on a fresh DATA_DIR; the clients run
// here, each with its own keep-alive connection to 127.0.0.1, in a closed loop (the next
// request as soon as the reply is read), bounded in time and in count.
//
// Options: --seconds N (60), --clients N (50), --users N (10), --records N (10000),
// --role-writes (half of the writes update an x:Role description), --keep-data.

import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  address,
  basicAuth,
  cpuSeconds,
  envelope,
  freePort,
  keepAliveAgent,
  percentile,
  request,
  responses,
  startPosternChild,
  waitForHttp,
  type Child,
  type MethodArgs,
  type Target,
} from './lib';

const TARGET = { p99Ms: 100, errors: 0 };
const PAGE = 50;
const ADMIN_PASSWORD = 'bench-admin-password';
/** Request count bound on top of the time bound. */
const MAX_REQUESTS = 2_000_000;
/** Permissions of every bench user: what the mix needs, nothing else. */
const PERMISSIONS = ['sysAllowedIpGet', 'sysAllowedIpQuery', 'sysAllowedIpCreate', 'sysAllowedIpDestroy', 'sysRoleGet', 'sysRoleUpdate'];

interface Options {
  seconds: number;
  clients: number;
  users: number;
  records: number;
  roleWrites: boolean;
  keepData: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { seconds: 60, clients: 50, users: 10, records: 10_000, roleWrites: false, keepData: false };
  const bounded = (name: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} takes a whole number from ${min} to ${max}, not ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') o.seconds = bounded('seconds', argv[++i], 1, 600);
    else if (a === '--clients') o.clients = bounded('clients', argv[++i], 1, 200);
    else if (a === '--users') o.users = bounded('users', argv[++i], 1, 100);
    else if (a === '--records') o.records = bounded('records', argv[++i], 0, 200_000);
    else if (a === '--role-writes') o.roleWrites = true;
    else if (a === '--keep-data') o.keepData = true;
    else throw new Error(`Unknown option ${a} (known: --seconds N, --clients N, --users N, --records N, --role-writes, --keep-data)`);
  }
  o.users = Math.min(o.users, o.clients);
  return o;
}

/** A small seeded generator (mulberry32), so that every run sends the same mix. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'page' | 'roleGet' | 'ipCreate' | 'ipDestroy' | 'roleUpdate';
const KINDS: Kind[] = ['page', 'roleGet', 'ipCreate', 'ipDestroy', 'roleUpdate'];

/** What one client did: latencies by kind, errors, and the writes the server acknowledged. */
interface ClientLog {
  latencies: Record<Kind, number[]>;
  errors: number;
  created: Map<string, string>;
  destroyed: Set<string>;
  /** The last acknowledged description of the client's own role. */
  roleDescription?: string;
}

const BY_ADDRESS = [{ property: 'address', isAscending: true }];
const TEXT_FILTER = { address: '10.1.' };

function pageCall(random: () => number, totals: { all: number; filtered: number }): { body: string; filtered: boolean } {
  const shape = random();
  const filtered = shape >= 0.8;
  const sorted = shape >= 0.4 && shape < 0.8 ? true : filtered && random() < 0.5;
  const total = filtered ? totals.filtered : totals.all;
  const position = Math.floor(random() * Math.max(1, total - PAGE + 1));
  const query = { ...(filtered ? { filter: TEXT_FILTER } : {}), ...(sorted ? { sort: BY_ADDRESS } : {}), position, limit: PAGE, calculateTotal: true };
  return {
    filtered,
    body: envelope([
      ['x:AllowedIp/query', query, 'q'],
      ['x:AllowedIp/get', { '#ids': { resultOf: 'q', name: 'x:AllowedIp/query', path: '/ids' } }, 'g'],
    ]),
  };
}

function one(r: MethodArgs | undefined, what: string): MethodArgs {
  if (!r) throw new Error(`no response to ${what}`);
  return r;
}

/** The closed loop of client `c` until `end` (or the shared request bound). */
async function runClient(c: number, target: Target, roleId: string, o: Options, end: number, count: { n: number }): Promise<ClientLog> {
  const random = rng(1000 + c);
  const agent: http.Agent = keepAliveAgent(1);
  const log: ClientLog = { latencies: { page: [], roleGet: [], ipCreate: [], ipDestroy: [], roleUpdate: [] }, errors: 0, created: new Map(), destroyed: new Set() };
  const live: string[] = [];
  const totals = { all: o.records, filtered: 0 };
  let serial = 0;
  try {
    while (performance.now() < end && count.n++ < MAX_REQUESTS) {
      const pick = random();
      let kind: Kind;
      if (pick < 0.7) kind = 'page';
      else if (pick < 0.9) kind = 'roleGet';
      else if (o.roleWrites && random() < 0.5) kind = 'roleUpdate';
      else kind = live.length > 0 && random() < 0.5 ? 'ipDestroy' : 'ipCreate';
      let body: string;
      let check: (r: [string, MethodArgs, string][]) => void;
      if (kind === 'page') {
        const page = pageCall(random, totals);
        body = page.body;
        check = (r) => {
          const q = one(r[0]?.[1], 'query'), g = one(r[1]?.[1], 'get');
          if (typeof q.total !== 'number' || q.ids.length !== g.list.length) throw new Error(`page: total ${q.total}, ${q.ids.length} ids, ${g.list.length} records`);
          if (page.filtered) totals.filtered = q.total;
          else totals.all = q.total;
        };
      } else if (kind === 'roleGet') {
        body = envelope([['x:Role/get', { ids: null }, 'r']]);
        check = (r) => {
          if (!one(r[0]?.[1], 'x:Role/get').list.some((x) => x.id === roleId)) throw new Error('x:Role/get lacks the client role');
        };
      } else if (kind === 'ipCreate') {
        // 11.0.0.0/8 is not seeded; each client has its own /16 there.
        const addr = `11.${c}.${(serial >> 8) & 255}.${serial & 255}`;
        serial++;
        body = envelope([['x:AllowedIp/set', { create: { n: { address: addr, reason: `client ${c}` } } }, 's']]);
        check = (r) => {
          const id = one(r[0]?.[1], 'set').created?.n?.id;
          if (typeof id !== 'string') throw new Error(`not created: ${JSON.stringify(r[0]?.[1].notCreated)}`);
          log.created.set(id, addr);
          live.push(id);
        };
      } else if (kind === 'ipDestroy') {
        const id = live.splice(Math.floor(random() * live.length), 1)[0];
        body = envelope([['x:AllowedIp/set', { destroy: [id] }, 's']]);
        check = (r) => {
          if (!one(r[0]?.[1], 'set').destroyed?.includes(id)) throw new Error(`not destroyed: ${JSON.stringify(r[0]?.[1].notDestroyed)}`);
          log.destroyed.add(id);
        };
      } else {
        const description = `Bench client ${c} #${serial++}`;
        body = envelope([['x:Role/set', { update: { [roleId]: { description } } }, 's']]);
        check = (r) => {
          if (!one(r[0]?.[1], 'set').updated || !(roleId in one(r[0]?.[1], 'set').updated!)) throw new Error(`not updated: ${JSON.stringify(r[0]?.[1].notUpdated)}`);
          log.roleDescription = description;
        };
      }
      const start = performance.now();
      try {
        check(responses(await request(agent, target, body)));
        log.latencies[kind].push(performance.now() - start);
      } catch (e) {
        log.errors++;
        if (log.errors <= 3) console.error(`  ! client ${c}, ${kind}: ${(e as Error).message.slice(0, 300)}`);
      }
    }
  } finally {
    agent.destroy();
  }
  return log;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (Number.isNaN(n) ? '–' : `${fmt(n, n < 10 ? 2 : 1)} ms`);

async function main() {
  const o = parseOptions(process.argv.slice(2));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-mixed-'));
  console.log(`Postern mixed load — ${os.cpus().length} CPUs, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  console.log(
    `${o.clients} clients (Basic, ${o.users} users), ${o.seconds} s, ${fmt(o.records)} x:AllowedIp; mix 70% list pages, 20% x:Role/get, 10% writes` +
      (o.roleWrites ? ' (half of them x:Role description updates)' : ' (x:AllowedIp create/destroy)'),
  );
  let child: Child | null = null;
  // Bounded in time whatever the server does: a stalled run ends with a message, not never.
  const watchdog = setTimeout(() => {
    console.error(`bench failed: no end ${o.seconds + 180} s after the start`);
    void child?.stop('SIGKILL').then(() => process.exit(1));
  }, (o.seconds + 180) * 1000);
  watchdog.unref();
  try {
    const port = await freePort();
    child = startPosternChild(dataDir, port, ADMIN_PASSWORD);
    await waitForHttp(port, '/healthz', child, performance.now());
    const admin: Target = { port, method: 'POST', path: '/jmap/', headers: { Authorization: basicAuth('admin', ADMIN_PASSWORD), 'Content-Type': 'application/json' } };
    const adminAgent = keepAliveAgent(1);
    const call = async (methodCalls: unknown[]) => responses(await request(adminAgent, admin, envelope(methodCalls)));

    // Seed: the records, one role per client, and users each holding the roles of their clients.
    for (let from = 0; from < o.records; from += 1000) {
      const create: Record<string, object> = {};
      for (let i = from; i < Math.min(o.records, from + 1000); i++) create[`a${i}`] = { address: address(i), reason: `seed ${i}` };
      const [[, res]] = await call([['x:AllowedIp/set', { create }, 's']]);
      if (res.notCreated) throw new Error(`seed not created: ${JSON.stringify(res.notCreated).slice(0, 300)}`);
    }
    const enabledPermissions = Object.fromEntries(PERMISSIONS.map((p) => [p, true]));
    const roleCreate = Object.fromEntries(Array.from({ length: o.clients }, (_, c) => [`r${c}`, { description: `Bench client ${c}`, enabledPermissions }]));
    const [[, roles]] = await call([['x:Role/set', { create: roleCreate }, 's']]);
    const roleIds = Array.from({ length: o.clients }, (_, c) => String(roles.created?.[`r${c}`]?.id));
    const passwords = Array.from({ length: o.users }, (_, u) => `bench-user-${u}-password`);
    const userCreate = Object.fromEntries(
      passwords.map((password, u) => [
        `u${u}`,
        {
          '@type': 'User',
          name: `bench${u}`,
          credentials: { 0: { '@type': 'Password', secret: password } },
          roles: { '@type': 'Custom', roleIds: Object.fromEntries(roleIds.filter((_, c) => c % o.users === u).map((id) => [id, true])) },
        },
      ]),
    );
    const [[, users]] = await call([['x:Account/set', { create: userCreate }, 's']]);
    if (users.notCreated || roles.notCreated) throw new Error(`seed users/roles: ${JSON.stringify(users.notCreated ?? roles.notCreated)}`);
    const targets = Array.from({ length: o.clients }, (_, c): Target => ({
      ...admin,
      headers: { Authorization: basicAuth(`bench${c % o.users}`, passwords[c % o.users]), 'Content-Type': 'application/json' },
    }));
    // Each client signs in once before the clock starts: the figures are the steady state.
    await Promise.all(targets.map(async (t) => responses(await request(adminAgent, t, envelope([['x:Role/get', { ids: [] }, 'w']])))));
    console.log(`Seeded ${fmt(o.records)} records, ${o.clients} roles, ${o.users} users. Running…`);

    const cpu0 = cpuSeconds(child.pid);
    const started = performance.now();
    const count = { n: 0 };
    const logs = await Promise.all(targets.map((t, c) => runClient(c, t, roleIds[c], o, started + o.seconds * 1000, count)));
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = cpuSeconds(child.pid);

    // Every acknowledged create is there with its address; every acknowledged destroy is gone.
    const kept = new Map<string, string>();
    const gone = new Set<string>();
    for (const l of logs) {
      for (const [id, addr] of l.created) if (!l.destroyed.has(id)) kept.set(id, addr);
      for (const id of l.destroyed) gone.add(id);
    }
    let lost = 0, resurrected = 0, wrongRoles = 0;
    const ids = [...kept.keys(), ...gone];
    for (let i = 0; i < ids.length; i += 1000) {
      const [[, got]] = await call([['x:AllowedIp/get', { ids: ids.slice(i, i + 1000), properties: ['address'] }, 'g']]);
      const found = new Map(got.list.map((r) => [String(r.id), String(r.address)]));
      for (const id of ids.slice(i, i + 1000)) {
        if (kept.has(id) && found.get(id) !== kept.get(id)) lost++;
        if (gone.has(id) && found.has(id)) resurrected++;
      }
    }
    const [[, roleNow]] = await call([['x:Role/get', { ids: roleIds, properties: ['description'] }, 'g']]);
    const descriptions = new Map(roleNow.list.map((r) => [String(r.id), String(r.description)]));
    logs.forEach((l, c) => {
      if (l.roleDescription !== undefined && descriptions.get(roleIds[c]) !== l.roleDescription) wrongRoles++;
    });
    const [[, totalNow]] = await call([['x:AllowedIp/query', { limit: 0, calculateTotal: true }, 'q']]);
    adminAgent.destroy();

    const all = logs.flatMap((l) => KINDS.flatMap((k) => l.latencies[k]));
    const errors = logs.reduce((a, l) => a + l.errors, 0);
    const p99 = percentile(all, 99);
    const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
    console.log();
    console.log(`Throughput   ${fmt(all.length / seconds)} req/s  (${fmt(all.length)} answered in ${fmt(seconds, 1)} s; server CPU ${cpu0 !== null && cpu1 !== null ? `${fmt(((cpu1 - cpu0) / seconds) * 100)}%` : '?'})`);
    console.log(`Latency      p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, p99 ${ms(p99)}, max ${ms(all.reduce((a, b) => Math.max(a, b), 0))}   target p99 ≤ ${TARGET.p99Ms} ms  ${ok(p99 <= TARGET.p99Ms)}`);
    for (const k of KINDS) {
      const l = logs.flatMap((x) => x.latencies[k]);
      if (l.length) console.log(`  ${k.padEnd(11)} n=${String(l.length).padEnd(7)} p50 ${ms(percentile(l, 50)).padStart(9)}  p95 ${ms(percentile(l, 95)).padStart(9)}  p99 ${ms(percentile(l, 99)).padStart(9)}`);
    }
    console.log(`Errors       ${errors}   target ${TARGET.errors}  ${ok(errors === TARGET.errors)}`);
    const acked = kept.size + gone.size + logs.filter((l) => l.roleDescription !== undefined).length;
    const durable = lost === 0 && resurrected === 0 && wrongRoles === 0;
    console.log(
      `Writes       ${fmt(kept.size)} creates kept, ${fmt(gone.size)} destroys` +
        `${o.roleWrites ? `, ${logs.filter((l) => l.roleDescription !== undefined).length} roles updated` : ''}: ` +
        `${lost} lost, ${resurrected} destroyed but present, ${wrongRoles} roles with another description   target all ${fmt(acked)} kept  ${ok(durable)}`,
    );
    const expectedTotal = o.records + kept.size;
    if (errors === 0) console.log(`Total        ${fmt(totalNow.total ?? NaN)} x:AllowedIp (expected ${fmt(expectedTotal)})  ${ok(totalNow.total === expectedTotal)}`);
  } finally {
    await child?.stop('SIGTERM');
    if (o.keepData) console.log(`Data kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : e}`);
  process.exit(1);
});
