// A deleted account takes its mail with it: a new account given the same address later
// starts with an empty mailbox.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { create, set, uniq } from '../testkit';
import { maildirOf } from './mailStore';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('mail of deleted accounts', () => {
  it('maildirOf stays inside the mail root', () => {
    expect(maildirOf('/d', 'Bob@Example.test')).toBe('/d/mail/example.test/bob');
    for (const bad of ['bob', '@example.test', '../x@example.test', 'bob@..', 'a/b@example.test']) expect(maildirOf('/d', bad)).toBeNull();
  });

  it('is removed when the account is deleted, and a new account with the address starts empty', async () => {
    const domain = `${uniq('store')}.test`;
    const domainId = await create(server, 'x:Domain', { name: domain });
    const user = { '@type': 'User', name: 'carol', domainId, credentials: { 0: { '@type': 'Password', secret: 'carol-secret-1' } } };
    const first = await create(server, 'x:Account', user);
    // What Dovecot leaves once mail was delivered.
    const dir = path.join(server.dataDir, 'mail', domain, 'carol');
    fs.mkdirSync(path.join(dir, 'cur'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cur', '1.mail'), 'Subject: private\r\n\r\nold mail\r\n');
    const other = path.join(server.dataDir, 'mail', domain, 'dave');
    fs.mkdirSync(path.join(other, 'cur'), { recursive: true });
    const res = await set(server, 'x:Account', { destroy: [first] });
    expect(res.destroyed).toEqual([first]);
    expect(fs.existsSync(dir)).toBe(false);
    await create(server, 'x:Account', user);
    expect(fs.existsSync(path.join(dir, 'cur', '1.mail'))).toBe(false);
    // Another mailbox of the domain is untouched.
    expect(fs.existsSync(path.join(other, 'cur'))).toBe(true);
  });
});
