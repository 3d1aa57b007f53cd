// Push: a list on screen follows changes made elsewhere, without a reload.

import { expect, test } from '@playwright/test';
import { createViaApi, destroyViaApi, goToPage, signIn, unique } from './helpers';

test('a list shows records that someone else adds and removes', async ({ page, request }) => {
  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  const reason = unique('added elsewhere');
  const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
  await page.getByLabel('Address').fill(address);
  // The filtered (empty) page has been fetched: from here on only push can change it.
  await expect(page).toHaveURL(new RegExp(address.replace(/\./g, '\\.')));
  await expect(page.getByText('No allowed IPs match these filters.')).toBeVisible();

  const id = await createViaApi(request, 'x:AllowedIp', { address, reason });
  await expect(page.getByRole('row', { name: new RegExp(reason) })).toBeVisible();

  await destroyViaApi(request, 'x:AllowedIp', [id]);
  await expect(page.getByRole('row', { name: new RegExp(reason) })).toHaveCount(0);
});
