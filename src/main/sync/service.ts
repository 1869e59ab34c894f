/**
 * When the site syncs: once the site has closed for the day (its afternoon closing time plus a
 * margin), at the next start when the machine was off at that time, within a minute of a day
 * closing recorded after that time, and on "Synchroniser maintenant". Failures are retried with
 * exponential backoff (1 min, 2, 4… up to 1 h). One cycle at a time; the site works the same
 * whether central is reachable or not.
 */
import { AppError } from '../../shared/api/errors';
import type { SyncStatus } from '../../shared/api/methods/sync';
import { addDays, hhmmToMinutes, localDay, minutesToHhmm, parisInstant } from '../../shared/time/paris';
import { recordAudit } from '../core/audit/audit';
import type { Actor, CoreContext } from '../core/context';
import { log } from '../api/log';
import { readMeta } from '../store/open';
import { describeTarget } from '../central/connect';
import { META, localWatermark, pendingCount, readTarget, runSyncCycle, type SyncSummary } from './client';

export interface SyncServiceOptions {
  batchSize?: number | undefined;
  /** Minutes after the site's closing time before the nightly sync (default 30). */
  marginMinutes?: number | undefined;
  baseRetryMs?: number | undefined;
  maxRetryMs?: number | undefined;
}

export class SyncService {
  private running: Promise<SyncSummary> | null = null;
  private failures = 0;
  private nextAttemptAt: Date | null = null;
  /** A failure someone must act on (version mismatch, revoked site): no automatic retry. */
  private blocked = false;

  constructor(
    private readonly core: CoreContext,
    private readonly options: SyncServiceOptions = {},
  ) {}

  /** "HH:mm", Paris time, from which the nightly sync is due. */
  syncTime(): string {
    return minutesToHhmm(hhmmToMinutes(this.core.site.afternoon.end) + (this.options.marginMinutes ?? 30));
  }

  /** The most recent nightly sync instant at or before `now`. */
  private latestSyncInstant(now: Date): Date {
    const today = parisInstant(localDay(now), this.syncTime());
    return today.getTime() <= now.getTime() ? today : parisInstant(addDays(localDay(now), -1), this.syncTime());
  }

  status(): SyncStatus {
    const store = this.core.store;
    const target = readTarget(store);
    const summary = readMeta(store, META.lastSummary);
    const last = summary ? (JSON.parse(summary) as SyncSummary) : null;
    return {
      configured: target !== null,
      central: target ? describeTarget(target.url) : null,
      running: this.running !== null,
      lastSuccessAt: readMeta(store, META.lastSuccessAt) ?? null,
      lastAttemptAt: readMeta(store, META.lastAttemptAt) ?? null,
      lastError: readMeta(store, META.lastError) ?? null,
      nextAttemptAt: this.nextAttemptAt?.toISOString() ?? null,
      pending: pendingCount(store),
      ackedSeq: localWatermark(store),
      syncTime: this.syncTime(),
      last: last ? { ok: last.ok, pushed: last.pushed, pulled: last.pulled, batches: last.batches, durationMs: last.durationMs, errors: last.errors } : null,
    };
  }

  /** Whether the scheduler should start a cycle now. */
  due(now: Date = this.core.clock.now()): boolean {
    if (this.running || !readTarget(this.core.store)) return false;
    if (this.blocked) return false;
    if (this.nextAttemptAt && now < this.nextAttemptAt) return false;
    const latest = this.latestSyncInstant(now);
    const lastSuccess = readMeta(this.core.store, META.lastSuccessAt);
    if (!lastSuccess || new Date(lastSuccess) < latest) return true;
    // A day closed after tonight's sync goes out within a minute.
    const closingWaiting = this.core.store.sqlite.prepare('SELECT 1 FROM day_closings WHERE change_seq > ? LIMIT 1').get(localWatermark(this.core.store));
    return closingWaiting !== undefined && localDay(latest) === localDay(now);
  }

  /** Runs a cycle now (or joins the one running). Refused when no central server is configured. */
  run(actor: Actor | null = null): Promise<SyncSummary> {
    if (this.running) return this.running;
    const target = readTarget(this.core.store);
    if (!target) {
      throw new AppError('UNAVAILABLE', 'Aucun serveur central n’est configuré sur ce hub : voir « npm run sync -- configure » dans le README.');
    }
    const events = this.core.events;
    this.running = runSyncCycle(this.core.store, this.core.site.code, target, {
      batchSize: this.options.batchSize,
      now: () => this.core.clock.now(),
      onProgress: (p) => events.emit('sync.progress', p),
    })
      .then((summary) => {
        this.afterCycle(summary, actor);
        return summary;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private afterCycle(summary: SyncSummary, actor: Actor | null): void {
    const now = this.core.clock.now();
    this.blocked = !summary.ok && summary.blocking;
    if (summary.ok) {
      this.failures = 0;
      this.nextAttemptAt = null;
    } else if (summary.blocking) {
      // Retrying changes nothing until the application or the central server is updated (or
      // the site enrolled again): the error stays on screen, "Synchroniser maintenant" retries.
      this.failures++;
      this.nextAttemptAt = null;
    } else {
      this.failures++;
      const delay = Math.min((this.options.baseRetryMs ?? 60_000) * 2 ** (this.failures - 1), this.options.maxRetryMs ?? 3600_000);
      this.nextAttemptAt = new Date(now.getTime() + delay);
    }
    this.core.store.sqlite.transaction(() =>
      recordAudit(this.core, {
        actor,
        action: summary.ok ? 'sync.run' : 'sync.failed',
        entity: 'sync',
        entityId: null,
        diff: { pushed: { before: null, after: summary.pushed }, pulled: { before: null, after: summary.pulled }, batches: { before: null, after: summary.batches } },
      }),
    )();
    log[summary.ok ? 'info' : 'warn']('sync.cycle', {
      ok: summary.ok,
      pushed: summary.pushed,
      pulled: summary.pulled,
      batches: summary.batches,
      pending: summary.pending,
      durationMs: summary.durationMs,
      failures: this.failures,
    });
  }

  /** Called every minute by the housekeeping timer. */
  tick(): void {
    if (!this.due()) return;
    this.run().catch(() => undefined);
  }
}
