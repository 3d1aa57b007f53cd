// The IMAP service end to end through the JMAP API: a real Dovecot started, probed over
// TCP, stopped, re-limited, restarted, killed from outside, and started on boot.
// Skipped only when Dovecot is not installed (.ci/run installs it).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { dovecotDriver } from './dovecot';
import {
  callAs, childrenOf, createAction, firstLine, freePort, getRecords, hold, isAlive, processesUsing, waitFor,
  type ServiceActionRecord, type ServiceRecord, type SetResponse,
} from './testing';

const install = await dovecotDriver({ protocol: 'imap' }).detect();
const doveconf = ['/usr/bin/doveconf', '/usr/sbin/doveconf'].find((f) => fs.existsSync(f)) ?? 'doveconf';

type Obj = Record<string, unknown>;

const services = (server: TestServer) => getRecords<ServiceRecord>(server, 'x:Service', ['imap']);

async function service(server: TestServer): Promise<ServiceRecord> {
  return (await services(server))[0];
}

type Running = ServiceRecord & { pid: number; effectiveConfig: string };

/** The IMAP record of a running daemon: its pid and configuration are there. */
async function running(server: TestServer): Promise<Running> {
  const s = await service(server);
  expect(s.pid).toBeTypeOf('number');
  expect(s.effectiveConfig).toBeTypeOf('string');
  return s as Running;
}

/** Creates an x:ServiceAction and waits for its outcome. */
async function act(server: TestServer, action: string, extra: Obj = {}): Promise<ServiceActionRecord> {
  const r = await createAction(server, { serviceId: 'imap', action, ...extra });
  expect(r.notCreated, JSON.stringify(r.notCreated)).toBeNull();
  const created = r.created!.a;
  expect(created.state).toBe('pending');
  return waitFor(`${action} to finish`, async () => {
    const [a] = await getRecords<ServiceActionRecord>(server, 'x:ServiceAction', [created.id]);
    return a.state === 'done' || a.state === 'failed' ? a : null;
  });
}

async function update(server: TestServer, patch: Obj): Promise<SetResponse> {
  return (await callAs<SetResponse>(server, 'x:Service/set', { update: { imap: patch } }))[1];
}

describe.skipIf(!install.installed)('IMAP service (Dovecot) supervised through JMAP', () => {
  let server: TestServer;
  let port: number;
  let securePort: number;
  /** Every dovecot process seen: masters and their helpers. */
  const pids: number[] = [];
  const seen = (pid: number) => pids.push(pid, ...childrenOf(pid));

  beforeAll(async () => {
    server = await startTestServer();
    port = await freePort();
    securePort = await freePort();
    const r = await update(server, { port, securePort, bindAddress: '127.0.0.1' });
    expect(r.notUpdated).toBeNull();
  });

  afterAll(async () => {
    const configPath = (await service(server)).configPath;
    await server.close();
    // Nothing outlives the server: no master, no helper of any master we saw.
    expect(processesUsing(configPath)).toEqual([]);
    await waitFor('helpers to exit', async () => pids.every((pid) => !isAlive(pid)), 5000);
  });

  it('registers the service with the seed read-outs, stopped', async () => {
    const s = await service(server);
    expect(s).toMatchObject({
      name: 'imap4',
      generalName: 'IMAP',
      software: 'Dovecot',
      status: 'stopped',
      running: false,
      installed: true,
      pid: null,
      ports: { [port]: true, [securePort]: true },
      requiredPermissions: { sysServiceActionCreate: true },
      maxConnections: 40,
      memoryLimit: 256 * 1024 * 1024,
    });
    expect(s.version).toMatch(/^2\./);
    expect(await firstLine(port)).toBe('ECONNREFUSED');
  });

  it('starts through an x:ServiceAction and answers * OK on both ports', async () => {
    const a = await act(server, 'start');
    expect(a.state, a.message ?? '').toBe('done');
    expect(a.isRunning).toBe(true);
    expect(a.finishedAt).toMatch(/Z$/);
    const s = await running(server);
    expect(s).toMatchObject({ status: 'running', running: true, restartRequired: false, lastError: null });
    expect(s.pid).toBeGreaterThan(1);
    seen(s.pid);
    expect(s.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(s.uptime).toBeGreaterThanOrEqual(0);
    expect(s.uptime).toBeLessThan(60_000);
    expect(await firstLine(port)).toMatch(/^\* OK /);
    expect(await firstLine(securePort, { tls: true })).toMatch(/^\* OK /);
    expect(s.effectiveConfig).toContain(`port = ${port}`);
  });

  it('a second start is harmless; status measures the ports', async () => {
    expect((await act(server, 'start')).message).toMatch(/already running/);
    const st = await act(server, 'status');
    expect(st.state).toBe('done');
    expect(st.isRunning).toBe(true);
    expect(st.message).toMatch(new RegExp(`port ${port} answers: \\* OK`));
  });

  it('stops: the port refuses connections', async () => {
    const a = await act(server, 'stop');
    expect(a.state, a.message ?? '').toBe('done');
    expect(a.isRunning).toBe(false);
    expect(await service(server)).toMatchObject({ status: 'stopped', running: false, pid: null, startedAt: null, uptime: null });
    expect(await firstLine(port)).toBe('ECONNREFUSED');
    expect(await firstLine(securePort)).toBe('ECONNREFUSED');
  });

  it('a start that cannot bind fails with Dovecot\'s own reason', async () => {
    const squatter = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      expect((await update(server, { port: taken })).notUpdated).toBeNull();
      const a = await act(server, 'start');
      expect(a.state).toBe('failed');
      expect(a.message).toMatch(/Address already in use/);
      const s = await service(server);
      expect(s).toMatchObject({ status: 'failed', running: false, pid: null });
      expect(s.lastError).toMatch(/exited with code \d+ during start-up/);
    } finally {
      squatter.close();
      await update(server, { port });
    }
  });

  it('validates limits', async () => {
    const r = await update(server, { maxConnections: 0, memoryLimit: 1024, secureMaxConnections: 1.5 });
    expect(r.notUpdated!.imap.type).toBe('validationFailed');
    const props = r.notUpdated!.imap.validationErrors!.map((e) => `${e.property}:${e.type}`).sort();
    expect(props).toEqual(['maxConnections:Min', 'memoryLimit:Min', 'secureMaxConnections:Invalid']);
    const same = await update(server, { securePort: port });
    expect(same.notUpdated!.imap.type).toBe('validationFailed');
    expect(same.notUpdated!.imap.properties).toEqual(['securePort']);
    const ro = await update(server, { installHint: 'changed by a client' });
    expect(ro.notUpdated!.imap).toMatchObject({ type: 'invalidProperties', properties: ['installHint'] });
    expect((await service(server)).maxConnections).toBe(40);
  });

  it('applies a new connection limit on restart: doveconf shows it and Dovecot enforces it', async () => {
    expect((await act(server, 'start')).state).toBe('done');
    seen((await running(server)).pid);
    expect((await update(server, { maxConnections: 2, secureMaxConnections: 3, memoryLimit: 128 * 1024 * 1024 })).notUpdated).toBeNull();
    // Saved, not yet in effect: the page says a restart is due.
    await waitFor('restartRequired', async () => (await service(server)).restartRequired === true, 5000);
    const before = await running(server);
    expect(before.effectiveConfig).not.toMatch(/process_limit = 2\n/);

    const a = await act(server, 'restart');
    expect(a.state, a.message ?? '').toBe('done');
    expect(a.message).toMatch(/stopped \(pid \d+\); started \(pid \d+\)/);
    const s = await running(server);
    seen(s.pid);
    expect(s).toMatchObject({ status: 'running', restartRequired: false });
    expect(s.pid).not.toBe(before.pid);

    // Effective configuration, as Dovecot reads the file the running master was started with.
    const get = (setting: string) => execFileSync(doveconf, ['-c', s.configPath, '-h', setting]).toString().trim();
    expect(get('service/imap-login/process_limit')).toBe('2');
    expect(get('service/imap/process_limit')).toBe('2');
    expect(get('service/imaps-login/process_limit')).toBe('3');
    expect(get('service/imap-login/vsz_limit')).toBe('128 M');
    expect(s.effectiveConfig.split('service imap-login {')[1].split('\nservice ')[0]).toContain('process_limit = 2');

    // Behaviour: a third simultaneous connection pushes one out ("Connection queue full").
    const conns: ReturnType<typeof hold>[] = [];
    for (let i = 0; i < 3; i++) {
      const c = hold(port);
      conns.push(c);
      await waitFor(`greeting ${i}`, async () => c.lines.length > 0 || c.closed, 5000, 20);
    }
    try {
      await waitFor('a connection dropped at the limit', async () => conns.some((c) => c.lines.some((l) => /Connection queue full/.test(l))), 5000);
      expect(conns.filter((c) => !c.closed).length).toBeLessThanOrEqual(2);
      const log = fs.readFileSync(s.logPath, 'utf8');
      expect(log).toMatch(/service\(imap-login\): process_limit \(2\) reached/);
    } finally {
      for (const c of conns) c.close();
    }
  });

  it('a daemon killed from outside shows as stopped within a few seconds, with why', async () => {
    const { pid } = await running(server);
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    const s = await waitFor('status stopped', async () => {
      const x = await service(server);
      return x.status === 'stopped' ? x : null;
    }, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.running).toBe(false);
    expect(s.lastError).toMatch(/killed by signal SIGKILL/);
    await waitFor('port refused', async () => (await firstLine(port)) === 'ECONNREFUSED', 5000);
    // It can be started again right away.
    const a = await act(server, 'start');
    expect(a.state, a.message ?? '').toBe('done');
    seen((await running(server)).pid);
  });

  it('an action for another node fails with a clear message; allNodes reports every node', async () => {
    const other = 'nother1';
    server.store.transaction(() =>
      server.store.insert('x:ClusterNode', other, { nodeId: 99, hostname: 'mx2.example', lastRenewal: '2026-01-01T00:00:00Z', roleId: null, version: '0.1.0', startedAt: '2026-01-01T00:00:00Z' }, []),
    );
    const a = await act(server, 'stop', { nodeId: other });
    expect(a.state).toBe('failed');
    expect(a.message).toMatch(/mx2\.example: not reachable from this server/);
    expect((await service(server)).status).toBe('running');

    const all = await act(server, 'status', { allNodes: true });
    expect(all.state).toBe('failed');
    expect(all.message).toMatch(/test-node: running/);
    expect(all.message).toMatch(/mx2\.example: not reachable/);

    const both = await createAction(server, { serviceId: 'imap', action: 'start', nodeId: other, allNodes: true });
    expect(both.notCreated!.a.type).toBe('validationFailed');
    server.store.transaction(() => server.store.delete('x:ClusterNode', other));
  });

  it('services are not created or destroyed by clients; actions need an existing service', async () => {
    const [n, c] = await callAs<SetResponse>(server, 'x:Service/set', { create: { n: { port: 1430, securePort: 9930 } } });
    expect([n, c.type]).toEqual(['error', 'forbidden']);
    const [m, d] = await callAs<SetResponse>(server, 'x:Service/set', { destroy: ['imap'] });
    expect([m, d.type]).toEqual(['error', 'forbidden']);
    expect(await services(server)).toHaveLength(1);
    const u = await createAction(server, { serviceId: 'nope', action: 'start' });
    expect(u.notCreated!.a.type).toBe('invalidForeignKey');
  });

  it('starts on boot when the server starts', async () => {
    expect((await update(server, { startOnBoot: true })).notUpdated).toBeNull();
    server = await server.restart();
    const s = await waitFor('running after boot', async () => {
      const x = await service(server);
      return x.status === 'running' ? (x as Running) : null;
    }, 15_000);
    seen(s.pid);
    expect(await firstLine(port)).toMatch(/^\* OK /);
  });
});
