// The app's banners in words: a page the caller may not open names the object by its title
// and the missing permission by its label; an unreachable server is said to be one, with
// what to do next, never "Failed to fetch".

import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, goToPage, signIn, unique, userValue } from './helpers';

test('a page the caller may not open says which permission it takes, by its label', async ({ page, request }) => {
  const login = unique('reader').replace(/\s/g, '').toLowerCase();
  const password = 'Reader-Passw0rd!';
  const roleId = await createViaApi(request, 'x:Role', { description: unique('Reads roles'), enabledPermissions: { sysRoleGet: true, sysRoleQuery: true } });
  const userId = await createViaApi(request, 'x:Account', userValue(login, password, [roleId]));

  await signIn(page, { username: login, password });
  // A bookmark (or a link someone sent) to a page this person cannot open.
  await page.goto('/settings/security/api-keys');
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('You cannot open API keys: that takes the permission “Search API keys”, which none of your roles gives.');
  await expect(alert).toContainText('An administrator can add it to one of your roles.');
  await expect(page.getByRole('main')).not.toContainText(/x:ApiKey|sysApiKey/);
  await assertAccessible(page);
  await alert.getByRole('link', { name: 'Go to the overview' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();

  await destroyViaApi(request, 'x:Account', [userId]);
  await destroyViaApi(request, 'x:Role', [roleId]);
});

test('offline or with the server down, a page says so and what to do, and comes back on Try again', async ({ page, context, request }) => {
  const address = `198.18.1.${1 + Math.floor(Math.random() * 250)}`;
  const id = await createViaApi(request, 'x:AllowedIp', { address, reason: unique('Reachable') });
  const push = page.waitForRequest(/\/jmap\/eventsource/);
  await signIn(page);
  await push;

  // The server stops answering new requests (connection refused), until it is back; the push
  // stream opened before keeps bringing news of changes.
  let down = true;
  await page.route(/\/jmap\//, (route) => (down ? route.abort('connectionrefused') : route.continue()));
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Cannot reach the server: it did not answer. Check that it is running and that this computer can reach it, then try again.', { timeout: 15_000 });
  await expect(page.getByRole('main')).not.toContainText('Failed to fetch');
  await assertAccessible(page);
  // News of a change makes the page try again: it keeps saying why it has nothing to show
  // (and offers Try again) meanwhile, rather than flipping to a spinner and back.
  const other = await createViaApi(request, 'x:AllowedIp', { address: `198.18.2.${1 + Math.floor(Math.random() * 250)}`, reason: unique('Pushed') });
  await expect(alert.getByRole('status')).toHaveText('Trying again…');
  await expect(alert).toContainText('Cannot reach the server: it did not answer.');
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  down = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('link', { name: address, exact: true })).toBeVisible();

  // This computer goes offline.
  await context.setOffline(true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blocked IPs', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Cannot reach the server: this computer is offline. Try again once it is back online.', { timeout: 15_000 });
  await context.setOffline(false);
  await page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText(/There are no blocked IPs yet|1–/)).toBeVisible();

  await destroyViaApi(request, 'x:AllowedIp', [id, other]);
});
