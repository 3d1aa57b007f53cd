// The console on a Stalwart-like server (issue 9): the stand-in of e2e/stalwart/ speaks
// Stalwart 0.16's semantics (no state, no /changes, AND-only filters, the schema behind a
// 302, its own OAuth client) and publishes a Stalwart-shaped schema. Every form here is
// generated from that schema alone: a user through a view over the account union, with a
// credential from an object list of a union and roles from a nested union; a task of a
// chosen variant; an action run for its result; three union-typed settings pages.

import { expect, test, type Page } from '@playwright/test';
import { assertAccessible, basic, continueAs, forEveryPage, goToPage, jmap, unique } from './helpers';
import { ADMIN, STALWART_URL } from './env';

test.use({ baseURL: STALWART_URL });

/** Signs in through the stand-in's OAuth flow, as the console does against a real Stalwart. */
async function signInToStandIn(page: Page): Promise<void> {
  const authorizations: URL[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/login') authorizations.push(url);
  });
  await page.goto('/');
  await continueAs(page, ADMIN, { accessible: true });
  await expect(page.getByRole('heading', { name: 'Sign in to Stalwart', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(ADMIN.username);
  await assertAccessible(page);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  // The client id and redirect URI came from the run-time config.json the server offers.
  expect(authorizations.at(-1)?.searchParams.get('client_id')).toBe('postern-e2e');
  expect(authorizations.at(-1)?.searchParams.get('code_challenge_method')).toBe('S256');
}

const loginName = (prefix: string) => unique(prefix).replace(/\s/g, '-').toLowerCase();

async function accountNamed(request: Parameters<typeof jmap>[0], name: string) {
  const [[, q], [, g]] = await jmap(request, [
    ['x:Account/query', { filter: { name } }, 'q'],
    ['x:Account/get', { '#ids': { resultOf: 'q', name: 'x:Account/query', path: '/ids' } }, 'g'],
  ]);
  expect(q.ids).toBeDefined();
  return (g.list as Record<string, unknown>[])[0];
}

test('a user with a password and two roles: created, edited and deleted through the generated forms', async ({ page, request }) => {
  // A long flow with seven accessibility checks.
  test.setTimeout(60_000);
  const name = loginName('jane');
  const password = 'Jane-Passw0rd-1';
  await signInToStandIn(page);
  await assertAccessible(page);

  await goToPage(page, 'Management', 'Directory', 'Accounts');
  await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
  await assertAccessible(page);
  await page.getByRole('link', { name: 'New account' }).first().click();
  await expect(page.getByRole('heading', { name: 'New account', level: 1 })).toBeVisible();
  // The view over the union shows the User variant's own form, not a type picker.
  await expect(page.getByRole('combobox', { name: 'Type', exact: true })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('combobox', { name: 'Domain' }).fill('example');
  await page.getByRole('option', { name: 'example.test' }).click();
  await page.getByLabel('Full name').fill('Jane Example');

  // Credentials: an object list of a union; add a password.
  const credentials = page.getByRole('group', { name: 'Credentials' });
  await credentials.getByRole('button', { name: /^Add/ }).click();
  await credentials.getByRole('combobox', { name: 'Credentials 1 type' }).selectOption({ label: 'Sign-in password' });
  await credentials.getByRole('textbox', { name: 'Password', exact: true }).fill(password);

  // Roles: a nested union; its Custom variant picks roles.
  await page.getByRole('combobox', { name: 'Roles', exact: true }).selectOption({ label: 'Chosen roles' });
  const custom = page.getByRole('combobox', { name: 'Custom roles' });
  for (const role of ['Help desk', 'Postmaster']) {
    await custom.fill(role);
    await page.getByRole('option', { name: role }).click();
    await expect(page.getByRole('list', { name: 'Selected' }).getByText(role)).toBeVisible();
  }
  // The enterprise-only field is there, but marked and disabled on this (oss) server.
  const tenant = page.getByRole('region', { name: 'Tenant' });
  await expect(tenant).toContainText(/Enterprise/);
  await expect(tenant.getByRole('combobox')).toHaveCount(0);
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: `${name}@example.test`, level: 1 })).toBeVisible();
  await assertAccessible(page);

  const created = await accountNamed(request, name);
  expect(created['@type']).toBe('User');
  const creds = Object.values(created.credentials as Record<string, Record<string, unknown>>);
  expect(creds).toHaveLength(1);
  expect(creds[0]['@type']).toBe('Password');
  expect(creds[0]).not.toHaveProperty('secret');
  const roles = created.roles as { '@type': string; roleIds: Record<string, boolean> };
  expect(roles['@type']).toBe('Custom');
  expect(Object.keys(roles.roleIds)).toHaveLength(2);
  // The password works: the stand-in kept its hash.
  const session = await request.get('/jmap/session', { headers: { Authorization: basic(name, password) } });
  expect(session.status()).toBe(200);
  // The secret is never shown back in the form.
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).not.toHaveValue(password);

  // Edit: the full name, and a quota from the map with enum keys.
  await page.getByLabel('Full name').fill('Jane Q. Example');
  const quotas = page.getByRole('group', { name: 'Quotas' });
  await quotas.getByRole('button', { name: 'Add entry' }).click();
  await quotas.getByLabel('Quota type 1').selectOption({ label: 'Messages' });
  await quotas.getByLabel('Maximum 1').fill('5000');
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.', { exact: true }).first()).toBeVisible();
  await expect.poll(async () => (await accountNamed(request, name)).description).toBe('Jane Q. Example');
  expect((await accountNamed(request, name)).quotas).toEqual({ maxEmails: 5000 });
  // A password kept across an unrelated edit.
  expect((await request.get('/jmap/session', { headers: { Authorization: basic(name, password) } })).status()).toBe(200);

  // Delete: the account goes, and the server schedules the removal of its data as a task.
  await page.getByRole('button', { name: 'Delete account' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
  await assertAccessible(page);
  expect(await accountNamed(request, name)).toBeUndefined();
  const [, [, tasks]] = await jmap(request, [
    ['x:Task/query', { filter: { '@type': 'DestroyAccount' } }, 'q'],
    ['x:Task/get', { '#ids': { resultOf: 'q', name: 'x:Task/query', path: '/ids' } }, 'g'],
  ]);
  expect((tasks.list as Record<string, unknown>[]).filter((t) => t.accountName === `${name}@example.test`)).toHaveLength(1);
});

test('a task of a chosen variant is created and listed with its status', async ({ page, request }) => {
  await signInToStandIn(page);
  await goToPage(page, 'Management', 'Tasks', 'Scheduled');
  await expect(page.getByRole('heading', { name: 'Scheduled tasks', level: 1 })).toBeVisible();
  await assertAccessible(page);
  await page.getByRole('link', { name: 'New task' }).first().click();
  await expect(page.getByRole('heading', { name: 'New task', level: 1 })).toBeVisible();
  const type = page.getByRole('combobox', { name: 'Type', exact: true });
  // Only the variants a client may create are offered.
  await expect(type.getByRole('option', { name: 'Remove a deleted account' })).toHaveCount(0);
  await type.selectOption({ label: 'Maintain the store' });
  await page.getByRole('combobox', { name: 'Operation' }).selectOption({ label: 'Purge expired data' });
  await page.getByLabel('Shard').fill('2');
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByText(/Created task/)).toBeVisible();

  const [[, q], [, g]] = await jmap(request, [
    ['x:Task/query', { filter: { '@type': 'StoreMaintenance' } }, 'q'],
    ['x:Task/get', { '#ids': { resultOf: 'q', name: 'x:Task/query', path: '/ids' } }, 'g'],
  ]);
  expect(q.ids).toBeDefined();
  const task = (g.list as Record<string, unknown>[]).find((t) => t.maintenanceType === 'purgeData' && t.shardIndex === 2);
  expect(task).toBeDefined();
  expect((task!.status as Record<string, unknown>)['@type']).toBe('Pending');

  await goToPage(page, 'Management', 'Tasks', 'Scheduled');
  const row = page.getByRole('row').filter({ hasText: /Maintain the store|Store maintenance/ }).first();
  await expect(row.getByText('Waiting')).toBeVisible();
  await assertAccessible(page);
});

test('an action runs after confirmation and its result is shown', async ({ page }) => {
  await signInToStandIn(page);
  await goToPage(page, 'Management', 'Actions');
  await expect(page.getByRole('heading', { name: 'Actions', level: 1 })).toBeVisible();
  await assertAccessible(page);
  await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Score a message with the spam filter' });
  await page.getByLabel('Message source').fill('Subject: FREE MONEY\n\nYou have won the lottery.');
  await page.getByLabel('Remote IP').fill('192.0.2.25');
  await page.getByLabel('EHLO name').fill('mx.example.net');
  await page.getByLabel('Envelope sender').fill('winner@example.net');
  await page.getByRole('textbox', { name: /^Envelope recipients/ }).fill('jane@example.test');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await assertAccessible(page);
  await page.getByRole('button', { name: /^Run/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^Run/ }).click();
  const result = page.locator('section', { has: page.getByRole('heading', { name: /^Result of/ }) });
  await expect(result.getByText('Spam', { exact: true })).toBeVisible();
  await expect(result.getByText('FREE_MONEY')).toBeVisible();
  await expect(result.getByText('9', { exact: true })).toBeVisible();
  await assertAccessible(page);
});

test('three union-typed settings pages: the chosen variant’s form, a field changed and saved', async ({ page, request }) => {
  await signInToStandIn(page);
  const singleton = async (objectName: string) => {
    const [[, g]] = await jmap(request, [[`${objectName}/get`, { ids: ['singleton'] }, 'g']]);
    return (g.list as Record<string, unknown>[])[0];
  };
  const save = async () => {
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved.', { exact: true }).first()).toBeVisible();
  };

  // Data store: RocksDB is chosen; its own form shows.
  await goToPage(page, 'Settings', 'Storage', 'Data Store');
  await expect(page.getByRole('heading', { name: 'Data Store', level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Type', exact: true })).toHaveValue('RocksDb');
  await page.getByLabel('Worker threads').fill('8');
  await assertAccessible(page);
  await save();
  await expect.poll(async () => (await singleton('x:DataStore')).poolWorkers).toBe(8);

  // Blob store: from the data store to files on disk, that variant's form.
  await goToPage(page, 'Settings', 'Storage', 'Blob Store');
  await expect(page.getByRole('heading', { name: 'Blob Store', level: 1 })).toBeVisible();
  await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Files on disk' });
  await page.getByLabel('Directory').fill('/srv/blobs');
  await assertAccessible(page);
  await save();
  await expect.poll(() => singleton('x:BlobStore')).toMatchObject({ '@type': 'FileSystem', path: '/srv/blobs', depth: 2 });

  // Search store: Elasticsearch is chosen; one of its fields changes.
  await goToPage(page, 'Settings', 'Storage', 'Search Store');
  await expect(page.getByRole('heading', { name: 'Search Store', level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Type', exact: true })).toHaveValue('ElasticSearch');
  await page.getByLabel('Shards').fill('5');
  await assertAccessible(page);
  await save();
  await expect.poll(() => singleton('x:SearchStore')).toMatchObject({ '@type': 'ElasticSearch', numShards: 5 });
});

test('the overview shows the schema’s dashboards, and a queued message is retried from its list', async ({ page, request }) => {
  await signInToStandIn(page);
  const overview = page.getByRole('region', { name: 'Overview' }).first();
  await expect(overview.getByRole('heading', { name: 'Waiting messages', level: 3 })).toBeVisible();
  await assertAccessible(page);

  await goToPage(page, 'Management', 'Emails', 'Queued');
  await expect(page.getByRole('heading', { name: 'Queued messages', level: 1 })).toBeVisible();
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Retry now: newsletter@shop.example' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /Retry now/ }).click();
  await expect(page.getByText('Retry now: done for newsletter@shop.example.')).toBeVisible();
  const [[, q], [, g]] = await jmap(request, [
    ['x:QueuedMessage/query', { filter: { returnPath: 'newsletter@shop.example' } }, 'q'],
    ['x:QueuedMessage/get', { '#ids': { resultOf: 'q', name: 'x:QueuedMessage/query', path: '/ids' }, properties: ['nextRetry'] }, 'g'],
  ]);
  expect(q.ids).toHaveLength(1);
  // Due now (it was an hour away): the server takes "2000-01-01" to mean "at once".
  const due = Date.parse((g.list as { nextRetry: string }[])[0].nextRetry);
  expect(Math.abs(due - Date.now())).toBeLessThan(60_000);
  await assertAccessible(page);
});

test('every page and every creation form generated from the Stalwart-shaped schema opens, axe clean', async ({ page }) => {
  test.setTimeout(120_000);
  await signInToStandIn(page);
  await forEveryPage(page, async (p) => {
    await expect(p.getByRole('alert')).toHaveCount(0);
    await assertAccessible(p);
  });
});
