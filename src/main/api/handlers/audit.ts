/** audit.* methods and the journal export. */
import { listAudit } from '../../core/audit/audit';
import { withAccountNames } from '../../core/audit/present';
import { requireSession, type Handlers } from '../types';

type AuditHandlers = Pick<Handlers, 'audit.list' | 'exports.audit'>;

export const auditHandlers: AuditHandlers = {
  'audit.list': (p, ctx) => {
    const page = listAudit(ctx.services.core, requireSession(ctx), p);
    // Account ids in the changes (who called, who served…) leave the hub as names.
    return { ...page, rows: withAccountNames(ctx.services.core, page.rows) };
  },
  // The CSV is written by the job worker (src/main/export/audit-csv.ts) and fetched once.
  'exports.audit': async (p, ctx) => {
    const { core, jobs, downloads } = ctx.services;
    const session = requireSession(ctx);
    const owner = session.tokenHash;
    // The reader's role decides which entries show their content (canReadAuditContent, decision 010).
    const reader = { role: session.role, institution: session.institution };
    const file = await jobs.run('auditExport', { ...p, reader, dir: downloads.dir() }, { owner, now: core.clock.now() });
    return downloads.add(file, owner);
  },
};
