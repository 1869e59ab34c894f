/**
 * Issue 16 (hub memory): glibc reads its allocator settings once, at process start, so every way
 * the hub is launched must give them — the Debian launcher (hence the systemd service),
 * `npm run hub` (scripts/run-cli.mjs) and the bench, which measures the hub as delivered.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HUB_ALLOCATOR_ENV } from '../../src/main/hub/allocator';

const root = join(__dirname, '../..');
const entries = Object.entries(HUB_ALLOCATOR_ENV);

describe('allocator settings of the hub process', () => {
  it('are a fixed mmap threshold of 1 MiB', () => {
    expect(HUB_ALLOCATOR_ENV).toEqual({ MALLOC_MMAP_THRESHOLD_: '1048576' });
  });

  it('reach the hub started by the Debian launcher, unless IT set its own value', () => {
    // The launcher run for real, with `node` replaced by a script that prints what it was given.
    const fakeNode = join(root, 'tests/fixtures/print-env.sh');
    const launch = (extra: Record<string, string>) =>
      spawnSync('sh', [join(root, 'resources/debian/accueil-esc-hub'), 'version'], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ACCUEIL_ESC_ROOT: '/nonexistent', ACCUEIL_ESC_NODE: fakeNode, ...extra },
        encoding: 'utf8',
      });
    const given = launch({});
    expect(given.status).toBe(0);
    for (const [name, value] of entries) expect(given.stdout).toContain(`${name}=${value}\n`);
    expect(given.stdout).toContain('args: /nonexistent/usr/lib/accueil-esc/hub/cli.js service version');
    const own = launch({ MALLOC_MMAP_THRESHOLD_: '262144' });
    expect(own.stdout).toContain('MALLOC_MMAP_THRESHOLD_=262144\n');
  });

  it('are given by `npm run hub` and by the bench, with the same values', () => {
    const runCli = readFileSync(join(root, 'scripts/run-cli.mjs'), 'utf8');
    for (const [name, value] of entries) expect(runCli).toContain(`${name}: '${value}'`);
    expect(runCli).toMatch(/env: command === 'hub' \? \{ \.\.\.HUB_ALLOCATOR_ENV, \.\.\.process\.env \}/);
    const bench = readFileSync(join(root, 'src/main/cli/bench/hub-child.ts'), 'utf8');
    expect(bench).toMatch(/env: \{ \.\.\.HUB_ALLOCATOR_ENV, \.\.\.env,/);
  });
});
