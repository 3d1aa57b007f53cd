// Health at a glance, for real: on a server of its own (Postfix and Dovecot started on
// boot, the WebAdmin listener on), the overview shows every component healthy and
// /healthcheck answers 200. IMAP stopped from the Services page turns its check unhealthy
// in the console, with what to do and a link to the page that does it, and /healthcheck
// answers 500; started again, both turn back.
// Its own server because stopping IMAP would break the other mail tests running meanwhile.

import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { assertAccessible, goToPage, jmap, signIn } from './helpers';
import { ownServer } from './ownServer';

/** Ports of this session's e2e range (8030–8035): the server's HTTP and its WebAdmin listener. */
const PORT = 8030;
const WEBADMIN_PORT = 8031;
const WEBADMIN = `http://127.0.0.1:${WEBADMIN_PORT}`;

test.use({ baseURL: `http://127.0.0.1:${PORT}` });

const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/health-${name}.png`, fullPage: true });

async function apiKey(request: APIRequestContext): Promise<string> {
  const [[, res]] = await jmap(request, [['x:ApiKey/set', { create: { k: { description: 'health e2e' } } }, 'k']]);
  const secret = (res.created as Record<string, { secret?: string }> | null)?.k?.secret;
  expect(secret, JSON.stringify(res.notCreated)).toBeTruthy();
  return secret!;
}

async function healthcheck(request: APIRequestContext, key: string, path = '/healthcheck'): Promise<{ status: number; body: { status?: string; checks?: { componentName: string; status: string; cause: string | null }[]; cause?: string | null } }> {
  const res = await request.get(`${WEBADMIN}${path}`, { headers: { Authorization: `Bearer ${key}` } });
  return { status: res.status(), body: await res.json() };
}

test('stopping IMAP turns its health check unhealthy in the console and at /healthcheck (500); starting it turns it back', async ({ page, request }) => {
  test.setTimeout(240_000);
  const server = await ownServer(PORT, { WEBADMIN_PORT: String(WEBADMIN_PORT) });
  await server.start();
  try {
    const [[, svc]] = await jmap(request, [['x:Service/get', { ids: ['imap', 'smtp'], properties: ['installed', 'installHint'] }, 's']]);
    const missing = (svc.list as { id: string; installed: boolean; installHint?: string }[]).filter((s) => !s.installed);
    test.skip(missing.length > 0, `not installed here: ${missing.map((s) => `${s.id} (${s.installHint ?? ''})`).join('; ')}`);
    const key = await apiKey(request);

    // Everything works: 200 once the daemons have started (they start on boot).
    await expect.poll(async () => (await healthcheck(request, key)).status, { timeout: 60_000, intervals: [500] }).toBe(200);
    const all = await healthcheck(request, key);
    expect(all.body.status).toBe('HEALTHY');
    expect(all.body.checks?.map((c) => c.componentName)).toEqual(['Store', 'IMAP', 'SMTP', 'LMTP delivery', 'Disk space', 'Task manager']);

    await signIn(page);
    const health = page.getByRole('region', { name: 'Health' });
    const imap = health.getByRole('listitem', { name: /^IMAP: / });
    await expect(imap).toHaveAccessibleName('IMAP: Healthy');
    await expect(health.getByRole('status')).toHaveText('All 6 components are healthy.');
    await assertAccessible(page);
    await shot(page, '1-all-healthy');

    // Stop IMAP from the Services page (it asks first).
    await goToPage(page, 'Settings', 'Services');
    const imapPanel = page.getByRole('region', { name: 'IMAP', exact: true });
    await imapPanel.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog', { name: /Stop IMAP on/ }).getByRole('button', { name: 'Stop IMAP' }).click();
    await expect(imapPanel.getByText(/Stop of IMAP on .+ done/)).toBeVisible({ timeout: 30_000 });

    // The overview says so, what to do, and links to where it is done.
    await page.getByRole('link', { name: 'Postern', exact: true }).click();
    await expect(imap).toHaveAccessibleName('IMAP: Unhealthy', { timeout: 15_000 });
    await expect(imap).toContainText('The IMAP service is stopped');
    await expect(imap).toContainText('What to do: Start it in Settings \u203a Services \u203a IMAP');
    // Dovecot also delivers over LMTP: that check goes with it.
    await expect(health.getByRole('listitem', { name: /^LMTP delivery: / })).toHaveAccessibleName('LMTP delivery: Unhealthy');
    await expect(health.getByRole('status')).toContainText('components need attention');
    await assertAccessible(page);
    await shot(page, '2-imap-stopped');

    const down = await healthcheck(request, key);
    expect(down.status).toBe(500);
    expect(down.body.status).toBe('UNHEALTHY');
    const one = await healthcheck(request, key, '/healthcheck/checks/IMAP');
    expect(one.status).toBe(500);
    expect(one.body).toMatchObject({ componentName: 'IMAP', status: 'UNHEALTHY', cause: 'The IMAP service is stopped' });

    // The advice's link opens the Services page; start IMAP there.
    await imap.getByRole('link', { name: 'Settings \u203a Services' }).click();
    await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
    await imapPanel.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(imapPanel.getByText(/Start of IMAP on .+ done/)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Postern', exact: true }).click();
    await expect(imap).toHaveAccessibleName('IMAP: Healthy', { timeout: 15_000 });
    await expect(health.getByRole('status')).toHaveText('All 6 components are healthy.', { timeout: 15_000 });
    await expect.poll(async () => (await healthcheck(request, key)).status, { timeout: 15_000, intervals: [500] }).toBe(200);
    expect((await healthcheck(request, key, '/healthcheck/checks/IMAP')).status).toBe(200);
    await shot(page, '3-healthy-again');
  } finally {
    await server.stop();
  }
});
