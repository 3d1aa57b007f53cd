import { expect, test } from '@playwright/test';
import { assertAccessible, signIn } from './helpers';

test('every page in the navigation, and every creation form, passes axe', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await assertAccessible(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  // Open every group so every link is on screen.
  for (;;) {
    const closed = nav.locator('button[aria-expanded="false"]');
    if ((await closed.count()) === 0) break;
    await closed.first().click();
  }
  const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
  expect(hrefs.length).toBeGreaterThan(5);
  for (const href of hrefs) {
    await test.step(href, async () => {
      await page.goto(href);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: 'Loading' })).toHaveCount(0);
      await assertAccessible(page);
      const create = page.getByRole('main').getByRole('link', { name: /^New / }).first();
      if (await create.isVisible()) {
        await create.click();
        await expect(page.getByRole('button', { name: /^Create / })).toBeVisible();
        await assertAccessible(page);
      }
    });
  }
});
