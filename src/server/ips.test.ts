// Allowed and blocked IPs: the computed status (active/expired) is read, filtered and sorted.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('reports, filters and sorts by status', async () => {
  const [, r] = await server.call('x:AllowedIp/set', {
    create: {
      old: { address: '192.0.2.1', expiresAt: '2020-01-01T00:00:00Z' },
      soon: { address: '192.0.2.2', expiresAt: '2099-01-01T00:00:00Z' },
      never: { address: '192.0.2.3' },
    },
  });
  const id = (k: string) => r.created![k].id;
  const [, got] = await server.call('x:AllowedIp/get', { ids: [id('old'), id('soon'), id('never')], properties: ['status'] });
  expect(got.list.map((x) => x.status)).toEqual(['expired', 'active', 'active']);

  const [, expired] = await server.call('x:AllowedIp/query', { filter: { status: 'expired' } });
  expect(expired.ids).toEqual([id('old')]);
  const [, active] = await server.call('x:AllowedIp/query', { filter: { operator: 'NOT', conditions: [{ status: 'expired' }] } });
  expect(active.ids.sort()).toEqual([id('soon'), id('never')].sort());
  const [, sorted] = await server.call('x:AllowedIp/query', { sort: [{ property: 'status', isAscending: false }, { property: 'address' }] });
  expect(sorted.ids).toEqual([id('old'), id('soon'), id('never')]);
  const [name, bad] = await server.call('x:AllowedIp/query', { filter: { status: 'gone' } });
  expect([name, bad.type]).toEqual(['error', 'invalidArguments']);
});
