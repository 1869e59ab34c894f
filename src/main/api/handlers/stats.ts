/** stats.*, days.* and exports.* methods. */
import { closeDay, listClosings, reopenDay, reviewDay } from '../../core/days/closing';
import { computeFigures } from '../../core/stats/figures';
import { closeRemainingEntries } from '../../core/queue/queue';
import { periodReport } from '../../core/stats/period';
import { INDICATORS } from '../../../shared/stats/indicators';
import { localDay } from '../../../shared/time/paris';
import { exportReport } from '../../export/exports';
import { requireSession, type Handlers } from '../types';

type StatsHandlers = Pick<Handlers, Extract<keyof Handlers, `stats.${string}` | `days.${string}` | 'exports.report'>>;

export const statsHandlers: StatsHandlers = {
  'stats.today': (_p, ctx) => {
    const core = ctx.services.core;
    const now = core.clock.now();
    const day = localDay(now);
    const waiting = core.store.sqlite.prepare("SELECT count(*) AS n FROM queue_entries WHERE day = ? AND state = 'waiting' AND deleted_at IS NULL").get(day) as {
      n: number;
    };
    return { day, now: now.toISOString(), waitingNow: waiting.n, figures: computeFigures(core, day, day), definitions: Object.values(INDICATORS) };
  },
  'stats.period': (p, ctx) => periodReport(ctx.services.core, p.from, p.to),
  'days.review': (p, ctx) => reviewDay(ctx.services.core, p.day),
  'days.close': (p, ctx) => closeDay(ctx.services.core, requireSession(ctx), p.day, p.remark, p.early ?? false),
  'days.closeRemaining': (p, ctx) => closeRemainingEntries(ctx.services.core, requireSession(ctx), p.day, p.reason),
  'days.reopen': (p, ctx) => reopenDay(ctx.services.core, requireSession(ctx), p.day, p.reason),
  'days.list': (p, ctx) => ({ closings: listClosings(ctx.services.core, p.from, p.to) }),
  'exports.report': async (p, ctx) => {
    const core = ctx.services.core;
    const exportId = p.exportId;
    const file = await exportReport(core, p.from, p.to, p.format, (percent, stage) => {
      if (exportId) core.events.emit('export.progress', { exportId, percent, stage });
    });
    return { filename: file.filename, mimeType: file.mimeType, base64: file.content.toString('base64'), size: file.content.length };
  },
};
