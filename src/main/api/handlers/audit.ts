/** audit.* methods and the journal export. */
import { listAudit } from '../../core/audit/audit';
import { csvEscape } from '../../export/csv';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { requireSession, type Handlers } from '../types';

type AuditHandlers = Pick<Handlers, 'audit.list' | 'exports.audit'>;

export const CONTENT_HIDDEN_FR = '(contenu réservé aux rôles qui voient ces données)';

const show = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export const auditHandlers: AuditHandlers = {
  'audit.list': (p, ctx) => listAudit(ctx.services.core, requireSession(ctx), p),
  'exports.audit': (p, ctx) => {
    const { rows } = listAudit(ctx.services.core, requireSession(ctx), { ...p, limit: 500_000 });
    const lines = [['Date et heure', 'Compte', 'Action', 'Objet', 'Identifiant', 'Modifications'].join(';')];
    for (const r of rows) {
      const changes = r.contentHidden ? CONTENT_HIDDEN_FR : r.changes.map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`).join(' | ');
      lines.push([formatDateTimeFr(new Date(r.at)), r.actorLogin ?? 'système', r.action, r.entity, r.entityId ?? '', changes].map((v) => csvEscape(v)).join(';'));
    }
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
    const filename = `journal-${ctx.services.core.site.code.toLowerCase()}-${p.from}-${p.to}.csv`;
    return { filename, mimeType: 'text/csv; charset=utf-8', base64: content.toString('base64'), size: content.length };
  },
};
