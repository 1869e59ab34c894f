/**
 * The LAN hub in Chromium: a site hub started on the network (HTTPS with its own certificate,
 * pairing required even from this machine), a desk that pairs with a code given on the hub's
 * console, then signs in; the administration sees the paired desk.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, HUB_CLI } from './helpers';

// Beside the demo hub of this run (E2E_PORT), so that parallel runs on other ports do not collide.
const PORT = Number(process.env.E2E_PORT ?? 4892) + 5;
const PASSWORD = 'lan-admin-password-1';
let dir: string;
let hub: ChildProcess;

const cli = (...args: string[]) => spawnSync(process.execPath, [HUB_CLI, ...args], { encoding: 'utf8', env: { ...process.env, ESC_ADMIN_PASSWORD: PASSWORD, ESC_LOG: 'silent' } });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esc-lan-'));
  const init = cli('hub', 'init', '--data-dir', join(dir, 'data'), '--site', 'IFF', '--admin', 'admin', '--key-file', join(dir, 'hub.key'));
  expect(init.stdout).toContain('empreinte SHA-256');
  hub = spawn(process.execPath, [HUB_CLI, 'hub', 'serve', '--data-dir', join(dir, 'data'), '--key-file', join(dir, 'hub.key'), '--host', '0.0.0.0', '--port', String(PORT)], {
    env: { ...process.env, ESC_HUB_TRUST_LOOPBACK: '0', ESC_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    hub.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Appairer un poste')) resolve();
    });
    hub.on('exit', (code) => reject(new Error(`hub exited ${code}: ${out}`)));
  });
});

test.afterAll(() => {
  hub?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test.use({ ignoreHTTPSErrors: true, baseURL: `https://localhost:${PORT}` });

test('a new desk pairs with the code shown on the hub, then signs in; the administration sees it', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/appairage$/);
  await expect(page.getByRole('heading', { name: 'Appairer ce poste avec le hub de ESC Simone Iff' })).toBeVisible();
  await expectAccessible(page, 'page d’appairage');

  await page.getByLabel('Code d’appairage').fill('ABCD-EFGH-JKMN');
  await page.getByLabel('Nom du poste').fill('Bureau CAF 1');
  await page.getByRole('button', { name: 'Appairer ce poste' }).click();
  await expect(page.getByRole('alert')).toContainText('Aucun code d’appairage valide');
  await page.screenshot({ path: 'test-results/pairing-page.png', fullPage: true });

  const issued = cli('hub', 'pair-code', '--data-dir', join(dir, 'data'), '--key-file', join(dir, 'hub.key'));
  const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(issued.stdout)?.[0];
  expect(code).toBeTruthy();
  await page.getByLabel('Code d’appairage').fill(code!);
  await page.getByRole('button', { name: 'Appairer ce poste' }).click();
  await expect(page.getByLabel('Identifiant')).toBeVisible();

  await page.getByLabel('Identifiant').fill('admin');
  await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await page.getByRole('link', { name: 'Postes du site' }).click();
  await expect(page.getByRole('cell', { name: 'Bureau CAF 1' })).toBeVisible();
  await expect(page.getByText(/empreinte SHA-256 du certificat/)).toBeVisible();
  await page.getByRole('button', { name: 'Appairer un poste' }).click();
  await expect(page.getByText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)).toBeVisible();
  await expectAccessible(page, 'Postes du site');
  await page.screenshot({ path: 'test-results/devices-page.png', fullPage: true });
});
