// `npm test`: the whole suite, in the order that fails fastest: types, lint, unit and
// integration tests (vitest, real encrypted SQLite), then the production build (desktop, hub and
// CLI bundles), the hub's Debian package, and the end-to-end tests in Chromium through the built
// hub and the unpacked package (Playwright).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

const steps = [
  ['types (main, preload, shared, tests)', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.node.json', '--noEmit']],
  ['types (renderer)', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.web.json', '--noEmit']],
  ['lint', [bin('eslint', 'bin/eslint.js'), '.']],
  ['unit and integration tests', [bin('vitest', 'vitest.mjs'), 'run']],
  ['build', ['--import', 'tsx', join(root, 'scripts/build.ts')]],
  ['debian package', [join(root, 'scripts/dist-hub.mjs')]],
  ['end-to-end tests', [bin('@playwright/test', 'cli.js'), 'test']],
  ['end-to-end tests of the central portal', [bin('@playwright/test', 'cli.js'), 'test', '--config', 'playwright.portal.config.ts']],
];

const only = process.argv[2];
for (const [name, args] of steps) {
  if (only && !name.startsWith(only)) continue;
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ESC_LOG: process.env.ESC_LOG ?? 'silent' } });
  if (r.status !== 0) {
    process.stdout.write(`\n✗ ${name} failed\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
