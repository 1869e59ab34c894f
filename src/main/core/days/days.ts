/** Whether a site day is closed: a closed day is frozen and edits answer LOCKED. */
import { AppError } from '../../../shared/api/errors';
import { formatDayFr, type LocalDay } from '../../../shared/time/paris';
import type { CoreContext } from '../context';

export function isDayClosed(ctx: CoreContext, day: LocalDay): boolean {
  const row = ctx.store.sqlite.prepare("SELECT state FROM day_closings WHERE day = ? AND deleted_at IS NULL").get(day) as { state: string } | undefined;
  return row?.state === 'closed';
}

export function assertDayOpen(ctx: CoreContext, day: LocalDay): void {
  if (isDayClosed(ctx, day)) {
    throw new AppError('LOCKED', `La journée du ${formatDayFr(day)} est clôturée : elle ne peut plus être modifiée. La coordination peut la rouvrir.`);
  }
}
