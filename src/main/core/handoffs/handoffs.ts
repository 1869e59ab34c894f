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
import { can, canReceiveFor } from '../../../shared/permissions';
import { institutionLabel, type InstitutionCode } from '../../../shared/reference/institutions';
import { localDay } from '../../../shared/time/paris';
import { uuidv7 } from '../../store/ids';
import { diffRows, recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { readSetting, writeSetting } from '../settings/settings';
import { assertActiveDomains } from '../taxonomy/taxonomy';
import { getDirectoryEntry } from '../directory/directory';

const CONFIG_KEY = 'handoffs.config';

export function getHandoffConfig(ctx: CoreContext): HandoffConfig {
  return readSetting(ctx, CONFIG_KEY, zHandoffConfig, DEFAULT_HANDOFF_CONFIG);
}

export function updateHandoffConfig(ctx: CoreContext, actor: Actor, config: HandoffConfig): HandoffConfig {
  ctx.store.sqlite.transaction(() => writeSetting(ctx, actor, CONFIG_KEY, config))();
  return config;
}

interface Row {
  id: string;
  day: string;
  createdAt: string;
  fromAccountId: string;
  fromName: string;
  fromInstitution: InstitutionCode | null;
  toInstitution: InstitutionCode;
  toEntryId: string | null;
  toEntryName: string | null;
  toAccountId: string | null;
  domains: string;
  urgency: Urgency;
  mode: HandoffMode;
  appointmentAt: string | null;
  appointmentPlace: string | null;
  consent: number;
  consentRecordedByName: string | null;
  sharedFields: string;
  personName: string | null;
  personPhone: string | null;
  summary: string | null;
  documents: string | null;
  ticket: string | null;
  state: HandoffState;
  seenAt: string | null;
  acceptedAt: string | null;
  takenByName: string | null;
  declinedAt: string | null;
  declineReason: DeclineReason | null;
  declineText: string | null;
  closedAt: string | null;
  lateAt: string;
  expiresAt: string;
  reorientedFromId: string | null;
  reorientedToId: string | null;
  anonymisedAt: string | null;
  version: number;
}

const SELECT = `SELECT h.id, h.day, h.created_at AS createdAt, h.from_account_id AS fromAccountId, fa.display_name AS fromName,
  h.from_institution AS fromInstitution, h.to_institution AS toInstitution, h.to_entry_id AS toEntryId, de.name AS toEntryName,
  h.to_account_id AS toAccountId, h.domains, h.urgency, h.mode, h.appointment_at AS appointmentAt, h.appointment_place AS appointmentPlace,
  h.consent, ca.display_name AS consentRecordedByName, h.shared_fields AS sharedFields, h.person_name AS personName,
  h.person_phone AS personPhone, h.summary, h.documents, qe.ticket, h.state, h.seen_at AS seenAt, h.accepted_at AS acceptedAt,
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
  const { personName, personPhone, summary, documents, fromName: _f, consentRecordedByName: _c, takenByName: _t, toEntryName: _e, ...rest } = r;
  return { ...rest, details: [personName, personPhone, summary, documents].some((v) => v !== null) ? 'transmises' : 'aucune' };
}

function getRow(ctx: CoreContext, id: string): Row {
  const row = ctx.store.sqlite.prepare(`${SELECT} WHERE h.id = ? AND h.deleted_at IS NULL`).get(id) as Row | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'Ce passage de relais est introuvable.');
  return row;
}

function emit(ctx: CoreContext, r: Row, action: string): void {
  ctx.events.emit('handoff.changed', { id: r.id, state: r.state, toInstitution: r.toInstitution, fromAccountId: r.fromAccountId, action });
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
  let toAccountId: string | null = null;
  if (input.toEntryId) {
    const entry = getDirectoryEntry(ctx, input.toEntryId);
    if (entry.institution !== input.toInstitution) {
      throw new AppError('VALIDATION', 'Ce destinataire n’appartient pas à l’institution choisie.', [{ path: 'toEntryId', message: 'Destinataire d’une autre institution.' }]);
    }
    toAccountId = entry.accountId;
  }
  if (input.queueEntryId && !ctx.store.sqlite.prepare('SELECT 1 FROM queue_entries WHERE id = ?').get(input.queueEntryId)) {
    throw new AppError('NOT_FOUND', 'Ce passage de la file est introuvable.');
  }
  if (input.contactId && !ctx.store.sqlite.prepare('SELECT 1 FROM contacts WHERE id = ?').get(input.contactId)) {
    throw new AppError('NOT_FOUND', 'Ce contact est introuvable.');
  }
  const config = getHandoffConfig(ctx);
  const now = ctx.clock.now();
  const delay = config.delays[input.mode];
  const id = uuidv7(now.getTime());
  const created = ctx.store.sqlite.transaction(() => {
    if (input.reorientFromId) {
      const from = getRow(ctx, input.reorientFromId);
      if (from.fromAccountId !== actor.accountId && !can(actor, 'contacts.correctAny')) {
        throw new AppError('FORBIDDEN', 'Seul·e l’émetteur·rice peut réorienter ce passage de relais.');
      }
      if (!['declined', 'expired'].includes(from.state)) {
        throw new AppError('CONFLICT', 'Seul un passage de relais décliné ou expiré peut être réorienté.');
      }
      if (from.reorientedToId) throw new AppError('CONFLICT', 'Ce passage de relais a déjà été réorienté.');
    }
    ctx.store.sqlite
      .prepare(
        `INSERT INTO handoffs (id, day, created_at, from_account_id, from_institution, to_institution, to_entry_id, to_account_id, domains,
           urgency, mode, appointment_at, appointment_place, consent, consent_recorded_by, consent_at, shared_fields, person_name, person_phone,
           summary, documents, queue_entry_id, contact_id, state, late_at, expires_at, reoriented_from_id, site_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        localDay(now),
        now.toISOString(),
        actor.accountId,
        actor.institution,
        input.toInstitution,
        input.toEntryId ?? null,
        toAccountId,
        JSON.stringify(domains),
        input.urgency ?? 'normale',
        input.mode,
        input.appointmentAt ?? null,
        input.appointmentPlace ?? null,
        input.consent ? 1 : 0,
        input.consent ? actor.accountId : null,
        input.consent ? now.toISOString() : null,
        JSON.stringify(input.consent ? shared : []),
        input.personName ?? null,
        input.personPhone ?? null,
        input.summary ?? null,
        input.documents ?? null,
        input.queueEntryId ?? null,
        input.contactId ?? null,
        new Date(now.getTime() + delay.lateAfterMinutes * 60_000).toISOString(),
        new Date(now.getTime() + delay.expireAfterMinutes * 60_000).toISOString(),
        input.reorientFromId ?? null,
        ctx.site.code,
        now.toISOString(),
      );
    const row = getRow(ctx, id);
    recordAudit(ctx, { actor, action: 'handoff.create', entity: 'handoff', entityId: id, diff: diffRows(null, auditView(row)) });
    return row;
  })();
  emit(ctx, created, 'create');
  return toHandoff(created);
}

/** Expires unanswered hand-overs whose delay has passed (called before reads and by housekeeping). */
export function expireOverdue(ctx: CoreContext): number {
  const now = ctx.clock.now().toISOString();
  // Through the partial index of proposed hand-overs: the cost does not grow with the history.
  const ids = ctx.store.sqlite.prepare(OVERDUE_HANDOFFS_SQL).pluck().all(now) as string[];
  const overdue = ids.map((id) => getRow(ctx, id));
  if (overdue.length === 0) return 0;
  const expired: Row[] = [];
  ctx.store.sqlite.transaction(() => {
    for (const r of overdue) {
      const res = ctx.store.sqlite
        .prepare("UPDATE handoffs SET state = 'expired', closed_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?")
        .run(now, now, r.id, r.version);
      if (res.changes === 1) {
        const after = getRow(ctx, r.id);
        recordAudit(ctx, { actor: null, action: 'handoff.expire', entity: 'handoff', entityId: r.id, diff: diffRows(auditView(r), auditView(after)) });
        expired.push(after);
      }
    }
  })();
  for (const r of expired) emit(ctx, r, 'expire');
  return expired.length;
}

export function inbox(ctx: CoreContext, actor: Actor, scope: 'institution' | 'mine'): { now: string; handoffs: Handoff[] } {
  expireOverdue(ctx);
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 7 * 24 * 3600_000).toISOString();
  // Open hand-overs whatever their age, and the ones closed in the last week for the record.
  const rows = ctx.store.sqlite
    .prepare(`${SELECT} WHERE h.deleted_at IS NULL AND (h.state IN ('proposed', 'accepted') OR h.created_at >= ?) ORDER BY h.created_at DESC`)
    .all(since) as Row[];
  const visible = rows
    .filter((r) => canReceiveFor(actor, r.toInstitution))
    .filter((r) => scope === 'institution' || r.toAccountId === actor.accountId);
  return { now: now.toISOString(), handoffs: visible.map(toHandoff) };
}

export function sent(ctx: CoreContext, actor: Actor, day: string | undefined, all: boolean): { now: string; handoffs: Handoff[] } {
  expireOverdue(ctx);
  const now = ctx.clock.now();
  const theDay = day ?? localDay(now);
  const everyone = all && can(actor, 'contacts.correctAny');
  const rows = ctx.store.sqlite
    .prepare(
      `${SELECT} WHERE h.deleted_at IS NULL AND (h.day = ? OR (h.state IN ('proposed', 'accepted') AND h.day < ?))
       ${everyone ? '' : 'AND h.from_account_id = ?'} ORDER BY h.created_at DESC`,
    )
    .all(...(everyone ? [theDay, theDay] : [theDay, theDay, actor.accountId])) as Row[];
  return { now: now.toISOString(), handoffs: rows.map(toHandoff) };
}

/** Personal details of a hand-over, for its sender or its receivers; every read is audited. */
export function readDetails(ctx: CoreContext, actor: Actor, id: string) {
  const row = getRow(ctx, id);
  const isSender = row.fromAccountId === actor.accountId;
  if (!isSender && !canReceiveFor(actor, row.toInstitution)) {
    throw new AppError('FORBIDDEN', `Ce passage de relais est adressé à ${institutionLabel(row.toInstitution)} : vous ne pouvez pas le consulter.`);
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
      throw new AppError('FORBIDDEN', `Ce passage de relais est adressé à ${institutionLabel(row.toInstitution)}.`);
    }
    if (action === 'cancel' && row.fromAccountId !== actor.accountId && !can(actor, 'contacts.correctAny')) {
      throw new AppError('FORBIDDEN', 'Seul·e l’émetteur·rice peut annuler ce passage de relais.');
    }
    if (action === 'personLeft' && row.fromAccountId !== actor.accountId && !canReceiveFor(actor, row.toInstitution) && !can(actor, 'contacts.correctAny')) {
      throw new AppError('FORBIDDEN', 'Vous ne pouvez pas modifier ce passage de relais.');
    }
    if (row.version !== input.version || !canHandoffTransition(action, row.state)) {
      throw new AppError('CONFLICT', `Ce passage de relais est maintenant « ${HANDOFF_STATE_LABELS_FR[row.state]} ». L’affichage a été actualisé.`);
    }
    const set: Record<string, string | number | null> = { state: handoffNextState(action, row.state) };
    switch (action) {
      case 'seen':
        set.seen_at = row.seenAt ?? nowIso;
        break;
      case 'accept': {
        let takenBy = actor.accountId;
        if (input.takenByAccountId) {
          const pro = ctx.store.sqlite.prepare('SELECT institution, disabled FROM accounts WHERE id = ?').get(input.takenByAccountId) as
            | { institution: string | null; disabled: number }
            | undefined;
          if (!pro || pro.disabled || pro.institution !== row.toInstitution) {
            throw new AppError('VALIDATION', 'Ce professionnel n’appartient pas à l’institution destinataire.', [{ path: 'takenByAccountId', message: 'Professionnel·le introuvable.' }]);
          }
          takenBy = input.takenByAccountId;
        }
        Object.assign(set, { accepted_at: nowIso, accepted_by: actor.accountId, taken_by: takenBy, seen_at: row.seenAt ?? nowIso });
        break;
      }
      case 'decline':
        Object.assign(set, { declined_at: nowIso, decline_reason: input.reason ?? 'autre', decline_text: input.text ?? null, closed_at: nowIso, seen_at: row.seenAt ?? nowIso });
        break;
      default:
        set.closed_at = nowIso;
    }
    const cols = Object.keys(set);
    ctx.store.sqlite
      .prepare(`UPDATE handoffs SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`)
      .run(...cols.map((c) => set[c]!), nowIso, row.id, row.version);
    const updated = getRow(ctx, row.id);
    recordAudit(ctx, {
      actor,
      action: `handoff.${action}`,
      entity: 'handoff',
      entityId: row.id,
      diff: { ...diffRows(auditView(row), auditView(updated)), ...(input.reason ? { declineReasonLabel: { before: null, after: DECLINE_REASON_LABELS_FR[input.reason] } } : {}) },
    });
    return updated;
  })();
  emit(ctx, after, action);
  return toHandoff(after);
}

/** Clears personal details of hand-overs older than the retention period; rows stay for statistics. */
export function anonymiseOld(ctx: CoreContext, limit = -1): number {
  const config = getHandoffConfig(ctx);
  const cutoff = new Date(ctx.clock.now().getTime() - config.retentionDays * 24 * 3600_000).toISOString();
  const now = ctx.clock.now().toISOString();
  return ctx.store.sqlite.prepare(ANONYMISE_HANDOFFS_SQL).run({ now, before: cutoff, limit }).changes;
}

/** Proposed hand-overs past their expiry, through the partial index `handoffs_proposed_expiry`. */
export const OVERDUE_HANDOFFS_SQL =
  "SELECT id FROM handoffs INDEXED BY handoffs_proposed_expiry WHERE state = 'proposed' AND expires_at <= ? AND deleted_at IS NULL ORDER BY expires_at";

/** At most `limit` hand-overs a run (-1: all), through the partial index of those not yet anonymised. */
export const ANONYMISE_HANDOFFS_SQL = `UPDATE handoffs SET person_name = NULL, person_phone = NULL, summary = NULL, documents = NULL, decline_text = NULL,
    appointment_place = NULL, anonymised_at = @now, updated_at = @now
  WHERE rowid IN (SELECT rowid FROM handoffs INDEXED BY handoffs_not_anonymised WHERE anonymised_at IS NULL AND created_at < @before LIMIT @limit)`;
