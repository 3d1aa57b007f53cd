import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, signIn, unique, userValue } from './helpers';

test('a user whose role lacks sysRoleCreate sees no way to create a role', async ({ page, request }) => {
  const login = unique('viewer').replace(/\s/g, '').toLowerCase();
  const password = 'Viewer-Passw0rd!';
  const roleId = await createViaApi(request, 'x:Role', {
    description: unique('Read-only roles'),
    enabledPermissions: { sysRoleGet: true, sysRoleQuery: true },
  });
  const userId = await createViaApi(request, 'x:Account', userValue(login, password, [roleId]));

  await signIn(page, { username: login, password });
  // Only what the role allows is in the navigation.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('region', { name: 'Settings' })).toHaveCount(0);
  await nav.getByRole('button', { name: 'Directory' }).click();
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Roles' }).click();

  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /New role/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await assertAccessible(page);

  // Even at the address of the creation form there is nothing to submit.
  await page.goto('/management/directory/roles/new');
  await expect(page.getByRole('heading', { name: 'New role', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create role' })).toHaveCount(0);
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Account', [userId]);
  await destroyViaApi(request, 'x:Role', [roleId]);
});
