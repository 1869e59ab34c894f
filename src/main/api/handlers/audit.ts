/** audit.* methods and the journal export. */
import { listAudit } from '../../core/audit/audit';
import { withAccountNames } from '../../core/audit/present';
import { csvEscape } from '../../export/csv';
import { auditActionLabel, auditObjectLabel, describeAuditChanges } from '../../../shared/audit/labels';
import { formatDateTimeFr } from '../../../shared/time/paris';
import type { Handlers } from '../types';

type AuditHandlers = Pick<Handlers, 'audit.list' | 'exports.audit'>;

export const auditHandlers: AuditHandlers = {
  'audit.list': (p, ctx) => {
    const page = listAudit(ctx.services.core, p);
    return { ...page, rows: withAccountNames(ctx.services.core, page.rows) };
  },
  'exports.audit': (p, ctx) => {
    const { rows } = listAudit(ctx.services.core, { ...p, limit: 500_000 });
    // The same words as the Journal screen: French labels, Paris time (dd/MM/yyyy HH:mm).
    const lines = [['Date et heure', 'Compte', 'Action', 'Objet', 'Modifications', 'Identifiant'].join(';')];
    for (const r of withAccountNames(ctx.services.core, rows)) {
      const changes = describeAuditChanges(r.entity, r.changes)
        .map((c) => `${c.label} : ${c.before} → ${c.after}`)
        .join(' | ');
      lines.push(
        [formatDateTimeFr(new Date(r.at)), r.actorLogin ?? 'système', auditActionLabel(r.action), auditObjectLabel(r.entity, r.entityId), changes, r.entityId ?? '']
          .map((v) => csvEscape(v))
          .join(';'),
      );
    }
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
    const filename = `journal-${ctx.services.core.site.code.toLowerCase()}-${p.from}-${p.to}.csv`;
    return { filename, mimeType: 'text/csv; charset=utf-8', base64: content.toString('base64'), size: content.length };
  },
};
