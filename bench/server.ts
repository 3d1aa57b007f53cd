// `npm run bench`: the embedded server's speed against the targets of issue 2.
//
// The servers run in child processes (the bare node:http baseline, then Postern started
// as `node --import tsx src/server/main.ts` on a temporary DATA_DIR); the load
// generator (bench/lib.ts) runs here, with N keep-alive connections on 127.0.0.1.
// Figures are printed beside their targets; nothing is asserted.
//
// Settings (environment): BENCH_CONNECTIONS (8), BENCH_SECONDS (5, per throughput
// run), BENCH_RECORDS (100000), BENCH_KEEP_DATA (set: keep the temporary DATA_DIR).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  address,
  basicAuth,
  envelope,
  freePort,
  keepAliveAgent,
  request,
  latencies,
  load,
  percentile,
  procMemMB,
  responses,
  ROOT,
  startChild,
  startPosternChild,
  waitForHttp,
  type Child,
  type LoadOptions,
  type LoadResult,
  type Reply,
  type Target,
} from './lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PAGE = 50;
const PASSWORD = 'bench-admin-password';
const AUTH = basicAuth('admin', PASSWORD);

const TARGET = { pageMedianMs: 20, roleVsBare: 0.5, rssMB: 200, restartMs: 2000 };

// ---------------------------------------------------------------------------------
// Output

const rows: [string, string, string, string][] = [];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`;
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
function log(s = '') {
  console.log(s);
}
function figure(name: string, value: string, target = '', ok?: boolean) {
  rows.push([name, value, target, ok === undefined ? '' : ok ? 'ok' : 'MISSED']);
}
function describeLoad(r: LoadResult): string {
  const cpu = `client CPU ${fmt(r.clientCpu * 100)}%${r.serverCpu !== null ? `, server CPU ${fmt(r.serverCpu * 100)}%` : ''}`;
  return `${fmt(r.rps)} req/s  (${fmt(r.requests)} in ${fmt(r.seconds, 1)} s, ${CONNECTIONS} conns; p50 ${ms(percentile(r.latencies, 50))}, p95 ${ms(percentile(r.latencies, 95))}; ${cpu}${r.errors ? `; ${r.errors} ERRORS` : ''})`;
}

/** Slices of one run, added up. */
function combine(slices: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => slices.reduce((a, r) => a + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const requests = sum((r) => r.requests);
  return {
    requests,
    errors: sum((r) => r.errors),
    seconds,
    rps: requests / seconds,
    latencies: slices.flatMap((r) => r.latencies),
    clientCpu: sum((r) => r.clientCpu * r.seconds) / seconds,
    serverCpu: slices.every((r) => r.serverCpu !== null) ? sum((r) => r.serverCpu! * r.seconds) / seconds : null,
  };
}

// ---------------------------------------------------------------------------------
// JMAP bodies

interface Shape {
  name: string;
  sort?: unknown;
  filter?: unknown;
  /** Position of the i-th request, given the total. */
  position: (i: number, total: number) => number;
}

/** Pseudo-random page positions, the same in every run. */
function randomPage(i: number, total: number): number {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const x = Math.sin((i + 1) * 12.9898) * 43758.5453;
  return Math.floor((x - Math.floor(x)) * pages) * PAGE;
}

const BY_ADDRESS = [{ property: 'address', isAscending: true }];
const TEXT_FILTER = { address: '10.1.' };

function pageBody(shape: Shape, position: number): string {
  return envelope([
    [
      'x:AllowedIp/query',
      {
        ...(shape.filter ? { filter: shape.filter } : {}),
        ...(shape.sort ? { sort: shape.sort } : {}),
        position,
        limit: PAGE,
        calculateTotal: true,
      },
      'q',
    ],
    ['x:AllowedIp/get', { '#ids': { resultOf: 'q', name: 'x:AllowedIp/query', path: '/ids' } }, 'g'],
  ]);
}

function checkPage(r: Reply, position: number, total: number) {
  const [[qn, q], [gn, g]] = responses(r);
  if (qn !== 'x:AllowedIp/query' || gn !== 'x:AllowedIp/get') throw new Error(`unexpected responses ${qn}, ${gn}`);
  const expected = Math.max(0, Math.min(PAGE, total - position));
  if (q.total !== total || q.ids.length !== expected || g.list.length !== expected) {
    throw new Error(`page at ${position}: total ${q.total} (expected ${total}), ${q.ids.length} ids, ${g.list.length} records (expected ${expected})`);
  }
}

// ---------------------------------------------------------------------------------
// Processes

const children = new Set<Child>();

async function startBare(): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const child = startChild(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(port) }, ROOT);
  children.add(child);
  await waitForHttp(port, '/', child, performance.now());
  return { child, port };
}

/** Postern in a child process; resolves when GET /healthz answers 200. */
async function startPostern(dataDir: string, port: number, viaTsxCli = false) {
  const started = performance.now();
  const child = startPosternChild(dataDir, port, PASSWORD, viaTsxCli);
  children.add(child);
  const readyMs = await waitForHttp(port, '/healthz', child, started);
  return { child, readyMs };
}

async function stop(child: Child) {
  const t = performance.now();
  await child.stop('SIGTERM');
  children.delete(child);
  return performance.now() - t;
}

// ---------------------------------------------------------------------------------

async function main() {
  const t0 = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-'));
  log(`Postern server benchmark — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  log(`${CONNECTIONS} keep-alive connections, ${SECONDS} s per throughput run, ${fmt(RECORDS)} x:AllowedIp records; data in ${dataDir}`);
  log(`Load average at start: ${loadavg()}`);
  if (os.loadavg()[0] > os.cpus().length * 0.5) log('  (other processes are busy on this machine: expect lower, noisier figures)');
  log();

  try {
    // 1 + 2. Bare baseline and x:Role/get, interleaved ---------------------------
    // Both servers stay up and the runs alternate in 1-second slices, so that other
    // load on the machine hits both figures alike.
    log('1. Bare node:http server (child process): reads the body, answers a fixed small JSON');
    const roleGetBody = envelope([['x:Role/get', { ids: null }, 'r']]);
    const bare = await startBare();
    const bareTarget: Target = { port: bare.port, method: 'POST', path: '/jmap/', headers: { Authorization: AUTH, 'Content-Type': 'application/json' } };

    log('2. Postern (child process): first start on an empty DATA_DIR');
    const port = await freePort();
    let server = await startPostern(dataDir, port);
    log(`   ready (GET /healthz 200) after ${ms(server.readyMs)}`);
    const api: Target = { port, method: 'POST', path: '/jmap/', headers: { Authorization: AUTH, 'Content-Type': 'application/json' } };
    const agent = keepAliveAgent(1);
    const call = async (methodCalls: unknown[]) => responses(await request(agent, api, envelope(methodCalls)));

    await call([
      [
        'x:Role/set',
        {
          create: Object.fromEntries(
            ['Postmaster', 'Helpdesk', 'Auditor', 'Operator', 'Reader'].map((d, i) => [
              `r${i}`,
              { description: d, enabledPermissions: { sysRoleGet: true, sysAllowedIpGet: true, sysAllowedIpQuery: true } },
            ]),
          ),
        },
        'c',
      ],
    ]);
    const roles = (await call([['x:Role/get', { ids: null }, 'r']]))[0][1].list.length;
    log(`   x:Role/get with ids null (${roles} roles), Basic auth; alternating 1 s slices with the bare server, ${SECONDS} s each`);
    const bareOpts: LoadOptions = { connections: CONNECTIONS, durationMs: 1000, body: () => roleGetBody, serverPid: bare.child.pid };
    const roleOpts: LoadOptions = {
      connections: CONNECTIONS,
      durationMs: 1000,
      body: () => roleGetBody,
      check: (r) => {
        if (responses(r)[0][1].list.length !== roles) throw new Error('wrong x:Role/get list');
      },
      serverPid: server.child.pid,
    };
    await load(bareTarget, bareOpts); // warm-up of both
    await load(api, roleOpts);
    const bareSlices: LoadResult[] = [];
    const roleSlices: LoadResult[] = [];
    for (let i = 0; i < SECONDS; i++) {
      bareSlices.push(await load(bareTarget, bareOpts));
      roleSlices.push(await load(api, roleOpts));
    }
    const bareRun = combine(bareSlices);
    const roleRun = combine(roleSlices);
    log(`   bare:       ${describeLoad(bareRun)}`);
    log(`   x:Role/get: ${describeLoad(roleRun)}`);
    await stop(bare.child);
    figure('Bare node:http', `${fmt(bareRun.rps)} req/s`, 'baseline');
    const ratio = roleRun.rps / bareRun.rps;
    figure(`x:Role/get (${roles} roles)`, `${fmt(roleRun.rps)} req/s = ${fmt(ratio * 100)}% of bare`, `≥ 50% of bare (${fmt(bareRun.rps * TARGET.roleVsBare)} req/s)`, ratio >= TARGET.roleVsBare);

    // 3. 100,000 x:AllowedIp -------------------------------------------------------
    log(`3. Inserting ${fmt(RECORDS)} x:AllowedIp through x:AllowedIp/set, 1000 per call`);
    const insertStart = performance.now();
    const batchMs: number[] = [];
    for (let from = 0; from < RECORDS; from += 1000) {
      const create: Record<string, object> = {};
      for (let i = from; i < Math.min(RECORDS, from + 1000); i++) create[`a${i}`] = { address: address(i), reason: `bench ${i}` };
      const t = performance.now();
      const [[, res]] = await call([['x:AllowedIp/set', { create }, 's']]);
      batchMs.push(performance.now() - t);
      if (res.notCreated) throw new Error(`not created: ${JSON.stringify(res.notCreated).slice(0, 300)}`);
      if (Object.keys(res.created ?? {}).length !== Object.keys(create).length) throw new Error('short create');
    }
    const insertS = (performance.now() - insertStart) / 1000;
    log(`   ${fmt(insertS, 1)} s = ${fmt(RECORDS / insertS)} records/s; per 1000-record call: p50 ${ms(percentile(batchMs, 50))}, p95 ${ms(percentile(batchMs, 95))}, last ${ms(batchMs[batchMs.length - 1])}`);
    figure(`Insert ${fmt(RECORDS)} (1000/set)`, `${fmt(RECORDS / insertS)} records/s (${fmt(insertS, 1)} s)`, '');

    const totalOf = async (filter?: unknown) =>
      (await call([['x:AllowedIp/query', { ...(filter ? { filter } : {}), limit: 0, calculateTotal: true }, 'q']]))[0][1].total as number;
    const all = await totalOf();
    const filtered = await totalOf(TEXT_FILTER);
    log(`   stored: ${fmt(all)} x:AllowedIp; ${fmt(filtered)} match {"address":"10.1."}`);

    log(`   query (limit ${PAGE}, calculateTotal) + get (#ids) in one request; one connection, sequential:`);
    const shapes: (Shape & { total: number })[] = [
      { name: 'unsorted, first page', position: () => 0, total: all },
      { name: 'unsorted, random pages', position: randomPage, total: all },
      { name: 'by address, first page', sort: BY_ADDRESS, position: () => 0, total: all },
      { name: 'by address, random pages', sort: BY_ADDRESS, position: randomPage, total: all },
      { name: 'by address, last page', sort: BY_ADDRESS, position: (_i, t) => Math.max(0, t - PAGE), total: all },
      { name: 'filter "10.1.", unsorted, random pages', filter: TEXT_FILTER, position: randomPage, total: filtered },
      { name: 'filter "10.1.", by address, random pages', filter: TEXT_FILTER, sort: BY_ADDRESS, position: randomPage, total: filtered },
    ];
    const worst = { median: 0, name: '' };
    for (const s of shapes) {
      const lat = await latencies(api, (i) => pageBody(s, s.position(Math.abs(i) + 7, s.total)), {
        samples: 150,
        maxMs: 4000,
        warmup: 3,
        check: (r, i) => checkPage(r, s.position(i + 7, s.total), s.total),
      });
      const p50 = percentile(lat, 50);
      const p95 = percentile(lat, 95);
      if (p50 > worst.median) Object.assign(worst, { median: p50, name: s.name });
      log(`   - ${s.name.padEnd(42)} p50 ${ms(p50).padStart(9)}  p95 ${ms(p95).padStart(9)}  max ${ms(Math.max(...lat)).padStart(9)}  (n=${lat.length})`);
      figure(`query+get: ${s.name}`, `p50 ${ms(p50)}, p95 ${ms(p95)}`, `p50 ≤ ${TARGET.pageMedianMs} ms`, p50 <= TARGET.pageMedianMs);
    }

    for (const s of [shapes[1], shapes[3]]) {
      const run = await load(api, {
        connections: CONNECTIONS,
        durationMs: SECONDS * 1000,
        warmupMs: 500,
        body: (i) => pageBody(s, s.position(i, s.total)),
        check: (r) => responses(r),
        serverPid: server.child.pid,
      });
      log(`   throughput, ${s.name}: ${describeLoad(run)}`);
      figure(`query+get throughput: ${s.name}`, `${fmt(run.rps)} req/s`, '');
    }

    // 4. Memory --------------------------------------------------------------------
    const rss = procMemMB(server.child.pid, 'VmRSS') ?? NaN;
    const hwm = procMemMB(server.child.pid, 'VmHWM') ?? NaN;
    log(`4. Server RSS with ${fmt(all)} records, after the runs above: ${fmt(rss)} MB (peak ${fmt(hwm)} MB)`);
    agent.destroy();

    // 5. Restart -------------------------------------------------------------------
    log('5. Restart on existing data (SIGTERM, wait for exit, start, until GET /healthz answers 200)');
    const restarts: number[] = [];
    let viaCli = NaN;
    {
      const down = await stop(server.child);
      server = await startPostern(dataDir, port, true);
      viaCli = server.readyMs;
      log(`   via the tsx CLI (as \`npm run serve\`, without npm itself): ${ms(viaCli)} (shutdown took ${ms(down)})`);
    }
    {
      const t = performance.now();
      const bareStart = startChild(process.execPath, ['--import', 'tsx', '-e', '0'], {}, ROOT);
      await new Promise((r) => bareStart.proc.once('exit', r));
      log(`   (for reference, \`node --import tsx -e 0\` alone takes ${ms(performance.now() - t)})`);
    }
    for (let i = 0; i < 3; i++) {
      const down = await stop(server.child);
      server = await startPostern(dataDir, port);
      restarts.push(server.readyMs);
      log(`   node --import tsx src/server/main.ts: ${ms(server.readyMs)} (shutdown took ${ms(down)})`);
    }
    const restartMedian = percentile(restarts, 50);
    figure('Restart on existing data', `${ms(restartMedian)} (median of 3; tsx CLI ${ms(viaCli)})`, `≤ ${fmt(TARGET.restartMs)} ms`, restartMedian <= TARGET.restartMs);

    const rssFresh = procMemMB(server.child.pid, 'VmRSS') ?? NaN;
    const cold = await latencies(api, (i) => pageBody(shapes[3], shapes[3].position(Math.abs(i), all)), { samples: 1, maxMs: 10_000 });
    await new Promise((r) => setTimeout(r, 2000)); // let start-up work that runs in the background finish
    for (const s of shapes) await latencies(api, (i) => pageBody(s, s.position(Math.abs(i), s.total)), { samples: 5, maxMs: 4000 });
    const rssAfter = procMemMB(server.child.pid, 'VmRSS') ?? NaN;
    const hwmAfter = procMemMB(server.child.pid, 'VmHWM') ?? NaN;
    log(`   after restart: RSS ${fmt(rssFresh)} MB when ready; first query+get page ${ms(cold[0])}; RSS ${fmt(rssAfter)} MB (peak ${fmt(hwmAfter)} MB) 2 s later, after 5 pages of each shape`);
    const rssMax = Math.max(rss, rssAfter);
    figure(
      `RSS with ${fmt(all)} records`,
      `${fmt(rssMax)} MB (after the runs ${fmt(rss)}, peak ${fmt(hwm)}; after restart ${fmt(rssAfter)})`,
      `≤ ${TARGET.rssMB} MB`,
      rssMax <= TARGET.rssMB,
    );

    // 6. 50-record /set ------------------------------------------------------------
    log('6. x:AllowedIp/set creating 50 records per call (new addresses in 11.0.0.0/8)');
    let next = 0;
    const setBody = () => {
      const create: Record<string, object> = {};
      for (let k = 0; k < 50; k++, next++) create[`n${k}`] = { address: `11.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`, reason: 'bench' };
      return envelope([['x:AllowedIp/set', { create }, 's']]);
    };
    const checkSet = (r: Reply) => {
      const [[, res]] = responses(r);
      if (res.notCreated || Object.keys(res.created ?? {}).length !== 50) throw new Error(`set failed: ${r.body.slice(0, 300)}`);
    };
    const setLat = await latencies(api, setBody, { samples: 100, maxMs: 4000, warmup: 2, check: checkSet });
    log(`   one connection, sequential: p50 ${ms(percentile(setLat, 50))}, p95 ${ms(percentile(setLat, 95))} per call (n=${setLat.length})`);
    const setRun = await load(api, {
      connections: CONNECTIONS,
      durationMs: SECONDS * 1000,
      warmupMs: 500,
      body: setBody,
      check: checkSet,
      serverPid: server.child.pid,
    });
    log(`   ${describeLoad(setRun)}`);
    figure('x:AllowedIp/set, 50 creates', `${fmt(setRun.rps)} req/s (${fmt(setRun.rps * 50)} records/s); p50 ${ms(percentile(setLat, 50))}/call alone`, '');
    await stop(server.child);

    // Summary ----------------------------------------------------------------------
    log();
    log('Summary (targets from issue 2 "Speed"; measured, not asserted)');
    const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['Figure', 'Measured', 'Target'][c].length));
    const line = (r: string[]) => `  ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`.trimEnd();
    log(line(['Figure', 'Measured', 'Target', '']));
    log(line(['-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '']));
    for (const r of rows) log(line(r));
    log();
    log(`Slowest query shape at the median: ${worst.name} (${ms(worst.median)}). Total run ${fmt((performance.now() - t0) / 1000, 0)} s; load average at the end: ${loadavg()}.`);
  } finally {
    for (const c of children) await c.stop('SIGKILL');
    if (process.env.BENCH_KEEP_DATA) log(`Data kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : e}`);
  process.exit(1);
});
