// Pickers are WAI-ARIA comboboxes (issue 14, point 2): Tab into one and Enter chooses
// nothing; typing, an arrow and Enter choose and are announced. They offer only what the
// caller may grant (point 6): roles and permissions beyond the caller's are disabled, saying why.

import { expect, test, type Page } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, signIn, unique, userValue } from './helpers';

/** A login name the schema accepts, unique to this run. */
const loginName = (prefix: string) => unique(prefix).replace(/\s/g, '-').toLowerCase();

async function openNewUser(page: Page) {
  await page.goto('/management/directory/users/new');
  await expect(page.getByRole('heading', { name: 'New user', level: 1 })).toBeVisible();
}

test('keyboard only: Tab into Roles and Enter add nothing; typing, an arrow and Enter add the role and say so', async ({ page, request }) => {
  const roleName = unique('Mail reader');
  const roleId = await createViaApi(request, 'x:Role', { description: roleName, enabledPermissions: { sysRoleGet: true } });
  await signIn(page);
  await openNewUser(page);

  await page.getByRole('textbox', { name: 'Name', exact: true }).focus();
  await page.keyboard.type(loginName('kbd'));
  // Roles is Stalwart's union: its Chosen roles variant picks roles.
  const kind = page.getByRole('combobox', { name: 'Roles', exact: true });
  await kind.selectOption({ label: 'Chosen roles' });
  await kind.focus();
  const roles = page.getByRole('combobox', { name: 'Custom roles' });
  for (let i = 0; i < 6 && !(await roles.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(roles).toBeFocused();
  await expect(roles).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  // Nothing chosen, and the form was not sent either.
  await expect(page.getByRole('list', { name: 'Selected' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'New user', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.keyboard.type(roleName);
  const option = page.getByRole('option', { name: roleName });
  await expect(option).toBeVisible();
  // Options of the picker's list (the form's selects have options too).
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'Selected' })).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await expect(roles).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
  await assertAccessible(page);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'Selected' }).getByText(roleName)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `Added ${roleName}.` })).toBeAttached();
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Role', [roleId]);
});

test('a caller is offered only the roles and permissions they may grant, and told why the others are not', async ({ page, request }) => {
  const login = loginName('helpdesk');
  const password = 'Helpdesk-Passw0rd!';
  const helpdesk = unique('Helpdesk');
  const roleId = await createViaApi(request, 'x:Role', {
    description: helpdesk,
    enabledPermissions: Object.fromEntries(
      ['sysAccountGet', 'sysAccountQuery', 'sysAccountCreate', 'sysRoleGet', 'sysRoleQuery', 'sysRoleCreate'].map((p) => [p, true]),
    ),
  });
  const userId = await createViaApi(request, 'x:Account', userValue(login, password, [roleId]));

  await signIn(page, { username: login, password });
  await openNewUser(page);
  await page.getByRole('combobox', { name: 'Roles', exact: true }).selectOption({ label: 'Chosen roles' });
  const roles = page.getByRole('combobox', { name: 'Custom roles' });
  await roles.fill('Administrator');
  const admin = page.getByRole('listbox').getByRole('option').filter({ has: page.getByText('Administrator', { exact: true }) });
  await expect(admin).toHaveAttribute('aria-disabled', 'true');
  await expect(admin).toContainText('Grants permissions you do not hold:');
  await expect(admin).not.toContainText(/\bsys[A-Z]/);
  // A click on it adds nothing (dispatched: the list may have just closed, which changes nothing here).
  await admin.dispatchEvent('click');
  await expect(page.getByRole('list', { name: 'Selected' })).toHaveCount(0);
  await roles.fill(helpdesk);
  await expect(page.getByRole('option', { name: helpdesk })).not.toHaveAttribute('aria-disabled', 'true');
  await assertAccessible(page);

  await page.goto('/management/directory/roles/new');
  await expect(page.getByRole('heading', { name: 'New role', level: 1 })).toBeVisible();
  const enabled = page.getByRole('group', { name: 'Enabled permissions' });
  await enabled.getByRole('combobox', { name: 'Search enabled permissions' }).fill('allowed IPs');
  const unheld = page.getByRole('option', { name: /^Create allowed IPs/ });
  await expect(unheld).toHaveAttribute('aria-disabled', 'true');
  await expect(unheld).toContainText('You do not hold this permission, so you cannot grant it.');
  await page.keyboard.press('Escape');
  await enabled.getByRole('button', { name: /^Accounts/ }).click();
  await expect(enabled.getByLabel('Create accounts')).toBeEnabled();
  await expect(enabled.getByLabel('Delete accounts')).toBeDisabled();
  await expect(enabled.getByLabel('Delete accounts')).toHaveAccessibleDescription('You do not hold this permission, so you cannot grant it.');
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Account', [userId]);
  await destroyViaApi(request, 'x:Role', [roleId]);
});
