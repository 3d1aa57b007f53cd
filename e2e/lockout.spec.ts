// The only administrator cannot lock themselves out, and the built-in Administrator role
// shows that it cannot be changed (issue 14, point 1).

import { expect, test } from '@playwright/test';
import { assertAccessible, goToPage, jmap, signIn } from './helpers';

const REFUSAL = 'This change would leave no account that can manage accounts and roles; give another account the Administrator role first';

/** The administrator's roles, as the server has them. */
async function adminRoles(request: Parameters<typeof jmap>[0]): Promise<Record<string, unknown>> {
  const [[, q], [, g]] = await jmap(request, [
    ['x:Account/query', { filter: { name: 'admin' } }, 'q'],
    ['x:Account/get', { '#ids': { resultOf: 'q', name: 'x:Account/query', path: '/ids' }, properties: ['roles'] }, 'g'],
  ]);
  expect((q.ids as string[]).length).toBe(1);
  return (g.list as { roles: Record<string, unknown> }[])[0].roles;
}

test('the only administrator removing their own Administrator role is told why not, and nothing changes', async ({ page, request }) => {
  const before = await adminRoles(request);
  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Users');
  await page.getByRole('link', { name: 'admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'admin', level: 1 })).toBeVisible();
  // Roles is Stalwart's union: the administrator has its Administrator variant.
  expect(before).toEqual({ '@type': 'Admin' });
  const roles = page.getByRole('combobox', { name: 'Roles', exact: true });
  await expect(roles).toHaveValue('Admin');

  await roles.selectOption({ label: 'User' });
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert').filter({ hasText: REFUSAL })).toBeVisible();
  await assertAccessible(page);
  // The server kept the role; the page keeps the person's edit for them to undo.
  expect(await adminRoles(request)).toEqual(before);
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();
});

test('the built-in Administrator role opens read-only, says so, and offers no Delete', async ({ page }) => {
  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Roles');
  // In the list too: no Delete and no selection box on its row.
  await expect(page.getByRole('link', { name: 'Administrator', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete Administrator', exact: true })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Select Administrator', exact: true })).toHaveCount(0);
  await page.getByRole('link', { name: 'Administrator', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Administrator', level: 1 })).toBeVisible();
  await expect(page.getByRole('main').getByText(/built.in/i).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete role' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Description' })).toHaveCount(0);
  await assertAccessible(page);
});
