/**
 * When the hub backs up (store/backup-schedule.ts): once a day an hour after the afternoon
 * closing, at start only when that was missed or no backup exists, and whenever the latest backup
 * is older than `--backup-every-hours` — never at every start nor every 24 h from the start.
 */
import { describe, expect, it } from 'vitest';
import { backupDue, backupTime, startBackupSchedule } from '../../src/main/store/backup-schedule';

const site = { afternoon: { start: '13:30', end: '17:30' } };
const at = (iso: string) => new Date(iso);

describe('backup schedule', () => {
  it('is set an hour after the afternoon closing, Paris time', () => {
    expect(backupTime(site)).toBe('18:30');
    expect(backupTime({ afternoon: { start: '14:00', end: '23:30' } })).toBe('23:59');
  });

  it('is due with no backup, after tonight’s time, or when the latest one is too old; not at a restart in the day', () => {
    // No backup at all: at once.
    expect(backupDue(null, at('2026-12-03T10:00:00+01:00'), site, 24)).toBe(true);
    // Restart at 10:00, last night's backup taken at 18:30: nothing to do until tonight.
    expect(backupDue(at('2026-12-02T18:31:00+01:00'), at('2026-12-03T10:00:00+01:00'), site, 24)).toBe(false);
    expect(backupDue(at('2026-12-02T18:31:00+01:00'), at('2026-12-03T18:29:00+01:00'), site, 24)).toBe(false);
    // Tonight's time has come.
    expect(backupDue(at('2026-12-02T18:31:00+01:00'), at('2026-12-03T18:30:00+01:00'), site, 24)).toBe(true);
    // The machine was off last evening: the start makes up for it.
    expect(backupDue(at('2026-12-01T18:31:00+01:00'), at('2026-12-03T08:45:00+01:00'), site, 24)).toBe(true);
    // `--backup-every-hours 6`: also due when the latest is six hours old.
    expect(backupDue(at('2026-12-03T08:00:00+01:00'), at('2026-12-03T14:00:00+01:00'), site, 6)).toBe(true);
    expect(backupDue(at('2026-12-03T08:00:00+01:00'), at('2026-12-03T13:59:00+01:00'), site, 6)).toBe(false);
  });

  it('follows Paris time across the change to summer time', () => {
    // 29/03/2026: clocks go forward; 18:30 in Paris is 16:30 UTC that day.
    expect(backupDue(at('2026-03-28T17:31:00Z'), at('2026-03-29T16:29:00Z'), site, 48)).toBe(false);
    expect(backupDue(at('2026-03-28T17:31:00Z'), at('2026-03-29T16:30:00Z'), site, 48)).toBe(true);
  });

  it('takes one backup at a time, and after a failure waits an hour before trying again', async () => {
    let now = at('2026-12-03T19:00:00+01:00');
    let latest: Date | null = null;
    const attempts: string[] = [];
    let fail = true;
    let finish: (() => void) | null = null;
    const stop = startBackupSchedule({
      site,
      everyHours: 24,
      latest: () => latest,
      now: () => now,
      firstDelayMs: 1,
      everyMs: 5,
      take: () => {
        attempts.push(now.toISOString());
        if (fail) return Promise.reject(new Error('disque plein'));
        return new Promise<void>((resolve) => {
          finish = () => {
            latest = now;
            resolve();
          };
        });
      },
    });
    const tick = () => new Promise((r) => setTimeout(r, 30));
    try {
      await tick();
      expect(attempts).toHaveLength(1); // failed: no retry within the hour
      now = new Date(now.getTime() + 59 * 60_000);
      await tick();
      expect(attempts).toHaveLength(1);
      fail = false;
      now = new Date(now.getTime() + 2 * 60_000);
      await tick();
      expect(attempts).toHaveLength(2); // an hour later; it runs…
      await tick();
      expect(attempts).toHaveLength(2); // …and no second one starts meanwhile
      finish!();
      await tick();
      expect(attempts).toHaveLength(2); // done: not due before tomorrow evening
    } finally {
      stop();
    }
  });
});
