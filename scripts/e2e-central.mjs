// The central portal for its end-to-end tests: a fresh development central PostgreSQL (`central
// dev` on E2E_PORT − 1), six seeded site databases (`seed --site all`), each enrolled and synced
// with the real CLI, three portal accounts (APRAS, GTESC, IT), then `central serve` on E2E_PORT.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcesses, startCentralDev, stopCentralWith } from './lib/central-dev.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.E2E_PORT ?? '4970';
const base = join(tmpdir(), `accueil-esc-e2e-portal-${port}`);
const centralDir = join(base, 'central');
const sitesDir = join(base, 'sites');
rmSync(base, { recursive: true, force: true });
const runCli = join(root, 'scripts/run-cli.mjs');
const SITES = ['BLOSNE', 'CLEUNAY', 'CESAIRE', 'IFF', 'CENTRE', 'VILLEJEAN'];
export const PORTAL_PASSWORD = 'portail-e2e-2026';

const children = childProcesses();
const fail = (what, r) => {
  process.stderr.write(`${what} a échoué\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
  for (const c of children) c.kill('SIGTERM');
  process.exit(1);
};
const cliSync = (args, env = {}) => spawnSync(process.execPath, [runCli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ESC_LOG: 'silent', ...env } });
const cliAsync = (args) =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, [runCli, ...args], { cwd: root, env: { ...process.env, ESC_LOG: 'silent' } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('exit', (status) => resolve({ status, stdout: out, stderr: '' }));
  });

const central = await startCentralDev({ cliArgs: [runCli], cwd: root, dir: centralDir, port: Number(port) - 1, children });

// Six weeks and more up to yesterday: the previous month is complete, the current one is not.
const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
const seeded = cliSync(['seed', '--site', 'all', '--out', sitesDir, '--days', '45', '--end', yesterday, '--seed', 'portail-e2e']);
if (seeded.status !== 0) fail('seed', seeded);

for (const code of SITES) {
  const file = join(centralDir, `central-${code.toLowerCase()}.url`);
  const e = cliSync(['central', 'enroll-site', '--site', code, '--dir', centralDir, '--out', file]);
  if (e.status !== 0) fail(`enroll-site ${code}`, e);
  const c = cliSync(['sync', 'configure', '--data-dir', join(sitesDir, code), '--key-file', join(sitesDir, `${code}.key`), '--url-file', file]);
  if (c.status !== 0) fail(`sync configure ${code}`, c);
}
const syncs = await Promise.all(SITES.map((code) => cliAsync(['sync', '--data-dir', join(sitesDir, code), '--key-file', join(sitesDir, `${code}.key`)])));
syncs.forEach((r, i) => r.status !== 0 && fail(`sync ${SITES[i]}`, r));

for (const [login, role, name] of [
  ['analyste.apras', 'apras', 'Camille Analyste (APRAS)'],
  ['membre.gtesc', 'gtesc', 'Dominique Membre (GTESC)'],
  ['technicien.dsi', 'it', 'Alex Technicien (DSI)'],
]) {
  const a = cliSync(['central', 'portal-account', '--dir', centralDir, '--login', login, '--role', role, '--name', name], { ESC_PORTAL_PASSWORD: PORTAL_PASSWORD });
  if (a.status !== 0) fail(`portal-account ${login}`, a);
}

const portal = spawn(process.execPath, [runCli, 'central', 'serve', '--dir', centralDir, '--port', port, '--host', '127.0.0.1'], { cwd: root, stdio: 'inherit', env: { ...process.env, ESC_LOG: 'silent' } });
children.push(portal);
stopCentralWith(portal, central);
