/**
 * End-to-end tests of the central portal (`central serve`): a fresh development central
 * PostgreSQL with six seeded, synced sites and three portal accounts (scripts/e2e-central.mjs),
 * the portal on E2E_PORT over HTTPS (self-signed certificate), Debian's Chromium.
 * Separate from playwright.config.ts (the site hub), which it leaves unchanged.
 */
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4897);

export default defineConfig({
  testDir: 'tests/e2e-portal',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  use: {
    baseURL: `https://127.0.0.1:${PORT}`,
    ignoreHTTPSErrors: true,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
  },
  webServer: {
    command: 'node scripts/e2e-central.mjs',
    url: `https://127.0.0.1:${PORT}/sante`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 900_000,
    env: { E2E_PORT: String(PORT), ESC_LOG: 'silent' },
  },
});
