/**
 * `npm run bench`: every goal of issue 16 measured side by side in one run, as JSON lines
 * `{measure, value, unit, goal, limit, ratio, holds, …}` (medians of repetitions; docs/performance.md).
 *
 * Two site databases are seeded by the app's generator: one day, and `--years` (10) of history.
 *   - the day's own work on both (10 years ÷ 1 day), `stats.period` over a month, quarter, year and
 *     five years (and five years ÷ month), year exports against the year report (in-process, real router);
 *   - a real hub in a child process (the production build if present, else tsx): start to /health
 *     on both bases; on the big one a desk's round trip while idle across a housekeeping run and
 *     while a coordinator asks for a year report, exports, a backup, a closing; 20 desks refreshing
 *     their board after each queue event (p50/p99, hub CPU per action as the day fills up); the
 *     hub's RSS idle, after reports and exports, with 20 desks, and its peak;
 *   - encrypted ÷ plain SQLite on the app's write mix and reads;
 *   - the sync catch-up against PostgreSQL COPY of the same rows (PG_URL, else an embedded one).
 *   - the APRAS summary over 6 sites × 5 years from a central PostgreSQL (`--central-years N`, `--no-central`).
 *
 *   --quick            every measure at a small scale (1 year, fewer repetitions): under 5 minutes
 *   --years N (10)     --repeat N (15)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../api/app';
import type { Connection } from '../api/types';
import type { Actor } from '../core/context';
import { systemClock } from '../core/context';
import { createAccount } from '../core/accounts/accounts';
import { listContacts } from '../core/contacts/contacts';
import { closeDay, reviewDay } from '../core/days/closing';
import { refreshRollups, refreshStaleDays } from '../core/stats/day-aggregates';
import { listDay } from '../core/queue/queue';
import { catchUpHousekeeping } from '../api/housekeeping';
import { computeFigures } from '../core/stats/figures';
import { setupSite } from '../core/site/setup';
import { exportReport } from '../export/exports';
import { seedSite } from '../seed/generate';
import { openStore, type Store } from '../store/open';
import { addDays, isoWeekday, localDay } from '../../shared/time/paris';
import { periodContaining } from '../../shared/stats/periods';
import { generateKeyHex, writeKeyFile } from './keys';
import { CliError, flagString, parseArgs } from './args';
import { DB_FILE } from './hub';
import { hubRuntime } from './bench/hub-child';
import { BENCH_PASSWORD, benchHubLoad, benchHubStart } from './bench/hub-load';
import { atLeast, atMost, median, ms, Output } from './bench/report';
import { benchStoreMix } from './bench/store-mix';
import { benchSync } from './bench/sync';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ADMIN_PASSWORD = 'bench-password-1';

interface Base {
  name: string;
  dataDir: string;
  keyFile: string;
  key: string;
  store: Store;
  app: App;
}

async function createBase(dir: string, name: string): Promise<Base> {
  const dataDir = join(dir, name);
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dir, `${name}.key`);
  const key = generateKeyHex();
  writeKeyFile(keyFile, key);
  const store = openStore({ file: join(dataDir, DB_FILE), keyHex: key, mode: 'create' });
  await setupSite(store, { siteCode: 'BLOSNE', admin: { login: 'admin', displayName: 'Admin', password: ADMIN_PASSWORD } }, systemClock);
  return { name, dataDir, keyFile, key, store, app: createApp(store) };
}

function reopen(base: Base): void {
  base.store = openStore({ file: join(base.dataDir, DB_FILE), keyHex: base.key, mode: 'open' });
  base.app = createApp(base.store);
}

/**
 * Alternates the two bases so that warm caches favour neither; medians in ms of one call. A call
 * that takes well under a millisecond is timed in runs of several calls (the same number on both
 * bases, enough for ≈ 10 ms), so that the ratio compares the work, not the timer's resolution.
 */
function sideBySide(run: (app: App) => unknown, small: App, large: App, repeat: number): [number, number] {
  const t0 = performance.now();
  run(small);
  run(large);
  const calls = Math.min(1000, Math.max(1, Math.ceil(20 / Math.max(performance.now() - t0, 0.001))));
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < repeat; i++) {
    for (const [app, out] of (i % 2 === 0 ? [[small, a], [large, b]] : [[large, b], [small, a]]) as [App, number[]][]) {
      const t = performance.now();
      for (let c = 0; c < calls; c++) run(app);
      out.push((performance.now() - t) / calls);
    }
  }
  return [median(a), median(b)];
}

async function timed(repeat: number, run: () => unknown): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await run();
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function rpc(app: App, conn: Connection, method: string, params: unknown): Promise<unknown> {
  const res = (await app.router.handle({ jsonrpc: '2.0', id: 1, method, params }, conn)) as { result?: unknown; error?: { message: string } };
  if (res.error) throw new Error(`${method}: ${res.error.message}`);
  return res.result;
}

/** The base's administrator, acting as the site's coordination. */
function adminActor(app: App): Actor {
  const row = app.core.store.sqlite.prepare("SELECT id, login, display_name AS displayName FROM accounts WHERE role = 'admin' LIMIT 1").get() as { id: string; login: string; displayName: string };
  return { accountId: row.id, login: row.login, displayName: row.displayName, role: 'coordinateur', institution: null };
}

/** Closes every day with activity up to `last` but `keepOpen` (as the coordination group would have), then rebuilds the rollups. */
function closeHistory(app: App, last: string, keepOpen: Set<string>): number {
  const core = app.core;
  const actor = adminActor(app);
  const days = (core.store.sqlite.prepare('SELECT day FROM day_aggregates WHERE day <= ? ORDER BY day').pluck().all(last) as string[]).filter((d) => !keepOpen.has(d));
  for (const d of days) closeDay(core, actor, d, undefined);
  while (refreshStaleDays(core, { budgetMs: 5_000, perTransaction: 100 }) > 0 || refreshRollups(core, 5_000) > 0);
  return days.length;
}

export async function benchCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const quick = args.flags.has('quick');
  const years = Number(flagString(args, 'years') ?? (quick ? 1 : 10));
  const repeat = Number(flagString(args, 'repeat') ?? (quick ? 3 : 15));
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new CliError('--years : un entier entre 1 et 20.');
  if (!Number.isInteger(repeat) || repeat < 3 || repeat > 1000) throw new CliError('--repeat : un entier entre 3 et 1000.');
  const out = new Output();
  const started = performance.now();

  // The measured day: the last Monday before today (a full open day at every site).
  let day = addDays(localDay(new Date()), -1);
  while (isoWeekday(day) !== 1) day = addDays(day, -1);

  const dir = mkdtempSync(join(tmpdir(), 'esc-bench-'));
  try {
    const small = await createBase(dir, 'one-day');
    const large = await createBase(dir, `${years}-years`);
    const t0 = performance.now();
    const s1 = await seedSite(small.store, { end: day, days: 1, seed: 'bench' });
    const t1 = performance.now();
    const s2 = await seedSite(large.store, { end: day, days: years * 365 + Math.floor(years / 4), seed: 'bench' });
    const t2 = performance.now();
    // A site closes its days (the coordination group's review, decision 016): every day before the
    // measured one is closed, each with its frozen aggregate and snapshot, so that period reports
    // read as many closed days as a real site holds; rollups are then rebuilt. The five Mondays the
    // hub phase closes under load stay open for it.
    const closeDays: string[] = [];
    for (let d = addDays(day, -7), n = 0; n < 5; d = addDays(d, -7), n++) closeDays.push(d);
    const closings = closeHistory(large.app, addDays(day, -1), new Set(closeDays));
    const t3 = performance.now();
    const runtime = hubRuntime(ROOT);
    out.info('context', null, '', { quick, years, repeat, day, hub_runtime: runtime.label, node: process.version });
    out.info('seed.one_day', t1 - t0, 'ms', { entries: s1.totals.entries });
    out.info('seed.large', t2 - t1, 'ms', { days: s2.calendarDays, entries: s2.totals.entries, contacts: s2.totals.contacts, handoffs: s2.totals.handoffs, includes: 'day aggregates of every seeded day' });
    out.info('seed.large.closings', t3 - t2, 'ms', { closed_days: closings });

    // A day's own work does not depend on the history the site holds. Both WALs folded first, as
    // a hub's checkpointer keeps them (decision 029): the seed left up to 10 000 frames in each.
    for (const b of [small, large]) b.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const dayCases: [string, (app: App) => unknown][] = [
      ['day.stats', (app) => computeFigures(app.core, day, day)],
      ['day.queue_list', (app) => listDay(app.core, adminActor(app), day)],
      ['day.contacts_list', (app) => listContacts(app.core, adminActor(app), { day })],
      ['day.review', (app) => reviewDay(app.core, day)],
    ];
    for (const [name, run] of dayCases) {
      const [a, b] = sideBySide(run, small.app, large.app, repeat);
      out.goal(`${name}.large_over_one_day`, b / a, atMost(1.2, '×'), { one_day_ms: ms(a), large_ms: ms(b), large_days: s2.calendarDays });
    }

    // Period reports through the router, as a coordinator asks for them.
    for (const login of ['bench.coord', 'bench.probe', 'bench.actor', ...Array.from({ length: 20 }, (_, i) => `bench.desk${String(i + 1).padStart(2, '0')}`)]) {
      const role = login === 'bench.coord' ? 'coordinateur' : 'agent_accueil';
      await createAccount(large.app.core, null, { login, displayName: login, role, institution: 'CCAS', password: BENCH_PASSWORD, mustChangePassword: false });
    }
    const coord: Connection = { token: null };
    await rpc(large.app, coord, 'session.login', { login: 'bench.coord', password: BENCH_PASSWORD });
    const month = periodContaining('month', day, -1);
    const quarter = periodContaining('quarter', day, -1);
    const year = periodContaining('year', day, -1);
    const five = { from: periodContaining('year', day, -5).from, to: year.to };
    const periods: [string, { from: string; to: string }][] = [
      ['month', month],
      ['quarter', quarter],
      ['year', year],
      ['five_years', five],
    ];
    // Interleaved (each repetition asks for every period, in a rotating order), so that the
    // five-years ÷ month ratio compares calls made side by side, not two moments of the run.
    // Each report takes milliseconds: three times the repetitions, after one round that starts the
    // job worker and compiles its code (a hub serves reports for months; its first call is not the measure).
    const periodTimes = new Map<string, number[]>(periods.map(([name]) => [name, []]));
    for (const [, p] of periods) await rpc(large.app, coord, 'stats.period', p);
    for (let i = 0; i < 3 * repeat; i++) {
      for (let k = 0; k < periods.length; k++) {
        const [name, p] = periods[(i + k) % periods.length]!;
        const t = performance.now();
        await rpc(large.app, coord, 'stats.period', p);
        periodTimes.get(name)!.push(performance.now() - t);
      }
    }
    const periodMs = new Map<string, number>();
    for (const [name, p] of periods) {
      const v = median(periodTimes.get(name)!);
      periodMs.set(name, v);
      out.goal(`stats.period.${name}`, v, atMost(300, 'ms'), { ...p, large_days: s2.calendarDays });
    }
    out.goal('stats.period.five_years_over_month', periodMs.get('five_years')! / periodMs.get('month')!, atMost(2, '×'));

    // Year exports against the year report (the same thread today; the goal is the report's).
    const exportRepeat = quick ? 2 : 5;
    for (const format of ['csv', 'xlsx', 'pdf'] as const) {
      const v = await timed(exportRepeat, async () => {
        const file = await exportReport(large.app.core, year.from, year.to, format, dir);
        rmSync(file.file, { force: true });
      });
      out.goal(`export.year.${format}`, v, atMost(300, 'ms'), { over_year_report: +(v / periodMs.get('year')!).toFixed(2), repeat: exportRepeat });
    }

    // Encrypted ÷ plain on the app's write mix and reads.
    large.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const mix = await benchStoreMix(dir, {
      base: { file: join(large.dataDir, DB_FILE), key: large.key, days: s2.calendarDays },
      passages: quick ? 25 : 60,
      repeat: quick ? 3 : 15,
      end: addDays(day, 1),
    });
    out.goal('store.encrypted_over_plain.writes', mix.writesEncryptedMs / mix.writesPlainMs, atMost(1.15, '×'), {
      encrypted_ms: ms(mix.writesEncryptedMs),
      plain_ms: ms(mix.writesPlainMs),
      passages: mix.passages,
      history_days: mix.historyDays,
      repeat: mix.repeat,
      checkpoint_frames_encrypted: mix.checkpointFrames.encrypted,
      checkpoint_frames_plain: mix.checkpointFrames.plain,
    });
    out.goal('store.encrypted_over_plain.reads', mix.readsEncryptedMs / mix.readsPlainMs, atMost(1.15, '×'), { encrypted_ms: ms(mix.readsEncryptedMs), plain_ms: ms(mix.readsPlainMs) });

    // The seed writes ten years at once; a site that has run them had its housekeeping done day
    // after day. The first run's backlog is worked off here in whole statements, so that the hub
    // below runs in a ten-year site's steady state (an upgraded site's first backlog is paced:
    // docs/performance.md).
    const hk0 = performance.now();
    for (const b of [small, large]) catchUpHousekeeping(b.app.core);
    out.info('housekeeping.backlog', performance.now() - hk0, 'ms', { note: 'worked off before the hub starts' });

    // A real hub in a child process.
    small.store.close();
    large.store.close();
    const [startSmall, startLarge] = await benchHubStart(runtime, ROOT, [small, large], quick ? 2 : 5);
    const hs = median(startSmall!);
    const hl = median(startLarge!);
    out.goal('hub.start_to_health.large', hl, atMost(1000, 'ms'), { hub_runtime: runtime.label, large_days: s2.calendarDays });
    out.goal('hub.start_to_health.large_over_one_day', hl / hs, atMost(1.2, '×'), { one_day_ms: ms(hs), large_ms: ms(hl) });

    const load = await benchHubLoad({
      runtime,
      root: ROOT,
      dataDir: large.dataDir,
      keyFile: large.keyFile,
      backupDir: join(dir, 'backups'),
      adminPassword: ADMIN_PASSWORD,
      year,
      closeDays,
      repeat: quick ? 1 : 3,
      idleWindowMs: 61_000,
      deskCount: 20,
      actionsPerPhase: quick ? 10 : 120,
      entriesHigh: 250,
    });
    const desk = atMost(100, 'ms');
    out.goal('hub.desk_rtt.idle_across_housekeeping.max', load.idleHousekeeping.max, desk, { p99: ms(load.idleHousekeeping.p99), samples: load.idleHousekeeping.samples, window_ms: load.idleHousekeeping.windowMs });
    for (const [name, r] of Object.entries(load.during)) {
      out.goal(`hub.desk_rtt.during_${name}.max`, r.max, desk, { p99: ms(r.p99), p50: ms(r.p50), samples: r.samples, longest_operation_ms: ms(r.opMs ?? 0) });
    }
    out.goal('hub.desks20.board_up_to_date.p99', load.desks.boardP99, desk, { p50: ms(load.desks.boardP50), actions: load.desks.actions });
    out.goal('hub.desks20.cpu_per_action.growth', load.desks.cpuPerActionHigh / load.desks.cpuPerActionLow, atMost(1.2, '×'), {
      cpu_ms_per_action_low: ms(load.desks.cpuPerActionLow),
      entries_low: load.desks.entriesLow,
      cpu_ms_per_action_high: ms(load.desks.cpuPerActionHigh),
      entries_high: load.desks.entriesHigh,
    });
    const mb = atMost(150, 'MB');
    out.goal('hub.rss.idle', load.rss.idle, mb, { hub_runtime: runtime.label });
    out.goal('hub.rss.after_reports_and_exports', load.rss.afterReportsExports, mb);
    out.goal('hub.rss.with_20_desks', load.rss.desks20, mb);
    out.goal('hub.rss.peak', load.rss.peak, mb);

    // The sync against PostgreSQL COPY of the same rows.
    reopen(small);
    reopen(large);
    try {
      const sync = await benchSync(small.store, large.store, day, quick ? 3 : 9);
      out.goal('sync.catchup_over_copy', sync.catchup.rowsPerS / sync.copy.rowsPerS, atLeast(0.5, '×'), {
        catchup_rows: sync.catchup.rows,
        catchup_batches: sync.catchup.batches,
        catchup_ms: sync.catchup.ms,
        catchup_rows_per_s: Math.round(sync.catchup.rowsPerS),
        copy_rows: sync.copy.rows,
        copy_ms: ms(sync.copy.ms),
        copy_rows_per_s: Math.round(sync.copy.rowsPerS),
      });
      out.goal('sync.day.large_over_one_day', sync.day.largeMs / sync.day.smallMs, atMost(1.2, '×'), { rows: sync.day.rows, one_day_ms: ms(sync.day.smallMs), large_ms: ms(sync.day.largeMs), repeat: sync.day.repeat });
    } finally {
      small.store.close();
      large.store.close();
    }
    // The APRAS summary over 6 sites × `--central-years` (5) years, from central's monthly aggregates.
    await (await import('../central/bench-summary')).benchCentralSummary(args, (o) => {
      if (o.bench === 'central.summary') out.goal(`central.summary.${String(o.period)}`, Number(o.ms), atMost(2000, 'ms'), o);
      else out.info(String(o.bench), null, '', o);
    });
    const held = out.lines.filter((l) => l.holds === true).length;
    const goals = out.lines.filter((l) => l.holds !== null).length;
    out.info('summary', held, 'goals held', { goals, failed: out.lines.filter((l) => l.holds === false).map((l) => l.measure), duration_s: Math.round((performance.now() - started) / 1000) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
