// The x:AccountMailbox mirror as the console reads it (src/ui/lists/RelatedRecords.tsx: a
// /query filtered by accountId and sorted by name, then a /get through a result
// reference), against the real Dovecot: INBOX is listed for every account with a mailbox,
// also before its Maildir exists (never logged in, or logged in only to LIST, when Dovecot
// has not made INBOX's directories yet). Skipped only without Dovecot.

import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetResponse, QueryResponse } from '../testing';
import { create } from '../testkit';
import { mailStoreMissing, startMailWebAdminTest, type MailWebAdminTest } from '../webadmin/mailTesting';

const missing = await mailStoreMissing();
const DOMAIN = 'mirror.test';
const PASSWORD = 'mirror tester 1';
const SLOW = 60_000;

describe.skipIf(!!missing)(`the mailbox mirror as the console reads it${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: MailWebAdminTest;
  let domainId: string;

  beforeAll(async () => {
    t = await startMailWebAdminTest();
    domainId = await create(t.server, 'x:Domain', { name: DOMAIN });
  }, SLOW);
  afterAll(() => t?.close());

  const newUser = (name: string) =>
    create(t.server, 'x:Account', { '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: PASSWORD } } });

  /** The account page's "Mailboxes" section: exactly the request the console sends. */
  async function consoleList(accountId: string): Promise<{ total?: number; list: Record<string, unknown>[] }> {
    const r = await t.server.api([
      ['x:AccountMailbox/query', { filter: { accountId }, sort: [{ property: 'name', isAscending: true }], position: 0, limit: 50, calculateTotal: true }, 'q'],
      ['x:AccountMailbox/get', { '#ids': { resultOf: 'q', name: 'x:AccountMailbox/query', path: '/ids' }, properties: ['id', 'name', 'totalEmails', 'unreadEmails', 'size'] }, 'g'],
    ]);
    const [[qn, q], [gn, g]] = r.methodResponses;
    expect([qn, gn], JSON.stringify(r.methodResponses)).toEqual(['x:AccountMailbox/query', 'x:AccountMailbox/get']);
    return { total: (q as QueryResponse).total, list: (g as GetResponse).list as Record<string, unknown>[] };
  }

  /** Logs in and LISTs, nothing more (what a mail client's first look does). */
  async function loginAndList(user: string): Promise<string[]> {
    const c = new ImapFlow({
      host: '127.0.0.1', port: t.imapPort, secure: false, doSTARTTLS: false, auth: { user, pass: PASSWORD }, logger: false,
      connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000,
    });
    await c.connect();
    try {
      return (await c.list()).map((m) => m.path);
    } finally {
      await c.logout().catch(() => c.close());
    }
  }

  const inboxOnly = [{ id: expect.any(String), name: 'INBOX', totalEmails: 0, unreadEmails: 0, size: 0 }];
  const cur = (local: string) => path.join(t.server.dataDir, 'mail', DOMAIN, local, 'cur');

  it('lists INBOX for an account that never logged in', async () => {
    const accountId = await newUser('fresh');
    expect(fs.existsSync(cur('fresh'))).toBe(false);
    expect(await consoleList(accountId)).toEqual({ total: 1, list: inboxOnly });
    // Read again: the same record, not a new one each time.
    const again = await consoleList(accountId);
    expect(again.list).toEqual((await consoleList(accountId)).list);
    expect(await loginAndList(`fresh@${DOMAIN}`)).toEqual(['INBOX']);
  }, SLOW);

  it('lists INBOX for an account that logged in only to LIST (Dovecot has not made INBOX yet)', async () => {
    const accountId = await newUser('looker');
    expect(await loginAndList(`looker@${DOMAIN}`)).toEqual(['INBOX']);
    // The state that hid INBOX from `doveadm mailbox status … '*'`: the user's store begun, INBOX's directories not made.
    expect(fs.existsSync(path.dirname(cur('looker')))).toBe(true);
    expect(fs.existsSync(cur('looker'))).toBe(false);
    expect(await consoleList(accountId)).toEqual({ total: 1, list: inboxOnly });
  }, SLOW);
});
