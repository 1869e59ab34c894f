/**
 * Periodic site jobs, run by whichever process holds the database (hub or desktop): close queue
 * entries left open on past days (the PC was switched off), purge first names after their day,
 * expire unanswered hand-overs (the sender is told) and anonymise old hand-over details, remove
 * the copies of the base set aside at restore once past their retention, and bring the day
 * aggregates of changed days up to date (decision 015), a few at a time.
 *
 * Each job reads through a partial index of the rows it still has to change (migration 0007),
 * so a run costs the same on ten years as on one day; a backlog (first run after an upgrade or
 * a seed) is worked off in batches sized to a time budget, the event loop free between them.
 * The first run waits `firstDelayMs` after start: the hub answers `/health` and desks first.
 */
import { closeOpenEntries, purgeFirstNames } from '../core/queue/queue';
import { anonymiseOld, expireOverdue } from '../core/handoffs/handoffs';
import { applyRetention, CLEAR_DAY_REMARKS_SQL, CLEAR_NOTES_SQL, CLEAR_PERSON_KEYS_SQL, CLEAR_QUEUE_REASONS_SQL, setAsideDays } from '../core/privacy/privacy';
import { pruneSetAside } from '../store/backup';
import { refreshStaleDays } from '../core/stats/day-aggregates';
import { OPEN_ENTRIES_SQL, PURGE_FIRST_NAMES_SQL } from '../core/queue/queue';
import { ANONYMISE_HANDOFFS_SQL, OVERDUE_HANDOFFS_SQL } from '../core/handoffs/handoffs';
import type { App } from './app';
import type { CoreContext } from '../core/context';
import { log } from './log';
import { startPeriodic } from '../runtime/periodic';

/** Rows changed per statement at most before the event loop is let go. */
export const BATCH = 500;
/** A statement's time budget: desks wait for it (their round trip goal is 100 ms). */
export const STEP_BUDGET_MS = 20;
/** The first statement of a backlog changes this many rows; then the size follows the budget. */
const FIRST_BATCH = 16;
/**
 * After each statement of a backlog, a pause of this many times its duration (at most a quarter
 * of the time spent writing): the checkpointer folds what it wrote before the next one, so that
 * commits (the desks' as well as its own) do not wait behind a growing write-back on the disk —
 * unpaced, a ten-year backlog made steps of 100–150 ms out of a 20 ms budget.
 */
export const PAUSE_FACTOR = 3;

/** The statements of the jobs, for the test that checks each goes through its partial index. */
export const HOUSEKEEPING_STATEMENTS: Record<string, { sql: string; args: unknown[]; index: string }> = {
  closeOpenEntries: { sql: `${OPEN_ENTRIES_SQL} day < @day`, args: [{ day: '2026-01-01' }], index: 'queue_entries_open_day' },
  purgeFirstNames: { sql: PURGE_FIRST_NAMES_SQL, args: [{ now: 'x', before: '2026-01-01', limit: BATCH }], index: 'queue_entries_first_name_day' },
  expireOverdue: { sql: OVERDUE_HANDOFFS_SQL, args: [{ now: 'x' }], index: 'handoffs_proposed_expiry' },
  anonymiseOld: { sql: ANONYMISE_HANDOFFS_SQL, args: [{ now: 'x', before: 'x', limit: BATCH }], index: 'handoffs_not_anonymised' },
  clearNotes: { sql: CLEAR_NOTES_SQL, args: [{ now: 'x', before: 'x', limit: BATCH }], index: 'contacts_note_at' },
  clearPersonKeys: { sql: CLEAR_PERSON_KEYS_SQL, args: [{ now: 'x', before: 'x', limit: BATCH }], index: 'contacts_person_key_at' },
  clearQueueReasons: { sql: CLEAR_QUEUE_REASONS_SQL, args: [{ before: 'x', limit: BATCH }], index: 'queue_events_reason_at' },
  clearDayRemarks: { sql: CLEAR_DAY_REMARKS_SQL, args: [{ now: 'x', before: 'x', limit: BATCH }], index: 'day_closings_text_day' },
};

const yieldToDesks = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `step(limit)` (which changes at most `limit` rows) until it changes fewer, yielding in
 * between. The size follows the time each statement takes, so that no statement holds the desks
 * longer than about STEP_BUDGET_MS: on a big base every row lives on its own page, and a commit
 * of 500 scattered rows (encrypted pages, a WAL checkpoint, `synchronous=FULL`) took 0.7 s.
 */
export async function inBatches(step: (limit: number) => number, stop: () => boolean = () => false): Promise<number> {
  let total = 0;
  let limit = FIRST_BATCH;
  for (;;) {
    if (stop()) return total; // the rest waits for the next run
    const t0 = performance.now();
    const n = step(limit);
    const ms = performance.now() - t0;
    total += n;
    if (n < limit) return total;
    if (ms > STEP_BUDGET_MS) limit = Math.max(1, Math.floor((limit * STEP_BUDGET_MS) / ms));
    else if (ms < STEP_BUDGET_MS / 2) limit = Math.min(BATCH, limit * 2);
    const pause = Math.round(ms * PAUSE_FACTOR);
    await (pause >= 1 ? new Promise<void>((resolve) => setTimeout(resolve, pause)) : yieldToDesks());
  }
}

/**
 * Every retention job at once, in whole statements: for a process alone on the file that has just
 * written years of history (the seed, the bench), so that a hub then starts in the steady state of
 * a site whose housekeeping ran day after day, with no backlog to work off while desks wait.
 */
export function catchUpHousekeeping(core: CoreContext): { closedPastEntries: number; purgedFirstNames: number; expiredHandoffs: number; anonymisedHandoffs: number; clearedNotes: number; clearedPersonKeys: number } {
  const closedPastEntries = closeOpenEntries(core, null, 'past');
  const purgedFirstNames = purgeFirstNames(core);
  const expiredHandoffs = expireOverdue(core);
  const anonymisedHandoffs = anonymiseOld(core);
  const { notes, keys } = applyRetention(core);
  // Expired hand-overs (and closed entries) changed their days' figures: aggregates and rollups brought up to date.
  refreshStaleDays(core, { budgetMs: Number.POSITIVE_INFINITY, perTransaction: 100 });
  return { closedPastEntries, purgedFirstNames, expiredHandoffs, anonymisedHandoffs, clearedNotes: notes, clearedPersonKeys: keys };
}

export async function runHousekeeping(app: App): Promise<void> {
  const core = app.core;
  // While a backup copies the base, its writes fill the disk's queue and every commit's fsync
  // waits behind them (a step of the backlog took 110 ms instead of 20): nothing here is urgent,
  // so the run stops and the next one (a minute later) goes on.
  const backingUp = () => app.services.jobs.isRunning('backup');
  if (backingUp()) return;
  const closed = closeOpenEntries(core, null, 'past');
  await yieldToDesks();
  const purged = await inBatches((limit) => purgeFirstNames(core, limit), backingUp);
  const expired = expireOverdue(core);
  await yieldToDesks();
  const anonymised = await inBatches((limit) => anonymiseOld(core, limit), backingUp);
  let notes = 0;
  let keys = 0;
  await inBatches((limit) => {
    const r = applyRetention(core, limit);
    notes += r.notes;
    keys += r.keys;
    return Math.max(r.notes, r.keys);
  }, backingUp);
  // Day aggregates of the days changed since the last run (today, corrections, an upgraded
  // base's history), within a small time budget: reports compute the others on the fly meanwhile.
  await yieldToDesks();
  refreshStaleDays(core, { budgetMs: 25 });
  const setAside = pruneSetAside(core.store.file, { maxDays: setAsideDays(core), now: core.clock.now() }).length;
  if (closed || purged || expired || anonymised || notes || keys || setAside) {
    log.info('housekeeping', {
      closedPastEntries: closed,
      purgedFirstNames: purged,
      expiredHandoffs: expired,
      anonymisedHandoffs: anonymised,
      clearedNotes: notes,
      clearedPersonKeys: keys,
      removedSetAsideCopies: setAside,
    });
  }
}

export interface HousekeepingOptions {
  everyMs?: number | undefined;
  /** Delay of the first run after start (default 15 s): never before `/health` answers. */
  firstDelayMs?: number | undefined;
}

/** Runs the jobs after `firstDelayMs`, then every `everyMs`; returns a stop function. */
export function startHousekeeping(app: App, options: HousekeepingOptions = {}): () => void {
  const everyMs = options.everyMs ?? 60_000;
  let running = false;
  const run = async () => {
    if (running) return; // a long backlog never overlaps the next tick
    running = true;
    try {
      await runHousekeeping(app);
    } catch (err) {
      log.error('housekeeping.failure', { error: err instanceof Error ? err.name : 'unknown' });
    } finally {
      running = false;
    }
    // The nightly sync is due after closing time, at start if it was missed, or after a failure.
    try {
      app.services.sync.tick();
    } catch (err) {
      log.error('sync.schedule.failure', { error: err instanceof Error ? err.name : 'unknown' });
    }
  };
  return startPeriodic(options.firstDelayMs ?? 15_000, everyMs, () => void run());
}
