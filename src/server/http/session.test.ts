// The JMAP session resource (RFC 8620 §2): capabilities, accounts, URLs, state, challenges.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type TestServer } from '../testing';
import { makeUser, post } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('session (RFC 8620 §2)', () => {
  it.each(['/.well-known/jmap', '/jmap/session'])('GET %s is a complete session', async (path) => {
    const res = await server.raw(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const s = await res.json();
    const core = s.capabilities['urn:ietf:params:jmap:core'];
    for (const k of ['maxSizeUpload', 'maxConcurrentUpload', 'maxSizeRequest', 'maxConcurrentRequests', 'maxCallsInRequest', 'maxObjectsInGet', 'maxObjectsInSet']) {
      expect(typeof core[k], k).toBe('number');
    }
    expect(Array.isArray(core.collationAlgorithms)).toBe(true);
    expect(s.capabilities['urn:stalwart:jmap']).toEqual({});
    const id = s.primaryAccounts['urn:stalwart:jmap'];
    expect(typeof id).toBe('string');
    expect(s.accounts[id].accountCapabilities['urn:stalwart:jmap']).toEqual({});
    expect(s.accounts[id].name).toBe('admin');
    expect(typeof s.accounts[id].isPersonal).toBe('boolean');
    expect(typeof s.accounts[id].isReadOnly).toBe('boolean');
    expect(s.username).toBe('admin');
    expect(s.apiUrl).toMatch(/^http:\/\/.+\/jmap\/$/);
    expect(s.eventSourceUrl).toContain('{types}');
    expect(s.eventSourceUrl).toContain('{closeafter}');
    expect(s.eventSourceUrl).toContain('{ping}');
    expect(s.downloadUrl).toContain('{blobId}');
    expect(s.uploadUrl).toContain('{accountId}');
    expect(typeof s.state).toBe('string');
    expect(s.state.length).toBeGreaterThan(0);
  });

  it('the apiUrl of the session accepts requests', async () => {
    const s = await (await server.raw('/jmap/session')).json();
    const path = new URL(s.apiUrl).pathname;
    const r = await post(server, path, JSON.stringify({ using: USING, methodCalls: [['Core/echo', { hello: 1 }, 'c0']] }));
    expect(r.status).toBe(200);
    expect(r.json.methodResponses).toEqual([['Core/echo', { hello: 1 }, 'c0']]);
  });

  it('the sessionState of a response equals the session state', async () => {
    const s = await (await server.raw('/jmap/session')).json();
    const r = await server.api([['Core/echo', {}, 'c']]);
    expect(r.sessionState).toBe(s.state);
  });

  it('a /set that changes the caller\'s own access answers with the new sessionState', async () => {
    const u = await makeUser(server, ['sysRoleGet', 'sysRoleUpdate', 'sysTenantGet']);
    const as = { user: u.user, password: u.password };
    const before = (await (await server.raw('/jmap/session', as)).json()).state;
    const r = await server.api([['x:Role/set', { update: { [u.roleId]: { 'enabledPermissions/sysTenantGet': null } } }, 'c']], as);
    expect(r.methodResponses[0][1].updated).toHaveProperty(u.roleId);
    expect(r.sessionState).not.toBe(before);
    const after = (await (await server.raw('/jmap/session', as)).json()).state;
    expect(r.sessionState).toBe(after);
  });

  it('without credentials the session is a 401 problem with a challenge', async () => {
    const res = await fetch(`${server.url}/jmap/session`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Basic/);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await res.json();
    expect(body.status).toBe(401);
  });

  it('a wrong password is a 401', async () => {
    const res = await server.raw('/jmap/session', { password: 'wrong' });
    expect(res.status).toBe(401);
  });

  it('each user sees their own account in the session', async () => {
    const u = await makeUser(server, ['sysRoleGet']);
    const s = await (await server.raw('/jmap/session', { user: u.user, password: u.password })).json();
    expect(s.primaryAccounts['urn:stalwart:jmap']).toBe(u.accountId);
    expect(s.username).toBe(u.user);
    expect(Object.keys(s.accounts)).toEqual([u.accountId]);
  });
});
