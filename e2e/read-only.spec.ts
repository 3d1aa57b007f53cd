// What cannot be changed reads as text (issue 14, point 9): fields set by the server or
// fixed once created, whole records the caller may not edit, and the built-in role.

import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, goToPage, signIn, unique, userValue } from './helpers';

test('fixed and server-set fields show as text beside their labels, not as inputs', async ({ page, request }) => {
  const ip = `198.20.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const id = await createViaApi(request, 'x:AllowedIp', { address: ip, reason: 'fixed address' });
  await signIn(page);
  await page.goto(`/settings/security/allowed-ips/${id}`);
  await expect(page.getByRole('heading', { name: ip, level: 1 })).toBeVisible();
  await expect(page.getByLabel('IP address or network')).toHaveText(ip);
  await expect(page.getByRole('textbox', { name: 'IP address or network' })).toHaveCount(0);
  await expect(page.getByLabel('Allowed at')).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} UTC$/);
  await expect(page.getByRole('textbox', { name: 'Reason' })).toHaveValue('fixed address');
  await assertAccessible(page);
  await destroyViaApi(request, 'x:AllowedIp', [id]);
});

test('the built-in Administrator role reads as text, says why, and offers no Delete', async ({ page }) => {
  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Roles');
  await page.getByRole('link', { name: 'Administrator', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Administrator', level: 1 })).toBeVisible();
  await expect(page.getByText('This role is built in: the server made it and keeps it as it is, so it cannot be changed or deleted.')).toBeVisible();
  await expect(page.getByLabel('Description')).toHaveText('Administrator');
  await expect(page.getByLabel('Enabled permissions')).toContainText('Create roles');
  await expect(page.getByLabel('Enabled permissions')).not.toContainText(/\bsys[A-Z]/);
  await expect(page.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('combobox')).toHaveCount(0);
  await assertAccessible(page);
});

test('a caller who may only read a record sees it as text', async ({ page, request }) => {
  const login = unique('reader').replace(/\s/g, '-').toLowerCase();
  const password = 'Reader-Passw0rd!';
  const roleId = await createViaApi(request, 'x:Role', { description: unique('Readers'), enabledPermissions: { sysRoleGet: true, sysRoleQuery: true } });
  const userId = await createViaApi(request, 'x:Account', userValue(login, password, [roleId]));
  await signIn(page, { username: login, password });
  await page.goto(`/management/directory/roles/${roleId}`);
  await expect(page.getByLabel('Enabled permissions')).toContainText('View roles');
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await assertAccessible(page);
  await destroyViaApi(request, 'x:Account', [userId]);
  await destroyViaApi(request, 'x:Role', [roleId]);
});
