/**
 * Day closing by the site coordination: a review of what needs attention, then a frozen snapshot
 * of the day's figures with their definitions. Later edits answer LOCKED; reopening needs a
 * coordinator and a reason, and is audited. Closed-day snapshots are what the sync sends.
 * Closing also freezes the day's aggregate (decision 015), which every report reads from then on:
 * the snapshot and the live report of a closed day are the same figures, and later events (a
 * hand-over answered after closing, a key erased) count on their own day (decision 016).
 */
import { AppError } from '../../../shared/api/errors';
import type { DayClosing, ReviewItem } from '../../../shared/api/methods/stats';
import { HANDOFF_MODE_LABELS_FR } from '../../../shared/handoffs/states';
import { STATE_LABELS_FR } from '../../../shared/queue/states';
import { institutionLabel } from '../../../shared/reference/institutions';
import { INDICATORS } from '../../../shared/stats/indicators';
import { formatDayFr, hhmmToMinutes, isoWeekday, localDay, localMinutes, localTime, type LocalDay } from '../../../shared/time/paris';
import { closingTime } from '../../../shared/reference/sites';
import { uuidv7 } from '../../store/ids';
import { SCHEMA_VERSION } from '../../store/migrations';
import { diffRows, recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { combineFigures } from '../stats/aggregate';
import { computeFigures } from '../stats/figures';
import { freezeDay, unfreezeDay } from '../stats/day-aggregates';

interface ClosingRow extends DayClosing {
  id: string;
}

const CLOSING_SELECT = `SELECT d.id, d.day, d.state, d.closed_at AS closedAt, ca.display_name AS closedByName, d.remark,
  d.reopened_at AS reopenedAt, ra.display_name AS reopenedByName, d.reopen_reason AS reopenReason, d.version
  FROM day_closings d LEFT JOIN accounts ca ON ca.id = d.closed_by LEFT JOIN accounts ra ON ra.id = d.reopened_by`;

function closingOf(ctx: CoreContext, day: LocalDay): ClosingRow | null {
  return (ctx.store.sqlite.prepare(`${CLOSING_SELECT} WHERE d.day = ? AND d.deleted_at IS NULL`).get(day) as ClosingRow | undefined) ?? null;
}

const publicClosing = ({ id: _id, ...c }: ClosingRow): DayClosing => c;

export function listClosings(ctx: CoreContext, from: LocalDay, to: LocalDay): DayClosing[] {
  return (ctx.store.sqlite.prepare(`${CLOSING_SELECT} WHERE d.day BETWEEN ? AND ? AND d.deleted_at IS NULL ORDER BY d.day`).all(from, to) as ClosingRow[]).map(publicClosing);
}

export function reviewItems(ctx: CoreContext, day: LocalDay): ReviewItem[] {
  const db = ctx.store.sqlite;
  const items: ReviewItem[] = [];
  const open = db
    .prepare("SELECT id, ticket, state, version FROM queue_entries WHERE day = ? AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL ORDER BY ticket")
    .all(day) as { id: string; ticket: string; state: keyof typeof STATE_LABELS_FR; version: number }[];
  for (const e of open) {
    items.push({ kind: 'queue_open', id: e.id, ticket: e.ticket, label: `Ticket ${e.ticket} jamais terminé (${STATE_LABELS_FR[e.state].toLowerCase()})`, blocking: true, version: e.version, state: e.state });
  }
  const noContact = db
    .prepare(
      `SELECT q.id, q.ticket, q.version, q.finished_at AS finishedAt FROM queue_entries q
       WHERE q.day = ? AND q.state = 'done' AND q.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.queue_entry_id = q.id)
       ORDER BY q.ticket`,
    )
    .all(day) as { id: string; ticket: string; version: number; finishedAt: string | null }[];
  for (const e of noContact) {
    items.push({
      kind: 'no_contact',
      id: e.id,
      ticket: e.ticket,
      label: `Passage ${e.ticket} reçu${e.finishedAt ? ` (fin ${localTime(new Date(e.finishedAt))})` : ''} sans contact enregistré (domaine de la demande inconnu)`,
      blocking: false,
      version: e.version,
      state: 'done',
    });
  }
  const handoffs = db
    .prepare("SELECT id, to_institution AS toInstitution, mode, state, version FROM handoffs WHERE day = ? AND state IN ('proposed', 'accepted') AND deleted_at IS NULL")
    .all(day) as { id: string; toInstitution: string; mode: keyof typeof HANDOFF_MODE_LABELS_FR; state: string; version: number }[];
  for (const h of handoffs) {
    items.push({
      kind: 'handoff_open',
      id: h.id,
      ticket: null,
      label: `Passage de relais vers ${institutionLabel(h.toInstitution)} (${HANDOFF_MODE_LABELS_FR[h.mode].toLowerCase()}) ${h.state === 'proposed' ? 'sans réponse' : 'pris en charge, pas terminé'}`,
      blocking: false,
      version: h.version,
      state: h.state,
    });
  }
  const outside = db
    .prepare("SELECT id, ticket, arrived_at AS arrivedAt, state, version FROM queue_entries WHERE day = ? AND outside_hours = 1 AND state <> 'cancelled' AND deleted_at IS NULL ORDER BY arrived_at")
    .all(day) as { id: string; ticket: string; arrivedAt: string; state: string; version: number }[];
  for (const e of outside) {
    items.push({ kind: 'outside_hours', id: e.id, ticket: e.ticket, label: `Arrivée ${e.ticket} à ${localTime(new Date(e.arrivedAt))}, hors horaires d’ouverture`, blocking: false, version: e.version, state: e.state });
  }
  return items;
}

export function reviewDay(ctx: CoreContext, day: LocalDay) {
  const closing = closingOf(ctx, day);
  return { day, closing: closing ? publicClosing(closing) : null, items: reviewItems(ctx, day), figures: computeFigures(ctx, day, day) };
}

/** People of the day's queue not yet seen, by state: what an early closing would leave behind. */
function openCounts(ctx: CoreContext, day: LocalDay): { waiting: number; called: number; inProgress: number } {
  const rows = ctx.store.sqlite
    .prepare("SELECT state, count(*) AS n FROM queue_entries WHERE day = ? AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL GROUP BY state")
    .all(day) as { state: string; n: number }[];
  const n = (state: string) => rows.find((r) => r.state === state)?.n ?? 0;
  return { waiting: n('waiting'), called: n('called'), inProgress: n('in_progress') };
}

const people = (n: number) => `${n} personne${n > 1 ? 's' : ''}`;

/**
 * Closing today before the site closes to the public must be confirmed (`early`): afterwards
 * every desk is refused arrivals and contacts for the day until it is reopened.
 */
function assertNotEarly(ctx: CoreContext, day: LocalDay, early: boolean): void {
  const now = ctx.clock.now();
  if (early || day !== localDay(now)) return;
  const closesAt = closingTime(ctx.site, isoWeekday(day));
  if (!closesAt || localMinutes(now) >= hhmmToMinutes(closesAt)) return;
  const open = openCounts(ctx, day);
  const tickets = (ctx.store.sqlite
    .prepare("SELECT ticket FROM queue_entries WHERE day = ? AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL ORDER BY ticket LIMIT 6")
    .all(day) as { ticket: string }[]).map((r) => r.ticket);
  const still = [
    open.waiting ? `${people(open.waiting)} en attente` : null,
    open.called ? `${people(open.called)} appelée${open.called > 1 ? 's' : ''}` : null,
    open.inProgress ? `${people(open.inProgress)} en entretien` : null,
  ].filter(Boolean);
  throw new AppError(
    'CONFLICT',
    `Il est ${localTime(now)} et l’accueil ferme à ${closesAt} : après la clôture, aucun poste ne pourra plus enregistrer d’arrivée ni de contact ` +
      `pour aujourd’hui, jusqu’à ce que la coordination rouvre la journée. ${still.length ? `Encore dans la file : ${still.join(', ')} (${tickets.slice(0, 5).join(', ')}${tickets.length > 5 ? '…' : ''}).` : 'Personne n’attend dans la file.'} ` +
      'Confirmez la clôture anticipée.',
  );
}

export function closeDay(ctx: CoreContext, actor: Actor, day: LocalDay, remark: string | undefined, early = false): DayClosing {
  const now = ctx.clock.now();
  if (day > localDay(now)) throw new AppError('VALIDATION', 'Une journée future ne peut pas être clôturée.', [{ path: 'day', message: 'Journée future.' }]);
  const result = ctx.store.sqlite.transaction(() => {
    const existing = closingOf(ctx, day);
    if (existing?.state === 'closed') throw new AppError('CONFLICT', `La journée du ${formatDayFr(day)} est déjà clôturée.`);
    assertNotEarly(ctx, day, early);
    const blocking = reviewItems(ctx, day).filter((i) => i.blocking);
    if (blocking.length > 0) {
      throw new AppError(
        'CONFLICT',
        `Clôture impossible : ${blocking.length} ticket${blocking.length > 1 ? 's' : ''} de la journée ${blocking.length > 1 ? 'ne sont pas terminés' : 'n’est pas terminé'} (${blocking
          .slice(0, 5)
          .map((b) => b.ticket)
          .join(', ')}). Terminez-les ou clôturez la file d’abord.`,
      );
    }
    const iso = now.toISOString();
    // The closing row first: from its closing instant on, later events of the day count on the next day.
    if (existing) {
      ctx.store.sqlite
        .prepare(`UPDATE day_closings SET state = 'closed', closed_at = ?, closed_by = ?, remark = ?, updated_at = ?, version = version + 1 WHERE id = ?`)
        .run(iso, actor.accountId, remark ?? null, iso, existing.id);
    } else {
      ctx.store.sqlite
        .prepare(`INSERT INTO day_closings (id, day, state, closed_at, closed_by, remark, snapshot, site_id, updated_at) VALUES (?, ?, 'closed', ?, ?, ?, NULL, ?, ?)`)
        .run(uuidv7(now.getTime()), day, iso, actor.accountId, remark ?? null, ctx.site.code, iso);
    }
    const snapshot = JSON.stringify({
      generatedAt: iso,
      schemaVersion: SCHEMA_VERSION,
      site: ctx.site.code,
      figures: combineFigures(day, day, [freezeDay(ctx, day)]),
      definitions: Object.values(INDICATORS),
    });
    // Stamped in the same transaction: the snapshot is the frozen aggregate's figures.
    ctx.store.sqlite.prepare('UPDATE day_closings SET snapshot = ? WHERE day = ?').run(snapshot, day);
    const after = closingOf(ctx, day)!;
    recordAudit(ctx, { actor, action: 'day.close', entity: 'day', entityId: day, diff: diffRows(existing ? publicClosing(existing) : null, publicClosing(after)) });
    return after;
  })();
  ctx.events.emit('day.changed', { day, state: 'closed' });
  return publicClosing(result);
}

export function reopenDay(ctx: CoreContext, actor: Actor, day: LocalDay, reason: string): DayClosing {
  const result = ctx.store.sqlite.transaction(() => {
    const existing = closingOf(ctx, day);
    if (!existing || existing.state !== 'closed') throw new AppError('CONFLICT', `La journée du ${formatDayFr(day)} n’est pas clôturée.`);
    const iso = ctx.clock.now().toISOString();
    ctx.store.sqlite
      .prepare(`UPDATE day_closings SET state = 'reopened', reopened_at = ?, reopened_by = ?, reopen_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?`)
      .run(iso, actor.accountId, reason, iso, existing.id);
    unfreezeDay(ctx, day);
    const after = closingOf(ctx, day)!;
    recordAudit(ctx, { actor, action: 'day.reopen', entity: 'day', entityId: day, diff: { ...diffRows(publicClosing(existing), publicClosing(after)), reason: { before: null, after: reason } } });
    return after;
  })();
  ctx.events.emit('day.changed', { day, state: 'reopened' });
  return publicClosing(result);
}
