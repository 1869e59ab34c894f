/**
 * Warm hand-overs (passages de relais). The person chooses the mode and what is passed on;
 * without consent the hand-over carries no personal details. Receivers see only what is addressed
 * to their institution; every display of personal details writes an audit row. Unanswered
 * hand-overs become late, then expire (the sender is told); personal details are anonymised after
 * the retention period while the row stays for statistics.
 */
import { AppError } from '../../../shared/api/errors';
import type { Handoff } from '../../../shared/api/methods/handoffs';
import { DEFAULT_HANDOFF_CONFIG, zHandoffConfig, type HandoffConfig } from '../../../shared/handoffs/config';
import {
  canHandoffTransition,
  DECLINE_REASON_LABELS_FR,
  handoffNextState,
  HANDOFF_STATE_LABELS_FR,
  type DeclineReason,
  type HandoffAction,
  type HandoffMode,
  type HandoffState,
  type SharedField,
  type Urgency,
} from '../../../shared/handoffs/states';
import { can, canOverseeHandoff, canReceiveFor, canSeeContact, canSeeService } from '../../../shared/permissions';
import { institutionIn, institutionLabel, type InstitutionCode } from '../../../shared/reference/institutions';
import { localDay } from '../../../shared/time/paris';
import { uuidv7 } from '../../store/ids';
import { accounts, contacts, directoryEntries, handoffs, queueEntries } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { readSetting, writeSetting } from '../settings/settings';
import { assertActiveDomains } from '../taxonomy/taxonomy';
import { bookedAppointmentProblem } from '../../../shared/time/appointments';
import { getDirectoryEntry } from '../directory/directory';
import { getQueueConfig } from '../queue/config';
import { columnsOf } from '../privacy/inventory';
import { applyAction, entryForHandoff, publishQueueChange, touchEntry, type QueueChange } from '../queue/queue';
import { canOperateService } from '../../../shared/permissions';
import { OPEN_STATES, type QueueState } from '../../../shared/queue/states';

const CONFIG_KEY = 'handoffs.config';

export function getHandoffConfig(ctx: CoreContext): HandoffConfig {
  return readSetting(ctx, CONFIG_KEY, zHandoffConfig, DEFAULT_HANDOFF_CONFIG);
}

export function updateHandoffConfig(ctx: CoreContext, actor: Actor, config: HandoffConfig): HandoffConfig {
  ctx.store.sqlite.transaction(() => writeSetting(ctx, actor, CONFIG_KEY, config))();
  return config;
}

type AccountName = Columns<typeof accounts>['displayName'];

/**
 * A hand-over as the core reads it: its columns (the closed lists the core writes into text
 * columns typed as those lists), the names joined from accounts and the directory, its ticket,
 * and the hand-over that re-oriented it if any.
 */
type Row = Pick<
  Columns<typeof handoffs>,
  | 'id'
  | 'day'
  | 'createdAt'
  | 'fromAccountId'
  | 'fromInstitution'
  | 'toInstitution'
  | 'toEntryId'
  | 'toAccountId'
  | 'domains'
  | 'urgency'
  | 'mode'
  | 'appointmentAt'
  | 'appointmentPlace'
  | 'consent'
  | 'sharedFields'
  | 'personName'
  | 'personPhone'
  | 'summary'
  | 'documents'
  | 'queueEntryId'
  | 'state'
  | 'seenAt'
  | 'acceptedAt'
  | 'declinedAt'
  | 'declineReason'
  | 'declineText'
  | 'closedAt'
  | 'lateAt'
  | 'expiresAt'
  | 'reorientedFromId'
  | 'anonymisedAt'
  | 'version'
> & {
  fromInstitution: InstitutionCode | null;
  toInstitution: InstitutionCode;
  urgency: Urgency;
  mode: HandoffMode;
  state: HandoffState;
  declineReason: DeclineReason | null;
  fromName: AccountName;
  consentRecordedByName: AccountName | null;
  takenByName: AccountName | null;
  toEntryName: Columns<typeof directoryEntries>['name'] | null;
  ticket: Columns<typeof queueEntries>['ticket'] | null;
  ticketState: QueueState | null;
  reorientedToId: Columns<typeof handoffs>['id'] | null;
};

const SELECT = `SELECT h.id, h.day, h.created_at AS createdAt, h.from_account_id AS fromAccountId, fa.display_name AS fromName,
  h.from_institution AS fromInstitution, h.to_institution AS toInstitution, h.to_entry_id AS toEntryId, de.name AS toEntryName,
  h.to_account_id AS toAccountId, h.domains, h.urgency, h.mode, h.appointment_at AS appointmentAt, h.appointment_place AS appointmentPlace,
  h.consent, ca.display_name AS consentRecordedByName, h.shared_fields AS sharedFields, h.person_name AS personName,
  h.person_phone AS personPhone, h.summary, h.documents, qe.ticket, qe.state AS ticketState, h.queue_entry_id AS queueEntryId, h.state, h.seen_at AS seenAt, h.accepted_at AS acceptedAt,
  ta.display_name AS takenByName, h.declined_at AS declinedAt, h.decline_reason AS declineReason, h.decline_text AS declineText,
  h.closed_at AS closedAt, h.late_at AS lateAt, h.expires_at AS expiresAt, h.reoriented_from_id AS reorientedFromId,
  (SELECT r.id FROM handoffs r WHERE r.reoriented_from_id = h.id LIMIT 1) AS reorientedToId,
  h.anonymised_at AS anonymisedAt, h.version
  FROM handoffs h
  JOIN accounts fa ON fa.id = h.from_account_id
  LEFT JOIN accounts ca ON ca.id = h.consent_recorded_by
  LEFT JOIN accounts ta ON ta.id = h.taken_by
  LEFT JOIN directory_entries de ON de.id = h.to_entry_id
  LEFT JOIN queue_entries qe ON qe.id = h.queue_entry_id`;

/** Proposed hand-overs past their expiry, through the partial index `handoffs_proposed_expiry`. */
export const OVERDUE_HANDOFFS_SQL =
  "SELECT id FROM handoffs INDEXED BY handoffs_proposed_expiry WHERE state = 'proposed' AND expires_at <= @now AND deleted_at IS NULL ORDER BY expires_at";

/** At most `limit` hand-overs a run (-1: all), through the partial index of those not yet anonymised; every personal text column of the inventory (decision 012). */
export const ANONYMISE_HANDOFFS_SQL = `UPDATE handoffs SET ${columnsOf('handoff_details')
  .map((c) => `${c.column} = NULL`)
  .join(', ')}, anonymised_at = @now, updated_at = @now
  WHERE rowid IN (SELECT rowid FROM handoffs INDEXED BY handoffs_not_anonymised WHERE anonymised_at IS NULL AND created_at < @before LIMIT @limit)`;

type Id = { id: string };
/** A change of state: the hand-over at the version read, the new state, the instant. */
type Change = { id: string; version: number; state: HandoffState; now: string };
const CHANGED = 'updated_at = @now, version = version + 1 WHERE id = @id AND version = @version';

const q = {
  row: sql<Id, Row>(`${SELECT} WHERE h.id = @id AND h.deleted_at IS NULL`),
  // Open hand-overs whatever their age, and the ones created since `since`.
  inbox: sql<{ since: string }, Row>(
    `${SELECT} WHERE h.deleted_at IS NULL AND (h.state IN ('proposed', 'accepted') OR h.created_at >= @since) ORDER BY h.created_at DESC`,
  ),
  // The day's hand-overs and the older ones still open: all of them, or one sender's.
  sentByAll: sql<{ day: string }, Row>(
    `${SELECT} WHERE h.deleted_at IS NULL AND (h.day = @day OR (h.state IN ('proposed', 'accepted') AND h.day < @day))
       ORDER BY h.created_at DESC`,
  ),
  sentBy: sql<{ day: string; accountId: string }, Row>(
    `${SELECT} WHERE h.deleted_at IS NULL AND (h.day = @day OR (h.state IN ('proposed', 'accepted') AND h.day < @day))
       AND h.from_account_id = @accountId ORDER BY h.created_at DESC`,
  ),
  overdue: sql<{ now: string }, Pick<Columns<typeof handoffs>, 'id'>>(OVERDUE_HANDOFFS_SQL),
  anonymiseOld: sql<{ now: string; before: string; limit: number }>(ANONYMISE_HANDOFFS_SQL),
  entryService: sql<Id, Pick<Columns<typeof queueEntries>, 'serviceCode'>>(
    'SELECT service_code AS serviceCode FROM queue_entries WHERE id = @id AND deleted_at IS NULL',
  ),
  contactAuthor: sql<Id, Pick<Columns<typeof contacts>, 'agentId'>>('SELECT agent_id AS agentId FROM contacts WHERE id = @id AND deleted_at IS NULL'),
  account: sql<Id, Pick<Columns<typeof accounts>, 'institution' | 'disabled'>>('SELECT institution, disabled FROM accounts WHERE id = @id'),
  insert: sql<{
    id: string;
    day: string;
    now: string;
    fromAccountId: string;
    fromInstitution: string | null;
    toInstitution: InstitutionCode;
    toEntryId: string | null;
    toAccountId: string | null;
    domains: string;
    urgency: Urgency;
    mode: HandoffMode;
    appointmentAt: string | null;
    appointmentPlace: string | null;
    consent: number;
    consentRecordedBy: string | null;
    consentAt: string | null;
    sharedFields: string;
    personName: string | null;
    personPhone: string | null;
    summary: string | null;
    documents: string | null;
    queueEntryId: string | null;
    contactId: string | null;
    lateAt: string;
    expiresAt: string;
    reorientedFromId: string | null;
    siteId: string;
  }>(
    `INSERT INTO handoffs (id, day, created_at, from_account_id, from_institution, to_institution, to_entry_id, to_account_id, domains,
       urgency, mode, appointment_at, appointment_place, consent, consent_recorded_by, consent_at, shared_fields, person_name, person_phone,
       summary, documents, queue_entry_id, contact_id, state, late_at, expires_at, reoriented_from_id, site_id, updated_at)
     VALUES (@id, @day, @now, @fromAccountId, @fromInstitution, @toInstitution, @toEntryId, @toAccountId, @domains,
       @urgency, @mode, @appointmentAt, @appointmentPlace, @consent, @consentRecordedBy, @consentAt, @sharedFields, @personName, @personPhone,
       @summary, @documents, @queueEntryId, @contactId, 'proposed', @lateAt, @expiresAt, @reorientedFromId, @siteId, @now)`,
  ),
  expire: sql<{ id: string; version: number; now: string }>(`UPDATE handoffs SET state = 'expired', closed_at = @now, ${CHANGED}`),
  // One statement per action's set of columns (actOnHandoff).
  seen: sql<Change & { seenAt: string }>(`UPDATE handoffs SET state = @state, seen_at = @seenAt, ${CHANGED}`),
  accept: sql<Change & { acceptedBy: string; takenBy: string; seenAt: string }>(
    `UPDATE handoffs SET state = @state, accepted_at = @now, accepted_by = @acceptedBy, taken_by = @takenBy, seen_at = @seenAt, ${CHANGED}`,
  ),
  decline: sql<Change & { reason: DeclineReason; text: string | null; seenAt: string }>(
    `UPDATE handoffs SET state = @state, declined_at = @now, decline_reason = @reason, decline_text = @text, closed_at = @now, seen_at = @seenAt, ${CHANGED}`,
  ),
  close: sql<Change>(`UPDATE handoffs SET state = @state, closed_at = @now, ${CHANGED}`),
};

function toHandoff(r: Row): Handoff {
  return {
    id: r.id,
    day: r.day,
    createdAt: r.createdAt,
    fromAccountId: r.fromAccountId,
    fromName: r.fromName,
    fromInstitution: r.fromInstitution,
    toInstitution: r.toInstitution,
    toEntryId: r.toEntryId,
    toEntryName: r.toEntryName,
    toAccountId: r.toAccountId,
    domains: JSON.parse(r.domains) as string[],
    urgency: r.urgency,
    mode: r.mode,
    appointmentAt: r.appointmentAt,
    appointmentPlace: r.appointmentPlace,
    consent: r.consent === 1,
    consentRecordedByName: r.consentRecordedByName,
    sharedFields: JSON.parse(r.sharedFields) as SharedField[],
    hasDetails: [r.personName, r.personPhone, r.summary, r.documents].some((v) => v !== null),
    ticket: r.ticket,
    ticketState: r.ticketState,
    queueEntryId: r.queueEntryId,
    state: r.state,
    seenAt: r.seenAt,
    acceptedAt: r.acceptedAt,
    takenByName: r.takenByName,
    declinedAt: r.declinedAt,
    declineReason: r.declineReason,
    declineText: r.declineText,
    closedAt: r.closedAt,
    lateAt: r.lateAt,
    expiresAt: r.expiresAt,
    reorientedFromId: r.reorientedFromId,
    reorientedToId: r.reorientedToId,
    anonymised: r.anonymisedAt !== null,
    version: r.version,
  };
}

/** The audit view of a hand-over: its life, never the person's details. */
function auditView(r: Row): object {
  const { personName, personPhone, summary, documents, fromName: _f, consentRecordedByName: _c, takenByName: _t, toEntryName: _e, ticketState: _s, ...rest } = r;
  return { ...rest, details: [personName, personPhone, summary, documents].some((v) => v !== null) ? 'transmises' : 'aucune' };
}

function getRow(ctx: CoreContext, id: string): Row {
  const row = q.row.get(ctx.store, { id });
  if (!row) throw new AppError('NOT_FOUND', 'Ce passage de relais est introuvable.');
  return row;
}

function emit(ctx: CoreContext, r: Row, action: string, queue: QueueChange | null = null): void {
  ctx.events.emit('handoff.changed', { id: r.id, state: r.state, toInstitution: r.toInstitution, fromInstitution: r.fromInstitution, fromAccountId: r.fromAccountId, action });
  if (queue) publishQueueChange(ctx, queue);
}

/** The ticket a hand-over was made from follows its outcome on today's board. */
function followTicket(ctx: CoreContext, r: Row, action: string): QueueChange | null {
  return r.queueEntryId ? touchEntry(ctx, r.queueEntryId, `handoff.${action}`) : null;
}

/**
 * A hand-over made from an open ticket of today ends the ticket (`handed_over`, counted as
 * received), or, when the person walks to the office now and the receiving institution has a
 * queue on site, moves the ticket to that queue so its professionals call the person
 * (docs/decisions/018). Runs inside the hand-over's transaction.
 */
function settleTicket(ctx: CoreContext, actor: Actor, entryId: string, toInstitution: InstitutionCode, mode: HandoffMode): QueueChange | null {
  const entry = entryForHandoff(ctx, entryId);
  if (!entry || !OPEN_STATES.includes(entry.state) || entry.day !== localDay(ctx.clock.now())) return null;
  const config = getQueueConfig(ctx);
  const from = config.services.find((s) => s.code === entry.serviceCode);
  if (!canOperateService(actor, from?.institution ?? null)) {
    throw new AppError('FORBIDDEN', `Le ticket ${entry.ticket} relève de la file d’une autre institution.`);
  }
  const receiving = config.services.find((s) => s.active && s.institution === toInstitution);
  const ref = { id: entry.id, version: entry.version };
  if (mode === 'accompagne' && receiving) {
    if (receiving.code === entry.serviceCode) return entry.state === 'waiting' ? null : applyAction(ctx, actor, 'handOver', ref);
    return applyAction(ctx, actor, 'move', { ...ref, serviceCode: receiving.code, reason: `Passage de relais : accompagnée au bureau (${institutionLabel(toInstitution)})` });
  }
  return applyAction(ctx, actor, 'handOver', ref);
}

export interface NewHandoff {
  toInstitution: InstitutionCode;
  toEntryId?: string | null | undefined;
  domains: string[];
  urgency?: Urgency | undefined;
  mode: HandoffMode;
  appointmentAt?: string | null | undefined;
  appointmentPlace?: string | null | undefined;
  consent: boolean;
  sharedFields?: SharedField[] | undefined;
  personName?: string | null | undefined;
  personPhone?: string | null | undefined;
  summary?: string | null | undefined;
  documents?: string | null | undefined;
  queueEntryId?: string | undefined;
  contactId?: string | undefined;
  reorientFromId?: string | undefined;
}

const FIELD_OF: Record<SharedField, 'personName' | 'personPhone' | 'summary' | 'documents'> = {
  name: 'personName',
  phone: 'personPhone',
  summary: 'summary',
  documents: 'documents',
};

export function createHandoff(ctx: CoreContext, actor: Actor, input: NewHandoff): Handoff {
  const domains = [...new Set(input.domains)];
  assertActiveDomains(ctx, domains);
  const shared = [...new Set(input.sharedFields ?? [])];
  // Only what the person agreed to share may be recorded: nothing at all without consent.
  for (const field of ['name', 'phone', 'summary', 'documents'] as SharedField[]) {
    const value = input[FIELD_OF[field]];
    if (value && (!input.consent || !shared.includes(field))) {
      throw new AppError('VALIDATION', 'Une information personnelle ne peut être transmise qu’avec l’accord de la personne, pour les champs qu’elle a choisis.', [
        { path: FIELD_OF[field], message: 'Non autorisé sans l’accord de la personne pour ce champ.' },
      ]);
    }
  }
  if (!input.consent && shared.length > 0) {
    throw new AppError('VALIDATION', 'Sans accord de la personne, rien n’est transmis.', [{ path: 'sharedFields', message: 'Accord requis.' }]);
  }
  if (input.mode === 'rdv' && !input.appointmentAt) {
    throw new AppError('VALIDATION', 'Indiquez la date et l’heure du rendez-vous pris.', [{ path: 'appointmentAt', message: 'Date et heure requises.' }]);
  }
  if (input.mode === 'rdv' && input.appointmentAt) {
    const problem = bookedAppointmentProblem(ctx.site, new Date(input.appointmentAt), ctx.clock.now());
    if (problem) throw new AppError('VALIDATION', problem, [{ path: 'appointmentAt', message: problem }]);
  }
  let toAccountId: string | null = null;
  if (input.toEntryId) {
    const entry = getDirectoryEntry(ctx, input.toEntryId);
    if (entry.institution !== input.toInstitution) {
      throw new AppError('VALIDATION', 'Ce destinataire n’appartient pas à l’institution choisie.', [{ path: 'toEntryId', message: 'Destinataire d’une autre institution.' }]);
    }
    toAccountId = entry.accountId;
  }
  // A ticket or a contact the caller cannot see does not exist for them (same answer as unknown).
  if (input.queueEntryId) {
    const entry = q.entryService.get(ctx.store, { id: input.queueEntryId });
    const service = entry ? getQueueConfig(ctx).services.find((s) => s.code === entry.serviceCode) : undefined;
    if (!entry || !canSeeService(actor, service?.institution ?? null)) throw new AppError('NOT_FOUND', 'Ce passage de la file est introuvable.');
  }
  if (input.contactId) {
    const contact = q.contactAuthor.get(ctx.store, { id: input.contactId });
    if (!contact || !canSeeContact(actor, contact.agentId)) throw new AppError('NOT_FOUND', 'Ce contact est introuvable.');
  }
  const config = getHandoffConfig(ctx);
  const now = ctx.clock.now();
  const delay = config.delays[input.mode];
  const id = uuidv7(now.getTime());
  let queueEntryId = input.queueEntryId ?? null;
  const created = ctx.store.sqlite.transaction(() => {
    if (input.reorientFromId) {
      const from = getRow(ctx, input.reorientFromId);
      // A re-orientation carries on the first hand-over's ticket: the ticket follows the new one.
      queueEntryId ??= from.queueEntryId;
      if (from.fromAccountId !== actor.accountId && !canOverseeHandoff(actor, from)) {
        throw new AppError('FORBIDDEN', 'Seul·e l’émetteur·rice peut réorienter ce passage de relais.');
      }
      if (!['declined', 'expired'].includes(from.state)) {
        throw new AppError('CONFLICT', 'Seul un passage de relais décliné ou expiré peut être réorienté.');
      }
      if (from.reorientedToId) throw new AppError('CONFLICT', 'Ce passage de relais a déjà été réorienté.');
    }
    q.insert.run(ctx.store, {
      id,
      day: localDay(now),
      now: now.toISOString(),
      fromAccountId: actor.accountId,
      fromInstitution: actor.institution,
      toInstitution: input.toInstitution,
      toEntryId: input.toEntryId ?? null,
      toAccountId,
      domains: JSON.stringify(domains),
      urgency: input.urgency ?? 'normale',
      mode: input.mode,
      appointmentAt: input.appointmentAt ?? null,
      appointmentPlace: input.appointmentPlace ?? null,
      consent: input.consent ? 1 : 0,
      consentRecordedBy: input.consent ? actor.accountId : null,
      consentAt: input.consent ? now.toISOString() : null,
      sharedFields: JSON.stringify(input.consent ? shared : []),
      personName: input.personName ?? null,
      personPhone: input.personPhone ?? null,
      summary: input.summary ?? null,
      documents: input.documents ?? null,
      queueEntryId,
      contactId: input.contactId ?? null,
      lateAt: new Date(now.getTime() + delay.lateAfterMinutes * 60_000).toISOString(),
      expiresAt: new Date(now.getTime() + delay.expireAfterMinutes * 60_000).toISOString(),
      reorientedFromId: input.reorientFromId ?? null,
      siteId: ctx.site.code,
    });
    const queue = input.queueEntryId ? settleTicket(ctx, actor, input.queueEntryId, input.toInstitution, input.mode) : null;
    const row = getRow(ctx, id);
    recordAudit(ctx, { actor, action: 'handoff.create', entity: 'handoff', entityId: id, diff: diffRows(null, auditView(row)) });
    return { row, queue: queue ?? followTicket(ctx, row, 'create') };
  })();
  emit(ctx, created.row, 'create', created.queue);
  return toHandoff(created.row);
}

/** Expires unanswered hand-overs whose delay has passed (called before reads and by housekeeping). */
export function expireOverdue(ctx: CoreContext): number {
  const now = ctx.clock.now().toISOString();
  // Through the partial index of proposed hand-overs: the cost does not grow with the history.
  const overdue = q.overdue.all(ctx.store, { now }).map((o) => getRow(ctx, o.id));
  if (overdue.length === 0) return 0;
  const expired: { row: Row; queue: QueueChange | null }[] = [];
  ctx.store.sqlite.transaction(() => {
    for (const r of overdue) {
      const res = q.expire.run(ctx.store, { now, id: r.id, version: r.version });
      if (res.changes === 1) {
        const after = getRow(ctx, r.id);
        recordAudit(ctx, { actor: null, action: 'handoff.expire', entity: 'handoff', entityId: r.id, diff: diffRows(auditView(r), auditView(after)) });
        expired.push({ row: after, queue: followTicket(ctx, after, 'expire') });
      }
    }
  })();
  for (const e of expired) emit(ctx, e.row, 'expire', e.queue);
  return expired.length;
}

export function inbox(ctx: CoreContext, actor: Actor, scope: 'institution' | 'mine'): { now: string; handoffs: Handoff[] } {
  expireOverdue(ctx);
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 7 * 24 * 3600_000).toISOString();
  // Open hand-overs whatever their age, and the ones closed in the last week for the record.
  const rows = q.inbox.all(ctx.store, { since });
  const visible = rows
    .filter((r) => canReceiveFor(actor, r.toInstitution))
    .filter((r) => scope === 'institution' || r.toAccountId === actor.accountId);
  return { now: now.toISOString(), handoffs: visible.map(toHandoff) };
}

export function sent(ctx: CoreContext, actor: Actor, day: string | undefined, all: boolean): { now: string; handoffs: Handoff[] } {
  expireOverdue(ctx);
  const now = ctx.clock.now();
  const theDay = day ?? localDay(now);
  // "All": the hand-overs the coordination oversees (its institution's, or the whole site's).
  const everyone = all && can(actor, 'handoffs.oversee');
  const rows = everyone ? q.sentByAll.all(ctx.store, { day: theDay }) : q.sentBy.all(ctx.store, { day: theDay, accountId: actor.accountId });
  const visible = everyone ? rows.filter((r) => r.fromAccountId === actor.accountId || canOverseeHandoff(actor, r)) : rows;
  return { now: now.toISOString(), handoffs: visible.map(toHandoff) };
}

/** Personal details of a hand-over, for its sender or its receivers; every read is audited. */
export function readDetails(ctx: CoreContext, actor: Actor, id: string) {
  const row = getRow(ctx, id);
  const isSender = row.fromAccountId === actor.accountId;
  if (!isSender && !canReceiveFor(actor, row.toInstitution)) {
    throw new AppError('FORBIDDEN', `Ce passage de relais est adressé ${institutionIn(row.toInstitution, 'to')} : vous ne pouvez pas le consulter.`);
  }
  ctx.store.sqlite.transaction(() => {
    recordAudit(ctx, { actor, action: 'handoff.readDetails', entity: 'handoff', entityId: id, diff: {} });
  })();
  return { name: row.personName, phone: row.personPhone, summary: row.summary, documents: row.documents };
}

export interface HandoffActionInput {
  id: string;
  version: number;
  takenByAccountId?: string | null | undefined;
  reason?: DeclineReason | undefined;
  text?: string | null | undefined;
}

export function actOnHandoff(ctx: CoreContext, actor: Actor, action: Exclude<HandoffAction, 'expire'>, input: HandoffActionInput): Handoff {
  expireOverdue(ctx);
  const nowIso = ctx.clock.now().toISOString();
  const after = ctx.store.sqlite.transaction(() => {
    const row = getRow(ctx, input.id);
    const receiverAction = action === 'seen' || action === 'accept' || action === 'decline' || action === 'complete';
    if (receiverAction && !canReceiveFor(actor, row.toInstitution)) {
      throw new AppError('FORBIDDEN', `Ce passage de relais est adressé ${institutionIn(row.toInstitution, 'to')}.`);
    }
    if (action === 'cancel' && row.fromAccountId !== actor.accountId && !canOverseeHandoff(actor, row)) {
      throw new AppError('FORBIDDEN', 'Seul·e l’émetteur·rice (ou la coordination concernée) peut annuler ce passage de relais.');
    }
    if (action === 'personLeft' && row.fromAccountId !== actor.accountId && !canReceiveFor(actor, row.toInstitution) && !canOverseeHandoff(actor, row)) {
      throw new AppError('FORBIDDEN', 'Vous ne pouvez pas modifier ce passage de relais.');
    }
    if (row.version !== input.version || !canHandoffTransition(action, row.state)) {
      throw new AppError('CONFLICT', `Ce passage de relais est maintenant « ${HANDOFF_STATE_LABELS_FR[row.state]} ». L’affichage a été actualisé.`);
    }
    const change: Change = { id: row.id, version: row.version, state: handoffNextState(action, row.state), now: nowIso };
    const seenAt = row.seenAt ?? nowIso;
    switch (action) {
      case 'seen':
        q.seen.run(ctx.store, { ...change, seenAt });
        break;
      case 'accept': {
        let takenBy = actor.accountId;
        if (input.takenByAccountId) {
          const pro = q.account.get(ctx.store, { id: input.takenByAccountId });
          if (!pro || pro.disabled || pro.institution !== row.toInstitution) {
            throw new AppError('VALIDATION', 'Ce professionnel n’appartient pas à l’institution destinataire.', [{ path: 'takenByAccountId', message: 'Professionnel·le introuvable.' }]);
          }
          takenBy = input.takenByAccountId;
        }
        q.accept.run(ctx.store, { ...change, acceptedBy: actor.accountId, takenBy, seenAt });
        break;
      }
      case 'decline':
        q.decline.run(ctx.store, { ...change, reason: input.reason ?? 'autre', text: input.text ?? null, seenAt });
        break;
      default:
        q.close.run(ctx.store, change);
    }
    const updated = getRow(ctx, row.id);
    const queue = followTicket(ctx, updated, action);
    recordAudit(ctx, {
      actor,
      action: `handoff.${action}`,
      entity: 'handoff',
      entityId: row.id,
      diff: { ...diffRows(auditView(row), auditView(updated)), ...(input.reason ? { declineReasonLabel: { before: null, after: DECLINE_REASON_LABELS_FR[input.reason] } } : {}) },
    });
    return { row: updated, queue };
  })();
  emit(ctx, after.row, action, after.queue);
  return toHandoff(after.row);
}

/** Clears personal details of hand-overs older than the retention period; rows stay for statistics. */
export function anonymiseOld(ctx: CoreContext, limit = -1): number {
  const config = getHandoffConfig(ctx);
  const cutoff = new Date(ctx.clock.now().getTime() - config.retentionDays * 24 * 3600_000).toISOString();
  const now = ctx.clock.now().toISOString();
  return q.anonymiseOld.run(ctx.store, { now, before: cutoff, limit }).changes;
}
