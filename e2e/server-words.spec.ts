// The server's words reach the person (issue 14, points 3 and 6): a field shows the
// server's own reason, and a refusal names permissions by their labels, a long list
// shortened, never as raw `sys…` ids.

import { expect, test } from '@playwright/test';
import { ADMIN } from './env';
import { assertAccessible, basic, createViaApi, destroyViaApi, signIn, unique, userValue } from './helpers';

test('a role that would extend itself shows the server’s reason on the field, and what to do', async ({ page, request }) => {
  const first = unique('Cycle first');
  const second = unique('Cycle second');
  const firstId = await createViaApi(request, 'x:Role', { description: first });
  const secondId = await createViaApi(request, 'x:Role', { description: second, roleIds: { [firstId]: true } });
  await signIn(page);
  await page.goto(`/management/directory/roles/${firstId}`);
  await expect(page.getByRole('heading', { name: first, level: 1 })).toBeVisible();

  const extend = page.getByRole('combobox', { name: 'Extends roles' });
  await extend.fill(second);
  await page.getByRole('option', { name: second }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Some fields need attention: correct them, then save again.' })).toBeVisible();
  await expect(extend).toHaveAccessibleDescription(/Inheritance cycle: /);
  await expect(page.getByText('The server did not accept this value')).toHaveCount(0);
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Role', [secondId, firstId]);
});

test('a refusal over permissions names them by their labels, a long list shortened', async ({ page, request }) => {
  const schema = await (await request.get('/api/schema', { headers: { Authorization: basic(ADMIN.username, ADMIN.password) } })).json();
  const every = (schema.enums.Permission as { name: string }[]).map((p) => p.name);
  const big = unique('Everything');
  const bigId = await createViaApi(request, 'x:Role', { description: big, enabledPermissions: Object.fromEntries(every.map((p) => [p, true])) });
  const login = unique('editor').replace(/\s/g, '-').toLowerCase();
  const password = 'Editor-Passw0rd!';
  const editorId = await createViaApi(request, 'x:Role', {
    description: unique('Role editor'),
    enabledPermissions: { sysRoleGet: true, sysRoleQuery: true, sysRoleUpdate: true },
  });
  const userId = await createViaApi(request, 'x:Account', userValue(login, password, [editorId]));

  await signIn(page, { username: login, password });
  await page.goto(`/management/directory/roles/${bigId}`);
  await expect(page.getByRole('heading', { name: big, level: 1 })).toBeVisible();
  await page.getByLabel('Description').fill(`${big} (renamed)`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'has permissions you do not hold' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/\((View|Search|Create|Edit|Delete) [a-zA-Z ]+, (View|Search|Create|Edit|Delete) [a-zA-Z ]+ and \d+ more\)/);
  await expect(alert).not.toContainText(/\bsys[A-Z]/);
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Account', [userId]);
  await destroyViaApi(request, 'x:Role', [editorId, bigId]);
});
