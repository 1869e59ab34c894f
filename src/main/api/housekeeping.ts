/**
 * Periodic site jobs, run by whichever process holds the database (hub or desktop): close queue
 * entries left open on past days (the PC was switched off), purge first names after their day,
 * expire unanswered hand-overs (the sender is told) and anonymise old hand-over details, and
 * remove the copies of the base set aside at restore once past their retention.
 */
import { closeOpenEntries, purgeFirstNames } from '../core/queue/queue';
import { anonymiseOld, expireOverdue } from '../core/handoffs/handoffs';
import { applyRetention, setAsideDays } from '../core/privacy/privacy';
import { pruneSetAside } from '../store/backup';
import type { App } from './app';
import { log } from './log';

export function runHousekeeping(app: App): void {
  const closed = closeOpenEntries(app.core, null, 'past');
  const purged = purgeFirstNames(app.core);
  const expired = expireOverdue(app.core);
  const anonymised = anonymiseOld(app.core);
  const retention = applyRetention(app.core);
  const setAside = pruneSetAside(app.core.store.file, { maxDays: setAsideDays(app.core), now: app.core.clock.now() }).length;
  if (closed || purged || expired || anonymised || retention.notes || retention.keys || setAside) {
    log.info('housekeeping', {
      closedPastEntries: closed,
      purgedFirstNames: purged,
      expiredHandoffs: expired,
      anonymisedHandoffs: anonymised,
      clearedNotes: retention.notes,
      clearedPersonKeys: retention.keys,
      removedSetAsideCopies: setAside,
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
