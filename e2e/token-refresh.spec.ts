// Access tokens that expire every few seconds (a server of its own, ACCESS_TOKEN_TTL=3):
// the console refreshes them without the person noticing, before expiry and after.

import { expect, test, type Response } from '@playwright/test';
import { SHORT_TOKEN_TTL, SHORT_TOKEN_URL } from './env';
import { AUTH_KEY, destroyViaApi, goToPage, jmap, signIn, storedTokens } from './helpers';

test.use({ baseURL: SHORT_TOKEN_URL });

test('expired access tokens are refreshed silently, on time and after a late timer', async ({ page, request }) => {
  test.setTimeout(60_000);
  const refreshes: number[] = [];
  const rejected: string[] = [];
  let signedIn = false;
  let askedToSignIn = 0;
  const isRefresh = (res: Response) =>
    new URL(res.url()).pathname === '/oauth/token' && new URLSearchParams(res.request().postData() ?? '').get('grant_type') === 'refresh_token';
  // This test's own addresses, so a rerun on the same server never meets its leftovers.
  const base = Math.floor(Math.random() * 240);
  const address = (n: number) => `203.0.113.${base + n}`;
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (isRefresh(res)) refreshes.push(res.status());
    if (res.status() === 401) rejected.push(path);
  });
  page.on('framenavigated', (frame) => {
    if (signedIn && frame === page.mainFrame() && /\/signin|\/oauth\/interaction/.test(frame.url())) askedToSignIn += 1;
  });

  await signIn(page);
  signedIn = true;
  await goToPage(page, 'Settings', 'Security', 'Allowed IPs');

  // Work on while several access tokens expire in turn.
  for (const n of [1, 2, 3]) {
    const before = refreshes.length;
    await expect.poll(() => refreshes.length, { timeout: SHORT_TOKEN_TTL * 3000 }).toBeGreaterThan(before);
    await page.getByRole('link', { name: 'New allowed IP' }).first().click();
    await page.getByLabel('IP address or network').fill(address(n));
    await page.getByLabel('Reason').fill(`Refresh round ${n}`);
    await page.getByRole('button', { name: 'Create allowed IP' }).click();
    await expect(page.getByText('Created allowed IP.')).toBeVisible();
    // The new record's page opens (a click before that would be overtaken by it).
    await expect(page.getByRole('heading', { name: address(n), level: 1 })).toBeVisible();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Allowed IPs' }).click();
    await expect(page.getByRole('link', { name: address(n), exact: true })).toBeVisible();
  }
  expect(refreshes.length).toBeGreaterThanOrEqual(3);
  expect(refreshes.every((s) => s === 200)).toBe(true);
  // Refreshed ahead of time, nothing was refused.
  expect(rejected).toEqual([]);

  // A timer that never fired (a laptop asleep, a throttled tab): the console still thinks
  // its token is fresh, the server refuses it (401), and the request is retried after a refresh.
  // The reload happens right after a refresh, never during one: a refresh cut short by a
  // reload would leave the page with a refresh token the server has already rotated.
  // (If a refresh slipped in all the same, the stored token is a real one again: retry.)
  await expect(async () => {
    const fresh = (await (await page.waitForResponse(isRefresh)).json()) as { refresh_token: string };
    await expect.poll(async () => (await storedTokens(page)).refreshToken).toBe(fresh.refresh_token);
    await page.evaluate((key) => {
      const auth = JSON.parse(localStorage.getItem(key)!);
      auth.tokens.expiresAt = Date.now() + 3_600_000;
      auth.tokens.lifetime = 3_600_000;
      localStorage.setItem(key, JSON.stringify(auth));
    }, AUTH_KEY);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
    expect((await storedTokens(page)).expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  }).toPass({ timeout: 30_000 });
  const { accessToken } = await storedTokens(page);
  // Until the server refuses that token. (From 127.0.0.1: the administrator's own address,
  // which failed sign-ins never get blocked.)
  await expect
    .poll(async () => (await request.get('/jmap/session', { headers: { Authorization: `Bearer ${accessToken}` } })).status(), { timeout: SHORT_TOKEN_TTL * 3000 })
    .toBe(401);
  const rejectedBefore = rejected.length;
  const refreshesBefore = refreshes.length;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blocked IPs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Blocked IPs', level: 1 })).toBeVisible();
  await expect(page.getByText(/There are no blocked IPs yet|1–/)).toBeVisible();
  expect(rejected.slice(rejectedBefore).some((r) => r.startsWith('/jmap/'))).toBe(true);
  expect(refreshes.length).toBeGreaterThan(refreshesBefore);
  expect(refreshes.every((s) => s === 200)).toBe(true);

  expect(askedToSignIn).toBe(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  const [[, q]] = await jmap(request, [['x:AllowedIp/query', { filter: { address: '203.0.113.' } }, 'q']]);
  await destroyViaApi(request, 'x:AllowedIp', q.ids as string[]);
});
