// The console in another language (issue 15): picked in the top bar and kept across a
// reload, taken from the browser before sign-in, and from the account's `locale` after it.
// What the console writes is German; what the server sends (the schema's labels) stays as sent.

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN } from './env';
import { continueAs, createViaApi, destroyViaApi, fillServerSignIn, signIn, unique, userValue } from './helpers';

type Catalogue = Record<string, unknown>;

/** A German catalogue's text by its key path (`record.saveChanges`), read from the console's own files. */
function german(namespace: string, key: string): string {
  const file = path.resolve('src/ui/i18n/locales/de', `${namespace}.json`);
  let value: unknown = JSON.parse(fs.readFileSync(file, 'utf8')) as Catalogue;
  for (const part of key.split('.')) value = (value as Catalogue)[part];
  expect(typeof value, `de/${namespace}:${key}`).toBe('string');
  return value as string;
}

/** A catalogue text with `{{placeholders}}` as a pattern that matches any value there. */
function pattern(text: string): RegExp {
  const parts = text.split(/\{\{[^}]+\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

/** Opens a page through the sidebar, whose name is the language's; the schema's section names stay as sent. */
async function openInNav(page: Page, navName: string, section: string, group: string, link: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: navName });
  const button = nav.getByRole('button', { name: group, exact: true });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await nav.getByRole('region', { name: section }).getByRole('link', { name: link, exact: true }).click();
}

test('switching to Deutsch translates the console, stays after a reload, and switches back', async ({ page, request }) => {
  const description = unique('Sprachrolle');
  const roleId = await createViaApi(request, 'x:Role', { description, enabledPermissions: { sysRoleGet: true } });
  await signIn(page);

  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Deutsch' });
  // Navigation chrome: the page, the top bar and the sidebar in German.
  await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('combobox', { name: 'Sprache' })).toHaveValue('de');
  await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
  await expect(page.getByText('Alle Bereiche des Servers, die Sie verwalten können.')).toBeVisible();
  await expect(page).toHaveTitle('Übersicht · Postern');
  await expect(page.getByText('Every area of the server you can manage.')).toHaveCount(0);

  // A list page: the schema's names as the server sends them, the console's own words in German.
  const navName = german('shell', 'navigation');
  await openInNav(page, navName, 'Management', 'Directory', 'Roles');
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pfadnavigation' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: german('lists', 'table.selectPage') })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(description) })).toBeVisible();

  // A record page: its buttons in German, its fields by the schema's labels.
  await page.goto(`/management/directory/roles/${encodeURIComponent(roleId)}`);
  await expect(page.getByRole('heading', { name: description, level: 1 })).toBeVisible();
  await expect(page.getByLabel('Description')).toHaveValue(description);
  await expect(page.getByRole('button', { name: german('forms', 'record.saveChanges') })).toBeVisible();
  await expect(page.getByRole('button', { name: pattern(german('forms', 'record.delete')) })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);

  // The choice is this browser's: a reload keeps it.
  await page.reload();
  await expect(page.getByRole('heading', { name: description, level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: german('forms', 'record.saveChanges') })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Sprache' })).toHaveValue('de');
  expect(await page.evaluate(() => localStorage.getItem('postern.language'))).toBe('de');

  await page.getByRole('combobox', { name: 'Sprache' }).selectOption({ label: 'English' });
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await destroyViaApi(request, 'x:Role', [roleId]);
});

test('a German browser with no choice of its own shows the sign-in page in German', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Bei der Konsole des Mailservers anmelden', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page).toHaveTitle('Anmelden · Postern');
  await expect(page.getByLabel('Benutzername')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Weiter' })).toBeVisible();
  await context.close();
});

test('a German browser signs in through the server\'s German sign-in page and lands in the German console', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Bei der Konsole des Mailservers anmelden', level: 1 })).toBeVisible();
  await page.getByLabel('Benutzername').fill(ADMIN.username);
  await page.getByRole('button', { name: 'Weiter' }).click();
  // The server's page, in the console's language (ui_locales).
  await expect(page).toHaveURL(/\/oauth\/interaction\//);
  await expect(page.getByRole('heading', { name: 'Bei Postern anmelden', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByLabel('Benutzername')).toHaveValue(ADMIN.username);
  await page.getByLabel('Passwort').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
  await context.close();
});

test('an account whose locale is de_DE signs in on an English browser and gets German', async ({ page, request }) => {
  const login = unique('sprache').replace(' ', '-');
  const password = 'Sprache-Passwort-1';
  const userId = await createViaApi(request, 'x:Account', { ...userValue(login, password, []), locale: 'de_DE' });
  try {
    await page.goto('/');
    // Before sign-in the browser's language (en-US) decides.
    await continueAs(page, { username: login, password });
    await fillServerSignIn(page, { username: login, password });
    await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
    // The account's language is not this browser's choice: nothing is stored for it.
    expect(await page.evaluate(() => localStorage.getItem('postern.language'))).toBeNull();

    // Signed out, the sign-in page follows the browser again.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in to the mail server console', level: 1 })).toBeVisible();
  } finally {
    await destroyViaApi(request, 'x:Account', [userId]);
  }
});
