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
import { HANDOFF_MODE_LABELS_FR, type HandoffMode } from '../../../shared/handoffs/states';
import { STATE_LABELS_FR } from '../../../shared/queue/states';
import { institutionLabel } from '../../../shared/reference/institutions';
import { INDICATORS } from '../../../shared/stats/indicators';
import { formatDayFr, hhmmToMinutes, isoWeekday, localDay, localMinutes, localTime, type LocalDay } from '../../../shared/time/paris';
import { closingTime } from '../../../shared/reference/sites';
import { uuidv7 } from '../../store/ids';
import { SCHEMA_VERSION } from '../../store/migrations';
import { accounts, dayClosings, handoffs, queueEntries } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { combineFigures } from '../stats/aggregate';
import { computeFigures } from '../stats/figures';
import { freezeDay, unfreezeDay } from '../stats/day-aggregates';

/** A closing with the names of the accounts that closed and reopened it (left joins: null when none). */
type ClosingRow = Pick<Columns<typeof dayClosings>, 'id' | 'day' | 'state' | 'closedAt' | 'remark' | 'reopenedAt' | 'reopenReason' | 'version'> & {
  closedByName: Columns<typeof accounts>['displayName'] | null;
  reopenedByName: Columns<typeof accounts>['displayName'] | null;
};
type Day = { day: LocalDay };
type QueueRow<K extends keyof Columns<typeof queueEntries>> = Pick<Columns<typeof queueEntries>, K>;

const CLOSING_SELECT = `SELECT d.id, d.day, d.state, d.closed_at AS closedAt, ca.display_name AS closedByName, d.remark,
  d.reopened_at AS reopenedAt, ra.display_name AS reopenedByName, d.reopen_reason AS reopenReason, d.version
  FROM day_closings d LEFT JOIN accounts ca ON ca.id = d.closed_by LEFT JOIN accounts ra ON ra.id = d.reopened_by`;

const q = {
  closing: sql<Day, ClosingRow>(`${CLOSING_SELECT} WHERE d.day = @day AND d.deleted_at IS NULL`),
  closingsIn: sql<{ from: LocalDay; to: LocalDay }, ClosingRow>(`${CLOSING_SELECT} WHERE d.day BETWEEN @from AND @to AND d.deleted_at IS NULL ORDER BY d.day`),
  // Review of the day.
  openEntries: sql<Day, QueueRow<'id' | 'ticket' | 'state' | 'version'>>(
    "SELECT id, ticket, state, version FROM queue_entries WHERE day = @day AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL ORDER BY ticket",
  ),
  doneWithoutContact: sql<Day, QueueRow<'id' | 'ticket' | 'version' | 'finishedAt'>>(
    `SELECT q.id, q.ticket, q.version, q.finished_at AS finishedAt FROM queue_entries q
       WHERE q.day = @day AND q.state = 'done' AND q.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.queue_entry_id = q.id)
       ORDER BY q.ticket`,
  ),
  // `mode` holds a HandoffMode (validated when the hand-over is created): its label is looked up.
  openHandoffs: sql<Day, Pick<Columns<typeof handoffs>, 'id' | 'toInstitution' | 'state' | 'version'> & { mode: HandoffMode }>(
    "SELECT id, to_institution AS toInstitution, mode, state, version FROM handoffs WHERE day = @day AND state IN ('proposed', 'accepted') AND deleted_at IS NULL",
  ),
  outsideHours: sql<Day, QueueRow<'id' | 'ticket' | 'arrivedAt' | 'state' | 'version'>>(
    "SELECT id, ticket, arrived_at AS arrivedAt, state, version FROM queue_entries WHERE day = @day AND outside_hours = 1 AND state <> 'cancelled' AND deleted_at IS NULL ORDER BY arrived_at",
  ),
  // What an early closing would leave behind.
  openCounts: sql<Day, QueueRow<'state'> & { n: number }>(
    "SELECT state, count(*) AS n FROM queue_entries WHERE day = @day AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL GROUP BY state",
  ),
  openTickets: sql<Day, QueueRow<'ticket'>>(
    "SELECT ticket FROM queue_entries WHERE day = @day AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL ORDER BY ticket LIMIT 6",
  ),
  // Closing and reopening.
  close: sql<{ id: string; now: string; by: string; remark: string | null }>(
    "UPDATE day_closings SET state = 'closed', closed_at = @now, closed_by = @by, remark = @remark, updated_at = @now, version = version + 1 WHERE id = @id",
  ),
  insertClosed: sql<{ id: string; day: LocalDay; now: string; by: string; remark: string | null; site: string }>(
    "INSERT INTO day_closings (id, day, state, closed_at, closed_by, remark, snapshot, site_id, updated_at) VALUES (@id, @day, 'closed', @now, @by, @remark, NULL, @site, @now)",
  ),
  stampSnapshot: sql<Day & { snapshot: string }>('UPDATE day_closings SET snapshot = @snapshot WHERE day = @day'),
  reopen: sql<{ id: string; now: string; by: string; reason: string }>(
    "UPDATE day_closings SET state = 'reopened', reopened_at = @now, reopened_by = @by, reopen_reason = @reason, updated_at = @now, version = version + 1 WHERE id = @id",
  ),
};

function closingOf(ctx: CoreContext, day: LocalDay): ClosingRow | null {
  return q.closing.get(ctx.store, { day }) ?? null;
}

const publicClosing = ({ id: _id, ...c }: ClosingRow): DayClosing => c;

export function listClosings(ctx: CoreContext, from: LocalDay, to: LocalDay): DayClosing[] {
  return q.closingsIn.all(ctx.store, { from, to }).map(publicClosing);
}

export function reviewItems(ctx: CoreContext, day: LocalDay): ReviewItem[] {
  const items: ReviewItem[] = [];
  const open = q.openEntries.all(ctx.store, { day });
  for (const e of open) {
    items.push({ kind: 'queue_open', id: e.id, ticket: e.ticket, label: `Ticket ${e.ticket} jamais terminé (${STATE_LABELS_FR[e.state].toLowerCase()})`, blocking: true, version: e.version, state: e.state });
  }
  const noContact = q.doneWithoutContact.all(ctx.store, { day });
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
  for (const h of q.openHandoffs.all(ctx.store, { day })) {
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
  const outside = q.outsideHours.all(ctx.store, { day });
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
  const rows = q.openCounts.all(ctx.store, { day });
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
  const tickets = q.openTickets.all(ctx.store, { day }).map((r) => r.ticket);
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
      q.close.run(ctx.store, { id: existing.id, now: iso, by: actor.accountId, remark: remark ?? null });
    } else {
      q.insertClosed.run(ctx.store, { id: uuidv7(now.getTime()), day, now: iso, by: actor.accountId, remark: remark ?? null, site: ctx.site.code });
    }
    const snapshot = JSON.stringify({
      generatedAt: iso,
      schemaVersion: SCHEMA_VERSION,
      site: ctx.site.code,
      figures: combineFigures(day, day, [freezeDay(ctx, day)]),
      definitions: Object.values(INDICATORS),
    });
    // Stamped in the same transaction: the snapshot is the frozen aggregate's figures.
    q.stampSnapshot.run(ctx.store, { day, snapshot });
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
    q.reopen.run(ctx.store, { id: existing.id, now: iso, by: actor.accountId, reason });
    unfreezeDay(ctx, day);
    const after = closingOf(ctx, day)!;
    recordAudit(ctx, { actor, action: 'day.reopen', entity: 'day', entityId: day, diff: { ...diffRows(publicClosing(existing), publicClosing(after)), reason: { before: null, after: reason } } });
    return after;
  })();
  ctx.events.emit('day.changed', { day, state: 'reopened' });
  return publicClosing(result);
}
