// Conflicts resolve (issue 14, point 4): someone else saves first; the page shows their
// change beside what you typed, per field, lets you keep yours or take theirs, and the
// save then applies to their version instead of conflicting again.

import { expect, test } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, jmap, signIn } from './helpers';

test('two administrators edit one record: the second chooses per field and saves against the first one’s version', async ({ browser, request }) => {
  const address = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const id = await createViaApi(request, 'x:AllowedIp', { address, reason: 'start' });
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signIn(first);
  await signIn(second);
  for (const page of [first, second]) {
    await page.goto(`/settings/security/allowed-ips/${id}`);
    await expect(page.getByRole('heading', { name: address, level: 1 })).toBeVisible();
  }

  // The second starts typing; then the first saves a reason and an expiry.
  await second.getByLabel('Reason').fill('second reason');
  await first.getByLabel('Reason').fill('first reason');
  await first.getByLabel('Expires at').fill('2031-02-03T04:05');
  await first.getByRole('button', { name: 'Save changes' }).click();
  await expect(first.getByText('Saved.')).toBeVisible();

  await second.getByRole('button', { name: 'Save changes' }).click();
  const panel = second.getByRole('region', { name: 'Changed by someone else' });
  await expect(panel).toBeVisible();
  const reason = panel.getByRole('group', { name: 'Reason' });
  await expect(reason.getByLabel(/Keep yours: second reason/)).toBeChecked();
  await expect(reason.getByLabel(/Take theirs: first reason/)).not.toBeChecked();
  await expect(panel).toContainText('Expires at: Feb 3, 2031, 04:05 UTC');
  await assertAccessible(second);

  await panel.getByRole('button', { name: 'Save with these choices' }).click();
  await expect(second.getByText('Saved.')).toBeVisible();
  await expect(panel).toHaveCount(0);
  const [[, g]] = await jmap(request, [['x:AllowedIp/get', { ids: [id], properties: ['reason', 'expiresAt'] }, 'g']]);
  expect((g.list as Record<string, unknown>[])[0]).toMatchObject({ reason: 'second reason', expiresAt: '2031-02-03T04:05:00Z' });

  // Saving again does not conflict: the page now edits the version it saved.
  await second.getByLabel('Reason').fill('second, again');
  await second.getByRole('button', { name: 'Save changes' }).click();
  await expect(second.getByText('Saved.')).toBeVisible();
  await expect(second.getByRole('region', { name: 'Changed by someone else' })).toHaveCount(0);

  await first.context().close();
  await second.context().close();
  await destroyViaApi(request, 'x:AllowedIp', [id]);
});
