/**
 * When the hub backs up the site database: once a day after the site has closed (its afternoon
 * closing time plus an hour, after the nightly sync at +30 min), at start when that time was
 * missed (the machine was off) or no backup exists yet, and whenever the latest backup is older
 * than `everyHours`. Not at every start, nor every 24 h counted from the start: a backup writes
 * the whole base (1.7 GB for ten years) and, while it does, every desk commit waits behind its
 * writes on the disk (docs/performance.md, "Backups and the desks' tail").
 */
import type { Site } from '../../shared/reference/sites';
import { addDays, hhmmToMinutes, localDay, minutesToHhmm, parisInstant } from '../../shared/time/paris';
import { startPeriodic } from '../runtime/periodic';

/** Minutes after the afternoon closing time (the nightly sync is at +30). */
export const BACKUP_MARGIN_MINUTES = 60;
/** After a failed backup (a full disk, a folder gone), the next attempt comes this much later. */
export const BACKUP_RETRY_MS = 60 * 60_000;

/** "HH:mm", Paris time, of the daily backup. */
export function backupTime(site: Pick<Site, 'afternoon'>): string {
  return minutesToHhmm(Math.min(hhmmToMinutes(site.afternoon.end) + BACKUP_MARGIN_MINUTES, 23 * 60 + 59));
}

/** Whether a backup is due at `now`, given when the latest one was taken (null: none). */
export function backupDue(latest: Date | null, now: Date, site: Pick<Site, 'afternoon'>, everyHours: number): boolean {
  if (!latest) return true;
  if (now.getTime() - latest.getTime() >= everyHours * 3600_000) return true;
  const today = parisInstant(localDay(now), backupTime(site));
  const scheduled = today.getTime() <= now.getTime() ? today : parisInstant(addDays(localDay(now), -1), backupTime(site));
  return latest.getTime() < scheduled.getTime();
}

export interface BackupScheduleOptions {
  site: Pick<Site, 'afternoon'>;
  everyHours: number;
  /** When the latest backup in the folder was taken (null: none). */
  latest: () => Date | null;
  /** Takes a backup; rejects when it failed. */
  take: () => Promise<unknown>;
  now?: () => Date;
  /** First look after start (default 5 s: the hub answers `/health` first). */
  firstDelayMs?: number;
  /** Then one look every (default 60 s). */
  everyMs?: number;
}

/** Looks whether a backup is due now and then; one at a time. Returns a stop function. */
export function startBackupSchedule(o: BackupScheduleOptions): () => void {
  const now = o.now ?? (() => new Date());
  let running = false;
  let notBefore = 0;
  const look = () => {
    const at = now();
    if (running || at.getTime() < notBefore) return;
    let due: boolean;
    try {
      due = backupDue(o.latest(), at, o.site, o.everyHours);
    } catch {
      due = true; // the folder cannot be listed: the backup itself says why
    }
    if (!due) return;
    running = true;
    o.take().then(
      () => {
        running = false;
      },
      () => {
        running = false;
        notBefore = now().getTime() + BACKUP_RETRY_MS;
      },
    );
  };
  return startPeriodic(o.firstDelayMs ?? 5_000, o.everyMs ?? 60_000, look);
}
