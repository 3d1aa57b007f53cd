// x:ServerInfo through the real API: the Administrator reads the server's version
// (package.json's), edition, Node.js and SQLite, and the daemons' versions as this machine
// reports them (worked out here by running the same tools); nobody writes it, it has no
// /query, and a caller without sysServerInfoGet is refused.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA } from '../objects';
import { startTestServer, type TestServer } from '../testing';
import { fails, get, makeUser } from '../testkit';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/** What a tool prints, or null when the machine does not have it. */
function reported(tool: string, args: string[]): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (!dir || !fs.existsSync(`${dir}/${tool}`)) continue;
    return execFileSync(`${dir}/${tool}`, args, { encoding: 'utf8' }).trim().split(/\s+/)[0];
  }
  return null;
}

describe('x:ServerInfo', () => {
  it('the Administrator reads what runs here', async () => {
    const res = await get(server, 'x:ServerInfo', ['singleton']);
    expect(res.notFound).toEqual([]);
    const info = res.list[0];
    expect(info).toMatchObject({ id: 'singleton', serverName: 'Postern', serverVersion: pkg.version, edition: 'Postern embedded', nodeVersion: process.versions.node });
    expect(info.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(Date.parse(String(info.startedAt))).toBeLessThanOrEqual(Date.now());
    // A fresh probe may take longer than the read waits (a second): then the next read has it.
    let daemons = info.daemons as Record<string, Record<string, unknown>>;
    for (let i = 0; i < 20 && (info.daemonsCheckedAt === null || !Object.keys(daemons).length); i++) {
      await new Promise((r) => setTimeout(r, 250));
      const again = (await get(server, 'x:ServerInfo', ['singleton'])).list[0];
      daemons = again.daemons as typeof daemons;
      info.daemonsCheckedAt = again.daemonsCheckedAt;
    }
    expect(Date.parse(String(info.daemonsCheckedAt))).toBeGreaterThan(0);
    const byKey = Object.fromEntries(Object.values(daemons).map((d) => [d.key, d]));
    expect(Object.keys(byKey).sort()).toEqual(['dovecot', 'ftsXapian', 'pigeonhole', 'postfix']);
    const dovecot = reported('dovecot', ['--version']);
    expect(byKey.dovecot).toMatchObject(dovecot ? { installed: true, version: dovecot } : { installed: false, version: null, installHint: expect.stringMatching(/^apt-get install/) });
    const postfix = reported('postconf', ['-d', '-h', 'mail_version']);
    expect(byKey.postfix).toMatchObject(postfix ? { installed: true, version: postfix } : { installed: false, version: null, installHint: expect.stringMatching(/^apt-get install postfix/) });
  });

  it('is read-only, a singleton without /query, and needs sysServerInfoGet', async () => {
    expect(SCHEMA.objects['x:ServerInfo']).toMatchObject({ type: 'singleton', permissionPrefix: 'sysServerInfo' });
    expect(SCHEMA.enums.Permission.filter((p) => p.name.startsWith('sysServerInfo')).map((p) => p.name)).toEqual(['sysServerInfoGet']);
    for (const args of [{ update: { singleton: { serverVersion: '9.9.9' } } }, { create: { a: {} } }, { destroy: ['singleton'] }]) {
      expect(await fails(server, 'x:ServerInfo/set', args)).toMatchObject({ type: 'forbidden', description: expect.stringMatching(/^x:ServerInfo records are maintained by the server: clients cannot (update|create|destroy) them$/) });
    }
    expect((await get(server, 'x:ServerInfo', ['singleton'])).list[0].serverVersion).toBe(pkg.version);
    expect((await fails(server, 'x:ServerInfo/query', {})).type).toBe('unknownMethod');

    const reader = await makeUser(server, ['sysServerInfoGet']);
    expect((await get(server, 'x:ServerInfo', ['singleton'], {}, { user: reader.user, password: reader.password })).list[0].serverVersion).toBe(pkg.version);
    const other = await makeUser(server, ['sysHealthCheckGet']);
    expect((await fails(server, 'x:ServerInfo/get', { ids: ['singleton'] }, { user: other.user, password: other.password })).type).toBe('forbidden');
  });
});
