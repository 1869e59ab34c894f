/**
 * The sync against its physical limit: the catch-up of a site's whole history (the real
 * `runSyncCycle`, the site's role, row-level security, version check, acknowledgement per batch)
 * compared with PostgreSQL `COPY` of the very same rows (read and encoded beforehand by the sync's
 * own encoder, so that only the COPY is timed), in one COPY per table, into look-alike tables
 * (same columns, keys and indexes) of the same server. Then one day's changes pushed to a central
 * holding one day vs one holding the years.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../store/open';
import { centralColumns, PUSHED_TABLES } from '../../sync/allow-list';
import { copyFrom, copyLinesSql, copyPayload } from '../../sync/copy';
import { median } from './report';

export interface SyncBenchResult {
  catchup: { rows: number; batches: number; ms: number; rowsPerS: number };
  copy: { rows: number; ms: number; rowsPerS: number };
  day: { rows: number; smallMs: number; largeMs: number; repeat: number };
}

export async function benchSync(small: Store, large: Store, day: string, repeat: number): Promise<SyncBenchResult> {
  const { migrateCentral, enrollSite } = await import('../../central/admin');
  const { runSyncCycle } = await import('../../sync/client');
  const pg = (await import('pg')).default;
  let adminUrl = process.env.PG_URL;
  let stop = async () => undefined as void;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = await import('../../central/embedded');
    // Its own temporary folder: as root, PostgreSQL runs as `postgres`, which cannot enter ours.
    const pgDir = mkdtempSync(join(tmpdir(), 'esc-bench-pg-'));
    const server = await startEmbeddedPostgres({ dir: pgDir });
    adminUrl = server.adminUrl;
    stop = async () => {
      await server.stop();
      rmSync(pgDir, { recursive: true, force: true });
    };
  }
  const dbUrl = (name: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  try {
    const urls: string[] = [];
    for (const name of ['bench_small', 'bench_large']) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      await migrateCentral({ url: dbUrl(name) }, { rolePrefix: `${name}_` });
      urls.push((await enrollSite({ url: dbUrl(name) }, 'BLOSNE')).url);
    }
    const [smallUrl, largeUrl] = urls as [string, string];
    await runSyncCycle(small, 'BLOSNE', { url: smallUrl });
    const catchUp = await runSyncCycle(large, 'BLOSNE', { url: largeUrl });
    if (!catchUp.ok) throw new Error(`catch-up failed: ${catchUp.errors.join('; ')}`);

    // The physical limit: the same rows, converted by the same allow-list, COPYed by the owner
    // into look-alike tables (LIKE … INCLUDING ALL: same columns, primary key, indexes).
    const owner = new pg.Client({ connectionString: dbUrl('bench_large') });
    await owner.connect();
    let copied = 0;
    let copyMs = 0;
    try {
      await owner.query('DROP SCHEMA IF EXISTS copy_limit CASCADE; CREATE SCHEMA copy_limit');
      for (const t of PUSHED_TABLES) {
        await owner.query(`CREATE TABLE copy_limit.${t.central} (LIKE esc.${t.central} INCLUDING ALL)`);
        const cols = centralColumns(t);
        // As the push encodes them (derived columns computed, escaped), before the clock starts.
        const lines = large.sqlite.prepare(copyLinesSql(cols, t.local, t.where ?? '1')).pluck().all() as string[];
        const payload = copyPayload(lines);
        const t0 = performance.now();
        await owner.query('BEGIN');
        copied += await copyFrom(owner, `copy_limit.${t.central}`, cols, payload);
        await owner.query('COMMIT');
        copyMs += performance.now() - t0;
      }
      await owner.query('DROP SCHEMA copy_limit CASCADE');
    } finally {
      await owner.end();
    }

    // One day's work changes again (every passage and contact of the day), then one nightly cycle.
    const touch = (store: Store) => {
      store.sqlite.prepare('UPDATE queue_entries SET call_count = call_count WHERE day = ?').run(day);
      store.sqlite.prepare('UPDATE contacts SET duration_minutes = duration_minutes WHERE day = ?').run(day);
    };
    const a: number[] = [];
    const b: number[] = [];
    let rows = 0;
    for (let i = 0; i < repeat; i++) {
      for (const [store, url, out] of (i % 2 === 0 ? [[small, smallUrl, a], [large, largeUrl, b]] : [[large, largeUrl, b], [small, smallUrl, a]]) as [Store, string, number[]][]) {
        touch(store);
        const t = performance.now();
        const s = await runSyncCycle(store, 'BLOSNE', { url });
        out.push(performance.now() - t);
        rows = s.pushed;
      }
    }
    return {
      catchup: { rows: catchUp.pushed, batches: catchUp.batches, ms: catchUp.durationMs, rowsPerS: catchUp.pushed / (catchUp.durationMs / 1000) },
      copy: { rows: copied, ms: copyMs, rowsPerS: copied / (copyMs / 1000) },
      day: { rows, smallMs: median(a), largeMs: median(b), repeat },
    };
  } finally {
    await stop();
  }
}
