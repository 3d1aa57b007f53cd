// Signing in through the server's OAuth pages, working, signing out; and a session that
// ends on its own brings the person back to the page they were on.

import { expect, test } from '@playwright/test';
import { assertAccessible, continueAs, destroyViaApi, fillServerSignIn, jmap, signIn, storedSession, storedTokens } from './helpers';
import { postFormFrom, requestFrom } from './net';

/**
 * Probes with dead tokens count as failed sign-ins: make them from an address of their
 * own (one per run of the test, so reruns against one server never add up to a block).
 */
const probeAddress = () => `127.0.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

test('sign in through the OAuth pages, create an allowed IP, sign out: the tokens are dead', async ({ page, request }) => {
  const tokenRequests: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/oauth/token')) tokenRequests.push(new URLSearchParams(req.postData() ?? '').get('grant_type') ?? 'revocation');
  });

  // A bookmarked page, signed out: sign in first, then land on it.
  await page.goto('/settings/security/allowed-ips?sort=address');
  await expect(page.getByRole('heading', { name: 'Sign in to the mail server console' })).toBeVisible();
  await page.screenshot({ path: '.tmp/oauth-1-console-sign-in.png', fullPage: true });
  await continueAs(page, undefined, { accessible: true });
  await expect(page.getByRole('heading', { name: 'Sign in to Postern', level: 1 })).toBeVisible();
  await page.screenshot({ path: '.tmp/oauth-2-server-sign-in.png', fullPage: true });
  await fillServerSignIn(page, undefined, { accessible: true });
  await expect(page).toHaveURL(/\/settings\/security\/allowed-ips\?sort=address$/);
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
  expect(tokenRequests).toEqual(['authorization_code']);
  await assertAccessible(page);

  // Work: create a record with the access token.
  await page.getByRole('link', { name: 'New allowed IP' }).first().click();
  await page.getByLabel('IP address or network').fill('192.0.2.10');
  await page.getByLabel('Reason').fill('Signed in with OAuth');
  await page.getByRole('button', { name: 'Create allowed IP' }).click();
  await expect(page.getByText('Created allowed IP.')).toBeVisible();
  const [[, q]] = await jmap(request, [['x:AllowedIp/query', { filter: { address: '192.0.2.10' } }, 'q']]);
  expect(q.ids).toHaveLength(1);

  // Sign out: the refresh token is revoked, and with it the access token.
  const tokens = await storedTokens(page);
  const PROBE = probeAddress();
  const revoked = page.waitForResponse((res) => res.url().endsWith('/oauth/token/revocation'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect((await revoked).ok()).toBe(true);
  await expect(page.getByRole('heading', { name: 'Sign in to the mail server console' })).toBeVisible();
  expect(await storedSession(page)).toBeNull();
  const refresh = await postFormFrom(PROBE, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: 'postern-console' });
  expect(refresh.status).toBe(400);
  expect(JSON.parse(refresh.body).error).toBe('invalid_grant');
  const api = await requestFrom(PROBE, 'GET', '/jmap/session', { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
  expect(api.status).toBe(401);

  // A reload stays signed out, and signing in again asks for the password again.
  await page.reload();
  await continueAs(page);
  await expect(page.getByRole('heading', { name: 'Sign in to Postern', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveValue('');

  await destroyViaApi(request, 'x:AllowedIp', q.ids as string[]);
});

test('a session that cannot be refreshed returns to the page it was on after signing in again', async ({ page }) => {
  await signIn(page);
  await page.goto('/settings/security/blocked-ips');
  await expect(page.getByRole('heading', { name: 'Blocked IPs', level: 1 })).toBeVisible();

  // The grant ends elsewhere (revoked by another tab's sign-out, an administrator, expiry).
  const tokens = await storedTokens(page);
  const PROBE = probeAddress();
  const revocation = await postFormFrom(PROBE, '/oauth/token/revocation', { token: tokens.refreshToken, token_type_hint: 'refresh_token', client_id: 'postern-console' });
  expect(revocation.status).toBe(200);

  // The next request finds out (here: opening a bookmark); the person is asked to sign
  // in, then comes back.
  await page.goto('/settings/security/allowed-ips');
  await expect(page.getByText('Your session has ended. Sign in again to go back to where you were.')).toBeVisible();
  await continueAs(page, undefined, { accessible: true });
  await fillServerSignIn(page);
  await expect(page).toHaveURL(/\/settings\/security\/allowed-ips$/);
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
});
