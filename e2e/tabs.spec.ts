// The tabs of one browser share the sign-in: a new tab (a ctrl+click, a pasted address)
// opens signed in, a sign-out in one signs out all, and while access tokens rotate every
// few seconds (a server of its own, ACCESS_TOKEN_TTL=3) neither tab is ever signed out.

import { expect, test, type BrowserContext, type Page, type Response } from '@playwright/test';
import { SHORT_TOKEN_TTL, SHORT_TOKEN_URL } from './env';
import { assertAccessible, goToPage, signIn, storedSession } from './helpers';

const SIGN_IN = 'Sign in to the mail server console';

/** Counts the page loads of any tab that ended on a sign-in screen. */
function watchSignInPrompts(context: BrowserContext): () => number {
  let prompts = 0;
  context.on('page', (p) => watchPage(p));
  const watchPage = (p: Page) =>
    p.on('framenavigated', (frame) => {
      if (frame === p.mainFrame() && /\/signin|\/oauth\/interaction/.test(frame.url())) prompts += 1;
    });
  for (const p of context.pages()) watchPage(p);
  return () => prompts;
}

test('a second tab opens signed in, a ctrl+click too, and signing out in one signs out both', async ({ page, context }) => {
  await signIn(page);
  const prompts = watchSignInPrompts(context);

  // Another tab, at an address typed or pasted.
  const second = await context.newPage();
  await second.goto('/settings/security/allowed-ips');
  await expect(second.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  await expect(second.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await assertAccessible(second);

  // A ctrl+click on a link in the first tab opens a third, signed in too.
  const [third] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('main').getByRole('link', { name: 'Blocked IPs' }).click({ modifiers: ['ControlOrMeta'] }),
  ]);
  await expect(third.getByRole('heading', { name: 'Blocked IPs', level: 1 })).toBeVisible();
  expect(prompts()).toBe(0);

  // Signing out in the second signs out the others at once.
  await second.getByRole('button', { name: 'Sign out' }).click();
  await expect(second.getByRole('heading', { name: SIGN_IN })).toBeVisible();
  await expect(page.getByRole('heading', { name: SIGN_IN })).toBeVisible();
  await expect(third.getByRole('heading', { name: SIGN_IN })).toBeVisible();
  expect(await storedSession(page)).toBeNull();
  await assertAccessible(page);
});

test.describe('with access tokens that expire every few seconds', () => {
  test.use({ baseURL: SHORT_TOKEN_URL });

  test('two tabs stay signed in while the tokens rotate: one refreshes at a time, the other follows', async ({ page, context }) => {
    test.setTimeout(60_000);
    const refreshes: number[] = [];
    const isRefresh = (res: Response) =>
      new URL(res.url()).pathname === '/oauth/token' && new URLSearchParams(res.request().postData() ?? '').get('grant_type') === 'refresh_token';
    context.on('response', (res) => {
      if (isRefresh(res)) refreshes.push(res.status());
    });

    await signIn(page);
    const prompts = watchSignInPrompts(context);
    await goToPage(page, 'Settings', 'Security', 'Allowed IPs');
    const second = await context.newPage();
    await second.goto('/settings/security/blocked-ips');
    await expect(second.getByRole('heading', { name: 'Blocked IPs', level: 1 })).toBeVisible();

    // Several rotations; each tab keeps working after each.
    for (const round of [1, 2, 3]) {
      const before = refreshes.length;
      await expect.poll(() => refreshes.length, { timeout: SHORT_TOKEN_TTL * 3000 }).toBeGreaterThan(before);
      const [here, there] = round % 2 ? [page, second] : [second, page];
      await here.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys', exact: true }).click();
      await expect(here.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
      await there.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Allowed IPs', exact: true }).click();
      await expect(there.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
    }
    // Every refresh was accepted: no tab ever used a refresh token another had rotated.
    expect(refreshes.every((s) => s === 200)).toBe(true);
    expect(prompts()).toBe(0);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(second.getByRole('button', { name: 'Sign out' })).toBeVisible();
  });
});
