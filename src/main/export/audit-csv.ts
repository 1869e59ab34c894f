/**
 * The journal as CSV for French Excel, streamed into a file (run in the job worker), in the same
 * words as the Journal screen: French labels for actions, objects and fields, Paris time
 * (dd/MM/yyyy HH:mm), account ids as names (src/shared/audit/labels.ts).
 */
import { statSync } from 'node:fs';
import { auditActionLabel, auditObjectLabel, describeAuditChanges } from '../../shared/audit/labels';
import { formatDateTimeFr } from '../../shared/time/paris';
import { listAudit } from '../core/audit/audit';
import { withAccountNames } from '../core/audit/present';
import type { CoreContext } from '../core/context';
import type { Principal } from '../../shared/permissions';
import { writeCsvFile } from './csv';
import { scratchFile } from './exports';

/** What the export says where the reader's role does not show the content (canReadAuditContent, decision 010). */
export const CONTENT_HIDDEN_FR = '(contenu réservé aux rôles qui voient ces données)';

export interface AuditExportFilters {
  from: string;
  to: string;
  entity?: string | undefined;
  actorLogin?: string | undefined;
}

function* auditLines(ctx: CoreContext, reader: Principal, filters: AuditExportFilters): Generator<string[]> {
  yield ['Date et heure', 'Compte', 'Action', 'Objet', 'Modifications', 'Identifiant'];
  // Pages of the journal, newest first, so that no more than one page is held at a time.
  let beforeId: string | undefined;
  for (;;) {
    const page = listAudit(ctx, reader, { ...filters, limit: 500, ...(beforeId ? { beforeId } : {}) });
    for (const r of withAccountNames(ctx, page.rows)) {
      const changes = r.contentHidden
        ? CONTENT_HIDDEN_FR
        : describeAuditChanges(r.entity, r.changes)
            .map((c) => `${c.label} : ${c.before} → ${c.after}`)
            .join(' | ');
      yield [formatDateTimeFr(new Date(r.at)), r.actorLogin ?? 'système', auditActionLabel(r.action), auditObjectLabel(r.entity, r.entityId), changes, r.entityId ?? ''];
    }
    if (!page.more || page.rows.length === 0) return;
    beforeId = page.rows[page.rows.length - 1]!.id;
  }
}

export async function exportAudit(ctx: CoreContext, reader: Principal, filters: AuditExportFilters, dir: string): Promise<{ file: string; filename: string; mimeType: string; size: number }> {
  const file = scratchFile(dir, 'csv');
  await writeCsvFile(file, auditLines(ctx, reader, filters));
  return { file, filename: `journal-${ctx.site.code.toLowerCase()}-${filters.from}-${filters.to}.csv`, mimeType: 'text/csv; charset=utf-8', size: statSync(file).size };
}
