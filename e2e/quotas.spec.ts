// Quotas and mailboxes for real (issue 12): user1's storage limit set to 1 MB in the console;
// mail delivered over SMTP until Dovecot's quota refuses the next one (it bounces to the
// sender); the console shows the usage near 100% and the fullest-mailboxes list has user1
// first; raising the limit lets the next mail in. Mailboxes created and deleted on the
// user's page show up in IMAP LIST. Runs against the server whose Postfix and Dovecot start on boot.

import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { manageSieve } from '../src/server/mail/sieveTesting';
import { MAIL_PORTS, MAIL_URL } from './env';
import { assertAccessible, createViaApi, goToPage, signIn } from './helpers';
import { imap, inboxSubjects, mailDaemonsDown, sendMail } from './mailbox';

test.use({ baseURL: MAIL_URL });

const DOMAIN = 'quota.test';
const PASSWORD = 'Quota-Passw0rd!';
const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/quotas-${name}.png`, fullPage: true });
/** A message body of about 240 KB: four fit in 1 MB, the fifth does not. */
const BODY = `${'x'.repeat(998)}\r\n`.repeat(240);

const subjects = (user: string) => inboxSubjects(user, PASSWORD);

/** Every mailbox path IMAP LIST gives the user. */
async function listed(user: string): Promise<string[]> {
  const client = await imap(user, PASSWORD);
  try {
    return (await client.list()).map((m) => m.path).sort();
  } finally {
    await client.logout().catch(() => {});
  }
}

const isBounce = (subject: string) => /undeliver|returned|failure/i.test(subject);

/**
 * Where a sent message ended: in the recipient's INBOX, or refused, which Postfix reports
 * with one more bounce in the sender's INBOX than `bouncesBefore` (bounded: 30 s).
 */
async function outcome(to: string, from: string, subject: string, bouncesBefore: number): Promise<'delivered' | 'refused'> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await subjects(to)).includes(subject)) return 'delivered';
    if ((await subjects(from)).filter(isBounce).length > bouncesBefore) return 'refused';
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`"${subject}" neither arrived nor bounced within 30 s`);
}

/** Sends one message and says where it ended. */
async function deliver(from: string, to: string, subject: string): Promise<'delivered' | 'refused'> {
  const bounces = (await subjects(from)).filter(isBounce).length;
  await sendMail({ from, to, subject, text: BODY });
  return outcome(to, from, subject, bounces);
}

/**
 * A domain name no earlier run or retry used (`<label>-<unique>.quota.test`). Deleting an
 * account leaves its mail store on disk, so an account made again under an old address
 * would start with the old mail.
 */
const freshDomain = (label: string) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.${DOMAIN}`;

/** A new domain with user1 (whose quota is tested) and user2 (who sends, and gets the bounces). */
async function setUp(request: APIRequestContext, domain: string): Promise<{ user1: string; user2: string }> {
  const domainId = await createViaApi(request, 'x:Domain', { name: domain });
  for (const name of ['user1', 'user2']) {
    await createViaApi(request, 'x:Account', { '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: PASSWORD } } });
  }
  return { user1: `user1@${domain}`, user2: `user2@${domain}` };
}

async function openUser(page: Page, address: string): Promise<void> {
  await goToPage(page, 'Management', 'Directory', 'Users');
  await page.getByRole('link', { name: address, exact: true }).click();
  await expect(page.getByRole('heading', { name: address.split('@')[0], level: 1 })).toBeVisible();
}

/** The user's usage bar on the user list shows at least `atLeast` percent (the list read afresh until it does). */
async function expectUsageAtLeast(page: Page, address: string, atLeast: number): Promise<void> {
  await goToPage(page, 'Management', 'Directory', 'Users');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: address, exact: true }) });
  await expect(async () => {
    await page.reload();
    const now = Number(await row.getByRole('meter', { name: 'Mailbox usage' }).getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThanOrEqual(atLeast);
  }).toPass({ timeout: 30_000 });
}

/** Sends ~240 KB messages until one is refused; how many were delivered (at most `max`). */
async function fill(from: string, to: string, label: string, max = 8): Promise<number> {
  let delivered = 0;
  for (let i = 1; i <= max; i++) {
    if ((await deliver(from, to, `${label} ${i}`)) === 'refused') break;
    delivered++;
  }
  return delivered;
}

/** Sets a storage limit on the page open (a user's own, or a domain's default): Limit, a number, a unit. */
async function setStorageLimit(page: Page, value: string, unit: string): Promise<void> {
  const storage = page.getByRole('radiogroup', { name: 'Storage' });
  await storage.getByRole('radio', { name: 'Limit', exact: true }).check();
  const box = page.getByLabel('Storage: limit');
  await box.fill(value);
  await box.locator('xpath=..').getByRole('combobox', { name: 'Unit' }).selectOption(unit);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}

test('a 1 MB limit set in the console is enforced; usage and the fullest list show it; raising it lets mail in', async ({ page, request }) => {
  test.setTimeout(240_000);
  const down = await mailDaemonsDown(request);
  test.skip(down.length > 0, `mail daemons not running here: ${down.join(', ')}`);
  const domain = freshDomain('limit');
  const { user1, user2 } = await setUp(request, domain);

  await signIn(page);
  await openUser(page, user1);
  const limits = page.getByRole('group', { name: 'Limits' });
  await expect(limits.getByRole('radiogroup', { name: 'Storage' }).getByRole('radio', { name: 'Inherit' })).toBeChecked();
  await setStorageLimit(page, '1', 'MB');
  await expect(page.getByRole('definition').filter({ hasText: '1 MB' }).first()).toBeVisible();
  await assertAccessible(page);
  await shot(page, '1-limit');

  const run = Date.now().toString(36);
  const delivered = await fill(user2, user1, `Filler ${run}`);
  expect(delivered, 'the 1 MB limit let no ~240 KB message in, or refused none of eight').toBeGreaterThanOrEqual(3);
  expect(delivered).toBeLessThan(8);

  // The usage bar on the user list, then first among the fullest mailboxes of the domain.
  await expectUsageAtLeast(page, user1, 85);
  await shot(page, '2-users');

  await goToPage(page, 'Management', 'Directory', 'Fullest mailboxes');
  const filters = page.getByRole('search', { name: 'Filters' });
  await filters.getByLabel('Minimum occupation (0 to 1)').fill('0.5');
  // Its domain only: the domain-default test beside this one fills a mailbox of another domain.
  await filters.getByRole('combobox', { name: 'Domain' }).fill(domain);
  await page.getByRole('option', { name: domain, exact: true }).click();
  const firstRow = page.getByRole('row').nth(1);
  await expect(firstRow.getByRole('link', { name: user1, exact: true })).toBeVisible();
  await expect(firstRow.getByRole('meter', { name: 'Occupation' })).toHaveAttribute('aria-valuetext', /^(8[5-9]|9\d|100)%$/);
  await assertAccessible(page);
  await shot(page, '3-fullest');

  // Raised to 2 MB: the next message is delivered (a changed limit applies within 2 s).
  await openUser(page, user1);
  await setStorageLimit(page, '2', 'MB');
  await new Promise((r) => setTimeout(r, 2_000));
  const after = `After raising ${run}`;
  expect(await deliver(user2, user1, after)).toBe('delivered');
});

test('nested mailboxes created and deleted on the user page show up in IMAP LIST', async ({ page, request }) => {
  test.setTimeout(120_000);
  const down = await mailDaemonsDown(request);
  test.skip(down.length > 0, `mail daemons not running here: ${down.join(', ')}`);
  const domain = freshDomain('boxes');
  const domainId = await createViaApi(request, 'x:Domain', { name: domain });
  await createViaApi(request, 'x:Account', { '@type': 'User', name: 'boxes', domainId, credentials: { 0: { '@type': 'Password', secret: PASSWORD } } });
  const user = `boxes@${domain}`;
  // Dovecot makes the user's store at the first login.
  expect(await listed(user)).toContain('INBOX');

  await signIn(page);
  await openUser(page, user);
  const section = page.getByRole('region', { name: 'Mailboxes' });
  // INBOX is listed from the start, though that login only LISTed and Dovecot has not made its directories yet.
  await expect(section.getByRole('cell', { name: 'INBOX', exact: true })).toBeVisible();
  await section.getByRole('button', { name: 'New mailbox' }).click();
  const form = section.getByRole('form', { name: 'New mailbox' });
  await form.getByRole('textbox', { name: 'Name' }).fill('INBOX.Projects.Alpha');
  await form.getByRole('button', { name: 'Create mailbox' }).click();
  // doveadm makes it in Dovecot before the answer comes: slower than a store write on a loaded machine.
  await expect(page.getByText('Created mailbox.')).toBeVisible({ timeout: 30_000 });
  await expect(section.getByRole('cell', { name: 'INBOX.Projects.Alpha', exact: true })).toBeVisible();
  // Its missing parent was made too; INBOX is listed beside them.
  await expect(section.getByRole('cell', { name: 'INBOX.Projects', exact: true })).toBeVisible();
  await expect(section.getByRole('cell', { name: 'INBOX', exact: true })).toBeVisible();
  await assertAccessible(page);
  await shot(page, '4-mailboxes');
  expect(await listed(user)).toEqual(expect.arrayContaining(['INBOX.Projects', 'INBOX.Projects.Alpha']));

  // A bad name is refused with its reason, and nothing is made.
  await section.getByRole('button', { name: 'New mailbox' }).click();
  await form.getByRole('textbox', { name: 'Name' }).fill('INBOX.50%');
  await form.getByRole('button', { name: 'Create mailbox' }).click();
  await expect(form.getByText(/%/).first()).toBeVisible();
  await section.getByRole('button', { name: 'Cancel' }).click();

  // Deleting the parent takes its children with it, after a question.
  await section.getByRole('button', { name: 'Delete INBOX.Projects', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Delete mailbox INBOX\.Projects\?/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(section.getByRole('cell', { name: 'INBOX.Projects', exact: true })).toHaveCount(0, { timeout: 30_000 });
  await expect(section.getByRole('cell', { name: 'INBOX.Projects.Alpha', exact: true })).toHaveCount(0);
  const after = await listed(user);
  expect(after).toContain('INBOX');
  expect(after.filter((p) => p.startsWith('INBOX.Projects'))).toEqual([]);

  // INBOX cannot be deleted: the server says why.
  await section.getByRole('button', { name: 'Delete INBOX', exact: true }).click();
  await page.getByRole('dialog', { name: /Delete mailbox INBOX\?/ }).getByRole('button', { name: 'Delete' }).click();
  await expect(section.getByText(/INBOX cannot be deleted/)).toBeVisible({ timeout: 30_000 });
});

test('a domain default quota set in the console applies to a user with no limit of its own', async ({ page, request }) => {
  test.setTimeout(240_000);
  const down = await mailDaemonsDown(request);
  test.skip(down.length > 0, `mail daemons not running here: ${down.join(', ')}`);
  const domain = freshDomain('defaults');
  const { user1, user2 } = await setUp(request, domain);

  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Domains');
  await page.getByRole('link', { name: domain, exact: true }).click();
  await expect(page.getByRole('heading', { name: domain, level: 1 })).toBeVisible();
  await setStorageLimit(page, '1', 'MB');
  await assertAccessible(page);
  await shot(page, '5-domain-default');

  // user1 sets none of its own: it inherits, and the limit that applies is the domain's.
  await openUser(page, user1);
  await expect(page.getByRole('group', { name: 'Limits' }).getByRole('radiogroup', { name: 'Storage' }).getByRole('radio', { name: 'Inherit' })).toBeChecked();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('definition').filter({ hasText: /^1 MB$/ }).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });

  const delivered = await fill(user2, user1, `Default filler ${Date.now().toString(36)}`);
  expect(delivered, 'the domain\u2019s 1 MB default let no ~240 KB message in, or refused none of eight').toBeGreaterThanOrEqual(3);
  expect(delivered).toBeLessThan(8);
  await expectUsageAtLeast(page, user1, 85);
  await shot(page, '6-default-usage');
});

test('a Sieve script over the Sieve quota set in the console is refused over ManageSieve; a smaller one is accepted', async ({ page, request }) => {
  test.setTimeout(120_000);
  const down = await mailDaemonsDown(request);
  test.skip(down.length > 0, `mail daemons not running here: ${down.join(', ')}`);
  const { user1 } = await setUp(request, freshDomain('sieve'));
  // Valid Sieve of about this many bytes.
  const script = (bytes: number) => `# ${'p'.repeat(Math.max(0, bytes - 11))}\r\nkeep;\r\n`;
  const big = script(2000);
  // With no Sieve quota the big script is stored: what refuses it below is the quota.
  const before = await manageSieve(MAIL_PORTS.sieve, user1, PASSWORD);
  try {
    expect((await before.putScript('big', big)).status).toBe('OK');
    expect((await before.deleteScript('big')).status).toBe('OK');
  } finally {
    await before.close();
  }

  await signIn(page);
  await openUser(page, user1);
  const quota = page.getByRole('textbox', { name: 'Sieve quota' });
  await quota.fill('1');
  await quota.locator('xpath=..').getByRole('combobox', { name: 'Unit' }).selectOption('KB');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Sieve quota' })).toHaveValue('1');
  await assertAccessible(page);
  await shot(page, '7-sieve-quota');

  const session = await manageSieve(MAIL_PORTS.sieve, user1, PASSWORD);
  try {
    // Larger than the whole quota: refused even as the user's first script.
    const alone = await session.putScript('big', big);
    expect(alone.status, alone.line).toBe('NO');
    expect(alone.line).toMatch(/^NO \(QUOTA\/(MAXSIZE|MAXSTORAGE)\).*1024 bytes/);
    const accepted = await session.putScript('small', script(200));
    expect(accepted.status, accepted.line).toBe('OK');
    // Under the quota alone, over it beside the one stored.
    const more = await session.putScript('more', script(900));
    expect(more.status, more.line).toBe('NO');
    expect(more.line).toMatch(/^NO \(QUOTA\/MAXSTORAGE\).*1024 bytes/);
    // The refused ones were not stored: they cannot be made active.
    expect((await session.setActive('big')).status).toBe('NO');
    expect((await session.setActive('more')).status).toBe('NO');
    expect((await session.setActive('small')).status).toBe('OK');
  } finally {
    await session.close();
  }
});
