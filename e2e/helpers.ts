// What the end-to-end tests do as a person would (goTo…, fill…, assert…), plus a thin
// JMAP helper to make each test's own data through the API.

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN } from './env';

type Invocation = [string, Record<string, unknown>, string];

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Runs JMAP method calls as `who` (the administrator by default) and returns the responses. */
export async function jmap(request: APIRequestContext, calls: Invocation[], who = ADMIN): Promise<Invocation[]> {
  const auth = { Authorization: basic(who.username, who.password) };
  const session = await (await request.get('/jmap/session', { headers: auth })).json();
  const accountId = session.primaryAccounts['urn:stalwart:jmap'];
  const res = await request.post('/jmap/', {
    headers: auth,
    data: { using: ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'], methodCalls: calls.map(([n, a, id]) => [n, { accountId, ...a }, id]) },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).methodResponses;
}

/** Creates one record through the API and returns its id. */
export async function createViaApi(request: APIRequestContext, objectName: string, value: Record<string, unknown>): Promise<string> {
  const [[, res]] = await jmap(request, [[`${objectName}/set`, { create: { n: value } }, 'c']]);
  const created = (res.created as Record<string, { id: string }> | undefined)?.n;
  expect(created, JSON.stringify(res.notCreated)).toBeTruthy();
  return created!.id;
}

export async function destroyViaApi(request: APIRequestContext, objectName: string, ids: string[]): Promise<void> {
  await jmap(request, [[`${objectName}/set`, { destroy: ids }, 'c']]);
}

/** An x:Account create value: a user without a domain (it signs in by name) with a password and Custom roles. */
export function userValue(name: string, password: string, roleIds: string[]): Record<string, unknown> {
  return {
    '@type': 'User',
    name,
    credentials: { 0: { '@type': 'Password', secret: password } },
    roles: { '@type': 'Custom', roleIds: Object.fromEntries(roleIds.map((r) => [r, true])) },
  };
}

/** A name no other test (or earlier run) uses. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Signs in as a person would: the console's sign-in screen, then the server's own
 * sign-in page (OAuth), and back. `accessible` also runs axe on both pages.
 */
export async function signIn(page: Page, who = ADMIN, opts: { accessible?: boolean } = {}): Promise<void> {
  await page.goto('/');
  await continueAs(page, who, opts);
  await fillServerSignIn(page, who, opts);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
}

/** On the console's sign-in screen: the username, then Continue to the server. */
export async function continueAs(page: Page, who = ADMIN, opts: { accessible?: boolean } = {}): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in to the mail server console' })).toBeVisible();
  if (opts.accessible) await assertAccessible(page);
  await page.getByLabel('Username').fill(who.username);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** On the server's sign-in page (it knows the username from login_hint): the password. */
export async function fillServerSignIn(page: Page, who = ADMIN, opts: { accessible?: boolean } = {}): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in to Postern', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/oauth\/interaction\//);
  await expect(page.getByLabel('Username')).toHaveValue(who.username);
  if (opts.accessible) await assertAccessible(page);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Where the console keeps the session its tabs share (src/ui/auth/storage.ts). */
export const AUTH_KEY = 'postern.auth';

/** The tokens the console keeps for the tabs of this browser. */
export async function storedTokens(page: Page): Promise<{ accessToken: string; refreshToken: string; expiresAt: number }> {
  const auth = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), AUTH_KEY);
  expect(auth?.kind).toBe('oauth');
  return auth.tokens;
}

/** The session the browser keeps, if any (null once signed out). */
export async function storedSession(page: Page): Promise<unknown> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), AUTH_KEY);
}

/** Nothing on the page reaches past the window's right edge (no sideways scrolling). */
export async function assertNoSideScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, window: window.innerWidth }));
  expect(widths.scroll, `page ${page.url()} is wider than the window`).toBeLessThanOrEqual(widths.window);
}

/** Opens a page through the sidebar, as a newcomer would: section groups, then the link. */
export async function goToPage(page: Page, ...trail: string[]): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const groups = trail.slice(1, -1);
  for (const g of groups) {
    const button = nav.getByRole('button', { name: g, exact: true });
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  }
  const section = nav.getByRole('region', { name: trail[0] });
  await section.getByRole('link', { name: trail[trail.length - 1], exact: true }).click();
}

/** Zero serious or critical axe violations against WCAG 2 A and AA. */
export async function assertAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Records every JMAP method the page calls, to assert that nothing was sent. */
export function watchJmapCalls(page: Page): string[] {
  const methods: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname.startsWith('/jmap')) {
      const body = req.postDataJSON() as { methodCalls?: Invocation[] } | null;
      for (const [name] of body?.methodCalls ?? []) methods.push(name);
    }
  });
  return methods;
}

/**
 * Visits every page of the navigation (opening every group first) and every creation form
 * linked from one, running `check` on each once it has loaded.
 */
export async function forEveryPage(page: Page, check: (page: Page) => Promise<void>): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (;;) {
    const closed = nav.locator('button[aria-expanded="false"]');
    if ((await closed.count()) === 0) break;
    await closed.first().click();
  }
  await check(page);
  const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
  expect(hrefs.length).toBeGreaterThan(5);
  for (const href of hrefs) {
    await test.step(href, async () => {
      await page.goto(href);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: 'Loading' })).toHaveCount(0);
      await check(page);
      const create = page.getByRole('main').getByRole('link', { name: /^New / }).first();
      if (await create.isVisible()) {
        await create.click();
        await expect(page.getByRole('button', { name: /^Create / })).toBeVisible();
        await check(page);
      }
    });
  }
}
