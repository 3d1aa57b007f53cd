import { expect, test } from '@playwright/test';
import { assertAccessible, destroyViaApi, goToPage, jmap, signIn, unique } from './helpers';

test('Cluster roles: create with some tasks, reopen, switch tasks to disable all', async ({ page, request }) => {
  const name = unique('frontend').replace(/\s/g, '-');
  await signIn(page);
  await goToPage(page, 'Settings', 'Cluster', 'Roles');
  await expect(page.getByRole('heading', { name: 'Cluster roles', level: 1 })).toBeVisible();
  await assertAccessible(page);

  await page.getByRole('link', { name: 'New cluster role' }).first().click();
  // The list's own "Name" filter stays on screen until the form has loaded.
  await expect(page.getByRole('heading', { name: 'New cluster role', level: 1 })).toBeVisible();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill('Outbound and search');
  await page.getByRole('combobox', { name: 'Tasks' }).selectOption({ label: 'Enable some tasks' });
  const taskTypes = page.getByRole('group', { name: 'Task types' });
  await taskTypes.getByLabel('Outbound Email MTA').check();
  await taskTypes.getByLabel('Search Indexing').check();
  await page.getByRole('combobox', { name: 'Listeners' }).selectOption({ label: 'Enable all listeners' });
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Create cluster role' }).click();
  await expect(page.getByText('Created cluster role.')).toBeVisible();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  // Reopen it from the list.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Tasks' })).toHaveValue('EnableSome');
  await expect(page.getByRole('group', { name: 'Task types' }).getByLabel('Outbound Email MTA')).toBeChecked();
  await expect(page.getByRole('group', { name: 'Task types' }).getByLabel('Search Indexing')).toBeChecked();
  await expect(page.getByRole('group', { name: 'Task types' }).getByLabel('Store Maintenance')).not.toBeChecked();
  await expect(page.getByRole('combobox', { name: 'Listeners' })).toHaveValue('EnableAll');

  await page.getByRole('combobox', { name: 'Tasks' }).selectOption({ label: 'Disable all tasks' });
  await expect(page.getByRole('group', { name: 'Task types' })).toBeHidden();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Tasks' })).toHaveValue('DisableAll');
  const [[, q]] = await jmap(request, [['x:ClusterRole/query', { filter: { name } }, 'q']]);
  const [[, g]] = await jmap(request, [['x:ClusterRole/get', { ids: q.ids }, 'g']]);
  const rec = (g.list as Record<string, unknown>[])[0];
  expect(rec.tasks).toEqual({ '@type': 'DisableAll' });
  expect(rec.listeners).toEqual({ '@type': 'EnableAll' });
  await destroyViaApi(request, 'x:ClusterRole', q.ids as string[]);
});
