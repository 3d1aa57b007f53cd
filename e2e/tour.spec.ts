import { test } from '@playwright/test';
import { assertAccessible, forEveryPage, signIn } from './helpers';

test('every page in the navigation, and every creation form, passes axe', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  await assertAccessible(page);
  await forEveryPage(page, assertAccessible);
});
