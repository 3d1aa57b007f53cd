// Push: a list on screen follows changes made elsewhere, without a reload.

import { expect, test } from '@playwright/test';
import { createViaApi, destroyViaApi, goToPage, jmap, signIn, unique } from './helpers';

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

test('saving over a change made elsewhere reports the conflict instead of undoing it', async ({ page, request }) => {
  const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
  const id = await createViaApi(request, 'x:AllowedIp', { address, reason: 'before', expiresAt: '2031-01-01T00:00:00Z' });
  await signIn(page);
  await page.goto(`/settings/security/allowed-ips/${id}`);
  await expect(page.getByRole('heading', { name: address, level: 1 })).toBeVisible();
  await page.getByLabel('Reason').fill('office LAN');

  // Another administrator changes the expiry; push makes the console refetch the record.
  const refetched = page.waitForResponse((r) => r.url().endsWith('/jmap/') && (r.request().postData() ?? '').includes('x:AllowedIp/get'));
  await jmap(request, [['x:AllowedIp/set', { update: { [id]: { expiresAt: '2040-06-01T00:00:00Z' } } }, 'u']]);
  await refetched;

  await page.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByRole('region', { name: 'Changed by someone else' });
  await expect(conflict.getByRole('alert')).toContainText('Someone else changed this allowed IP while you were editing.');
  const [[, got]] = await jmap(request, [['x:AllowedIp/get', { ids: [id] }, 'g']]);
  expect((got.list as Record<string, unknown>[])[0]).toMatchObject({ expiresAt: '2040-06-01T00:00:00Z', reason: 'before' });
  await destroyViaApi(request, 'x:AllowedIp', [id]);
});
