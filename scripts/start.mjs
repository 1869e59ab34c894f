// `npm start`: the desktop app when Electron's binary is installed; otherwise (e.g. installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) the same app through the demo site hub, opened in a browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pathFile = join(root, 'node_modules/electron/path.txt');
const electronBinary = existsSync(pathFile) ? join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()) : null;

if (electronBinary && existsSync(electronBinary)) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const r = spawnSync(electronBinary, [root], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

process.stdout.write(
  'Electron n’est pas installé sur ce poste (binaire absent) : démarrage de l’application via le hub du site.\n' +
    'Ouvrez l’adresse affichée ci-dessous dans un navigateur.\n\n',
);
const r = spawnSync(process.execPath, [join(root, 'scripts/run-cli.mjs'), 'hub', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 0);
