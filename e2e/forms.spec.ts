// Form behaviour a person relies on: where focus goes on an error, what counts as entered.

import { expect, test } from '@playwright/test';
import { destroyViaApi, jmap, signIn, unique } from './helpers';

test('submitting with a missing field puts focus on it and says why', async ({ page }) => {
  await signIn(page);
  await page.goto('/settings/security/allowed-ips/new');
  await expect(page.getByRole('heading', { name: 'New allowed IP', level: 1 })).toBeVisible();
  await page.getByLabel('Reason').fill('no address yet');
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(page.getByLabel('IP address or network')).toBeFocused();
  await expect(page.getByLabel('IP address or network')).toHaveAttribute('aria-invalid', 'true');
  // Dates are entered in UTC, and the field says so.
  await expect(page.getByLabel('Expires at')).toHaveAccessibleDescription(/UTC/);
});

test('a value typed into a list field counts without pressing Add', async ({ page, request }) => {
  const name = unique('smtp-in').replace(/\s/g, '-');
  await signIn(page);
  await page.goto('/settings/network/listeners/new');
  await expect(page.getByRole('heading', { name: 'New listener', level: 1 })).toBeVisible();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Protocol').selectOption({ label: 'SMTP' });
  await page.getByLabel('Add to bind addresses').fill('127.0.0.1:2525');
  await page.getByRole('button', { name: 'Create listener' }).click();
  await expect(page.getByText('Created listener.')).toBeVisible();
  const [[, q]] = await jmap(request, [['x:NetworkListener/query', { filter: { name } }, 'q'], ['x:NetworkListener/get', { '#ids': { resultOf: 'q', name: 'x:NetworkListener/query', path: '/ids' } }, 'g']]);
  const ids = (q as { ids: string[] }).ids;
  expect(ids).toHaveLength(1);
  const [[, g]] = await jmap(request, [['x:NetworkListener/get', { ids }, 'g']]);
  expect((g as { list: { bind: Record<string, true> }[] }).list[0].bind).toEqual({ '127.0.0.1:2525': true });
  await destroyViaApi(request, 'x:NetworkListener', ids);
});

test('deleting everything on the last page moves to the page before', async ({ page, request }) => {
  const create = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, { address: `203.0.113.${i + 1}`, reason: 'paging' }]));
  const [[, r]] = await jmap(request, [['x:AllowedIp/set', { create }, 'c']]);
  const ids = Object.values((r as { created: Record<string, { id: string }> }).created).map((c) => c.id);
  expect(ids).toHaveLength(51);
  await signIn(page);
  await page.goto('/settings/security/allowed-ips?f.address=203.0.113.&page=2');
  await expect(page.getByText('51–51 of 51')).toBeVisible();
  await page.getByLabel('Select all on this page').check();
  await page.getByRole('button', { name: /^Delete/ }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: /^Delete/ }).click();
  await expect(page.getByText('1–50 of 50')).toBeVisible();
  await destroyViaApi(request, 'x:AllowedIp', ids);
});
