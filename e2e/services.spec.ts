// Settings › Services against a real Dovecot: Stop refuses TCP connections, Start brings
// the `* OK` greeting back, a new connection limit applies on restart (in Dovecot's
// effective configuration and its behaviour), and a daemon killed from outside shows
// as stopped. Skipped when Dovecot is not installed (.ci/run installs it).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dovecotDriver } from '../src/server/services/dovecot';
import { firstLine, freePort, hold, waitFor } from '../src/server/services/testing';
import { assertAccessible, goToPage, jmap, signIn } from './helpers';

/** The members of the IMAP x:Service record this test reads. */
interface ServiceRecord {
  pid: number | null;
  configPath: string;
  logPath: string;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `.tmp/services-${name}.png`, fullPage: true });

async function imapRecord(request: Parameters<typeof jmap>[0]): Promise<ServiceRecord> {
  const [[, res]] = await jmap(request, [['x:Service/get', { ids: ['imap'] }, 'g']]);
  return (res.list as ServiceRecord[])[0];
}

test('IMAP: stop, start, tune the connection limit, restart, and notice a killed daemon', async ({ page, request }) => {
  test.setTimeout(90_000);
  const install = await dovecotDriver({ protocol: 'imap' }).detect();
  test.skip(!install.installed, 'Dovecot is not installed (apt-get install dovecot-core dovecot-imapd)');

  // Free ports on loopback, so the test needs neither root's ports nor the network.
  const port = await freePort();
  const securePort = await freePort();
  const [[, prepared]] = await jmap(request, [
    ['x:Service/set', { update: { imap: { port, securePort, bindAddress: '127.0.0.1', maxConnections: 40 } } }, 's'],
  ]);
  expect(prepared.notUpdated).toBeNull();

  await signIn(page);
  await goToPage(page, 'Settings', 'Services');
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
  const imap = page.getByRole('region', { name: 'IMAP', exact: true });
  const thisNode = imap.getByRole('row', { name: /this server/ });
  await expect(imap.getByText(`${Math.min(port, securePort)}, ${Math.max(port, securePort)}`)).toBeVisible();
  await assertAccessible(page);

  // Start: progress, then running, and a real client gets the greeting.
  await imap.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(imap.getByText(/Start of IMAP on .+ done/)).toBeVisible({ timeout: 20_000 });
  await expect(thisNode).toContainText('Running');
  expect(await firstLine(port)).toMatch(/^\* OK /);
  await shot(page, '1-running');

  // Stop asks first, then the port refuses connections.
  await imap.getByRole('button', { name: 'Stop', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Stop IMAP on/ });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('cannot connect until it is started again');
  await shot(page, '2-confirm-stop');
  await assertAccessible(page);
  await dialog.getByRole('button', { name: 'Stop IMAP' }).click();
  await expect(imap.getByText(/Stop of IMAP on .+ done/)).toBeVisible({ timeout: 20_000 });
  await expect(thisNode).toContainText('Stopped');
  expect(await firstLine(port)).toBe('ECONNREFUSED');

  // Start again: * OK.
  await imap.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(imap.getByText(/Start of IMAP on .+ done/)).toBeVisible({ timeout: 20_000 });
  await expect(thisNode).toContainText('Running');
  expect(await firstLine(port)).toMatch(/^\* OK /);

  // A limit outside the schema's range is refused on the field.
  const plain = imap.getByRole('region', { name: 'Plain connections' });
  const maxConnections = plain.getByLabel('Maximum connections');
  await maxConnections.fill('0');
  await imap.getByRole('button', { name: 'Save settings' }).click();
  await expect(maxConnections).toHaveAttribute('aria-invalid', 'true');

  // Two connections at most; saved now, applied by a restart, which the page asks for.
  await maxConnections.fill('2');
  await imap.getByRole('button', { name: 'Save settings' }).click();
  await expect(imap.getByText('Saved. The new settings apply when IMAP restarts.')).toBeVisible();
  await expect(imap.getByText(/Settings changed since IMAP started/)).toBeVisible();
  await shot(page, '3-restart-required');
  await assertAccessible(page);
  const before = await imapRecord(request);
  await imap.getByRole('button', { name: 'Restart now' }).click();
  await page.getByRole('dialog', { name: /Restart IMAP on/ }).getByRole('button', { name: 'Restart IMAP' }).click();
  await expect(imap.getByText(/Restart of IMAP on .+ done/)).toBeVisible({ timeout: 20_000 });
  await expect(imap.getByText(/Settings changed since IMAP started/)).toBeHidden();
  await expect(thisNode).toContainText('Running');
  await shot(page, '4-restarted');

  // The running daemon has the new limit: in its effective configuration…
  const after = await imapRecord(request);
  expect(after.pid).not.toBe(before.pid);
  const doveconf = ['/usr/bin/doveconf', '/usr/sbin/doveconf'].find((f) => fs.existsSync(f)) ?? 'doveconf';
  expect(execFileSync(doveconf, ['-c', after.configPath, '-h', 'service/imap-login/process_limit']).toString().trim()).toBe('2');
  expect(execFileSync(doveconf, ['-c', after.configPath, '-h', 'service/imap/process_limit']).toString().trim()).toBe('2');
  // …and in what it does: a third simultaneous client pushes one out.
  const conns = [hold(port), hold(port), hold(port)];
  try {
    await waitFor('a connection dropped at the limit', async () => conns.some((c) => c.lines.some((l) => l.includes('Connection queue full'))), 10_000);
    expect(fs.readFileSync(after.logPath, 'utf8')).toContain('process_limit (2) reached');
  } finally {
    for (const c of conns) c.close();
  }

  // Killed from outside: the page shows it stopped, with the reason, within seconds.
  expect(after.pid).toBeGreaterThan(0);
  process.kill(after.pid!, 'SIGKILL');
  await expect(thisNode).toContainText('Stopped', { timeout: 5000 });
  await expect(imap.getByText('Last error')).toBeVisible();
  await expect(imap.getByText(/killed by signal SIGKILL/)).toBeVisible();
  await shot(page, '5-killed');
  await assertAccessible(page);

  // Leave the service as we found it.
  await jmap(request, [['x:Service/set', { update: { imap: { maxConnections: 40 } } }, 's']]);
});
