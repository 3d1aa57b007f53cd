import { expect, test } from '@playwright/test';
import { ADMIN } from './env';
import { assertAccessible, createViaApi, destroyViaApi, jmap, signIn, unique, watchJmapCalls } from './helpers';

test('Command palette: Ctrl+K, part of a record name, the keyboard, and its page', async ({ page, request }) => {
  const name = unique('Palette role');
  const token = name.split(' ').pop()!;
  const roleId = await createViaApi(request, 'x:Role', { description: name, enabledPermissions: { sysRoleGet: true } });

  await signIn(page);
  const calls = watchJmapCalls(page);
  await page.getByRole('link', { name: 'Postern' }).focus();
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Go to a page or record' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByRole('combobox', { name: 'Search pages and records' });
  await expect(input).toBeFocused();

  // Part of the name: the server finds it (the console holds no list of roles).
  await input.pressSequentially(token.slice(0, 6));
  const option = dialog.getByRole('option', { name });
  await expect(option).toBeVisible();
  expect(calls).toContain('x:Role/query');
  await expect(dialog.getByRole('group', { name: 'Management › Directory › Roles' })).toBeVisible();
  await assertAccessible(page);

  // The first match is active; arrows move, Enter opens.
  await expect(option).toHaveAttribute('data-active-item', 'true');
  await input.press('ArrowDown');
  await input.press('ArrowUp');
  await expect(option).toHaveAttribute('data-active-item', 'true');
  await input.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/management/directory/roles/${encodeURIComponent(roleId)}$`));

  // A name that nothing has: the palette says so.
  await page.keyboard.press('Control+K');
  await dialog.getByRole('combobox').fill(`${token}-none`);
  await expect(dialog.getByRole('status')).toHaveText(`Nothing matches “${token}-none”.`);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await destroyViaApi(request, 'x:Role', [roleId]);
  const [[, q]] = await jmap(request, [['x:Role/query', { filter: { description: name } }, 'q']]);
  expect(q.ids).toEqual([]);
});

test('Command palette: the Search button jumps to a page of the navigation; Escape gives the focus back', async ({ page }) => {
  await signIn(page);
  const search = page.getByRole('banner').getByRole('button', { name: 'Search' });
  await expect(search).toHaveAttribute('aria-keyshortcuts', 'Control+K Meta+K');

  await search.click();
  const dialog = page.getByRole('dialog', { name: 'Go to a page or record' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(search).toBeFocused();

  await page.keyboard.press('Meta+K');
  await expect(dialog).toBeVisible();
  // Accounts are found by name (their list's Name filter), not only by address.
  await dialog.getByRole('combobox').fill(ADMIN.username);
  await expect(dialog.getByRole('group', { name: 'Management › Directory › Users' }).getByRole('option', { name: ADMIN.username, exact: true })).toBeVisible();
  // Pasted, not typed: the first match is still the one Enter opens.
  await dialog.getByRole('combobox').fill('allowed');
  const pageOption = dialog.getByRole('group', { name: 'Pages' }).getByRole('option', { name: /Allowed IPs/ });
  await expect(pageOption).toBeVisible();
  await expect(pageOption).toContainText('Settings › Security');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/security\/allowed-ips$/);
  await expect(page.locator('#main')).toBeFocused();
});
