/** stats.*, days.* and exports.* methods. */
import { closeDay, listClosings, reopenDay, reviewDay } from '../../core/days/closing';
import { computeFigures } from '../../core/stats/figures';
import { unpackPeriodReport } from '../../core/stats/period';
import { AppError } from '../../../shared/api/errors';
import { closeRemainingEntries, waitingCount } from '../../core/queue/queue';
import { INDICATORS } from '../../../shared/stats/indicators';
import { localDay } from '../../../shared/time/paris';
import { requireSession, type Handlers } from '../types';

type StatsHandlers = Pick<Handlers, Extract<keyof Handlers, `stats.${string}` | `days.${string}` | 'exports.report' | 'exports.download'>>;

export const statsHandlers: StatsHandlers = {
  'stats.today': (_p, ctx) => {
    const core = ctx.services.core;
    const now = core.clock.now();
    const day = localDay(now);
    return { day, now: now.toISOString(), waitingNow: waitingCount(core, day), figures: computeFigures(core, day, day), definitions: Object.values(INDICATORS) };
  },
  // Period reports and exports run in the job worker (src/main/jobs): this thread only routes.
  'stats.period': async (p, ctx) =>
    unpackPeriodReport(await ctx.services.jobs.run('period', { from: p.from, to: p.to }, { owner: requireSession(ctx).tokenHash, now: ctx.services.core.clock.now() })),
  'days.review': (p, ctx) => reviewDay(ctx.services.core, p.day),
  'days.close': (p, ctx) => closeDay(ctx.services.core, requireSession(ctx), p.day, p.remark, p.early ?? false),
  'days.closeRemaining': (p, ctx) => closeRemainingEntries(ctx.services.core, requireSession(ctx), p.day, p.reason),
  'days.reopen': (p, ctx) => reopenDay(ctx.services.core, requireSession(ctx), p.day, p.reason),
  'days.list': (p, ctx) => ({ closings: listClosings(ctx.services.core, p.from, p.to) }),
  'exports.report': async (p, ctx) => {
    const { core, jobs, downloads } = ctx.services;
    const owner = requireSession(ctx).tokenHash;
    const exportId = p.exportId;
    const file = await jobs.run(
      'export',
      { from: p.from, to: p.to, format: p.format, dir: downloads.dir() },
      { owner, now: core.clock.now(), onProgress: (percent, stage) => { if (exportId) core.events.emit('export.progress', { exportId, percent, stage }); } },
    );
    return downloads.add(file, owner);
  },
  'exports.download': (p, ctx) => {
    const part = ctx.services.downloads.chunk(p.downloadId, requireSession(ctx).tokenHash, p.offset ?? 0);
    if (!part) throw new AppError('NOT_FOUND', 'Ce fichier n’est plus disponible (déjà téléchargé ou expiré) : relancez l’export.');
    return { base64: part.bytes.toString('base64'), offset: part.offset, size: part.size, done: part.done };
  },
};
