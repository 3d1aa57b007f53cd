// Feedback: a notice after a change appears, can be dismissed, goes away on its own and
// never comes back on a reload; a page on a slow link shows progress while it loads.

import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, goToPage, signIn, unique } from './helpers';

test('a notice appears, goes away on its own or when dismissed, and not again after a reload', async ({ page, request }) => {
  const net = `198.18.${Math.floor(Math.random() * 250)}.`;
  const addresses = [1, 2].map((n) => `${net}${n}`);
  for (const address of addresses) await createViaApi(request, 'x:AllowedIp', { address, reason: unique('Noticed') });
  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  await page.getByRole('search', { name: 'Filters' }).getByLabel('Address').fill(net);
  const notices = page.getByRole('region', { name: 'Notifications' });

  // Delete one: the notice says so, then leaves by itself.
  await page.getByRole('button', { name: `Delete ${addresses[0]}`, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  const deleted = notices.getByText('Deleted 1 allowed IP.');
  await expect(deleted).toBeVisible();
  await assertAccessible(page);
  await expect(deleted).toBeHidden({ timeout: 10_000 });

  // Delete the other and dismiss its notice.
  await page.getByRole('button', { name: `Delete ${addresses[1]}`, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(deleted).toBeVisible();
  await notices.getByRole('button', { name: 'Dismiss' }).click();
  await expect(deleted).toBeHidden();

  // One more notice, then a reload: it does not come back.
  const third = `${net}3`;
  await createViaApi(request, 'x:AllowedIp', { address: third, reason: unique('Noticed') });
  await page.getByRole('button', { name: `Delete ${third}`, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(deleted).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  await expect(page.getByText('Deleted 1 allowed IP.')).toHaveCount(0);
});

test('a page on a slow link shows a progress bar and says what it is loading', async ({ page }) => {
  await signIn(page);
  // Every JMAP answer takes a second and a half.
  await page.route('**/jmap/', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await goToPage(page, 'Settings', 'Security', 'Blocked IPs');
  await expect(page.getByRole('progressbar', { name: 'Loading' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Loading blocked IPs…');
  await assertAccessible(page);
  await expect(page.getByText(/There are no blocked IPs yet|1–/)).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
});
