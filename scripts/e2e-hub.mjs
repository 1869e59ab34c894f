// A fresh demonstration site hub for the end-to-end tests, run as in production: the built hub
// (`node out/hub/cli.js`, plain JavaScript, rebuilt first when the sources are newer). Wipes its
// own data folders, starts a development central PostgreSQL (`central dev`), enrolls the demo site
// there, then runs `hub` (demo mode) on E2E_PORT configured to sync with it, forwarding
// termination signals.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcesses, startCentralDev, stopCentralWith } from './lib/central-dev.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.E2E_PORT ?? '4899';
const dir = join(tmpdir(), `accueil-esc-e2e-${port}`);
const centralDir = join(tmpdir(), `accueil-esc-e2e-central-${port}`);
rmSync(dir, { recursive: true, force: true });
rmSync(centralDir, { recursive: true, force: true });

const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), '--hub', '--if-stale', '--quiet'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const hubCli = join(root, 'out/hub/cli.js');
const cli = (args, options) => spawn(process.execPath, [hubCli, ...args], { cwd: root, ...options });

const children = childProcesses();
const central = await startCentralDev({ cliArgs: [hubCli], cwd: root, dir: centralDir, port: Number(port) - 1, children });
// The site's address is written to a file readable by its owner only (never printed).
const urlFile = join(centralDir, 'central-blosne.url');
const enrolled = spawnSync(process.execPath, [hubCli, 'central', 'enroll-site', '--site', 'BLOSNE', '--dir', centralDir, '--out', urlFile], {
  cwd: root,
  encoding: 'utf8',
});
const url = enrolled.status === 0 ? /postgres:\/\/\S+/.exec(readFileSync(urlFile, 'utf8'))?.[0] : undefined;
if (!url) {
  process.stderr.write(enrolled.stdout + enrolled.stderr);
  process.exit(1);
}

const hub = cli(['hub', '--port', port], {
  stdio: 'inherit',
  // The tests sign in many desks a minute from one address: lift the per-address sign-in limit.
  env: { ...process.env, ESC_DEMO_DIR: dir, ESC_SIGNIN_LIMIT: '10000', ESC_DEMO_CENTRAL_URL: url, ESC_DEMO_BACKUP_DIR: join(dir, 'backups') },
});
children.push(hub);
stopCentralWith(hub, central);
