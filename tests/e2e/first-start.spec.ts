/**
 * The first start of a desk, in Chromium, with the real pairing code: the renderer's
 * « Premier démarrage » page talks over its IPC transport to the same first-start functions the
 * desktop's IPC handler calls (harness/first-start-server.ts), against a real LAN hub (the built
 * hub, HTTPS with its own certificate, pairing required). A wrong code, an unreachable hub, the
 * right code (the certificate is pinned), IT's machine-wide file naming another certificate, a
 * standalone desk, and a paired desk whose hub first stops answering, then comes back with another
 * certificate.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, HUB_CLI } from './helpers';

const BASE = Number(process.env.E2E_PORT ?? 4899);
const HUB_PORT = BASE + 7;
const HARNESS_PORT = BASE + 8;
const CLOSED_PORT = BASE + 9;
const HUB = `https://localhost:${HUB_PORT}/`;
let dir: string;
let hub: ChildProcess | null = null;
let harness: ChildProcess | null = null;
const fingerprints: Record<string, string> = {};

const cli = (...args: string[]) => spawnSync(process.execPath, [HUB_CLI, ...args], { encoding: 'utf8', env: { ...process.env, ESC_ADMIN_PASSWORD: 'premier-demarrage-1', ESC_LOG: 'silent' } });

/** A LAN hub for `name` (initialised once), serving on HUB_PORT. */
async function startHubFor(name: 'A' | 'B', site: string): Promise<void> {
  const data = join(dir, `hub-${name}`);
  if (!existsSync(data)) {
    const init = cli('hub', 'init', '--data-dir', data, '--site', site, '--admin', 'admin', '--key-file', join(dir, `hub-${name}.key`));
    expect(init.status, init.stderr).toBe(0);
    fingerprints[name] = /empreinte SHA-256 :\s+([0-9A-F:]{95})/.exec(init.stdout)![1]!;
  }
  hub = spawn(process.execPath, [HUB_CLI, 'hub', 'serve', '--data-dir', data, '--key-file', join(dir, `hub-${name}.key`), '--host', '0.0.0.0', '--port', String(HUB_PORT)], {
    env: { ...process.env, ESC_HUB_TRUST_LOOPBACK: '0', ESC_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitFor(hub, 'Appairer un poste');
}

function pairingCode(name: 'A' | 'B'): string {
  const out = cli('hub', 'pair-code', '--data-dir', join(dir, `hub-${name}`), '--key-file', join(dir, `hub-${name}.key`)).stdout;
  return /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(out)![0];
}

function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(text)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}): ${out}`)));
  });
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The first start of a desk whose data folder is `userData` (and, optionally, IT's machine-wide file). */
async function firstStart(page: Page, userData: string, machineConfig?: object): Promise<void> {
  await stop(harness);
  const env: NodeJS.ProcessEnv = { ...process.env, ESC_LOG: 'silent', ESC_MACHINE_CONFIG: join(dir, 'aucun-fichier.json') };
  if (machineConfig) {
    writeFileSync(join(dir, 'poste.json'), JSON.stringify(machineConfig));
    env.ESC_MACHINE_CONFIG = join(dir, 'poste.json');
  }
  harness = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/harness/first-start-server.ts', '--port', String(HARNESS_PORT), '--user-data', userData], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitFor(harness, 'first-start harness');
  // What the desktop's preload exposes, carried to the harness instead of Electron's IPC.
  await page.addInitScript(() => {
    let id = 0;
    (globalThis as unknown as { escApi: unknown }).escApi = {
      invoke: (method: string, params: unknown) =>
        fetch('/ipc', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) }).then((r) => r.json()),
      subscribe: () => () => undefined,
    };
  });
  await page.goto(`http://127.0.0.1:${HARNESS_PORT}/premier-demarrage`);
}

async function outcome(): Promise<string | null> {
  return ((await (await fetch(`http://127.0.0.1:${HARNESS_PORT}/__outcome`)).json()) as { outcome: string | null }).outcome;
}

async function relier(page: Page, hubUrl: string, code: string, name?: string): Promise<void> {
  await page.getByLabel('Adresse du hub').fill(hubUrl);
  await page.getByLabel('Code d’appairage').fill(code);
  if (name) await page.getByLabel('Nom du poste').fill(name);
  await page.getByRole('button', { name: 'Relier ce poste' }).click();
}

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esc-first-start-'));
  await startHubFor('A', 'CESAIRE');
});

test.afterAll(async () => {
  await stop(harness);
  await stop(hub);
  rmSync(dir, { recursive: true, force: true });
});

test('a new PC: a wrong code and an unreachable hub are explained; the right code pairs it and pins the hub’s certificate', async ({ page }) => {
  const userData = join(dir, 'poste-1');
  await firstStart(page, userData);
  await expect(page.getByRole('heading', { name: 'Premier démarrage de ce poste' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Relier ce poste au hub du site' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Poste autonome' })).toBeVisible();
  await expect(page.getByLabel('Nom du poste')).toHaveValue('PC-ACCUEIL-07');
  await expectAccessible(page, 'premier démarrage');
  await page.screenshot({ path: 'test-results/first-start.png' });

  await relier(page, HUB, 'ABCD-EFGH-JKMN', 'Guichet 2');
  await expect(page.getByTestId('setup-error')).toContainText('Aucun code d’appairage valide');
  expect(existsSync(join(userData, 'satellite.json'))).toBe(false);

  await relier(page, `https://localhost:${CLOSED_PORT}/`, pairingCode('A'));
  await expect(page.getByTestId('setup-error')).toContainText('Hub injoignable (ECONNREFUSED)');
  await expect(page.getByTestId('setup-error')).toContainText('vérifiez l’adresse du hub');
  await page.screenshot({ path: 'test-results/first-start-unreachable.png' });

  await relier(page, 'http://localhost:4780/', 'ABCD-EFGH-JKMN');
  await expect(page.getByText('Le hub se joint en https://', { exact: false }).first()).toBeVisible();

  // The address as people type it: no scheme, the port given.
  await relier(page, `localhost:${HUB_PORT}`, pairingCode('A'));
  await expect(page.getByRole('heading', { name: 'Poste relié au hub du site' })).toBeVisible();
  await expect(page.getByTestId('pinned-fingerprint')).toHaveText(fingerprints.A!);
  await page.screenshot({ path: 'test-results/first-start-paired.png' });
  const saved = JSON.parse(readFileSync(join(userData, 'satellite.json'), 'utf8')) as { hubUrl: string; fingerprint: string; deviceName: string };
  expect(saved).toMatchObject({ hubUrl: HUB, fingerprint: fingerprints.A, deviceName: 'Guichet 2' });
  expect(statSync(join(userData, 'satellite.json')).mode & 0o777).toBe(0o600);
  expect(await outcome()).toBe('satellite');
});

test('IT’s machine-wide file: the hub is pre-filled, no standalone desk, and a certificate other than the one IT named is refused', async ({ page }) => {
  const userData = join(dir, 'poste-2');
  const other = Array.from({ length: 32 }, () => 'AB').join(':');
  await firstStart(page, userData, { hubUrl: HUB, hubFingerprint: other, mode: 'satellite' });
  await expect(page.getByLabel('Adresse du hub')).toHaveValue(HUB);
  await expect(page.getByText('Indiquée par le service informatique')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Poste autonome' })).toHaveCount(0);
  await page.getByLabel('Code d’appairage').fill(pairingCode('A'));
  await page.getByRole('button', { name: 'Relier ce poste' }).click();
  await expect(page.getByTestId('setup-error')).toContainText('n’est pas celle indiquée par le service informatique');
  await expect(page.getByTestId('setup-error')).toContainText(fingerprints.A!);
  expect(existsSync(join(userData, 'satellite.json'))).toBe(false);
  expect(await outcome()).toBeNull();
});

test('a standalone desk: its own base', async ({ page }) => {
  await firstStart(page, join(dir, 'poste-3'));
  await page.getByRole('button', { name: 'Utiliser ce poste seul' }).click();
  await expect(page.getByRole('heading', { name: 'Poste autonome' })).toBeVisible();
  await expect(page.getByText('La base chiffrée de ce poste va être créée')).toBeVisible();
  expect(await outcome()).toBe('standalone');
});

test('a paired desk whose hub stops answering, then comes back with another certificate, is told so and pairs again', async ({ page }) => {
  const userData = join(dir, 'poste-1');
  await stop(hub);
  await firstStart(page, userData);
  await expect(page.getByRole('heading', { name: 'Le hub du site ne répond pas' })).toBeVisible();
  await expect(page.getByTestId('setup-situation')).toContainText(`Le hub ${HUB} ne répond pas`);
  // A desk that lost its hub must not start a second base of the site's people.
  await expect(page.getByRole('heading', { name: 'Poste autonome' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByTestId('setup-situation')).toContainText('ne répond pas');

  // Another hub (another certificate) now answers at the same address.
  await startHubFor('B', 'CESAIRE');
  await page.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByRole('heading', { name: 'Le certificat du hub a changé' })).toBeVisible();
  await expect(page.getByTestId('setup-situation')).toContainText(`empreinte reçue : ${fingerprints.B}`);
  await expectAccessible(page, 'certificat changé');
  await page.screenshot({ path: 'test-results/first-start-certificate-changed.png' });
  expect(await outcome()).toBeNull();

  await relier(page, HUB, pairingCode('B'));
  await expect(page.getByTestId('pinned-fingerprint')).toHaveText(fingerprints.B!);
  expect((JSON.parse(readFileSync(join(userData, 'satellite.json'), 'utf8')) as { fingerprint: string }).fingerprint).toBe(fingerprints.B);
});
