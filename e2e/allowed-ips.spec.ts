import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, goToPage, jmap, signIn, watchJmapCalls } from './helpers';

test('Allowed IPs: add, find, filter, edit, reject bad and duplicate masks, delete', async ({ page, request }) => {
  // Someone else's entry, so the address filter has something to hide.
  const otherId = await createViaApi(request, 'x:AllowedIp', { address: '198.51.100.0/24', reason: 'Partner' });
  const calls = watchJmapCalls(page);

  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: '198.51.100.0/24' })).toBeVisible();
  await assertAccessible(page);

  await page.getByRole('link', { name: 'New allowed IP' }).first().click();
  const address = page.getByLabel('IP address or network');

  // An invalid mask is caught on the field, before anything is sent.
  await address.fill('10.0.0.0/99');
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/prefix must be between/)).toBeVisible();
  expect(calls.filter((m) => m === 'x:AllowedIp/set')).toEqual([]);
  await assertAccessible(page);

  await address.fill('10.0.0.0/8');
  await page.getByLabel('Reason').fill('Office network');
  await page.getByLabel('Expires at').fill('2030-01-01T00:00');
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(page.getByText('Created allowed IP.')).toBeVisible();
  await expect(page.getByRole('heading', { name: '10.0.0.0/8', level: 1 })).toBeVisible();
  // Fixed once created: shown as text, not as an input.
  await expect(page.getByLabel('IP address or network')).toHaveText('10.0.0.0/8');
  await assertAccessible(page);

  // In the list, then filtered by address.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Allowed IPs' }).click();
  const row = page.getByRole('row', { name: /10\.0\.0\.0\/8/ });
  await expect(row).toContainText('Office network');
  await expect(row).toContainText('Jan 1, 2030, 00:00 UTC');
  await page.getByRole('search').getByLabel('Address').fill('10.0.');
  await expect(page).toHaveURL(/f\.address=10\.0\./);
  await expect(page.getByRole('link', { name: '198.51.100.0/24' })).toBeHidden();
  await expect(row).toBeVisible();

  // Edit the reason.
  await page.getByRole('link', { name: '10.0.0.0/8' }).click();
  await page.getByLabel('Reason').fill('Head office network');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const [[, got]] = await jmap(request, [['x:AllowedIp/query', { filter: { address: '10.0.0.0/8' } }, 'q']]);
  const [[, rec]] = await jmap(request, [['x:AllowedIp/get', { ids: got.ids }, 'g']]);
  expect((rec.list as { reason: string }[])[0].reason).toBe('Head office network');

  // A duplicate shows the server's refusal.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Allowed IPs' }).click();
  await page.getByRole('link', { name: 'New allowed IP' }).first().click();
  await page.getByLabel('IP address or network').fill('10.0.0.0/8');
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(page.getByRole('alert')).toContainText(/already/);
  await expect(page.getByLabel('IP address or network')).toHaveAttribute('aria-invalid', 'true');
  await assertAccessible(page);

  // Leaving the unsaved form asks first; then delete it from the list, behind a confirmation.
  page.once('dialog', (d) => {
    expect(d.message()).toContain('unsaved changes');
    void d.accept();
  });
  await page.getByRole('link', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete 10.0.0.0/8' }).click();
  const dialog = page.getByRole('dialog', { name: /Delete allowed IP/ });
  await expect(dialog).toBeVisible();
  await assertAccessible(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Deleted 1 allowed IP.')).toBeVisible();
  await expect(page.getByRole('link', { name: '10.0.0.0/8' })).toBeHidden();

  await destroyViaApi(request, 'x:AllowedIp', [otherId]);
});
