import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { ADMIN, BASE_URL, E2E_PORT, MAIL_PORT, MAIL_PORTS, SHORT_TOKEN_PORT, SHORT_TOKEN_TTL, STALWART_PORT } from './e2e/env';

// Fresh data directories per run. Set once in the runner's environment so the worker
// processes, which load this file again, see the same ones.
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'postern-e2e-'));
process.env.E2E_MAIL_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'postern-e2e-mail-'));
process.env.E2E_SHORT_TOKEN_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'postern-e2e-ttl-'));

// The server as `npm start` runs it: the bundle `npm run build` writes (npm test builds first).
// E2E_SERVER_BUNDLE and E2E_STATIC_DIR point at another build (with E2E_PORT, a run beside another).
const bundle = process.env.E2E_SERVER_BUNDLE ?? 'dist-server/main.mjs';
const staticDir = path.resolve(process.env.E2E_STATIC_DIR ?? 'dist');
const server = (port: number, dataDir: string, env: Record<string, string> = {}) => ({
  command: `node ${bundle}`,
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  // SIGTERM, so the server stops the mail daemons it supervises before it goes.
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  env: {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: ADMIN.password,
    STATIC_DIR: staticDir,
    // Two servers run side by side: the WebAdmin listener's default port (8000) would clash.
    WEBADMIN_PORT: 'off',
    ...env,
  },
});

export default defineConfig({
  testDir: 'e2e',
  workers: 2,
  fullyParallel: true,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  forbidOnly: !!process.env.CI,
  // One more run on CI for a test that fails once: the report still lists it as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    // The console follows the browser's language: tests read it in English unless they switch.
    locale: 'en-US',
    colorScheme: 'light',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    server(E2E_PORT, process.env.E2E_DATA_DIR),
    // e2e/token-refresh.spec.ts and the rotation test of e2e/tabs.spec.ts use this one: its access tokens expire every few seconds.
    server(SHORT_TOKEN_PORT, process.env.E2E_SHORT_TOKEN_DATA_DIR, { ACCESS_TOKEN_TTL: String(SHORT_TOKEN_TTL) }),
    // e2e/mail.spec.ts: Postfix and Dovecot started on boot, on loopback ports of their own.
    server(MAIL_PORT, process.env.E2E_MAIL_DATA_DIR, {
      POSTERN_SMTP_PORT: String(MAIL_PORTS.smtp),
      POSTERN_SUBMISSION_PORT: String(MAIL_PORTS.submission),
      POSTERN_SMTP_ADDRESS: '127.0.0.1',
      POSTERN_SMTP_START_ON_BOOT: 'true',
      POSTERN_IMAP_PORT: String(MAIL_PORTS.imap),
      POSTERN_IMAP_SECURE_PORT: String(MAIL_PORTS.imaps),
      POSTERN_IMAP_ADDRESS: '127.0.0.1',
      POSTERN_IMAP_START_ON_BOOT: 'true',
      POSTERN_MANAGESIEVE_PORT: String(MAIL_PORTS.sieve),
    }),
    // e2e/stalwart.spec.ts: a stand-in with Stalwart 0.16's semantics, serving the same console.
    {
      command: 'node --import tsx e2e/stalwart/main.ts',
      url: `http://127.0.0.1:${STALWART_PORT}/healthz/live`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
      env: { STALWART_PORT: String(STALWART_PORT), ADMIN_PASSWORD: ADMIN.password, STATIC_DIR: staticDir },
    },
  ],
});
