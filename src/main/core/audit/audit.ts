/**
 * The audit trail: every mutation writes one row, in the same transaction as the change, with
 * who, what, when and a before/after diff. Secrets never enter the diff, and free text that may
 * name a person (the inventory of `privacy/inventory.ts`) is written as « renseigné » /
 * « modifié », never its value: the journal is append-only (triggers refuse UPDATE and DELETE), so
 * what enters it could never be erased on a person's request.
 */
import type { CoreContext } from '../context';
import { canReadAuditContent, type Principal } from '../../../shared/permissions';
import { dayBounds } from '../../../shared/time/paris';
import { uuidv7 } from '../../store/ids';
import type { auditLog } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { PERSONAL_TEXT } from '../privacy/inventory';

type Stored = Columns<typeof auditLog>;
type PageParams = { from: string; to: string; actorLogin: string | null; beforeId: string | null; limit: number };
type PageRow = Pick<Stored, 'id' | 'at' | 'actorLogin' | 'action' | 'entity' | 'entityId' | 'diff'>;

/**
 * A page of the journal: the period, then an optional author and paging boundary, each `NULL`
 * when not asked for (with or without them, the plan is the one the built-up text had).
 */
const PAGE_WHERE = 'at >= @from AND at < @to AND (@actorLogin IS NULL OR actor_login = @actorLogin) AND (@beforeId IS NULL OR id < @beforeId)';
const PAGE_SELECT = 'SELECT id, at, actor_login AS actorLogin, action, entity, entity_id AS entityId, diff FROM audit_log';

const q = {
  insert: sql<Stored>(
    `INSERT INTO audit_log (id, site_id, at, actor_id, actor_login, action, entity, entity_id, diff)
     VALUES (@id, @siteId, @at, @actorId, @actorLogin, @action, @entity, @entityId, @diff)`,
  ),
  ofEntity: sql<{ entity: string; entityId: string }, Pick<Stored, 'id' | 'at' | 'actorId' | 'actorLogin' | 'action' | 'entity' | 'entityId' | 'diff'>>(
    `SELECT id, at, actor_id AS actorId, actor_login AS actorLogin, action, entity, entity_id AS entityId, diff
     FROM audit_log WHERE entity = @entity AND entity_id = @entityId ORDER BY id`,
  ),
  // Two texts, not `(@entity IS NULL OR entity = @entity)`: with a kind of object given, the
  // planner reads audit_log_entity, as it did before decision 017; without, audit_log_at.
  page: sql<PageParams, PageRow>(`${PAGE_SELECT} WHERE ${PAGE_WHERE} ORDER BY id DESC LIMIT @limit`),
  pageOfEntity: sql<PageParams & { entity: string }, PageRow>(`${PAGE_SELECT} WHERE ${PAGE_WHERE} AND entity = @entity ORDER BY id DESC LIMIT @limit`),
};

/** Fields never written to the audit log, whatever the entity. */
const SECRET_FIELDS = new Set(['passwordHash', 'password_hash', 'password', 'tokenHash', 'token_hash', 'pinHash']);

export type AuditValue = string | number | boolean | null;
export type AuditDiff = Record<string, { before: AuditValue; after: AuditValue }>;

export interface AuditEntry {
  actor: { accountId: string; login: string } | null;
  action: string;
  entity: string;
  entityId: string | null;
  diff: AuditDiff;
}

function normalise(v: unknown): AuditValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** Field-by-field difference between two snapshots of a row (either may be null). */
export function diffRows(before: object | null, after: object | null): AuditDiff {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const out: AuditDiff = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (SECRET_FIELDS.has(key)) continue;
    const bv = normalise(b[key]);
    const av = normalise(a[key]);
    if (bv !== av) out[key] = { before: bv, after: av };
  }
  return out;
}

/** Audit fields holding personal free text, whatever the entity (`firstName`, `note`, `declineText`…). */
const PERSONAL_FIELDS = new Set(PERSONAL_TEXT.map((c) => c.field));

const filled = (v: AuditValue): boolean => v !== null && v !== '';

/** The diff as the journal may hold it: personal free text says that it was filled or changed, not what it says. */
export function maskPersonalText(diff: AuditDiff): AuditDiff {
  const out: AuditDiff = {};
  for (const [field, change] of Object.entries(diff)) {
    if (!PERSONAL_FIELDS.has(field)) {
      out[field] = change;
      continue;
    }
    const before = filled(change.before) ? 'renseigné' : null;
    const after = filled(change.after) ? (before ? 'modifié' : 'renseigné') : null;
    if (before !== after) out[field] = { before, after };
  }
  return out;
}

/** Writes an audit row. Call inside the transaction of the change it records. */
export function recordAudit(ctx: CoreContext, entry: AuditEntry): void {
  q.insert.run(ctx.store, {
    id: uuidv7(ctx.clock.now().getTime()),
    siteId: ctx.site.code,
    at: ctx.clock.now().toISOString(),
    actorId: entry.actor?.accountId ?? null,
    actorLogin: entry.actor?.login ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    diff: JSON.stringify(maskPersonalText(entry.diff)),
  });
}

export interface AuditRow {
  id: string;
  at: string;
  actorId: string | null;
  actorLogin: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  diff: AuditDiff;
}

export function auditFor(ctx: CoreContext, entity: string, entityId: string): AuditRow[] {
  const rows = q.ofEntity.all(ctx.store, { entity, entityId });
  return rows.map((r) => ({ ...r, diff: JSON.parse(r.diff) as AuditDiff }));
}

export interface AuditFilters {
  from: string;
  to: string;
  entity?: string | undefined;
  actorLogin?: string | undefined;
}

/**
 * Journal rows of a period (Paris days), newest first, paged by id (UUIDv7 ids sort by time).
 * Who did what, when and on which kind of object is shown to every reader; the content of a
 * change only where the reader's role shows that kind of object (`canReadAuditContent`).
 */
export function listAudit(ctx: CoreContext, reader: Principal, f: AuditFilters & { limit?: number | undefined; beforeId?: string | undefined }) {
  const limit = f.limit ?? 200;
  const from = dayBounds(f.from).start.toISOString();
  const to = dayBounds(f.to).end.toISOString();
  // Empty filters mean no filter, as they always have.
  const page: PageParams = { from, to, actorLogin: f.actorLogin ? f.actorLogin.toLowerCase() : null, beforeId: f.beforeId ? f.beforeId : null, limit: limit + 1 };
  const rows = f.entity ? q.pageOfEntity.all(ctx.store, { ...page, entity: f.entity }) : q.page.all(ctx.store, page);
  const technical = new Set(['version', 'updatedAt', 'changeSeq']);
  return {
    more: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => {
      const contentHidden = !canReadAuditContent(reader, r.entity);
      return {
        id: r.id,
        at: r.at,
        actorLogin: r.actorLogin,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        contentHidden,
        changes: contentHidden
          ? []
          : Object.entries(JSON.parse(r.diff) as AuditDiff)
              .filter(([k]) => !technical.has(k))
              .map(([field, v]) => ({ field, before: v.before, after: v.after })),
      };
    }),
  };
}
