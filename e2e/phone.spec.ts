// On a phone (390×844): no page scrolls sideways, with the menu open or closed, and a
// list's row actions (Delete) are on screen without scrolling the table.

import { expect, test, type Page } from '@playwright/test';
import { assertAccessible, assertNoSideScroll, createViaApi, forEveryPage, signIn, unique } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

async function openMenu(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Navigation menu' });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test('no page of the navigation, nor its creation form, scrolls sideways at 390 px', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await assertNoSideScroll(page);
  await openMenu(page);
  await forEveryPage(page, assertNoSideScroll);
});

test('a row’s Delete is on screen at 390 px, and deleting works from there', async ({ page, request }) => {
  const address = `198.19.0.${1 + Math.floor(Math.random() * 250)}`;
  await createViaApi(request, 'x:AllowedIp', { address, reason: unique('A rather long reason that makes the row wide on a phone') });
  await signIn(page);
  await openMenu(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Security', exact: true }).click();
  await nav.getByRole('link', { name: 'Allowed IPs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  // Following a link closed the menu, which covers the page on a phone.
  await expect(nav).toBeHidden();
  await page.getByRole('search', { name: 'Filters' }).getByLabel('Address').fill(address);

  const remove = page.getByRole('button', { name: `Delete ${address}`, exact: true });
  await expect(remove).toBeInViewport();
  await assertNoSideScroll(page);
  await assertAccessible(page);
  await remove.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await assertNoSideScroll(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Deleted 1 allowed IP.')).toBeVisible();
  await expect(page.getByRole('link', { name: address, exact: true })).toBeHidden();
  await assertNoSideScroll(page);
});
