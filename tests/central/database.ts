/** A fresh central database (own database, own role prefix) on the test PostgreSQL. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateCentral } from '../../src/main/central/admin';

export interface TestCentral {
  ownerUrl: string;
  rolePrefix: string;
  database: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestCentral(adminUrl: string): Promise<TestCentral> {
  const tag = randomBytes(4).toString('hex');
  const database = `esc_test_${tag}`;
  const rolePrefix = `t${tag}_`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const ownerUrl = withDatabase(adminUrl, database);
  await migrateCentral({ url: ownerUrl }, { rolePrefix });
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  owner.on('error', () => undefined);
  return {
    ownerUrl,
    rolePrefix,
    database,
    query: async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await owner.query<T>(sql, params)).rows,
    drop: async () => {
      await owner.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      const roles = await a.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [`${rolePrefix}%`]);
      // Site roles first: they are members of the group roles.
      for (const r of roles.rows.sort((x, y) => y.rolname.length - x.rolname.length)) await a.query(`DROP ROLE IF EXISTS ${r.rolname}`);
      await a.end();
    },
  };
}
