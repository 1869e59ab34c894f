/**
 * Periodic site jobs, run by whichever process holds the database (hub or desktop): close queue
 * entries left open on past days (the PC was switched off), purge first names after their day,
 * expire unanswered hand-overs (the sender is told), anonymise old hand-over details, and bring
 * the day aggregates of changed days up to date (decision 015).
 */
import { closeOpenEntries, purgeFirstNames } from '../core/queue/queue';
import { anonymiseOld, expireOverdue } from '../core/handoffs/handoffs';
import { applyRetention } from '../core/privacy/privacy';
import { refreshStaleDays } from '../core/stats/day-aggregates';
import type { App } from './app';
import { log } from './log';

export function runHousekeeping(app: App): void {
  const closed = closeOpenEntries(app.core, null, 'past');
  const purged = purgeFirstNames(app.core);
  const expired = expireOverdue(app.core);
  const anonymised = anonymiseOld(app.core);
  const retention = applyRetention(app.core);
  // Day aggregates of the days changed since the last run (today, corrections, an upgraded
  // base's history), a few at a time: reports compute the others on the fly meanwhile.
  refreshStaleDays(app.core, { budgetMs: 25 });
  if (closed || purged || expired || anonymised || retention.notes || retention.keys) {
    log.info('housekeeping', {
      closedPastEntries: closed,
      purgedFirstNames: purged,
      expiredHandoffs: expired,
      anonymisedHandoffs: anonymised,
      clearedNotes: retention.notes,
      clearedPersonKeys: retention.keys,
    });
  }
}

/** Runs the jobs now and then every `everyMs`; returns a stop function. */
export function startHousekeeping(app: App, everyMs = 60_000): () => void {
  const run = () => {
    try {
      runHousekeeping(app);
    } catch (err) {
      log.error('housekeeping.failure', { error: err instanceof Error ? err.name : 'unknown' });
    }
    // The nightly sync is due after closing time, at start if it was missed, or after a failure.
    try {
      app.services.sync.tick();
    } catch (err) {
      log.error('sync.schedule.failure', { error: err instanceof Error ? err.name : 'unknown' });
    }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
