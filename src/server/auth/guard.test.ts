// Allowed and blocked addresses with real effect, from several loopback source addresses.

import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, startTestServer, type JmapRecord, type TestServer } from '../testing';
import { text, userAccount } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** GET /jmap/session from a given loopback address (Linux routes all of 127/8 to lo). */
function sessionFrom(localAddress: string, password: string): Promise<number> {
  const url = new URL(`${server.url}/jmap/session`);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path: url.pathname, localAddress, headers: { Authorization: basic('admin', password) } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on('error', reject);
  });
}

function requestFrom(localAddress: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path, localAddress, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

async function blocks(): Promise<JmapRecord[]> {
  const [, r] = await server.call('x:BlockedIp/get', { ids: null });
  return r.list;
}

describe('authentication failures', () => {
  it('does not forgive guesses at one password when another user signs in from the same address', async () => {
    const [, role] = await server.call('x:Role/set', { create: { r: { description: 'nothing much', enabledPermissions: ['sysTenantGet'] } } });
    await server.call('x:Account/set', {
      create: { u: userAccount('insider', 'insider-Passw0rd', [role.created!.r.id]) },
    });
    const ip = '127.0.0.12';
    const insider = () =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(`${server.url}/api/account`);
        http
          .get({ host: url.hostname, port: url.port, path: url.pathname, localAddress: ip, headers: { Authorization: basic('insider', 'insider-Passw0rd') } }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          })
          .on('error', reject);
      });
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) statuses.push(await sessionFrom(ip, `guess-${round}-${i}`));
      statuses.push(await insider());
    }
    expect(statuses).toContain(403);
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const { clientAddress } = await import('./guard');
    expect(clientAddress('::ffff:127.0.0.5')).toBe('127.0.0.5');
    expect(server.guard.isBlocked('::ffff:127.0.0.6')).toBe(server.guard.isBlocked('127.0.0.6'));
  });

  it('blocks an address after 5 failures, refuses it even with the right password, until unblocked', async () => {
    const ip = '127.0.0.3';
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await sessionFrom(ip, 'wrong'));
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([403, 403]);
    expect(await sessionFrom(ip, ADMIN_PASSWORD)).toBe(403);

    const block = (await blocks()).find((b) => b.address === ip)!;
    expect(block).toMatchObject({ reason: 'authFailure' });
    // The refusal says which block, as JSON for API clients and as a page for browsers.
    const json = await requestFrom(ip, '/jmap/session', { Authorization: basic('admin', ADMIN_PASSWORD) });
    expect(json.status).toBe(403);
    expect(JSON.parse(json.body)).toMatchObject({ address: ip, reason: 'authFailure', expiresAt: block.expiresAt, clientIp: ip });
    const page = await requestFrom(ip, '/settings', { Accept: 'text/html' });
    expect(page.status).toBe(403);
    expect(page.body).toContain(`npm run unblock -- ${ip}`);
    expect(Date.parse(text(block.expiresAt))).toBeGreaterThan(Date.now());

    // Another address is not affected.
    expect(await sessionFrom('127.0.0.9', ADMIN_PASSWORD)).toBe(200);

    const [, r] = await server.call('x:BlockedIp/set', { destroy: [block.id] });
    expect(r.destroyed).toEqual([block.id]);
    expect(await sessionFrom(ip, ADMIN_PASSWORD)).toBe(200);
  });

  it('never blocks an address inside an unexpired allowed mask, and an expired one protects nothing', async () => {
    const [, r] = await server.call('x:AllowedIp/set', {
      create: {
        a: { address: '127.0.0.4', reason: 'monitoring' },
        old: { address: '127.0.0.5', reason: 'expired', expiresAt: '2020-01-01T00:00:00Z' },
      },
    });
    expect(r.notCreated).toBeNull();
    for (let i = 0; i < 8; i++) expect(await sessionFrom('127.0.0.4', 'wrong')).toBe(401);
    expect(await sessionFrom('127.0.0.4', ADMIN_PASSWORD)).toBe(200);
    expect((await blocks()).some((b) => b.address === '127.0.0.4')).toBe(false);

    for (let i = 0; i < 5; i++) await sessionFrom('127.0.0.5', 'wrong');
    expect(await sessionFrom('127.0.0.5', ADMIN_PASSWORD)).toBe(403);
  });

  it('does not let an administrator block the address they are using', async () => {
    const [, r] = await server.call('x:BlockedIp/set', { create: { b: { address: '127.0.0.0/8', reason: 'manual' } } });
    expect(r.notCreated!.b).toMatchObject({ type: 'forbidden', properties: ['address'] });
    expect(r.notCreated!.b.description).toContain('127.0.0.1');
  });

  it('takes a manual block into effect at once', async () => {
    const [, r] = await server.call('x:BlockedIp/set', { create: { b: { address: '127.0.0.6', reason: 'manual' } } });
    expect(r.created!.b.id).toBeTruthy();
    expect(await sessionFrom('127.0.0.6', ADMIN_PASSWORD)).toBe(403);
  });

  it('unblocks from the command line while the server runs', async () => {
    for (let i = 0; i < 5; i++) await sessionFrom('127.0.0.7', 'wrong');
    expect(await sessionFrom('127.0.0.7', ADMIN_PASSWORD)).toBe(403);
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/server/cli.ts', 'unblock', '127.0.0.7'], {
      env: { ...process.env, DATA_DIR: server.dataDir },
    });
    expect(stdout).toContain('Removed the block on 127.0.0.7');
    await expect.poll(() => sessionFrom('127.0.0.7', ADMIN_PASSWORD), { timeout: 5000 }).toBe(200);
  });
});
