/** Whether a site day is closed: a closed day is frozen and edits answer LOCKED. */
import { AppError } from '../../../shared/api/errors';
import { formatDayFr, type LocalDay } from '../../../shared/time/paris';
import { dayClosings } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import type { CoreContext } from '../context';

const q = {
  closingState: sql<{ day: LocalDay }, Pick<Columns<typeof dayClosings>, 'state'>>('SELECT state FROM day_closings WHERE day = @day AND deleted_at IS NULL'),
};

export function isDayClosed(ctx: CoreContext, day: LocalDay): boolean {
  const row = q.closingState.get(ctx.store, { day });
  return row?.state === 'closed';
}

export function assertDayOpen(ctx: CoreContext, day: LocalDay): void {
  if (isDayClosed(ctx, day)) {
    throw new AppError('LOCKED', `La journée du ${formatDayFr(day)} est clôturée : elle ne peut plus être modifiée. La coordination peut la rouvrir.`);
  }
}
