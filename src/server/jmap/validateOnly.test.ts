// Postern's /set dry run ("validateOnly": true, jmap/dryRun.ts): checked as for real, then rolled back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, USING, type SetResponse, type TestServer } from '../testing';
import { create, snapshot, state, stored, uniq } from '../testkit';
import { VALIDATE_CAPABILITY } from './dryRun';

let server: TestServer;
let domainId: string;
let domainName: string;
const pushed: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  domainName = `${uniq('dry')}.test`;
  domainId = await create(server, 'x:Domain', { name: domainName });
  server.store.onChange((types) => pushed.push(...types.keys()));
});
afterAll(() => server.close());

const user = (name: string, extra: object = {}) => ({ '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: 'a long enough password' } }, ...extra });

/** One dry-run /set with the capability in "using"; returns its answer. */
async function dryRun(type: string, args: object): Promise<SetResponse> {
  const r = await server.api([[`${type}/set`, { ...args, validateOnly: true }, 'c']], { using: [...USING, VALIDATE_CAPABILITY] });
  const [name, res] = r.methodResponses[0];
  expect(name, JSON.stringify(res)).toBe(`${type}/set`);
  return res as SetResponse;
}

describe('/set with validateOnly', () => {
  it('the session announces the capability', async () => {
    const s = (await (await server.raw('/jmap/session')).json()) as { capabilities: Record<string, unknown> };
    expect(s.capabilities[VALIDATE_CAPABILITY]).toEqual({});
  });

  it('valid creates come back created with ids; nothing is stored, the state stays, nothing is pushed', async () => {
    const before = await state(server, 'x:Account');
    const rows = snapshot(server, 'x:Account');
    // Every record of every type (the activity log's included), the change log, references and addresses.
    const everything = () =>
      server.store.db.prepare('SELECT (SELECT count(*) FROM records) AS r, (SELECT count(*) FROM changes) AS c, (SELECT count(*) FROM refs) AS f, (SELECT count(*) FROM mail_addresses) AS a').get();
    const all = everything();
    pushed.length = 0;
    const res = await dryRun('x:Account', { create: { a: user(uniq('ann')), b: user(uniq('bob')) } });
    expect(res.notCreated).toBeNull();
    expect(Object.keys(res.created!)).toEqual(['a', 'b']);
    for (const c of Object.values(res.created!)) {
      expect(c.id).toMatch(/^[a-z2-7]+$/);
      expect(stored(server, 'x:Account', c.id)).toBeNull();
      expect(JSON.stringify(c)).not.toContain('password');
    }
    expect(res.created!.a.emailAddress).toMatch(new RegExp(`@${domainName}$`));
    expect(res.oldState).toBe(before);
    expect(res.newState).toBe(before);
    expect(await state(server, 'x:Account')).toBe(before);
    expect(snapshot(server, 'x:Account')).toBe(rows);
    const changes = await server.call('x:Account/changes', { sinceState: before });
    expect(changes[1].created).toEqual([]);
    expect(pushed).toEqual([]);
    expect(everything()).toEqual(all);
  });

  it('a name taken by a stored account, and one given twice in the same call, are primaryKeyViolation on name', async () => {
    const taken = uniq('carol');
    await create(server, 'x:Account', user(taken));
    const twice = uniq('dave');
    const res = await dryRun('x:Account', { create: { a: user(taken), b: user(twice), c: user(twice.toUpperCase()) } });
    expect(res.notCreated!.a).toMatchObject({ type: 'primaryKeyViolation', properties: ['name'] });
    expect(res.notCreated!.a.description).toContain(`${taken}@${domainName}`);
    expect(Object.keys(res.created!)).toEqual(['b']);
    expect(res.notCreated!.c).toMatchObject({ type: 'primaryKeyViolation', properties: ['name'] });
    expect(stored(server, 'x:Account', res.created!.b.id)).toBeNull();
  });

  it('invalid values get the precise error', async () => {
    const res = await dryRun('x:Account', {
      create: { bad: user('no spaces allowed'), far: user(uniq('eve'), { domainId: 'nosuchdomain' }), odd: user(uniq('fay'), { colour: 'red' }) },
    });
    expect(res.created).toBeNull();
    expect(res.notCreated!.bad).toMatchObject({ type: 'validationFailed', properties: ['name'] });
    expect(res.notCreated!.far).toMatchObject({ type: 'invalidForeignKey', properties: ['domainId'] });
    expect(res.notCreated!.odd).toMatchObject({ type: 'invalidProperties', properties: ['colour'] });
  });

  it('passwords are not hashed in a dry run, so more than a request may hash can be checked', async () => {
    const create = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`u${i}`, user(uniq(`many${i}x`))]));
    const res = await dryRun('x:Account', { create });
    expect(res.notCreated).toBeNull();
    expect(Object.keys(res.created!)).toHaveLength(25);
  });

  it('updates and destroys are checked and rolled back too', async () => {
    const id = await create(server, 'x:Account', user(uniq('gus'), { description: 'before' }));
    const other = await create(server, 'x:Account', user(uniq('hal')));
    const row = stored(server, 'x:Account', id);
    const res = await dryRun('x:Account', { update: { [id]: { description: 'after' }, [other]: { name: 'renamed' } }, destroy: [id] });
    expect(res.updated).toEqual({ [id]: null });
    expect(res.notUpdated![other]).toMatchObject({ type: 'invalidPatch', properties: ['name'] });
    expect(res.destroyed).toEqual([id]);
    expect(stored(server, 'x:Account', id)).toEqual(row);
  });

  it('a new API key\u2019s secret is not revealed, and no key exists afterwards', async () => {
    const res = await dryRun('x:ApiKey', { create: { k: { description: 'dry key' } } });
    expect(res.created!.k.id).toBeTruthy();
    expect(res.created!.k.secret ?? null).toBeNull();
    expect(stored(server, 'x:ApiKey', res.created!.k.id)).toBeNull();
  });

  it('creation ids of a dry run do not reach later calls', async () => {
    const r = await server.api(
      [
        ['x:Domain/set', { create: { d: { name: `${uniq('ref')}.test` } }, validateOnly: true }, 'c1'],
        ['x:Account/set', { create: { a: user(uniq('ivy'), { domainId: '#d' }) }, validateOnly: true }, 'c2'],
      ],
      { using: [...USING, VALIDATE_CAPABILITY], createdIds: {} },
    );
    const second = r.methodResponses[1][1] as SetResponse;
    expect(second.notCreated!.a.properties).toEqual(['domainId']);
    expect(r.createdIds).toEqual({});
  });

  it('validateOnly must be a boolean, and needs the capability in "using"', async () => {
    const notBool = await server.api([['x:Account/set', { create: { a: user(uniq('jo')) }, validateOnly: 'yes' }, 'c']], { using: [...USING, VALIDATE_CAPABILITY] });
    expect(notBool.methodResponses[0]).toEqual(['error', expect.objectContaining({ type: 'invalidArguments', arguments: ['validateOnly'] }), 'c']);
    const before = snapshot(server, 'x:Account');
    const noCap = await server.call('x:Account/set', { create: { a: user(uniq('kim')) }, validateOnly: true });
    expect(noCap[0]).toBe('error');
    expect(noCap[1]).toMatchObject({ type: 'invalidArguments', arguments: ['validateOnly'] });
    expect(noCap[1].description).toContain(VALIDATE_CAPABILITY);
    expect(snapshot(server, 'x:Account')).toBe(before);
    const off = await server.call('x:AllowedIp/set', { create: { a: { address: '192.0.2.77' } }, validateOnly: false });
    expect(off[0]).toBe('x:AllowedIp/set');
    expect(stored(server, 'x:AllowedIp', (off[1] as SetResponse).created!.a.id)).not.toBeNull();
  });
});
