// Mail for real, set up from the console: a domain, two users, a mailing list and a forward
// that keeps a copy. Mail sent over SMTP to the embedded server's Postfix (127.0.0.1) is
// delivered by Dovecot over LMTP and read back over IMAP; a password changed in the console
// changes the IMAP login, and a deleted user can no longer log in.
// Runs against its own server (MAIL_URL) whose Postfix and Dovecot start on boot on loopback ports.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { MAIL_PORTS, MAIL_URL } from './env';
import { assertAccessible, goToPage, jmap, signIn } from './helpers';

test.use({ baseURL: MAIL_URL });

const DOMAIN = 'example.test';
const PASSWORDS = { user1: 'User1-Passw0rd!', user2: 'User2-Passw0rd!' };
const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/mail-${name}.png`, fullPage: true });

/** Whether `address` can log in over IMAP with `password` (the server's answer, not a guess). */
async function imapLogin(address: string, password: string): Promise<ImapFlow | null> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: MAIL_PORTS.imap,
    secure: false,
    auth: { user: address, pass: password },
    tls: { rejectUnauthorized: false },
    logger: false,
    connectionTimeout: 10_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch {
    return null;
  }
}

/** The subjects in the INBOX of `address`, once `want` are all there (bounded: 20 s). */
async function inboxSubjects(address: string, password: string, want: string[]): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  let subjects: string[] = [];
  for (let attempt = 0; attempt < 40 && Date.now() < deadline; attempt++) {
    const client = await imapLogin(address, password);
    if (client) {
      const lock = await client.getMailboxLock('INBOX');
      try {
        subjects = [];
        for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
      } catch {
        subjects = []; // an empty mailbox answers the fetch with nothing to iterate
      } finally {
        lock.release();
        await client.logout().catch(() => {});
      }
      if (want.every((s) => subjects.includes(s))) return subjects.sort();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return subjects.sort();
}

interface ServiceState { id: string; status: string; lastError?: string | null; installHint?: string | null }

/** SMTP and IMAP once they have finished starting (they start on boot with the server; bounded: 30 s). */
async function settledServices(request: APIRequestContext): Promise<ServiceState[]> {
  let list: ServiceState[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const [[, res]] = await jmap(request, [['x:Service/get', { ids: ['smtp', 'imap'], properties: ['status', 'lastError', 'installHint'] }, 's']]);
    list = res.list as ServiceState[];
    if (list.every((s) => s.status !== 'starting' && s.status !== 'stopping')) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return list;
}

/** Whatever an earlier attempt of this test left behind (a retry runs on the same server). */
async function cleanUp(request: APIRequestContext): Promise<void> {
  const ids = async (objectName: string, filter: Record<string, unknown>) => {
    const [[, res]] = await jmap(request, [[`${objectName}/query`, { filter }, 'q']]);
    return (res.ids as string[] | undefined) ?? [];
  };
  const [[, domains]] = await jmap(request, [['x:Domain/query', { filter: { name: DOMAIN } }, 'q']]);
  const domainId = (domains.ids as string[] | undefined)?.[0];
  if (!domainId) return;
  const forwards = await ids('x:AddressForward', {});
  const lists = await ids('x:MailingList', { domainId });
  const accounts = await ids('x:Account', { domainId });
  await jmap(request, [
    ['x:AddressForward/set', { destroy: forwards }, 'f'],
    ['x:MailingList/set', { destroy: lists }, 'l'],
    ['x:Account/set', { destroy: accounts }, 'a'],
    ['x:Domain/set', { destroy: [domainId] }, 'd'],
  ]);
}

/** After "Create": the notice, then the new record's own page (which would overtake an earlier click). */
async function created(page: Page, singular: string): Promise<void> {
  await expect(page.getByText(`Created ${singular}.`)).toBeVisible();
  await expect(page.getByRole('heading', { name: `New ${singular}`, level: 1 })).toBeHidden();
}

/** The creation form of a list page, once loaded (the list's own filters stay on screen until then). */
async function openNew(page: Page, trail: string, singular: string): Promise<void> {
  await goToPage(page, 'Management', 'Directory', trail);
  await page.getByRole('link', { name: `New ${singular}` }).first().click();
  await expect(page.getByRole('heading', { name: `New ${singular}`, level: 1 })).toBeVisible();
}

async function pick(page: Page, label: string, text: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.fill(text);
  await page.getByRole('option', { name: text }).click();
}

async function createUser(page: Page, name: string, password: string): Promise<void> {
  await openNew(page, 'Users', 'user');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await pick(page, 'Domain', DOMAIN);
  await page.getByRole('button', { name: 'Add credentials' }).click();
  await page.getByRole('combobox', { name: 'Credentials 1 type' }).selectOption({ label: 'Password' });
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Create user' }).click();
  await created(page, 'user');
}

async function send(to: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: MAIL_PORTS.smtp, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'sender@outside.test', to, subject, text: `${subject}: sent by the e2e test.` });
  } finally {
    transport.close();
  }
}

test('domain, users, list and forward from the console: mail is accepted, delivered and read over IMAP', async ({ page, request }) => {
  test.setTimeout(180_000);
  const down = (await settledServices(request)).filter((s) => s.status !== 'running');
  test.skip(down.length > 0, `mail daemons not running here: ${down.map((s) => `${s.id} ${s.status}: ${s.lastError ?? s.installHint ?? ''}`).join('; ')}`);
  await cleanUp(request);

  await signIn(page);
  await openNew(page, 'Domains', 'domain');
  await page.getByLabel('Domain name').fill(DOMAIN);
  await page.getByRole('button', { name: 'Create domain' }).click();
  await created(page, 'domain');

  await createUser(page, 'user1', PASSWORDS.user1);
  await createUser(page, 'user2', PASSWORDS.user2);
  await goToPage(page, 'Management', 'Directory', 'Users');
  await expect(page.getByRole('link', { name: `user1@${DOMAIN}`, exact: true })).toBeVisible();
  await assertAccessible(page);

  // team@ → user1, user2.
  await openNew(page, 'Mailing lists', 'mailing list');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('team');
  await pick(page, 'Domain', DOMAIN);
  const recipients = page.getByRole('textbox', { name: 'Recipients' });
  for (const r of ['user1', 'user2']) {
    await recipients.fill(`${r}@${DOMAIN}`);
    await recipients.press('Enter');
  }
  await assertAccessible(page);
  await shot(page, '1-list');
  await page.getByRole('button', { name: 'Create mailing list' }).click();
  await created(page, 'mailing list');

  // user1 → user2, keeping a copy (user1 among the destinations).
  await openNew(page, 'Forwards', 'forward');
  await page.getByRole('textbox', { name: 'Address', exact: true }).fill(`user1@${DOMAIN}`);
  const destinations = page.getByRole('textbox', { name: 'Destinations' });
  for (const r of ['user1', 'user2']) {
    await destinations.fill(`${r}@${DOMAIN}`);
    await destinations.press('Enter');
  }
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Create forward' }).click();
  await created(page, 'forward');

  const run = Date.now().toString(36);
  const toTeam = `To the team ${run}`;
  const toUser1 = `To user1 ${run}`;
  await send(`team@${DOMAIN}`, toTeam);
  await send(`user1@${DOMAIN}`, toUser1);
  // The list reaches both; the forward gives user2 a copy of user1's mail and user1 keeps its own.
  expect(await inboxSubjects(`user1@${DOMAIN}`, PASSWORDS.user1, [toTeam, toUser1])).toEqual([toTeam, toUser1].sort());
  expect(await inboxSubjects(`user2@${DOMAIN}`, PASSWORDS.user2, [toTeam, toUser1])).toEqual([toTeam, toUser1].sort());

  // A new password for user1, set in the console, is the IMAP login at once.
  const newPassword = 'User1-Changed-Passw0rd!';
  await goToPage(page, 'Management', 'Directory', 'Users');
  await page.getByRole('link', { name: `user1@${DOMAIN}`, exact: true }).click();
  await expect(page.getByRole('heading', { name: 'user1', level: 1 })).toBeVisible();
  await page.getByLabel(/^Password/).fill(newPassword);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  expect(await imapLogin(`user1@${DOMAIN}`, PASSWORDS.user1)).toBeNull();
  const client = await imapLogin(`user1@${DOMAIN}`, newPassword);
  expect(client).not.toBeNull();
  await client?.logout();

  // Deleting user2 in the console refuses its login.
  await goToPage(page, 'Management', 'Directory', 'Users');
  await page.getByRole('row', { name: new RegExp(`user2@${DOMAIN}`) }).getByRole('button', { name: /Delete/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: /Delete/ }).click();
  await expect(page.getByRole('link', { name: `user2@${DOMAIN}`, exact: true })).toBeHidden();
  expect(await imapLogin(`user2@${DOMAIN}`, PASSWORDS.user2)).toBeNull();
  await shot(page, '2-users');
});

test('mail to a remote domain stays queued: remote delivery is off until a relay is configured', async ({ request }) => {
  test.setTimeout(90_000);
  const smtp = (await settledServices(request)).find((s) => s.id === 'smtp');
  test.skip(smtp?.status !== 'running', `SMTP is not running here: ${smtp?.lastError ?? smtp?.installHint ?? ''}`);
  const smtpDir = path.join(process.env.E2E_MAIL_DATA_DIR ?? '', 'services', 'smtp');
  const recipient = `someone-${Date.now().toString(36)}@remote.invalid`;
  await send(recipient, 'Held for a relay');
  // Postfix's own view of its queue: the message waits as deferred, and nothing was attempted.
  let entry: { queue_name: string; recipients: { address: string; delay_reason?: string }[] } | undefined;
  // The queue manager defers it on its next pass (bounded: 40 s, a loaded machine is slow).
  for (let attempt = 0; attempt < 80 && !entry?.recipients[0]?.delay_reason; attempt++) {
    const lines = execFileSync('postqueue', ['-c', path.join(smtpDir, 'etc'), '-j'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    entry = lines.map((l) => JSON.parse(l) as typeof entry).find((e) => e?.recipients.some((r) => r.address === recipient));
    if (!entry?.recipients[0]?.delay_reason) await new Promise((r) => setTimeout(r, 500));
  }
  expect(entry?.queue_name).toBe('deferred');
  expect(entry?.recipients[0]?.delay_reason).toMatch(/deferred transport/);
  const log = fs.readFileSync(path.join(smtpDir, 'maillog'), 'utf8');
  expect(log).not.toMatch(/connect to .*remote\.invalid/);
});
