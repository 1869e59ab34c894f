/**
 * The ASIP contact log: every contact recorded in seconds, anonymous by default, counted the way
 * institutions report (passages and distinct persons). A contact recorded from a finished queue
 * entry takes its channel, time and duration from the queue's timestamps. Corrections are audited
 * with a before/after diff; the follow-up note and the pseudonymous key never enter the audit.
 */
import { RECEIVED_STATES } from '../../../shared/queue/states';
import { AppError } from '../../../shared/api/errors';
import type { Contact } from '../../../shared/api/methods/contacts';
import type { Channel, ContactAction, ContactCancelReason, ContactFlag, OrientationKind } from '../../../shared/contacts/vocabulary';
import { can, canSeeContact, canSeeService, type Principal } from '../../../shared/permissions';
import { isInstitutionCode, type InstitutionCode } from '../../../shared/reference/institutions';
import { localDay, type LocalDay } from '../../../shared/time/paris';
import { uuidv7 } from '../../store/ids';
import { accounts, auditLog, contacts, queueEntries } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit, type AuditDiff } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { assertDayOpen, isDayClosed } from '../days/days';
import { getQueueConfig } from '../queue/config';
import { assertActiveDomains, taxonomyVersion } from '../taxonomy/taxonomy';
import { personKey } from './person-key';
import { computeFigures } from '../stats/figures';

/** A contact as the core reads it: its columns, its author's name, the closed lists the core writes into text columns. */
type Row = Pick<
  Columns<typeof contacts>,
  | 'id'
  | 'day'
  | 'at'
  | 'agentId'
  | 'agentInstitution'
  | 'channel'
  | 'domains'
  | 'actions'
  | 'orientationKind'
  | 'orientationTarget'
  | 'flags'
  | 'durationMinutes'
  | 'queueEntryId'
  | 'ticket'
  | 'note'
  | 'personKey'
  | 'taxonomyVersion'
  | 'version'
> & {
  agentName: Columns<typeof accounts>['displayName'];
  agentInstitution: InstitutionCode | null;
  channel: Channel;
  orientationKind: OrientationKind | null;
};

const SELECT = `SELECT c.id, c.day, c.at, c.agent_id AS agentId, a.display_name AS agentName, c.agent_institution AS agentInstitution,
  c.channel, c.domains, c.actions, c.orientation_kind AS orientationKind, c.orientation_target AS orientationTarget, c.flags,
  c.duration_minutes AS durationMinutes, c.queue_entry_id AS queueEntryId, c.ticket, c.note, c.person_key AS personKey,
  c.taxonomy_version AS taxonomyVersion, c.version
  FROM contacts c JOIN accounts a ON a.id = c.agent_id`;

type Id = { id: string };

/** What a contact's log and its correction both write (JSON columns as text). */
type EditableParams = {
  channel: Channel;
  domains: string;
  actions: string;
  orientationKind: OrientationKind | null;
  orientationTarget: string | null;
  flags: string;
  durationMinutes: number | null;
  note: string | null;
};

const q = {
  activePartner: sql<{ code: string }, { one: number }>('SELECT 1 AS one FROM partners WHERE code = @code AND active = 1 AND deleted_at IS NULL'),
  row: sql<Id, Row>(`${SELECT} WHERE c.id = @id AND c.deleted_at IS NULL`),
  ofDay: sql<{ day: LocalDay }, Row>(`${SELECT} WHERE c.day = @day AND c.deleted_at IS NULL ORDER BY c.at DESC`),
  history: sql<Id, Pick<Columns<typeof auditLog>, 'at' | 'actorLogin' | 'action' | 'diff'>>(
    "SELECT at, actor_login AS actorLogin, action, diff FROM audit_log WHERE entity = 'contact' AND entity_id = @id ORDER BY id",
  ),
  queueEntry: sql<Id, Pick<Columns<typeof queueEntries>, 'id' | 'day' | 'ticket' | 'state' | 'serviceCode' | 'appointmentAt' | 'startedAt' | 'finishedAt'>>(
    'SELECT id, day, ticket, state, service_code AS serviceCode, appointment_at AS appointmentAt, started_at AS startedAt, finished_at AS finishedAt FROM queue_entries WHERE id = @id',
  ),
  ofQueueEntry: sql<{ queueEntryId: string }, Pick<Columns<typeof contacts>, 'id'>>('SELECT id FROM contacts WHERE queue_entry_id = @queueEntryId'),
  insert: sql<
    EditableParams & {
      id: string;
      day: LocalDay;
      at: string;
      agentId: string;
      agentInstitution: string | null;
      queueEntryId: string | null;
      ticket: string | null;
      personKey: string | null;
      taxonomyVersion: number;
      siteId: string;
      now: string;
    }
  >(
    `INSERT INTO contacts (id, day, at, agent_id, agent_institution, channel, domains, actions, orientation_kind, orientation_target,
       flags, duration_minutes, queue_entry_id, ticket, note, person_key, taxonomy_version, site_id, updated_at)
     VALUES (@id, @day, @at, @agentId, @agentInstitution, @channel, @domains, @actions, @orientationKind, @orientationTarget,
       @flags, @durationMinutes, @queueEntryId, @ticket, @note, @personKey, @taxonomyVersion, @siteId, @now)`,
  ),
  update: sql<EditableParams & { id: string; version: number; now: string }>(
    `UPDATE contacts SET channel = @channel, domains = @domains, actions = @actions, orientation_kind = @orientationKind,
       orientation_target = @orientationTarget, flags = @flags, duration_minutes = @durationMinutes, note = @note, updated_at = @now,
       version = version + 1 WHERE id = @id AND version = @version`,
  ),
  cancel: sql<{ id: string; version: number; now: string }>(
    'UPDATE contacts SET deleted_at = @now, queue_entry_id = NULL, updated_at = @now, version = version + 1 WHERE id = @id AND version = @version',
  ),
  deleteDomains: sql<{ contactId: string }>('DELETE FROM contact_domains WHERE contact_id = @contactId'),
  insertDomain: sql<{ contactId: string; day: string; domainCode: string }>(
    'INSERT INTO contact_domains (contact_id, day, domain_code) VALUES (@contactId, @day, @domainCode)',
  ),
  cancelDomains: sql<{ contactId: string; now: string }>('UPDATE contact_domains SET deleted_at = @now WHERE contact_id = @contactId AND deleted_at IS NULL'),
};

export interface ContactInput {
  channel?: Channel | undefined;
  domains: string[];
  actions?: ContactAction[] | undefined;
  orientation?: { kind: OrientationKind; target: string } | null | undefined;
  flags?: ContactFlag[] | undefined;
  durationMinutes?: number | null | undefined;
  note?: string | null | undefined;
  queueEntryId?: string | undefined;
  person?: { lastName: string; firstName: string; birthDate: string } | undefined;
}

/** May this principal correct this contact now? (Closed days are refused separately, LOCKED.) */
function mayCorrect(ctx: CoreContext, principal: Principal & { accountId: string }, row: { agentId: string; day: string }): boolean {
  if (can(principal, 'contacts.correctAny')) return true;
  return row.agentId === principal.accountId && row.day === localDay(ctx.clock.now());
}

function mayReadNote(principal: Principal & { accountId: string }, row: { agentId: string }): boolean {
  return row.agentId === principal.accountId || can(principal, 'contacts.correctAny');
}

function toContact(ctx: CoreContext, principal: Actor, r: Row): Contact {
  const orientation = r.orientationKind && r.orientationTarget ? { kind: r.orientationKind, target: r.orientationTarget } : null;
  return {
    id: r.id,
    day: r.day,
    at: r.at,
    agentId: r.agentId,
    agentName: r.agentName,
    agentInstitution: r.agentInstitution,
    channel: r.channel,
    domains: JSON.parse(r.domains) as string[],
    actions: JSON.parse(r.actions) as ContactAction[],
    orientation,
    flags: JSON.parse(r.flags) as ContactFlag[],
    durationMinutes: r.durationMinutes,
    queueEntryId: r.queueEntryId,
    ticket: r.ticket,
    note: mayReadNote(principal, r) ? r.note : null,
    identified: r.personKey !== null,
    taxonomyVersion: r.taxonomyVersion,
    editable: mayCorrect(ctx, principal, r) && !isDayClosed(ctx, r.day),
    version: r.version,
  };
}

/** What the audit records of a contact: no pseudonymous key; the note is masked by the audit writer (« renseigné »). */
function auditView(r: Row): object {
  const { personKey: key, agentName: _agentName, ...rest } = r;
  return { ...rest, identified: key !== null };
}

function validateOrientation(ctx: CoreContext, orientation: ContactInput['orientation']): void {
  if (!orientation) return;
  const ok =
    orientation.kind === 'institution'
      ? isInstitutionCode(orientation.target)
      : q.activePartner.get(ctx.store, { code: orientation.target }) !== undefined;
  if (!ok) {
    throw new AppError('VALIDATION', 'Destination d’orientation inconnue.', [{ path: 'orientation.target', message: 'Choisissez une institution ou un partenaire de la liste.' }]);
  }
}

function normaliseActions(actions: ContactAction[] | undefined, orientation: ContactInput['orientation']): ContactAction[] {
  const set = new Set<ContactAction>(actions ?? ['information']);
  if (orientation) set.add('orientation');
  return [...set];
}

function getRow(ctx: CoreContext, id: string): Row {
  const row = q.row.get(ctx.store, { id });
  if (!row) throw new AppError('NOT_FOUND', 'Ce contact est introuvable.');
  return row;
}

function writeDomains(ctx: CoreContext, contactId: string, day: string, domains: string[]): void {
  q.deleteDomains.run(ctx.store, { contactId });
  for (const d of new Set(domains)) q.insertDomain.run(ctx.store, { contactId, day, domainCode: d });
}

export function logContact(ctx: CoreContext, actor: Actor, input: ContactInput): Contact {
  const domains = [...new Set(input.domains)];
  assertActiveDomains(ctx, domains);
  validateOrientation(ctx, input.orientation);
  const now = ctx.clock.now();

  let at = now.toISOString();
  let channel = input.channel;
  let duration = input.durationMinutes ?? null;
  let ticket: string | null = null;
  if (input.queueEntryId) {
    const entry = q.queueEntry.get(ctx.store, { id: input.queueEntryId });
    const service = entry ? getQueueConfig(ctx).services.find((s) => s.code === entry.serviceCode) : undefined;
    if (!entry || !canSeeService(actor, service?.institution ?? null)) throw new AppError('NOT_FOUND', 'Ce passage de la file est introuvable.');
    if (!RECEIVED_STATES.includes(entry.state)) {
      throw new AppError('CONFLICT', `Le passage ${entry.ticket} n’est pas terminé : terminez-le dans la file avant d’enregistrer le contact.`);
    }
    at = entry.finishedAt ?? at;
    channel ??= entry.appointmentAt ? 'sur_place_rdv' : 'sur_place';
    if (input.durationMinutes === undefined && entry.startedAt && entry.finishedAt) {
      duration = Math.max(0, Math.round((Date.parse(entry.finishedAt) - Date.parse(entry.startedAt)) / 60_000));
    }
    ticket = entry.ticket;
  }
  if (!channel) throw new AppError('VALIDATION', 'Choisissez le canal du contact.', [{ path: 'channel', message: 'Canal requis.' }]);
  const day = localDay(new Date(at));
  assertDayOpen(ctx, day);

  const id = uuidv7(now.getTime());
  const orientation = input.orientation ?? null;
  const created = ctx.store.sqlite.transaction(() => {
    if (input.queueEntryId) {
      const already = q.ofQueueEntry.get(ctx.store, { queueEntryId: input.queueEntryId });
      if (already) throw new AppError('CONFLICT', `Le contact du passage ${ticket} a déjà été enregistré.`);
    }
    q.insert.run(ctx.store, {
      id,
      day,
      at,
      agentId: actor.accountId,
      agentInstitution: actor.institution,
      channel,
      domains: JSON.stringify(domains),
      actions: JSON.stringify(normaliseActions(input.actions, orientation)),
      orientationKind: orientation?.kind ?? null,
      orientationTarget: orientation?.target ?? null,
      flags: JSON.stringify([...new Set(input.flags ?? [])]),
      durationMinutes: duration,
      queueEntryId: input.queueEntryId ?? null,
      ticket,
      note: input.note ?? null,
      personKey: input.person ? personKey(ctx, input.person) : null,
      taxonomyVersion: taxonomyVersion(ctx),
      siteId: ctx.site.code,
      now: now.toISOString(),
    });
    writeDomains(ctx, id, day, domains);
    const row = getRow(ctx, id);
    recordAudit(ctx, { actor, action: 'contact.log', entity: 'contact', entityId: id, diff: diffRows(null, auditView(row)) });
    return row;
  })();
  ctx.events.emit('contacts.changed', { day, contactId: id, agentId: actor.accountId });
  return toContact(ctx, actor, created);
}

export interface ContactChanges {
  id: string;
  version: number;
  channel?: Channel | undefined;
  domains?: string[] | undefined;
  actions?: ContactAction[] | undefined;
  orientation?: { kind: OrientationKind; target: string } | null | undefined;
  flags?: ContactFlag[] | undefined;
  durationMinutes?: number | null | undefined;
  note?: string | null | undefined;
}

export function updateContact(ctx: CoreContext, actor: Actor, changes: ContactChanges): Contact {
  if (changes.domains) assertActiveDomains(ctx, [...new Set(changes.domains)]);
  validateOrientation(ctx, changes.orientation);
  const updated = ctx.store.sqlite.transaction(() => {
    const before = getRow(ctx, changes.id);
    // What a professional cannot see does not exist for them (same answer as contacts.get).
    assertVisible(actor, before);
    if (!can(actor, 'contacts.correctAny') && before.agentId !== actor.accountId) {
      throw new AppError('FORBIDDEN', 'Seul·e l’auteur·rice de ce contact ou la coordination du site peut le corriger.');
    }
    assertDayOpen(ctx, before.day);
    if (!mayCorrect(ctx, actor, before)) {
      throw new AppError('FORBIDDEN', 'Un contact ne se corrige que le jour même ; ensuite, adressez-vous à la coordination du site.');
    }
    if (before.version !== changes.version) throw new AppError('CONFLICT', 'Ce contact vient d’être corrigé par quelqu’un d’autre. L’affichage a été actualisé.');
    const orientation =
      changes.orientation !== undefined
        ? changes.orientation
        : before.orientationKind && before.orientationTarget
          ? { kind: before.orientationKind, target: before.orientationTarget }
          : null;
    const domains = changes.domains ? [...new Set(changes.domains)] : (JSON.parse(before.domains) as string[]);
    const actions = normaliseActions(changes.actions ?? (JSON.parse(before.actions) as ContactAction[]), orientation);
    q.update.run(ctx.store, {
      channel: changes.channel ?? before.channel,
      domains: JSON.stringify(domains),
      actions: JSON.stringify(actions),
      orientationKind: orientation?.kind ?? null,
      orientationTarget: orientation?.target ?? null,
      flags: JSON.stringify(changes.flags ? [...new Set(changes.flags)] : (JSON.parse(before.flags) as string[])),
      durationMinutes: changes.durationMinutes !== undefined ? changes.durationMinutes : before.durationMinutes,
      note: changes.note !== undefined ? changes.note : before.note,
      now: nowIso(ctx),
      id: before.id,
      version: before.version,
    });
    if (changes.domains) writeDomains(ctx, before.id, before.day, domains);
    const after = getRow(ctx, before.id);
    recordAudit(ctx, { actor, action: 'contact.update', entity: 'contact', entityId: before.id, diff: diffRows(auditView(before), auditView(after)) });
    return after;
  })();
  ctx.events.emit('contacts.changed', { day: updated.day, contactId: updated.id, agentId: updated.agentId });
  return toContact(ctx, actor, updated);
}

/**
 * "Annuler ce contact": a contact logged by mistake leaves every count. It is tombstoned with its
 * per-domain rows (`deleted_at`), never deleted, so that the sync sends the tombstone; it lets go
 * of its queue passage, which can then be recorded again. Its author may cancel it the same day,
 * the coordination until the day is closed (then LOCKED). The journal keeps who, when and why (a
 * reason from a closed list), never the note's text.
 */
export function cancelContact(ctx: CoreContext, actor: Actor, input: { id: string; version: number; reason: ContactCancelReason }) {
  const cancelled = ctx.store.sqlite.transaction(() => {
    const before = getRow(ctx, input.id);
    assertVisible(actor, before);
    if (!can(actor, 'contacts.correctAny') && before.agentId !== actor.accountId) {
      throw new AppError('FORBIDDEN', 'Seul·e l’auteur·rice de ce contact ou la coordination du site peut l’annuler.');
    }
    assertDayOpen(ctx, before.day);
    if (!mayCorrect(ctx, actor, before)) {
      throw new AppError('FORBIDDEN', 'Un contact ne s’annule que le jour même ; ensuite, adressez-vous à la coordination du site.');
    }
    if (before.version !== input.version) throw new AppError('CONFLICT', 'Ce contact vient d’être modifié par quelqu’un d’autre. L’affichage a été actualisé.');
    const iso = nowIso(ctx);
    q.cancel.run(ctx.store, { now: iso, id: before.id, version: before.version });
    q.cancelDomains.run(ctx.store, { now: iso, contactId: before.id });
    recordAudit(ctx, {
      actor,
      action: 'contact.cancel',
      entity: 'contact',
      entityId: before.id,
      diff: {
        ...diffRows(auditView(before), { ...auditView(before), queueEntryId: null }),
        deletedAt: { before: null, after: iso },
        cancelReason: { before: null, after: input.reason },
      },
    });
    return { id: before.id, day: before.day, agentId: before.agentId, cancelledAt: iso };
  })();
  ctx.events.emit('contacts.changed', { day: cancelled.day, contactId: cancelled.id, agentId: cancelled.agentId });
  return { id: cancelled.id, day: cancelled.day, cancelledAt: cancelled.cancelledAt };
}

function assertVisible(actor: Actor, row: { agentId: string }): void {
  if (!canSeeContact(actor, row.agentId)) throw new AppError('NOT_FOUND', 'Ce contact est introuvable.');
}

export function getContact(ctx: CoreContext, actor: Actor, id: string) {
  const row = getRow(ctx, id);
  assertVisible(actor, row);
  const audits = q.history.all(ctx.store, { id });
  const technical = new Set(['id', 'version', 'updatedAt', 'agentId', 'day', 'taxonomyVersion', 'queueEntryId']);
  return {
    contact: toContact(ctx, actor, row),
    history: audits.map((a) => ({
      at: a.at,
      actorLogin: a.actorLogin,
      action: a.action,
      changes: Object.entries(JSON.parse(a.diff) as AuditDiff)
        .filter(([field]) => !technical.has(field))
        .map(([field, v]) => ({ field, before: v.before, after: v.after })),
    })),
  };
}

export interface ContactFilters {
  day?: LocalDay | undefined;
  agentId?: string | undefined;
  channel?: Channel | undefined;
  domain?: string | undefined;
  orientation?: string | undefined;
  ticket?: string | undefined;
}

function countBy<T>(items: T[], keys: (t: T) => string[]): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const it of items) for (const k of keys(it)) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function listContacts(ctx: CoreContext, actor: Actor, filters: ContactFilters) {
  const day = filters.day ?? localDay(ctx.clock.now());
  let rows = q.ofDay.all(ctx.store, { day });
  rows = rows.filter((r) => canSeeContact(actor, r.agentId));
  const contacts = rows
    .filter((r) => !filters.agentId || r.agentId === filters.agentId)
    .filter((r) => !filters.channel || r.channel === filters.channel)
    .filter((r) => !filters.domain || (JSON.parse(r.domains) as string[]).includes(filters.domain))
    .filter((r) =>
      !filters.orientation ? true : filters.orientation === 'AUCUNE' ? r.orientationTarget === null : r.orientationTarget === filters.orientation,
    )
    .filter((r) => !filters.ticket || (r.ticket ?? '').toUpperCase().includes(filters.ticket.toUpperCase().replace(/\s+/g, '')))
    .map((r) => toContact(ctx, actor, r));
  const agents = new Map(contacts.map((c) => [c.agentId, c.agentName]));
  return {
    day,
    contacts,
    counts: {
      total: contacts.length,
      byChannel: countBy(contacts, (c) => [c.channel]),
      byDomain: countBy(contacts, (c) => c.domains),
      byOrientation: countBy(contacts, (c) => [c.orientation?.target ?? 'AUCUNE']),
      byAgent: countBy(contacts, (c) => [c.agentId]).map((x) => ({ ...x, label: agents.get(x.key) ?? x.key })),
    },
  };
}

/**
 * Passages and distinct persons over a period, from the day aggregates (decision 015): the same
 * numbers as the period report. Identified contacts are deduplicated by their pseudonymous key;
 * anonymous passages cannot be, and are reported separately.
 */
export function countPersons(ctx: CoreContext, from: LocalDay, to: LocalDay) {
  const f = computeFigures(ctx, from, to);
  return { passages: f.contacts, identifiedPassages: f.identifiedPassages, distinctIdentified: f.distinctPersons, anonymousPassages: f.anonymousContacts };
}
