// Seed 002 › Administrating DLP configuration on the WebAdmin listener: every curl example as
// written (with the Authorization header; `senderDomain` is the seed's placeholder, so as
// written it names no domain: 404), the same on a real domain, the whole-list replacement,
// and bad input (invalid regular expression, an id used twice, unknown or malformed domain)
// that changes nothing; the same rules through JMAP x:DlpRule/set.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create, set } from '../testkit';
import { expectError, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

let t: WebAdminTest;
let domainId: string;
const TYPES = ['x:DlpRule', 'x:Domain'];

const SEED_RULES = {
  rules: [
    { id: '1', expression: 'james.org', explanation: 'Find senders or recipients containing james[any char]org', targetsSender: true, targetsRecipients: true, targetsContent: false },
    { id: '2', expression: 'Find senders containing apache[any char]org', explanation: 'apache.org', targetsSender: true, targetsRecipients: false, targetsContent: false },
  ],
};
const body = JSON.stringify(SEED_RULES);
/** The seed's command on a real domain. */
const on = (command: string) => command.replace('/senderDomain', '/apache.test');

beforeAll(async () => {
  t = await startWebAdminTest();
  domainId = await create(t.server, 'x:Domain', { name: 'apache.test' });
});
afterAll(() => t.close());

describe('seed 002 curl examples', () => {
  it('as written, senderDomain is no domain here: 404 on every route', async () => {
    await unchanged(t.server, TYPES, async () => {
      expectError(await t.curl('curl -XGET http://ip:port/dlp/rules/senderDomain'), 404, 'notFound', /senderdomain/);
      expectError(await t.curl(`curl -XPUT http://ip:port/dlp/rules/senderDomain -d '${body}'`), 404, 'notFound');
      expectError(await t.curl('curl -XDELETE http://ip:port/dlp/rules/senderDomain'), 404, 'notFound');
      expectError(await t.curl('curl -XGET http://ip:port/dlp/rules/senderDomain/rules/ruleId'), 404, 'notFound');
    });
  });

  it('PUT stores the seed\u2019s list (204); GET answers it; GET …/rules/{ruleId} one rule', async () => {
    expect((await t.curl('curl -XGET http://ip:port/dlp/rules/apache.test')).json).toEqual({ rules: [] });
    const put = await t.curl(on(`curl -XPUT http://ip:port/dlp/rules/senderDomain -d '${body}'`));
    expect(put.status, JSON.stringify(put.json)).toBe(204);
    const got = await t.curl(on('curl -XGET http://ip:port/dlp/rules/senderDomain'));
    expect(got.status).toBe(200);
    expect(got.json).toEqual(SEED_RULES);
    const one = await t.curl(on('curl -XGET http://ip:port/dlp/rules/senderDomain/rules/1'));
    expect(one.json).toEqual(SEED_RULES.rules[0]);
    expectError(await t.curl(on('curl -XGET http://ip:port/dlp/rules/senderDomain/rules/ruleId')), 404, 'notFound', /"ruleId"/);
  });

  it('PUT replaces the whole list: kept ids updated, new ones created, the rest removed', async () => {
    const next = { rules: [{ id: '1', expression: 'jam.s', targetsContent: true }, { id: '3', expression: 'x+y' }] };
    expect((await t.call('PUT', '/dlp/rules/apache.test', { body: JSON.stringify(next) })).status).toBe(204);
    expect((await t.call('GET', '/dlp/rules/apache.test')).json).toEqual({
      rules: [
        { id: '1', expression: 'jam.s', explanation: null, targetsSender: false, targetsRecipients: false, targetsContent: true },
        { id: '3', expression: 'x+y', explanation: null, targetsSender: false, targetsRecipients: false, targetsContent: false },
      ],
    });
  });

  it('DELETE removes every rule of the domain (204)', async () => {
    expect((await t.curl(on('curl -XDELETE http://ip:port/dlp/rules/senderDomain'))).status).toBe(204);
    expect((await t.call('GET', '/dlp/rules/apache.test')).json).toEqual({ rules: [] });
    expect((await t.curl(`curl -XPUT http://ip:port/dlp/rules/apache.test -d '${body}'`)).status).toBe(204);
  });
});

describe('bad input changes nothing', () => {
  const put = (rules: unknown, domain = 'apache.test') => t.call('PUT', `/dlp/rules/${domain}`, { body: typeof rules === 'string' ? rules : JSON.stringify({ rules }) });

  it('an invalid regular expression, a duplicate id, a bad field: 400 naming the item', async () => {
    await unchanged(t.server, TYPES, async () => {
      expectError(await put([{ id: 'a', expression: 'ok' }, { id: 'b', expression: 'broken(' }]), 400, 'InvalidArgument', /rules\[1\]\.expression: not a valid regular expression/);
      expectError(await put([{ id: 'a', expression: '(a+)+$' }, { id: 'b', expression: '(?<=x)y' }]), 400, 'InvalidArgument', /rules\[1\]\.expression/);
      expectError(await put([{ id: 'a', expression: 'x' }, { id: 'a', expression: 'y' }]), 400, 'InvalidArgument', /rules\[1\]\.id: the rule id "a" is used twice/);
      expectError(await put([{ expression: 'x' }]), 400, 'InvalidArgument', /rules\[0\]\.id is mandatory/);
      expectError(await put([{ id: 'a' }]), 400, 'InvalidArgument', /rules\[0\]\.expression is mandatory/);
      expectError(await put([{ id: 'a', expression: 'x', targetsSender: 'yes' }]), 400, 'InvalidArgument', /rules\[0\]\.targetsSender must be true or false/);
      expectError(await put([{ id: 'a', expression: 'x', colour: 'red' }]), 400, 'InvalidArgument', /unknown field "colour"/);
      expectError(await put('not json'), 400, 'InvalidArgument', /not JSON/);
      expectError(await put('[]'), 400, 'InvalidArgument', /"rules" list/);
    });
  });

  it('a field over its length limit, or a blank expression, is 400 before anything is written (nothing created, nothing removed)', async () => {
    expect((await t.call('GET', '/dlp/rules/apache.test')).json).toEqual(SEED_RULES);
    await unchanged(t.server, TYPES, async () => {
      expectError(await put([{ id: 'new', expression: 'x' }, { id: 'long', expression: 'y', explanation: 'e'.repeat(1025) }]), 400, 'InvalidArgument', /rules\[1\]\.explanation: at most 1024 characters/);
      expectError(await put([{ id: 'new', expression: 'x' }, { id: 'i'.repeat(256), expression: 'y' }]), 400, 'InvalidArgument', /rules\[1\]\.id: at most 255 characters/);
      expectError(await put([{ id: 'new', expression: 'x' }, { id: 'e', expression: 'a'.repeat(4097) }]), 400, 'InvalidArgument', /rules\[1\]\.expression: at most 4096 characters/);
      expectError(await put([{ id: 'new', expression: 'x' }, { id: 'b', expression: '   ' }]), 400, 'InvalidArgument', /rules\[1\]\.expression is mandatory/);
    });
  });

  it('an unknown domain is 404, a malformed one 400', async () => {
    await unchanged(t.server, TYPES, async () => {
      expectError(await put([{ id: 'a', expression: 'x' }], 'nowhere.test'), 404, 'notFound', /nowhere\.test/);
      expectError(await t.call('GET', '/dlp/rules/bad_domain!'), 400, 'InvalidArgument', /not a domain name/);
      expectError(await t.call('DELETE', '/dlp/rules/nowhere.test'), 404, 'notFound');
    });
  });

  it('through JMAP: the invalid expression names the property; a rule id is used once per domain', async () => {
    await unchanged(t.server, TYPES, async () => {
      const bad = await set(t.server, 'x:DlpRule', { create: { a: { domainId, ruleId: 'z', expression: '[unclosed' } } });
      expect(bad.notCreated?.a).toMatchObject({ type: 'validationFailed', properties: ['expression'] });
      expect(bad.notCreated?.a.description).toMatch(/^expression: not a valid regular expression/);
      const dup = await set(t.server, 'x:DlpRule', { create: { a: { domainId, ruleId: '1', expression: 'x' } } });
      expect(dup.notCreated?.a).toMatchObject({ type: 'primaryKeyViolation', properties: ['ruleId'] });
      const patch = await set(t.server, 'x:DlpRule', { update: { [(await t.server.call('x:DlpRule/query', { filter: { domainId } }))[1].ids![0]]: { expression: '*' } } });
      expect(Object.values(patch.notUpdated ?? {})[0]).toMatchObject({ type: 'validationFailed', properties: ['expression'] });
    });
    // The same id in another domain is fine.
    const other = await create(t.server, 'x:Domain', { name: 'other.test' });
    expect(await create(t.server, 'x:DlpRule', { domainId: other, ruleId: '1', expression: 'x' })).toEqual(expect.any(String));
  });

  it('a caller without the permissions is refused', async () => {
    const key = await t.keyWith(['sysDomainGet', 'sysDomainQuery', 'sysDlpRuleGet', 'sysDlpRuleQuery']);
    await unchanged(t.server, TYPES, async () => {
      expectError(await t.call('PUT', '/dlp/rules/apache.test', { key, body: JSON.stringify({ rules: [] }) }), 403, 'Forbidden');
      expectError(await t.call('DELETE', '/dlp/rules/apache.test', { key }), 403, 'Forbidden');
    });
    expect((await t.call('GET', '/dlp/rules/apache.test', { key })).json).toEqual(SEED_RULES);
  });
});
