import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, goToPage, jmap, signIn, unique } from './helpers';

test('Directory roles: extend a role, grant and deny, see effective permissions; a linked role cannot go', async ({ page, request }) => {
  const baseName = unique('Base');
  const childName = unique('Helpdesk');
  const baseId = await createViaApi(request, 'x:Role', {
    description: baseName,
    enabledPermissions: { sysRoleGet: true, sysAllowedIpGet: true },
  });

  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Roles');
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await assertAccessible(page);
  await page.getByRole('link', { name: 'New role' }).first().click();
  // The list's own "Description" filter stays on screen until the form has loaded.
  await expect(page.getByRole('heading', { name: 'New role', level: 1 })).toBeVisible();

  await page.getByLabel('Description').fill(childName);
  const extend = page.getByRole('combobox', { name: 'Extends roles' });
  await extend.fill(baseName);
  await page.getByRole('option', { name: baseName }).click();
  await expect(page.getByRole('list', { name: 'Selected' }).getByText(baseName)).toBeVisible();

  const enabled = page.getByRole('group', { name: 'Enabled permissions' });
  await enabled.getByRole('combobox', { name: 'Search enabled permissions' }).fill('create roles');
  await enabled.getByRole('option', { name: /^Create roles/ }).click();
  const disabled = page.getByRole('group', { name: 'Disabled permissions' });
  await disabled.getByRole('combobox', { name: 'Search disabled permissions' }).fill('view allowed');
  await disabled.getByRole('option', { name: /^View allowed IPs/ }).click();

  const panel = page.getByRole('region', { name: 'Effective permissions' });
  const granted = panel.getByRole('table', { name: 'Granted permissions' });
  await expect(granted.getByRole('row', { name: /View roles/ })).toContainText(baseName);
  await expect(granted.getByRole('row', { name: /Create roles/ })).toContainText('this role');
  await expect(granted.getByRole('row', { name: /View allowed IPs/ })).toHaveCount(0);
  await expect(panel.getByRole('table', { name: 'Denied permissions' }).getByRole('row', { name: /View allowed IPs/ })).toContainText(baseName);
  await assertAccessible(page);

  await page.getByRole('button', { name: 'Create role', exact: true }).click();
  await expect(page.getByText('Created role.')).toBeVisible();
  await expect(page.getByRole('heading', { name: childName, level: 1 })).toBeVisible();
  await expect(granted.getByRole('row', { name: /View roles/ })).toContainText(baseName);
  const [[, q]] = await jmap(request, [['x:Role/query', { filter: { description: childName } }, 'q']]);
  const childId = (q.ids as string[])[0];

  // The base role is still extended by the new one, so deleting it names the new one.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: baseName, exact: true }).click();
  await page.getByRole('button', { name: 'Delete role' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('still used');
  await expect(alert.getByRole('link', { name: childName })).toBeVisible();
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Role', [childId]);
  await destroyViaApi(request, 'x:Role', [baseId]);
});
