// A /set dry run ("validateOnly": true) leaves no trace outside the rolled-back transaction
// either: no background refresh of the accounts' quota values scheduled (objects/quotaRefresh.ts),
// no activity entry remembered for an apply hook to forget.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_META, refreshSettled } from '../objects/quotaRefresh';
import { startTestServer, USING, type SetResponse, type TestServer } from '../testing';
import { create, uniq } from '../testkit';
import { VALIDATE_CAPABILITY } from './dryRun';

let server: TestServer;
let domainId: string;

beforeAll(async () => {
  server = await startTestServer();
  domainId = await create(server, 'x:Domain', { name: `${uniq('trace')}.test` });
  await create(server, 'x:Account', { '@type': 'User', name: uniq('q'), domainId });
  await refreshSettled(server.store);
});
afterAll(() => server.close());

async function dryRun(type: string, args: object): Promise<SetResponse> {
  const r = await server.api([[`${type}/set`, { ...args, validateOnly: true }, 'c']], { using: [...USING, VALIDATE_CAPABILITY] });
  const [name, res] = r.methodResponses[0];
  expect(name, JSON.stringify(res)).toBe(`${type}/set`);
  return res as SetResponse;
}

describe('a dry run schedules nothing', () => {
  it('changing the global or a domain\u2019s default quotas schedules no refresh of the accounts', async () => {
    // A marker the refresh would overwrite ('' once it is done): it stays only if no refresh ran.
    const marker = JSON.stringify({ all: false, domains: [] });
    server.store.setMeta(REFRESH_META, marker);
    const global = await dryRun('x:Email', { update: { singleton: { maxMessages: 12345 } } });
    expect(global.updated).toEqual({ singleton: null });
    const domain = await dryRun('x:Domain', { update: { [domainId]: { quotas: { maxEmails: 77 } } } });
    expect(domain.updated).toEqual({ [domainId]: null });
    await new Promise((r) => setTimeout(r, 50));
    await refreshSettled(server.store);
    expect(server.store.getMeta(REFRESH_META)).toBe(marker);
  });
});

describe('a dry run writes nothing', () => {
  it('a singleton never used before is checked against its defaults, and still does not exist afterwards', async () => {
    expect(server.store.get('x:ActivityLog', 'singleton')).toBeNull();
    const before = server.store.state('x:ActivityLog');
    const ok = await dryRun('x:ActivityLog', { update: { singleton: { retention: 2 * 24 * 3600_000 } } });
    expect(ok).toMatchObject({ updated: { singleton: null }, oldState: before, newState: before });
    const bad = await dryRun('x:ActivityLog', { update: { singleton: { retention: 5 } } });
    expect(bad.notUpdated?.singleton?.properties).toEqual(['retention']);
    expect(server.store.get('x:ActivityLog', 'singleton')).toBeNull();
    expect(server.store.state('x:ActivityLog')).toBe(before);
  });
});
