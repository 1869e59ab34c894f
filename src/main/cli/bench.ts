/**
 * `npm run bench`: performance measured as ratios side by side in one run (JSON lines). The main
 * question (issue: statistics): does a day's work cost the same in a site database holding ten
 * years as in one holding a single day? Both databases are seeded with the same generator and
 * the same day is measured alternately in each, so machine noise hits both alike.
 * With --sync, the same two databases are synced to two central databases (PG_URL, else an
 * embedded PostgreSQL): the catch-up throughput, then one day's changes pushed to a central
 * holding one day vs one holding the years.
 *   --years N (10)  --repeat N (25)  --sync
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../api/app';
import type { Actor } from '../core/context';
import { listContacts } from '../core/contacts/contacts';
import { reviewDay } from '../core/days/closing';
import { listDay } from '../core/queue/queue';
import { computeFigures } from '../core/stats/figures';
import { periodReport } from '../core/stats/period';
import { setupSite } from '../core/site/setup';
import { seedSite } from '../seed/generate';
import { openStore, type Store } from '../store/open';
import { systemClock } from '../core/context';
import { addDays, isoWeekday, localDay } from '../../shared/time/paris';
import { periodContaining } from '../../shared/stats/periods';
import { generateKeyHex } from './keys';
import { CliError, flagString, parseArgs } from './args';

function line(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

async function site(dir: string, name: string): Promise<{ store: Store; app: App }> {
  const store = openStore({ file: join(dir, `${name}.db`), keyHex: generateKeyHex(), mode: 'create' });
  await setupSite(store, { siteCode: 'BLOSNE', admin: { login: 'admin', displayName: 'Admin', password: 'bench-password-1' } }, systemClock);
  return { store, app: createApp(store) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const years = Number(flagString(args, 'years') ?? 10);
  const repeat = Number(flagString(args, 'repeat') ?? 25);
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new CliError('--years : un entier entre 1 et 20.');
  if (!Number.isInteger(repeat) || repeat < 3 || repeat > 1000) throw new CliError('--repeat : un entier entre 3 et 1000.');

  // The measured day: the last Monday before today (a full open day at every site).
  let day = addDays(localDay(new Date()), -1);
  while (isoWeekday(day) !== 1) day = addDays(day, -1);

  const dir = mkdtempSync(join(tmpdir(), 'esc-bench-'));
  try {
    const small = await site(dir, 'one-day');
    const large = await site(dir, `${years}-years`);
    const t0 = performance.now();
    const s1 = await seedSite(small.store, { end: day, days: 1, seed: 'bench' });
    const t1 = performance.now();
    const s2 = await seedSite(large.store, { end: day, days: years * 365 + Math.floor(years / 4), seed: 'bench' });
    const t2 = performance.now();
    line({ bench: 'seed', site: 'BLOSNE', days: 1, entries: s1.totals.entries, ms: Math.round(t1 - t0) });
    line({ bench: 'seed', site: 'BLOSNE', days: s2.calendarDays, entries: s2.totals.entries, contacts: s2.totals.contacts, handoffs: s2.totals.handoffs, ms: Math.round(t2 - t1) });

    const actor = (app: App): Actor => {
      const row = app.core.store.sqlite.prepare("SELECT id, login, display_name AS displayName FROM accounts WHERE role = 'admin' LIMIT 1").get() as {
        id: string;
        login: string;
        displayName: string;
      };
      return { accountId: row.id, login: row.login, displayName: row.displayName, role: 'coordinateur', institution: null };
    };
    const cases: { name: string; run: (app: App) => unknown }[] = [
      { name: 'stats.day', run: (app) => computeFigures(app.core, day, day) },
      { name: 'queue.list', run: (app) => listDay(app.core, actor(app), day) },
      { name: 'contacts.list', run: (app) => listContacts(app.core, actor(app), { day }) },
      { name: 'days.review', run: (app) => reviewDay(app.core, day) },
    ];
    for (const c of cases) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < repeat; i++) {
        // Alternate which database goes first, so warm caches favour neither.
        for (const [app, out] of (i % 2 === 0 ? [[small.app, a], [large.app, b]] : [[large.app, b], [small.app, a]]) as [App, number[]][]) {
          const t = performance.now();
          c.run(app);
          out.push(performance.now() - t);
        }
      }
      const ms1 = median(a);
      const ms2 = median(b);
      line({ bench: c.name, day, small_db_days: 1, large_db_days: s2.calendarDays, small_ms: +ms1.toFixed(3), large_ms: +ms2.toFixed(3), ratio: +(ms2 / ms1).toFixed(2), repeat });
    }
    const quarter = periodContaining('quarter', day, -1);
    const tq = performance.now();
    periodReport(large.app.core, quarter.from, quarter.to);
    line({ bench: 'stats.period.quarter', from: quarter.from, to: quarter.to, large_db_days: s2.calendarDays, ms: Math.round(performance.now() - tq) });
    const ty = performance.now();
    periodReport(large.app.core, addDays(day, -364), day);
    line({ bench: 'stats.period.year', large_db_days: s2.calendarDays, ms: Math.round(performance.now() - ty) });
    if (args.flags.has('sync')) await benchSync(small.store, large.store, day, s2.calendarDays, Math.min(repeat, 15));
    small.store.close();
    large.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await (await import('../central/bench-summary')).benchCentralSummary(args, line);
}

/** The sync side by side: a central holding one day vs one holding the years. */
async function benchSync(small: Store, large: Store, day: string, largeDays: number, repeat: number): Promise<void> {
  const { migrateCentral, enrollSite } = await import('../central/admin');
  const { runSyncCycle } = await import('../sync/client');
  const pg = (await import('pg')).default;
  let adminUrl = process.env.PG_URL;
  let stop = async () => undefined as void;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = await import('../central/embedded');
    // Its own temporary folder: as root, PostgreSQL runs as `postgres`, which cannot enter ours.
    const pgDir = mkdtempSync(join(tmpdir(), 'esc-bench-pg-'));
    const server = await startEmbeddedPostgres({ dir: pgDir });
    adminUrl = server.adminUrl;
    stop = async () => {
      await server.stop();
      rmSync(pgDir, { recursive: true, force: true });
    };
  }
  try {
    const urls: string[] = [];
    for (const name of ['bench_small', 'bench_large']) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      await migrateCentral({ url: u.toString() }, { rolePrefix: `${name}_` });
      urls.push((await enrollSite({ url: u.toString() }, 'BLOSNE')).url);
    }
    const [smallUrl, largeUrl] = urls as [string, string];
    const first = await runSyncCycle(small, 'BLOSNE', { url: smallUrl });
    const catchUp = await runSyncCycle(large, 'BLOSNE', { url: largeUrl });
    line({ bench: 'sync.catchup', db_days: 1, rows: first.pushed, batches: first.batches, ms: first.durationMs });
    line({ bench: 'sync.catchup', db_days: largeDays, rows: catchUp.pushed, batches: catchUp.batches, ms: catchUp.durationMs, rows_per_s: Math.round(catchUp.pushed / (catchUp.durationMs / 1000)) });
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
    const ms1 = median(a);
    const ms2 = median(b);
    line({ bench: 'sync.day', day, rows, small_db_days: 1, large_db_days: largeDays, small_ms: +ms1.toFixed(1), large_ms: +ms2.toFixed(1), ratio: +(ms2 / ms1).toFixed(2), repeat });
  } finally {
    await stop();
  }
}
