import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, goToPage, signIn, unique } from './helpers';

test('Activity log: a role changed in the console shows in its History and in the log, with its author, via and old and new values', async ({ page, request }) => {
  const before = unique('Audited');
  const after = unique('Renamed');
  const roleId = await createViaApi(request, 'x:Role', { description: before });

  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Roles');
  await page.getByRole('link', { name: before, exact: true }).click();
  await expect(page.getByRole('heading', { name: before, level: 1 })).toBeVisible();
  const history = page.getByRole('region', { name: 'History' });
  // Made through the API as admin: one entry so far.
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history.getByRole('listitem').first()).toContainText('Created');

  await page.getByLabel('Description').fill(after);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  // Newest first: the change, by admin, via JMAP, the description from the old name to the new one.
  const newest = history.getByRole('listitem').first();
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(newest).toContainText('Changed');
  await expect(newest).toContainText('by admin');
  await expect(newest).toContainText('via JMAP');
  const description = newest.getByRole('definition').first();
  await expect(newest.getByRole('term').first()).toHaveText('Description');
  await expect(description).toContainText(before);
  await expect(description).toContainText(after);
  await assertAccessible(page);

  // The full log, filtered to this role.
  await history.getByRole('link', { name: 'Open in the activity log (2 entries)' }).click();
  await expect(page.getByRole('heading', { name: 'Activity log', level: 1 })).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(3); // header and two entries
  await expect(rows.nth(1)).toContainText('admin');
  await expect(rows.nth(1)).toContainText('JMAP');
  await expect(rows.nth(1)).toContainText('Changed');
  await expect(rows.nth(1)).toContainText(/description/i);
  await assertAccessible(page);

  // The log from the navigation, and the entry's own page with its changes in words.
  await goToPage(page, 'Management', 'Activity log');
  await expect(page.getByRole('heading', { name: 'Activity log', level: 1 })).toBeVisible();
  // Other tests change things at the same time: this role's newest entry, not the log's.
  const first = page.getByRole('table').getByRole('row').filter({ hasText: roleId }).first();
  await expect(first).toContainText('admin');
  await expect(first).toContainText('Changed');
  await first.getByRole('link').first().click();
  const panel = page.getByRole('region', { name: 'What changed' });
  await expect(panel).toContainText('by admin');
  await expect(panel).toContainText('via JMAP');
  await expect(panel.getByRole('term').first()).toHaveText('Description');
  await expect(panel.getByRole('definition').first()).toContainText(before);
  await expect(panel.getByRole('definition').first()).toContainText(after);
  await expect(panel.getByRole('link', { name: new RegExp(roleId) })).toBeVisible();
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Role', [roleId]);
});
