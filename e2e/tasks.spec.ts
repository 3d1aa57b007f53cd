// Tasks from the console, for real: a user gets a few hundred mails over SMTP (Postfix →
// LMTP → Dovecot), "Re-index this account" starts a task through Dovecot's full-text
// search and opens it; its progress bar moves and it completes with the right counts.
// "Re-index everything" is cancelled from the console while it runs and ends Cancelled.
// A server killed during a task and started again shows the outcome the task kinds
// document: a re-indexing cut short runs again from the start and completes.

import { expect, test, type Page } from '@playwright/test';
import { mailUser, deliver, inboxCount } from './deliver';
import { MAIL_PORTS, MAIL_URL } from './env';
import { assertAccessible, goToPage, jmap, signIn } from './helpers';
import { ownServer } from './ownServer';

test.use({ baseURL: MAIL_URL });
// In order, in one worker: they share the mail server's task queue, which runs one task at a time.
test.describe.configure({ mode: 'default' });

const DOMAIN = 'tasks.test';
const MAILS = 300;
/** Port of the server the restart test kills (e2e ports 8030–8035 are this session's). */
const KILLED_PORT = 8034;
const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/tasks-${name}.png`, fullPage: true });

/** Every aria-valuenow the page's progress bars take, as they change (read back with `seen`). */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seenProgress: number[] };
    w.seenProgress = [];
    const note = () => document.querySelectorAll('main [role=progressbar]').forEach((b) => w.seenProgress.push(Number(b.getAttribute('aria-valuenow'))));
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    note();
  });
}
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seenProgress: number[] }).seenProgress);

async function mailDaemonsDown(request: Parameters<typeof jmap>[0]): Promise<string | null> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const [[, res]] = await jmap(request, [['x:Service/get', { ids: ['smtp', 'imap'], properties: ['status', 'lastError', 'installHint'] }, 's']]);
    const list = res.list as { id: string; status: string; lastError?: string; installHint?: string }[];
    if (list.every((s) => s.status === 'running')) return null;
    if (list.every((s) => s.status !== 'starting' && s.status !== 'stopping')) return list.map((s) => `${s.id} ${s.status}: ${s.lastError ?? s.installHint ?? ''}`).join('; ');
    await new Promise((r) => setTimeout(r, 500));
  }
  return 'the mail daemons did not settle';
}

const fact = (page: Page, term: string) => page.getByRole('main').locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

test('re-index a user with a few hundred mails from the console: the bar moves, the task completes with the right counts', async ({ page, request }) => {
  test.setTimeout(300_000);
  const down = await mailDaemonsDown(request);
  test.skip(down !== null, `mail daemons not running here: ${down}`);
  const user = await mailUser(request, DOMAIN, `ri${Date.now().toString(36)}`);
  await deliver(MAIL_PORTS.smtp, user.address, MAILS);
  expect(await inboxCount(MAIL_PORTS.imap, user, MAILS)).toBe(MAILS);

  await signIn(page);
  await goToPage(page, 'Management', 'Directory', 'Users');
  await page.getByRole('link', { name: user.address, exact: true }).click();
  await expect(page.getByRole('region', { name: 'Search index' })).toBeVisible();
  await shot(page, '0-user');
  await page.getByRole('button', { name: 'Re-index this account' }).click();
  await expect(page).toHaveURL(/\/management\/tasks\/[^/?]+$/);
  await watchProgress(page);
  // The task names the account by the schema's label for it (its name).
  const bar = page.getByRole('progressbar', { name: `Progress of Re-index one user\u2019s mail: ${user.name}` });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  await expect(bar).toHaveAttribute('aria-valuemax', String(MAILS));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Re-index one user\u2019s mail: ${user.name}`);
  await expect(page.getByRole('main').locator('.badge', { hasText: 'In progress' })).toBeVisible();
  await assertAccessible(page);
  await shot(page, '1-running');

  await expect(page.getByRole('main').locator('.badge', { hasText: 'Completed' })).toBeVisible({ timeout: 120_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', String(MAILS));
  await expect(fact(page, 'Processed')).toHaveText(String(MAILS));
  await expect(fact(page, 'Failed')).toHaveText('0');
  await expect(fact(page, 'Successfully reprocess mail count')).toHaveText(String(MAILS));
  await expect(fact(page, 'Failed reprocessed mail count')).toHaveText('0');
  await expect(fact(page, 'Ended')).toContainText('(completed)');
  await expect(page.getByRole('button', { name: 'Cancel task' })).toHaveCount(0);
  // The bar moved: it was seen part of the way before it reached the total.
  const values = await seen(page);
  expect(values.some((v) => v > 0 && v < MAILS), `values seen: ${values.join(',')}`).toBe(true);
  expect(values.at(-1)).toBe(MAILS);
  await shot(page, '2-completed');

  // The list shows it done, with its dates, and filters by status and type.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Tasks' }).click();
  await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
  await page.getByLabel('Status').selectOption({ label: 'Completed' });
  await page.getByLabel('Type').selectOption({ label: 'Re-index one user\u2019s mail' });
  const row = page.getByRole('row').filter({ hasText: user.name });
  await expect(row).toContainText('Completed');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(MAILS));
  await expect(row).toContainText('(completed)');
  await assertAccessible(page);
  await shot(page, '3-list');
});

test('"Re-index everything" is cancelled from the console while it runs and ends cancelled', async ({ page, request }) => {
  test.setTimeout(300_000);
  const down = await mailDaemonsDown(request);
  test.skip(down !== null, `mail daemons not running here: ${down}`);
  // Enough mail that the whole run lasts several seconds (the test before left as much).
  const user = await mailUser(request, DOMAIN, `all${Date.now().toString(36)}`);
  await deliver(MAIL_PORTS.smtp, user.address, MAILS);
  expect(await inboxCount(MAIL_PORTS.imap, user, MAILS)).toBe(MAILS);

  await signIn(page);
  await goToPage(page, 'Management', 'Tasks');
  await page.getByRole('button', { name: 'Re-index everything' }).click();
  await expect(page).toHaveURL(/\/management\/tasks\/[^/?]+$/);
  const main = page.getByRole('main');
  await expect(main.locator('.badge', { hasText: 'In progress' })).toBeVisible({ timeout: 60_000 });

  // The question: labelled, focus on the safe choice, Escape closes it and changes nothing.
  const cancel = page.getByRole('button', { name: 'Cancel task' });
  await cancel.click();
  const dialog = page.getByRole('dialog', { name: 'Cancel Re-index all mail?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await assertAccessible(page);
  await shot(page, '4-confirm-cancel');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();
  await expect(main.locator('.badge', { hasText: 'In progress' })).toBeVisible();

  await cancel.click();
  await dialog.getByRole('button', { name: 'Cancel task' }).click();
  await expect(main.locator('.badge', { hasText: 'Cancelled' })).toBeVisible({ timeout: 60_000 });
  await expect(fact(page, 'Ended')).toContainText('(cancelled)');
  const done = Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'));
  const total = Number(await page.getByRole('progressbar').getAttribute('aria-valuemax'));
  expect(done, 'cancelled before the end').toBeLessThan(total);
  await shot(page, '5-cancelled');
});

// Its own server (killed and started again), on its own port: the one of playwright.config.ts
// lives for the whole run.
test.describe('a server killed during a task', () => {
  test.use({ baseURL: `http://127.0.0.1:${KILLED_PORT}` });

  test('after restart the task shows the documented outcome: a re-indexing cut short runs again and completes', async ({ page, request }) => {
    test.setTimeout(300_000);
    const server = await ownServer(KILLED_PORT);
    await server.start();
    try {
      const down = await mailDaemonsDown(request);
      test.skip(down !== null, `mail daemons not running here: ${down}`);
      const user = await mailUser(request, DOMAIN, 'restart');
      await deliver(server.mailPorts.smtp, user.address, MAILS);
      expect(await inboxCount(server.mailPorts.imap, user, MAILS)).toBe(MAILS);
      const read = async (id: string) => ((await jmap(request, [['x:Task/get', { ids: [id] }, 'g']]))[0][1].list as Record<string, unknown>[])[0];
      const processed = (t: Record<string, unknown>) => (t.progress as { processedCount?: number } | null)?.processedCount ?? 0;
      const statusOf = (t: Record<string, unknown>) => (t.status as Record<string, string>)['@type'];
      // Killed once it has done some of the work, not all of it: the run takes about a second,
      // so the task is read back to back (a few ms each) and the kill follows the read that
      // shows it running with progress. Should a run still end between two reads, a new task
      // is started (a few tries).
      let taskId = '';
      let before: Record<string, unknown> | undefined;
      const runs: string[] = [];
      for (let attempt = 0; attempt < 3 && !before; attempt++) {
        const [[, made]] = await jmap(request, [['x:Task/set', { create: { t: { '@type': 'ReIndexUser', accountId: user.accountId } } }, 't']]);
        taskId = (made.created as Record<string, { id: string }>).t.id;
        for (const until = Date.now() + 60_000; Date.now() < until;) {
          const t = await read(taskId);
          if (statusOf(t) === 'Running' && processed(t) > 0 && processed(t) < MAILS) {
            await server.kill();
            before = t;
            break;
          }
          if (statusOf(t) !== 'Pending' && statusOf(t) !== 'Running') {
            runs.push(`${statusOf(t)} after ${processed(t)}`);
            break;
          }
        }
      }
      expect(before, `the task was never seen part of the way: ${runs.join('; ')}`).toBeDefined();
      test.info().annotations.push({ type: 'killed', description: `at ${processed(before!)} of ${MAILS} mails, after ${runs.length} run(s) that ended first` });
      const task = () => read(taskId);
      const restartedAt = Math.floor(Date.now() / 1000) * 1000;
      await server.start();

      // src/server/tasks/reindex.ts documents it (onRestart 'resume'): indexing again what was
      // indexed changes nothing, so the task waits again, runs from the start and completes.
      await signIn(page);
      await page.goto(`/management/tasks/${encodeURIComponent(taskId)}`);
      const main = page.getByRole('main');
      await expect(main.locator('.badge', { hasText: 'Completed' })).toBeVisible({ timeout: 120_000 });
      await expect(fact(page, 'Successfully reprocess mail count')).toHaveText(String(MAILS));
      await expect(fact(page, 'Failed reprocessed mail count')).toHaveText('0');
      await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(MAILS));
      const after = await task();
      expect(Date.parse(String(after.startedAt)), 'it started again after the restart').toBeGreaterThanOrEqual(restartedAt);
      await shot(page, '6-after-restart');
    } finally {
      await server.stop();
    }
  });
});
