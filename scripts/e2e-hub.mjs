// A fresh demonstration site hub for the end-to-end tests: wipes its own data folder, then runs
// `hub` (demo mode) on E2E_PORT, forwarding termination signals.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.E2E_PORT ?? '4899';
const dir = join(tmpdir(), `accueil-esc-e2e-${port}`);
rmSync(dir, { recursive: true, force: true });

const child = spawn(process.execPath, [join(root, 'scripts/run-cli.mjs'), 'hub', '--port', port], {
  cwd: root,
  stdio: 'inherit',
  // The tests sign in many desks a minute from one address: lift the per-address sign-in limit.
  env: { ...process.env, ESC_DEMO_DIR: dir, ESC_SIGNIN_LIMIT: '10000' },
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
