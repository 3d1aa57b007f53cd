// Lists beyond one page, against the real server: a filtered list exported as CSV (every
// page, read back from the downloaded file), columns chosen and kept after a reload, and
// every matching record selected across pages and deleted.

import fs from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { assertAccessible, createViaApi, destroyViaApi, jmap, signIn } from './helpers';

/** A network prefix no other test uses, so the address filter finds only this test's records. */
function uniquePrefix(): string {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  return `10.${octet()}.${octet()}.`;
}

async function createIps(request: APIRequestContext, prefix: string, n: number, reason: (i: number) => string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await createViaApi(request, 'x:AllowedIp', { address: `${prefix}${i + 1}`, reason: reason(i) }));
  return ids;
}

async function openAllowedIps(page: Page, query = '') {
  await page.goto(`/settings/security/allowed-ips${query}`);
  await expect(page.getByRole('heading', { name: 'Allowed IPs', level: 1 })).toBeVisible();
}

/** The data columns' headers, in order (not the checkbox or the row actions). */
const headers = async (page: Page) =>
  (await page.getByRole('table').getByRole('columnheader').allInnerTexts()).map((t) => t.trim()).filter((t) => t && t !== 'Actions');

test('a filtered list exports as CSV: every page, a header, values that import again', async ({ page, request }) => {
  const prefix = uniquePrefix();
  const ids = await createIps(request, prefix, 4, (i) => (i === 1 ? 'Partner, "east" office' : i === 2 ? '=HYPERLINK("http://example.test")' : `Office ${i}`));
  await signIn(page);
  // Two records a page: the export still reads all of them, page by page.
  await openAllowedIps(page, `?f.address=${encodeURIComponent(prefix)}&size=2`);
  await expect(page.getByText('1–2 of 4')).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^AllowedIp-\d{4}-\d{2}-\d{2}\.csv$/);
  await expect(page.getByText('Exported 4 allowed IPs.')).toBeVisible();
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toBe('Address,Status,Reason,Created,Expires');
  expect(lines.at(-1)).toBe('');
  const rows = lines.slice(1, -1);
  expect(rows).toHaveLength(4);
  // Sorted by address like the list; the status enum raw; instants as the server's UTC text.
  expect(rows[0]).toMatch(new RegExp(`^${prefix.replace(/\./g, '\\.')}1,active,Office 0,\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z,$`));
  expect(rows[1]).toContain(`${prefix}2,active,"Partner, ""east"" office",`);
  // A formula is neutralized for spreadsheets.
  expect(rows[2]).toContain(`${prefix}3,active,"'=HYPERLINK(""http://example.test"")",`);
  expect(rows[3]).toContain(`${prefix}4,active,Office 3,`);
  await destroyViaApi(request, 'x:AllowedIp', ids);
});

test('columns are chosen and reordered, kept after a reload, and reset', async ({ page, request }) => {
  const prefix = uniquePrefix();
  const ids = await createIps(request, prefix, 1, () => 'Columns test');
  await signIn(page);
  await openAllowedIps(page, `?f.address=${encodeURIComponent(prefix)}`);
  await expect(page.getByRole('link', { name: `${prefix}1` })).toBeVisible();
  expect(await headers(page)).toEqual(['Address', 'Status', 'Reason', 'Created', 'Expires']);

  await page.getByRole('button', { name: 'Columns' }).click();
  const panel = page.getByRole('dialog', { name: 'Columns' });
  await panel.getByRole('checkbox', { name: 'Status' }).uncheck();
  await panel.getByRole('button', { name: 'Move Reason up' }).click();
  await expect(panel.getByRole('status')).toHaveText('Reason moved to position 1 of 4.');
  // Keyboard: the focus stays on the moved column; Enter moves it back down and up again.
  await expect(panel.getByRole('button', { name: 'Move Reason down' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status')).toHaveText('Reason moved to position 2 of 4.');
  await panel.getByRole('button', { name: 'Move Reason up' }).press('Enter');
  await expect(page.getByRole('table').getByRole('columnheader').first()).toBeAttached();
  expect(await headers(page)).toEqual(['Reason', 'Address', 'Created', 'Expires']);
  await assertAccessible(page);
  await page.screenshot({ path: test.info().outputPath('columns-menu.png') });
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page.getByRole('button', { name: 'Columns' })).toBeFocused();

  await page.reload();
  await expect(page.getByRole('link', { name: 'Columns test' })).toBeVisible();
  expect(await headers(page)).toEqual(['Reason', 'Address', 'Created', 'Expires']);

  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('button', { name: 'Reset columns' }).click();
  expect(await headers(page)).toEqual(['Address', 'Status', 'Reason', 'Created', 'Expires']);
  await destroyViaApi(request, 'x:AllowedIp', ids);
});

test('every record matching the filter is selected across pages and deleted', async ({ page, request }) => {
  const prefix = uniquePrefix();
  await createIps(request, prefix, 7, (i) => `Bulk ${i}`);
  // Someone else's record outside the filter stays.
  const other = await createViaApi(request, 'x:AllowedIp', { address: `${uniquePrefix()}9`, reason: 'Not matching' });
  await signIn(page);
  await openAllowedIps(page, `?f.address=${encodeURIComponent(prefix)}&size=3`);
  await expect(page.getByText('1–3 of 7')).toBeVisible();

  await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
  const bar = page.getByRole('region', { name: 'Selection' });
  await expect(bar).toContainText('All 3 on this page are selected.');
  await bar.getByRole('button', { name: 'Select all 7 matching' }).click();
  await expect(bar).toContainText('All 7 matching are selected.');
  await assertAccessible(page);
  await bar.getByRole('button', { name: 'Delete selected' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 7 allowed IPs?' });
  await expect(dialog).toContainText('This applies to all 7 records matching the current filter, on every page.');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('Deleted 7 allowed IPs.')).toBeVisible();
  await expect(page.getByText('No allowed IPs match these filters.')).toBeVisible();

  const [[, left]] = await jmap(request, [['x:AllowedIp/query', { filter: { address: prefix } }, 'q']]);
  expect(left.ids).toEqual([]);
  const [[, kept]] = await jmap(request, [['x:AllowedIp/get', { ids: [other] }, 'g']]);
  expect((kept.list as unknown[]).length).toBe(1);
  await destroyViaApi(request, 'x:AllowedIp', [other]);
});
