/** The journal as CSV for French Excel, streamed into a file (run in the job worker). */
import { statSync } from 'node:fs';
import { formatDateTimeFr } from '../../shared/time/paris';
import { listAudit } from '../core/audit/audit';
import type { CoreContext } from '../core/context';
import { writeCsvFile } from './csv';
import { scratchFile } from './exports';

const show = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export interface AuditExportFilters {
  from: string;
  to: string;
  entity?: string | undefined;
  actorLogin?: string | undefined;
}

function* auditLines(ctx: CoreContext, filters: AuditExportFilters): Generator<string[]> {
  yield ['Date et heure', 'Compte', 'Action', 'Objet', 'Identifiant', 'Modifications'];
  // Pages of the journal, newest first, so that no more than one page is held at a time.
  let beforeId: string | undefined;
  for (;;) {
    const page = listAudit(ctx, { ...filters, limit: 500, ...(beforeId ? { beforeId } : {}) });
    for (const r of page.rows) {
      const changes = r.changes.map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`).join(' | ');
      yield [formatDateTimeFr(new Date(r.at)), r.actorLogin ?? 'système', r.action, r.entity, r.entityId ?? '', changes];
    }
    if (!page.more || page.rows.length === 0) return;
    beforeId = page.rows[page.rows.length - 1]!.id;
  }
}

export async function exportAudit(ctx: CoreContext, filters: AuditExportFilters, dir: string): Promise<{ file: string; filename: string; mimeType: string; size: number }> {
  const file = scratchFile(dir, 'csv');
  await writeCsvFile(file, auditLines(ctx, filters));
  return { file, filename: `journal-${ctx.site.code.toLowerCase()}-${filters.from}-${filters.to}.csv`, mimeType: 'text/csv; charset=utf-8', size: statSync(file).size };
}
