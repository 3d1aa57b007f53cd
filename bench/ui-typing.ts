// How responsive the Role form stays with a Stalwart-sized permission list on screen.
//
//   npm run build && npx tsx bench/ui-typing.ts
//
// Starts the built server on a free port, signs in through the console in Debian's
// Chromium, and opens Management › Directory › Roles › New with every permission group of
// both pickers expanded. Our server knows about 50 permissions; Stalwart 0.16 knows ~660,
// so the schema the browser receives is padded to that size with synthetic permissions
// (page.route rewrites GET /api/schema; everything else is the real server). It then types
// into Description and ticks checkboxes, and prints the Event Timing API's figures:
// the browser's own measure of each input's time to next paint (entries under 16 ms are
// not reported by browsers, so "none" means every keystroke was under 16 ms).

import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const TARGET_PERMISSIONS = 660;
const PASSWORD = 'bench-Passw0rd';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

async function main() {
  if (!fs.existsSync('dist/index.html') || !fs.existsSync('dist-server/main.mjs')) {
    console.error('Build first: npm run build');
    process.exit(2);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-ui-'));
  const server = spawn('node', ['dist-server/main.mjs'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD, WEBADMIN_PORT: 'off' },
    stdio: 'ignore',
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await waitFor(`${base}/healthz`, 15_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let padded = 0;
    await page.route('**/api/schema', async (route) => {
      padded = 0;
      const res = await route.fetch();
      const doc = await res.json();
      const perms: { name: string; label: string; explanation?: string }[] = doc.enums.Permission;
      for (let area = 0; perms.length < TARGET_PERMISSIONS; area++) {
        for (const verb of ['Get', 'Query', 'Create', 'Update', 'Destroy', 'Import', 'Export', 'Reload', 'Test', 'Purge']) {
          if (perms.length >= TARGET_PERMISSIONS) break;
          perms.push({ name: `area${area}${verb}`, label: `${verb} things of area ${area}` });
          padded++;
        }
      }
      await route.fulfill({ response: res, json: doc });
    });

    await page.goto(`${base}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByRole('button', { name: /continue|sign in/i }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    await page.goto(`${base}/management/directory/roles/new`);
    await page.getByRole('heading', { name: 'New role', level: 1 }).waitFor();
    const toggles = page.locator('button.enum-group-toggle[aria-expanded="false"]');
    while ((await toggles.count()) > 0) await toggles.first().click();
    const checkboxes = await page.locator('.enum-groups input[type=checkbox]').count();

    await page.evaluate(() => {
      const w = window as unknown as { __events: { name: string; duration: number }[] };
      w.__events = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__events.push({ name: e.name, duration: e.duration });
      }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
    });

    const text = 'Mail operators of the Frankfurt site';
    await page.getByLabel('Description').click();
    const started = Date.now();
    await page.keyboard.type(text, { delay: 40 });
    const typing = Date.now() - started;
    const boxes = page.locator('.enum-groups input[type=checkbox]');
    for (let i = 0; i < 20; i++) await boxes.nth(i * 13).click();
    // Let the last entries be delivered.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
    const events: { name: string; duration: number }[] = await page.evaluate(() => (window as unknown as { __events: { name: string; duration: number }[] }).__events);

    const keys = events.filter((e) => /^key|input|beforeinput/.test(e.name));
    const clicks = events.filter((e) => /click|pointer|mouse/.test(e.name));
    const summary = (list: typeof events) =>
      list.length === 0 ? 'none over 16 ms' : `${list.length} over 16 ms, worst ${Math.max(...list.map((e) => e.duration))} ms, ${list.filter((e) => e.duration > 50).length} over 50 ms`;
    console.log(`Role form, new role: ${checkboxes} permission checkboxes on screen (${padded} synthetic permissions added to reach ${TARGET_PERMISSIONS})`);
    console.log(`  typed ${text.length} characters in ${typing} ms`);
    console.log(`  keystrokes (Event Timing, input to next paint): ${summary(keys)}`);
    console.log(`  20 checkbox clicks: ${summary(clicks)}`);
    console.log('  target (issue 3): no keystroke over 50 ms');
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
