// No lost work (issue 14, point 5, the forms' part): a half-done edit survives a reload,
// says so and can be discarded; a save while offline says so and keeps the edit.

import { expect, test, type Dialog, type Page } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, jmap, signIn } from './helpers';

const address = () => `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** A reload the person confirms, should the page ask whether to leave it (the unsaved-changes guard). */
async function reload(page: Page) {
  const leave = (d: Dialog) => void d.accept().catch(() => undefined);
  page.on('dialog', leave);
  await page.reload();
  page.off('dialog', leave);
}

test('an edit survives a reload, with a notice and a way to discard it; a save clears it', async ({ page, request }) => {
  const ip = address();
  const id = await createViaApi(request, 'x:AllowedIp', { address: ip, reason: 'as saved' });
  await signIn(page);
  await page.goto(`/settings/security/allowed-ips/${id}`);
  await page.getByLabel('Reason').fill('half-typed');
  await reload(page);

  await expect(page.getByRole('status').filter({ hasText: /Your unsaved changes from .* were kept/ })).toBeVisible();
  await expect(page.getByLabel('Reason')).toHaveValue('half-typed');
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await expect(page.getByLabel('Reason')).toHaveValue('as saved');
  await reload(page);
  await expect(page.getByLabel('Reason')).toHaveValue('as saved');
  await expect(page.getByText(/were kept/)).toHaveCount(0);

  await page.getByLabel('Reason').fill('typed again');
  await reload(page);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await reload(page);
  await expect(page.getByLabel('Reason')).toHaveValue('typed again');
  await expect(page.getByText(/were kept/)).toHaveCount(0);
  await destroyViaApi(request, 'x:AllowedIp', [id]);
});

test('a new record’s draft survives a reload and goes once it is created', async ({ page, request }) => {
  const ip = address();
  await signIn(page);
  await page.goto('/settings/security/allowed-ips/new');
  await page.getByLabel('IP address or network').fill(ip);
  await page.getByLabel('Reason').fill('draft of a new one');
  await reload(page);
  await expect(page.getByLabel('IP address or network')).toHaveValue(ip);
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(page.getByText('Created allowed IP.')).toBeVisible();
  await page.goto('/settings/security/allowed-ips/new');
  await expect(page.getByLabel('IP address or network')).toHaveValue('');
  await expect(page.getByText(/were kept/)).toHaveCount(0);
  const [[, q]] = await jmap(request, [['x:AllowedIp/query', { filter: { address: ip } }, 'q']]);
  await destroyViaApi(request, 'x:AllowedIp', q.ids as string[]);
});

test('a save while offline says so and keeps the edit; once back, it saves', async ({ page, request }) => {
  const ip = address();
  const id = await createViaApi(request, 'x:AllowedIp', { address: ip, reason: 'before' });
  await signIn(page);
  await page.goto(`/settings/security/allowed-ips/${id}`);
  await page.getByLabel('Reason').fill('written offline');
  await page.context().setOffline(true);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'You appear to be offline; your changes are kept — save again when the connection is back.' })).toBeVisible();
  await expect(page.getByLabel('Reason')).toHaveValue('written offline');
  await assertAccessible(page);
  await page.context().setOffline(false);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const [[, g]] = await jmap(request, [['x:AllowedIp/get', { ids: [id], properties: ['reason'] }, 'g']]);
  expect((g.list as { reason: string }[])[0].reason).toBe('written offline');
  await destroyViaApi(request, 'x:AllowedIp', [id]);
});
