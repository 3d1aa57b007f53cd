// CSV import of accounts (issue 15): a file of 20 users of which 2 are bad; the preview shows
// exactly those 2 with the server's own errors (its dry run), the import creates the other 18
// in batches, and the report says what failed and why, with the rows to download.

import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { assertAccessible, continueAs, createViaApi, goToPage, jmap, signIn } from './helpers';
import { ADMIN, STALWART_URL } from './env';

const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/import-${name}.png`, fullPage: true });

test('import 20 accounts from CSV: the preview shows the 2 bad rows, the report 18 created and 2 failed', async ({ page, request }) => {
  test.setTimeout(90_000);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const domain = `imp${tag}.test`;
  const domainId = await createViaApi(request, 'x:Domain', { name: domain });
  const names = Array.from({ length: 20 }, (_, i) => `csv${tag}u${String(i + 1).padStart(2, '0')}`);
  names[2] = 'has space'; // line 4: not a valid name
  names[11] = names[4].toUpperCase(); // line 13: the same address as line 6 (addresses ignore case)
  const csv = ['Name,Domain,Description,Password', ...names.map((n, i) => `${n},${domain},"Imported, number ${i + 1}",Secret-${tag}-${i}!`)].join('\r\n') + '\r\n';

  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Users');
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import users from CSV' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('CSV file').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  // The preview: the server checked every row (its dry run); exactly lines 4 and 13 have errors.
  await expect(dialog.getByText('The server checked every row without saving anything.')).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText('18 rows are ready to import. 2 rows have errors and will not be imported.');
  const table = dialog.getByRole('table', { name: 'Rows of users.csv' });
  await expect(table.getByRole('row')).toHaveCount(21);
  const bad = table.getByRole('row').filter({ has: page.getByText(/^\d+ errors?$/) });
  await expect(bad).toHaveCount(2);
  await expect(bad.getByRole('rowheader')).toHaveText(['4', '13']);
  const badName = bad.nth(0).getByRole('cell', { name: /has space/ });
  await expect(badName).toHaveAccessibleDescription(/.+/);
  const duplicate = bad.nth(1).getByRole('cell', { name: new RegExp(names[11]) });
  await expect(duplicate).toHaveAccessibleDescription(new RegExp(`${names[4]}@${domain}`, 'i'));
  // Nothing was stored by the check.
  const [[, before]] = await jmap(request, [['x:Account/query', { filter: { domainId } }, 'q']]);
  expect(before.ids).toEqual([]);
  await assertAccessible(page);
  await shot(page, 'preview');

  await dialog.getByRole('button', { name: 'Import 18 rows' }).click();
  const counts = dialog.getByRole('list', { name: 'Import report' });
  await expect(counts).toContainText('Created: 18');
  await expect(counts).toContainText('Not imported: 2');
  const failures = dialog.getByRole('table', { name: 'Rows not imported' });
  await expect(failures.getByRole('rowheader')).toHaveText(['4', '13']);
  await expect(failures.getByRole('row').nth(1)).toContainText('Name');
  await expect(failures.getByRole('row').nth(2)).toContainText(`${names[4]}@${domain}`.toLowerCase());
  await assertAccessible(page);
  await shot(page, 'report');

  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download the rows not imported (CSV)' }).click()]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  expect(text.split('\r\n').filter(Boolean)).toEqual(['Name,Domain,Description,Password', `has space,${domain},"Imported, number 3",Secret-${tag}-2!`, `${names[11]},${domain},"Imported, number 12",Secret-${tag}-11!`]);

  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();
  // The 18 accounts exist, with the file's values, and the list shows them.
  const [[, q], [, g]] = await jmap(request, [
    ['x:Account/query', { filter: { domainId } }, 'q'],
    ['x:Account/get', { '#ids': { resultOf: 'q', name: 'x:Account/query', path: '/ids' }, properties: ['name', 'description', 'emailAddress'] }, 'g'],
  ]);
  expect(q.ids).toHaveLength(18);
  const made = (g.list as { name: string; description: string }[]).map((a) => a.name).sort();
  expect(made).toEqual(names.filter((_, i) => i !== 2 && i !== 11).sort());
  expect((g.list as { name: string; description: string }[]).find((a) => a.name === names[0])?.description).toBe('Imported, number 1');
  await page.getByRole('search').getByLabel('Name', { exact: true }).fill(`csv${tag}`);
  await expect(page.getByRole('link', { name: names[19] })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('1–18 of 18');
  await jmap(request, [
    ['x:Account/set', { destroy: q.ids }, 'a'],
    ['x:Domain/set', { destroy: [domainId] }, 'd'],
  ]);
});

test.describe('against a Stalwart-like server (no dry run)', () => {
  test.use({ baseURL: STALWART_URL });

  test('the console checks the rows with the schema, says the server checks again, and imports', async ({ page, request }) => {
    const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
    const csv = `name,domainId,description,password\r\nsw${tag}a,example.test,First,Pass-${tag}-1\r\nsw${tag}b,nowhere.test,Second,Pass-${tag}-2\r\nsw${tag}c,example.test,Third,Pass-${tag}-3\r\n`;
    await page.goto('/');
    await continueAs(page, ADMIN);
    await expect(page.getByRole('heading', { name: 'Sign in to Stalwart', level: 1 })).toBeVisible();
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await goToPage(page, 'Management', 'Directory', 'Accounts');
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import accounts from CSV' });
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'few.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(dialog.getByText(/cannot check rows without saving them/)).toBeVisible();
    await expect(dialog.getByRole('status')).toHaveText('2 rows are ready to import. 1 row has errors and will not be imported.');
    const bad = dialog.getByRole('row').filter({ has: page.getByText(/^\d+ errors?$/) });
    await expect(bad.getByRole('rowheader')).toHaveText(['3']);
    await expect(bad.getByRole('cell', { name: /nowhere\.test/ })).toHaveAccessibleDescription('No domain named “nowhere.test”');
    await dialog.getByRole('button', { name: 'Import 2 rows' }).click();
    await expect(dialog.getByRole('list', { name: 'Import report' })).toContainText('Created: 2');
    await expect(dialog.getByRole('table', { name: 'Rows not imported' }).getByRole('rowheader')).toHaveText(['3']);
    const [[, g]] = await jmap(request, [['x:Account/get', { ids: null, properties: ['name', 'description'] }, 'g']]);
    const made = (g.list as { name: string; description: string }[]).filter((a) => a.name.startsWith(`sw${tag}`));
    expect(made.map((a) => [a.name, a.description]).sort()).toEqual([[`sw${tag}a`, 'First'], [`sw${tag}c`, 'Third']]);
  });
});
