// An API key made in the console is shown once, works as a Bearer token, and dies when deleted.

import { expect, test } from '@playwright/test';
import { assertAccessible, goToPage, signIn, unique } from './helpers';

test('create an API key, copy it once, use it, delete it', async ({ page, request }) => {
  const description = unique('backup script');
  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'API keys');
  await page.getByRole('link', { name: 'New API key' }).first().click();
  await expect(page.getByRole('heading', { name: 'New API key', level: 1 })).toBeVisible();
  await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Create API key' }).click();
  await expect(page.getByText('Created API key.')).toBeVisible();

  const shown = page.getByRole('region', { name: 'Copy it now: it is shown only this once' });
  const key = await shown.getByRole('textbox').inputValue();
  expect(key).toMatch(/^pst_/);
  await assertAccessible(page);

  const account = await request.get('/api/account', { headers: { Authorization: `Bearer ${key}` } });
  expect(account.status()).toBe(200);
  expect((await account.json()).name).toBe('admin');

  // Shown once: opening the key again shows no secret.
  await page.reload();
  await expect(page.getByRole('heading', { name: description, level: 1 })).toBeVisible();
  await expect(shown).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  expect((await request.get('/api/account', { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(401);
});
