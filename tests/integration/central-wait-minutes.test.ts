/**
 * Central migration 5: the wait distribution per minute (60 counts per row). A central holding
 * the per-second rows of migration 1 is converted exactly (negative and very long waits too),
 * `esc.agg_month_wait` reads the same rows as before, and the triggers keep it equal to a full
 * recount through inserts, updates that move a wait, and tombstones.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { migrateCentral } from '../../src/main/central/admin';
import { CENTRAL_MIGRATIONS } from '../../src/main/central/migrations';
import { withDatabase } from '../central/database';
import { RECOUNTS } from '../central/recount';

let adminUrl: string;
let database: string;
let owner: pg.Client;

const WAIT = RECOUNTS.find((r) => r.name === 'agg_month_wait')!;
const rows = async (sql: string) => (await owner.query({ text: sql, rowMode: 'array' })).rows as unknown[];

beforeAll(async () => {
  adminUrl = inject('pgAdminUrl');
  database = `esc_wait_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  owner = new pg.Client({ connectionString: withDatabase(adminUrl, database) });
  await owner.connect();
});

afterAll(async () => {
  await owner?.end();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  const roles = await admin.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE 'w5%'");
  for (const r of roles.rows.sort((x, y) => y.rolname.length - x.rolname.length)) await admin.query(`DROP ROLE IF EXISTS ${r.rolname}`);
  await admin.end();
});

/** Passages written as the owner (the triggers run whatever wrote the rows). */
async function passages(list: { id: string; day: string; wait: number | null; state?: string; seq: number }[]): Promise<void> {
  for (const p of list) {
    await owner.query(
      `INSERT INTO esc.queue_entries (site_id, id, version, change_seq, updated_at, day, service_code, original_service_code, state, arrived_minute, call_count, outside_hours, wait_seconds)
       VALUES ('BLOSNE', $1, 1, $2, now(), $3, 'ACCUEIL', 'ACCUEIL', $4, date_trunc('minute', now()), 1, false, $5)`,
      [p.id, p.seq, p.day, p.state ?? 'done', p.wait],
    );
  }
}

it('converts the per-second rows exactly, and the triggers keep the view equal to a recount', async () => {
  // A central as the previous version left it: migrations 1 to 4 only.
  await owner.query('CREATE SCHEMA esc');
  await owner.query('CREATE TABLE esc.__migrations__ (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const m of CENTRAL_MIGRATIONS.filter((x) => x.id <= 4)) {
    await owner.query(m.sql);
    await owner.query('INSERT INTO esc.__migrations__ (id, name) VALUES ($1, $2)', [m.id, m.name]);
  }
  await owner.query("INSERT INTO esc.sites (site_id, role_name) VALUES ('BLOSNE', 'w5_site_blosne')");
  const waits = [0, 1, 59, 60, 61, 119, 120, 3599, 3600, 86_399, 200_000, -1, -59, -60, -61, 61, 61, 0];
  await passages(waits.map((w, i) => ({ id: `p${i}`, day: i % 2 === 0 ? '2026-10-14' : '2026-11-02', wait: w, seq: i + 1 })));
  await passages([{ id: 'none', day: '2026-11-03', wait: null, state: 'left', seq: 100 }]);
  const before = await rows(WAIT.maintained);
  expect(before).toEqual(await rows(WAIT.recount));
  expect(before.length).toBeGreaterThan(12);

  const result = await migrateCentral({ url: withDatabase(adminUrl, database) }, { rolePrefix: 'w5' });
  expect(result.applied).toContain('5_wait_distribution_per_minute');
  expect(await rows(WAIT.maintained)).toEqual(before);
  // One row per minute now (of the 18 passages: minutes -2, -1, 0, 1, 2, 59, 60, 1439, 3333).
  const minutes = await rows("SELECT minute FROM esc.agg_month_wait_minutes WHERE site_id = 'BLOSNE' ORDER BY month, minute");
  expect(minutes.length).toBeLessThan(before.length);

  // New passages, a wait that moves (newer version), a tombstone: still equal to the recount.
  await passages(waits.map((w, i) => ({ id: `q${i}`, day: '2026-11-20', wait: w + 7, seq: 200 + i })));
  await owner.query("UPDATE esc.queue_entries SET wait_seconds = 4000, change_seq = 300, version = 2 WHERE id = 'p3'");
  await owner.query("UPDATE esc.queue_entries SET deleted_at = now(), change_seq = 301, version = 2 WHERE id = 'p5'");
  await owner.query("UPDATE esc.queue_entries SET state = 'cancelled', change_seq = 302, version = 2 WHERE id = 'p7'");
  const after = await rows(WAIT.maintained);
  expect(after).toEqual(await rows(WAIT.recount));
  expect(after).not.toEqual(before);
});
