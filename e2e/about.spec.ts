// The About page, for real: reached from the top bar with the keyboard, it shows the
// console's version and the server's (both package.json's), and Dovecot's and Postfix's
// versions as this machine reports them (worked out here by running the same tools), or
// "Not installed". The summary it copies for a bug report lands on the clipboard; dark, it
// passes axe; in German it reads German. Against the Stalwart stand-in, which has no
// x:ServerInfo, it says the server does not publish its version and still shows the
// console's, the feature set and the help links.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, STALWART_URL } from './env';
import { assertAccessible, continueAs, signIn } from './helpers';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/about-${name}.png`, fullPage: true });

/** The first word a tool prints, or null when the machine does not have it. */
function reported(tool: string, args: string[]): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (!dir || !fs.existsSync(`${dir}/${tool}`)) continue;
    return execFileSync(`${dir}/${tool}`, args, { encoding: 'utf8' }).trim().split(/\s+/)[0];
  }
  return null;
}

const fact = (page: Page, term: string) => page.getByRole('main').locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

async function openAbout(page: Page) {
  const link = page.getByRole('banner').getByRole('link', { name: 'About' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/about$/);
  await expect(page.getByRole('heading', { level: 1, name: 'About' })).toBeVisible();
}

test('About on the embedded server: the console, the server and the daemons with their versions', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await openAbout(page);
  await expect(fact(page, 'Console version')).toHaveText(pkg.version);
  await expect(fact(page, 'Server version')).toHaveText(pkg.version);
  await expect(fact(page, 'Edition')).toHaveText('Postern embedded');
  await expect(fact(page, 'Node.js')).toHaveText(/^\d+\.\d+\.\d+$/);
  await expect(fact(page, 'SQLite')).toHaveText(/^3\.\d+\.\d+$/);

  const table = page.getByRole('table', { name: 'Mail software' });
  await expect(table).toBeVisible({ timeout: 15_000 });
  const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  const dovecot = reported('dovecot', ['--version']);
  await expect(row('Dovecot').getByRole('cell').first()).toContainText(dovecot ?? 'Not installed');
  const postfix = reported('postconf', ['-d', '-h', 'mail_version']);
  await expect(row('Postfix').getByRole('cell').first()).toContainText(postfix ?? 'Not installed');
  await assertAccessible(page);
  await shot(page, 'embedded');

  // The summary for a bug report, copied with the keyboard.
  await page.getByRole('button', { name: 'Copy for a bug report' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Copied: paste it into your report.')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`Console version: ${pkg.version}`);
  expect(copied).toContain(`Server version: ${pkg.version}`);
  expect(copied).toContain(`Dovecot: ${dovecot ?? 'Not installed'}`);
  expect(copied).toContain(`Postfix: ${postfix ?? 'Not installed'}`);

  // Dark, it keeps its contrast; in German, its own words are German (the server's stay as they are).
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await assertAccessible(page);
  await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Über Postern');
  await expect(fact(page, 'Version des Servers')).toHaveText(pkg.version);
  await expect(page.getByRole('table', { name: 'Mail-Software' })).toBeVisible();
  await shot(page, 'embedded-de-dark');
});

test.describe('on the Stalwart stand-in', () => {
  test.use({ baseURL: STALWART_URL });

  test('About says the server does not publish its version, and shows what the console knows', async ({ page }) => {
    await page.goto('/');
    await continueAs(page, ADMIN, { accessible: false });
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await openAbout(page);
    await expect(fact(page, 'Console version')).toHaveText(pkg.version);
    await expect(page.getByText(/This server does not publish its version to the console/)).toBeVisible();
    await expect(fact(page, 'Feature set')).toHaveText('Open source (no enterprise features)');
    await expect(page.getByRole('table')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Stalwart documentation' })).toHaveAttribute('href', 'https://stalw.art/docs');
    await assertAccessible(page);
    await shot(page, 'stalwart');
  });
});
