/**
 * The heavy work itself, as run inside the job worker over the worker's own CoreContext (its own
 * connection, a clock fixed at the instant the job was asked). Core and export functions only:
 * nothing here knows about threads or transports.
 */
import { countPersons } from '../core/contacts/contacts';
import type { CoreContext } from '../core/context';
import { reviewDay } from '../core/days/closing';
import { packedPeriodReport } from '../core/stats/period';
import { exportAudit } from '../export/audit-csv';
import { exportReport } from '../export/exports';
import { seedSite } from '../seed/generate';
import { backupNow, verifyBackup } from '../store/backup';
import type { JobInputs, JobKind, JobOutputs } from './protocol';

export interface TaskEnv {
  ctx: CoreContext;
  keyHex: string;
  progress(percent: number, stage: string): void;
}

type Tasks = { [K in JobKind]: (env: TaskEnv, input: JobInputs[K]) => JobOutputs[K] | Promise<JobOutputs[K]> };

export const TASKS: Tasks = {
  period: ({ ctx }, { from, to }) => packedPeriodReport(ctx, from, to),
  export: ({ ctx, progress }, { from, to, format, dir }) => exportReport(ctx, from, to, format, dir, progress),
  auditExport: ({ ctx }, { dir, reader, ...filters }) => exportAudit(ctx, reader, filters, dir),
  persons: ({ ctx }, { from, to }) => countPersons(ctx, from, to),
  review: ({ ctx }, { days }) => days.map((day) => reviewDay(ctx, day)),
  backup: ({ ctx, keyHex }, { dir, keep }) => backupNow(ctx.store, keyHex, dir, keep, ctx.clock.now()),
  verifyBackup: ({ keyHex }, { file }) => {
    verifyBackup(file, keyHex);
    return { ok: true as const };
  },
  seed: async ({ ctx }, input) => {
    const { perDay: _perDay, ...summary } = await seedSite(ctx.store, { ...input, clock: ctx.clock });
    return summary;
  },
};
