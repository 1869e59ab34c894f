/** audit.* methods and the journal export. */
import { listAudit } from '../../core/audit/audit';
import { requireSession, type Handlers } from '../types';

type AuditHandlers = Pick<Handlers, 'audit.list' | 'exports.audit'>;

export const auditHandlers: AuditHandlers = {
  'audit.list': (p, ctx) => listAudit(ctx.services.core, p),
  // The CSV is written by the job worker (src/main/export/audit-csv.ts) and fetched once.
  'exports.audit': async (p, ctx) => {
    const { core, jobs, downloads } = ctx.services;
    const owner = requireSession(ctx).tokenHash;
    const file = await jobs.run('auditExport', { ...p, dir: downloads.dir() }, { owner, now: core.clock.now() });
    return downloads.add(file, owner);
  },
};
