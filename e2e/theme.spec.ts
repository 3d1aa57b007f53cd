import { expect, test, type Page } from '@playwright/test';
import { assertAccessible, continueAs, createViaApi, destroyViaApi, goToPage, signIn, unique } from './helpers';

/** The page's background colour, as the browser paints it. */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const theme = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
const DARK_BG = 'rgb(15, 20, 27)';
const LIGHT_BG = 'rgb(245, 246, 248)';

test('Dark mode: the switch darkens every page, passes axe on three of them, and survives a reload', async ({ page, request }, testInfo) => {
  const roleName = unique('Night shift');
  const roleId = await createViaApi(request, 'x:Role', { description: roleName, enabledPermissions: { sysRoleGet: true } });

  await signIn(page);
  const toggle = page.getByRole('banner').getByRole('button', { name: 'Dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await theme(page)).toBeNull();
  expect(await background(page)).toBe(LIGHT_BG);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await theme(page)).toBe('dark');
  expect(await background(page)).toBe(DARK_BG);
  await assertAccessible(page);

  await goToPage(page, 'Management', 'Directory', 'Roles');
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: roleName, exact: true })).toBeVisible();
  await assertAccessible(page);

  await page.getByRole('link', { name: roleName, exact: true }).click();
  await expect(page.getByRole('heading', { name: roleName, level: 1 })).toBeVisible();
  await assertAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('dark-record.png'), fullPage: false });

  // Before the first paint of the reloaded page the theme is already set (public/theme.js).
  await page.reload();
  await expect(page.getByRole('heading', { name: roleName, level: 1 })).toBeVisible();
  expect(await theme(page)).toBe('dark');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate(() => localStorage.getItem('postern.theme'))).toBe('dark');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await theme(page)).toBe('light');
  expect(await background(page)).toBe(LIGHT_BG);
  await assertAccessible(page);

  await destroyViaApi(request, 'x:Role', [roleId]);
});

test.describe('with the system set to dark', () => {
  test.use({ colorScheme: 'dark' });

  test('the server\'s sign-in page is dark too, passes axe, and follows a console choice of light', async ({ page }) => {
    const body = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.goto('/');
    await continueAs(page);
    await expect(page.getByRole('heading', { name: 'Sign in to Postern', level: 1 })).toBeVisible();
    expect(await body()).toBe(DARK_BG);
    await assertAccessible(page);

    // Same origin as the console: its stored choice applies here before the first paint.
    await page.evaluate(() => localStorage.setItem('postern.theme', 'light'));
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in to Postern', level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('light');
    expect(await body()).toBe('rgb(244, 245, 247)');
    await assertAccessible(page);
  });

  test('the console is dark without a choice, and light once light is chosen', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in to the mail server console' })).toBeVisible();
    expect(await background(page)).toBe(DARK_BG);
    await assertAccessible(page);

    await signIn(page);
    expect(await theme(page)).toBeNull();
    expect(await background(page)).toBe(DARK_BG);
    const toggle = page.getByRole('banner').getByRole('button', { name: 'Dark mode' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await assertAccessible(page);

    await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
    await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
    await assertAccessible(page);

    // The command palette, open over the page, in the dark palette too.
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Go to a page or record' });
    await palette.getByRole('combobox').pressSequentially('roles');
    await expect(palette.getByRole('option').first()).toBeVisible();
    await assertAccessible(page);
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();

    // The top bar's language switch: the switch's own name follows it.
    const language = page.getByRole('banner').getByRole('combobox', { name: 'Language' });
    await language.selectOption({ label: 'Deutsch' });
    await expect(page.getByRole('banner').getByRole('button', { name: 'Dunkelmodus' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('banner').getByRole('combobox', { name: 'Sprache' }).selectOption({ label: 'English' });
    await expect(toggle).toBeVisible();

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(await theme(page)).toBe('light');
    expect(await background(page)).toBe(LIGHT_BG);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
    expect(await background(page)).toBe(LIGHT_BG);
  });
});
