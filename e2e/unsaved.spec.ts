// No lost work on the way out: with unsaved edits, the browser's Back and Forward, a link,
// Sign out and closing the tab all ask first; after a save nothing asks.

import { expect, test, type Dialog, type Page } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, goToPage, jmap, signIn, unique } from './helpers';

const LEAVE = 'You have unsaved changes. Leave this page and lose them?';
const SIGN_OUT = 'You have unsaved changes. Sign out and lose them?';

/** Answers the next question the page asks, and returns what it asked. */
function answerNext(page: Page, accept: boolean): Promise<{ type: string; message: string }> {
  return new Promise((resolve) => {
    page.once('dialog', (d: Dialog) => {
      resolve({ type: d.type(), message: d.message() });
      void (accept ? d.accept() : d.dismiss());
    });
  });
}

test('Back, Forward, a link and Sign out ask before unsaved edits are lost; after a save nothing asks', async ({ page, request }) => {
  const reason = unique('Guarded');
  const address = `100.64.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const id = await createViaApi(request, 'x:AllowedIp', { address, reason });
  const asked: string[] = [];
  page.on('dialog', (d) => asked.push(d.message()));

  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  await page.getByRole('link', { name: address, exact: true }).click();
  const field = page.getByLabel('Reason');
  await field.fill(`${reason} edited`);
  const recordUrl = page.url();

  // Back: asked; staying keeps the edit.
  let question = answerNext(page, false);
  await page.goBack();
  expect(await question).toEqual({ type: 'confirm', message: LEAVE });
  await expect(page).toHaveURL(recordUrl);
  await expect(field).toHaveValue(`${reason} edited`);

  // A link in the navigation: asked; staying keeps the edit.
  question = answerNext(page, false);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blocked IPs', exact: true }).click();
  expect((await question).message).toBe(LEAVE);
  await expect(page.getByRole('heading', { name: address, level: 1 })).toBeVisible();
  await expect(field).toHaveValue(`${reason} edited`);

  // Sign out: asked; staying keeps the person signed in with the edit.
  question = answerNext(page, false);
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect((await question).message).toBe(SIGN_OUT);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(field).toHaveValue(`${reason} edited`);
  await assertAccessible(page);

  // Back, and this time leave: the list. Forward leaves a page without edits: no question.
  question = answerNext(page, true);
  await page.goBack();
  expect((await question).message).toBe(LEAVE);
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  const before = asked.length;
  await page.goForward();
  await expect(page.getByRole('heading', { name: address, level: 1 })).toBeVisible();

  // Edit and save: leaving afterwards asks nothing.
  await page.getByLabel('Reason').fill(`${reason} saved`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  expect(asked.length).toBe(before);

  await destroyViaApi(request, 'x:AllowedIp', [id]);
});

test('a new record, created, leaves without a question; closing a tab with edits gets the browser’s', async ({ page, request }) => {
  const asked: string[] = [];
  page.on('dialog', (d) => asked.push(`${d.type()}: ${d.message()}`));
  await signIn(page);
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
  await page.getByRole('link', { name: 'New allowed IP' }).first().click();
  const address = `100.64.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  await page.getByLabel('IP address or network').fill(address);
  await page.getByLabel('Reason').fill(unique('Created, then left'));
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(page.getByRole('heading', { name: address, level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Allowed IPs' }).click();
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  expect(asked).toEqual([]);

  // Closing the tab with an edit: the browser's own question (beforeunload). Playwright can
  // see it asked, not click through the browser's dialog as a person would; staying keeps the tab.
  await page.getByRole('link', { name: address, exact: true }).click();
  await page.getByLabel('Reason').fill('Edited, then the tab was closed');
  const question = answerNext(page, false);
  await page.close({ runBeforeUnload: true });
  expect((await question).type).toBe('beforeunload');
  await expect(page.getByLabel('Reason')).toHaveValue('Edited, then the tab was closed');

  const [[, q]] = await jmap(request, [['x:AllowedIp/query', { filter: { address } }, 'q']]);
  await destroyViaApi(request, 'x:AllowedIp', q.ids as string[]);
});
