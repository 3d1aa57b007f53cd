// Seed 002 › HealthCheck on the WebAdmin listener, with Postern's own Dovecot: every
// component reported, IMAP and LMTP healthy while the IMAP service runs; stopping it turns
// both unhealthy (500, with the cause) and starting it turns them back; the same records
// over JMAP as x:HealthCheck. Skipped only without Dovecot.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../testkit';
import type { GetResponse } from '../testing';
import { mailStoreMissing, startMailWebAdminTest, type MailWebAdminTest } from './mailTesting';
import { expectError } from './testing';

const missing = await mailStoreMissing();
const SLOW = 90_000;

type Check = { componentName: string; escapedComponentName: string; status: string; cause: string | null };

describe.skipIf(!!missing)(`health checks${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: MailWebAdminTest;

  beforeAll(async () => {
    t = await startMailWebAdminTest();
  }, SLOW);
  afterAll(() => t?.close());

  const component = async (name: string) => t.call('GET', `/healthcheck/checks/${encodeURIComponent(name)}`);

  it('curl -XGET http://ip:port/healthcheck: every component, 200 only when all are healthy', async () => {
    const r = await t.curl('curl -XGET http://ip:port/healthcheck');
    const body = r.json as { status: string; checks: Check[] };
    expect(body.checks.map((c) => c.componentName)).toEqual(['Store', 'IMAP', 'SMTP', 'LMTP delivery', 'Disk space', 'Task manager']);
    for (const c of body.checks) {
      expect(Object.keys(c)).toEqual(['componentName', 'escapedComponentName', 'status', 'cause']);
      expect(c.escapedComponentName).toBe(encodeURIComponent(c.componentName));
      expect(['HEALTHY', 'DEGRADED', 'UNHEALTHY']).toContain(c.status);
      expect(c.cause === null).toBe(c.status === 'HEALTHY');
    }
    const allHealthy = body.checks.every((c) => c.status === 'HEALTHY');
    expect(r.status).toBe(allHealthy ? 200 : 500);
    expect(body.status).toBe(allHealthy ? 'HEALTHY' : body.checks.some((c) => c.status === 'UNHEALTHY') ? 'UNHEALTHY' : 'DEGRADED');
    // SMTP (Postfix) is not started by this test: the aggregate says so.
    const smtp = body.checks.find((c) => c.componentName === 'SMTP')!;
    expect(smtp.status).not.toBe('HEALTHY');
    expect(r.status).toBe(500);
  });

  it('curl -XGET …/checks/Cassandra%20Backend: 404, Postern has no such component', async () => {
    expectError(await t.curl('curl -XGET http://ip:port/healthcheck/checks/Cassandra%20Backend'), 404, 'notFound', /"Store", "IMAP", "SMTP", "LMTP delivery"/);
  });

  it('one component by its name or its id: 200 while healthy', async () => {
    for (const name of ['IMAP', 'imap', 'LMTP delivery', 'Store', 'Task manager']) {
      const r = await component(name);
      expect(r.status, `${name}: ${JSON.stringify(r.json)}`).toBe(200);
      expect((r.json as Check).status).toBe('HEALTHY');
    }
    expect((await component('LMTP delivery')).json).toEqual({ componentName: 'LMTP delivery', escapedComponentName: 'LMTP%20delivery', status: 'HEALTHY', cause: null });
  });

  it('stopping IMAP makes IMAP and LMTP unhealthy (500, with the cause); starting it makes them healthy again', async () => {
    expect((await t.imap('stop')).state).toBe('done');
    const imap = await component('IMAP');
    expect(imap.status).toBe(500);
    expect(imap.json).toMatchObject({ componentName: 'IMAP', status: 'UNHEALTHY', cause: 'The IMAP service is stopped' });
    expect(await component('LMTP delivery')).toMatchObject({ status: 500, json: { status: 'UNHEALTHY', cause: expect.stringMatching(/LMTP is served by the IMAP service/) } });
    const [, got] = await t.server.call('x:HealthCheck/get', { ids: ['imap'] });
    expect((got as GetResponse).list[0]).toMatchObject({ id: 'imap', status: 'unhealthy', remedy: expect.stringMatching(/Start it in Settings/) });
    expect((await t.curl('curl -XGET http://ip:port/healthcheck')).status).toBe(500);

    expect((await t.imap('start')).state).toBe('done');
    expect(await component('IMAP')).toMatchObject({ status: 200, json: { status: 'HEALTHY', cause: null } });
    expect(await component('LMTP delivery')).toMatchObject({ status: 200, json: { status: 'HEALTHY' } });
  }, SLOW);

  it('x:HealthCheck over JMAP: read-only, one record per component, filtered by status', async () => {
    const all = await answer<GetResponse>(t.server, 'x:HealthCheck/get', { ids: null });
    expect(all.list.map((r) => r.id).sort()).toEqual(['disk', 'imap', 'lmtp', 'smtp', 'store', 'tasks']);
    const bad = await answer<{ ids: string[] }>(t.server, 'x:HealthCheck/query', { filter: { status: 'unhealthy' } });
    expect(bad.ids).toContain('smtp');
    const [name, res] = await t.server.call('x:HealthCheck/set', { update: { imap: { status: 'healthy' } } });
    expect(name === 'error' || Object.keys((res as { notUpdated?: object }).notUpdated ?? {}).length === 1).toBe(true);
  });
});
