// Failed sign-ins get an address blocked; an allowed address never is; the administrator
// unblocks it from the console with one click, and signing in works again. Everything
// here happens from 127.0.0.23 and .24, never from 127.0.0.1, the browser's own address.

import { expect, test } from '@playwright/test';
import { ADMIN } from './env';
import { assertAccessible, basic, continueAs, destroyViaApi, fillServerSignIn, goToPage, jmap, signIn } from './helpers';
import { proxyFrom, requestFrom } from './net';

// Fresh addresses per run: a rerun against the same server must not meet the last run's
// counts (an address an administrator signed in from is exempt for a while).
const run = 1 + Math.floor(Math.random() * 250);
const BLOCKED = `127.0.${run}.23`;
const ALLOWED = `127.0.${run}.24`;
const wrong = { Authorization: basic(ADMIN.username, 'not-the-password') };
const right = { Authorization: basic(ADMIN.username, ADMIN.password) };

async function signInsFrom(address: string, times: number, headers: Record<string, string>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await requestFrom(address, 'GET', '/jmap/session', { headers })).status);
  return statuses;
}

test('six failed sign-ins block an address, an allowed one never; unblock from the console and sign in again', async ({ page, browser, request }) => {
  test.setTimeout(60_000);
  // A person at 127.0.0.23: a browser whose connections reach the server from there.
  const proxy = await proxyFrom(BLOCKED);
  const context = await browser.newContext({ proxy: { server: proxy.server } });
  const person = await context.newPage();
  try {
    await person.goto('/signin');
    await expect(person.getByRole('heading', { name: 'Sign in to the mail server console' })).toBeVisible();

    // Six failed sign-ins: the fifth gets the address blocked, then even the right password is refused.
    expect(await signInsFrom(BLOCKED, 6, wrong)).toEqual([401, 401, 401, 401, 403, 403]);
    const refused = await requestFrom(BLOCKED, 'GET', '/jmap/session', { headers: right });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).detail).toBe(`Requests from ${BLOCKED} are blocked.`);

    // The person there is told what happened and how to get out of it.
    await continueAs(person);
    const blocked = person.getByRole('main');
    await expect(blocked.getByRole('heading', { name: 'This address is blocked', level: 1 })).toBeVisible();
    await expect(blocked).toContainText(`The server refuses every request from ${BLOCKED}`);
    await expect(blocked).toContainText('Settings › Security › Blocked IPs');
    await expect(blocked.getByText(`npm run unblock -- ${BLOCKED}`)).toBeVisible();
    await assertAccessible(person);
    await person.screenshot({ path: '.tmp/blocking-1-blocked-page.png', fullPage: true });

    // The administrator sees the block, with its reason, expiry and status.
    await signIn(page);
    await goToPage(page, 'Settings', 'Security', 'Blocked IPs');
    await expect(page.getByRole('heading', { name: 'Blocked IPs', level: 1 })).toBeVisible();
    const row = page.getByRole('row', { name: new RegExp(BLOCKED.replace(/\./g, '\\.')) });
    await expect(row).toContainText('Excessive failed authentication attempts');
    await expect(row).toContainText('Active');
    await expect(row).toContainText(/[A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC/);
    await assertAccessible(page);
    await page.screenshot({ path: '.tmp/blocking-2-blocked-ips.png', fullPage: true });

    // An allowed address is never blocked, however often it fails.
    await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
    await page.getByRole('link', { name: 'New allowed IP' }).first().click();
    await page.getByLabel('IP address or network').fill(ALLOWED);
    await page.getByLabel('Reason').fill('Monitoring probe');
    await page.getByRole('button', { name: 'Create allowed IP' }).click();
    await expect(page.getByText('Created allowed IP.')).toBeVisible();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Allowed IPs' }).click();
    await expect(page.getByRole('row', { name: new RegExp(ALLOWED.replace(/\./g, '\\.')) })).toContainText('Active');
    expect(await signInsFrom(ALLOWED, 6, wrong)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(await signInsFrom(ALLOWED, 1, right)).toEqual([200]);

    // One click unblocks.
    await goToPage(page, 'Settings', 'Security', 'Blocked IPs');
    await page.getByRole('button', { name: `Unblock ${BLOCKED}` }).click();
    await expect(page.getByText(`Unblock: done for ${BLOCKED}.`)).toBeVisible();
    await expect(row).toBeHidden();
    expect(await signInsFrom(BLOCKED, 1, right)).toEqual([200]);

    // And the person signs in again.
    await person.getByRole('button', { name: 'Try again' }).click();
    await continueAs(person);
    await fillServerSignIn(person);
    await expect(person.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  } finally {
    await context.close();
    await proxy.close();
    const [[, q]] = await jmap(request, [['x:AllowedIp/query', { filter: { address: ALLOWED } }, 'q']]);
    await destroyViaApi(request, 'x:AllowedIp', q.ids as string[]);
  }
});

test('expired allowances show as expired', async ({ page, request }) => {
  const [[, res]] = await jmap(request, [
    ['x:AllowedIp/set', { create: { old: { address: '198.18.0.0/15', reason: 'Last year', expiresAt: '2020-01-01T00:00:00Z' } } }, 'c'],
  ]);
  const id = (res.created as Record<string, { id: string }>).old.id;
  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  const row = page.getByRole('row', { name: /198\.18\.0\.0\/15/ });
  await expect(row).toContainText('Expired');
  await expect(row).toContainText('Jan 1, 2020, 00:00 UTC');
  await assertAccessible(page);
  await destroyViaApi(request, 'x:AllowedIp', [id]);
});
