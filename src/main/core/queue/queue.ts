/**
 * The shared first-reception queue of the site: arrivals with tickets, calls to desks and offices,
 * and every transition of `shared/queue/states.ts`, with optimistic versions so that two desks
 * acting at once get one success and one CONFLICT. Each action writes a history row and an audit
 * row (without the first name, which is personal data and purged after the day).
 *
 * A desk or office serves one person at a time: a call to a destination that already has someone
 * called or in progress is refused, and only configured destinations can be called to (the public
 * display shows them). Every change is published with the changed entry and the day's queue
 * version (the highest `change_seq` of the day's rows), so desks update without re-reading the
 * day (docs/decisions/019).
 */
import { AppError } from '../../../shared/api/errors';
import type { DisplayCall, QueueEntry } from '../../../shared/api/methods/queue';
import type { QueueConfig, QueueService } from '../../../shared/queue/config';
import { effectiveArrival, orderQueue, tierOf } from '../../../shared/queue/ordering';
import {
  ACTION_LABELS_FR,
  AT_DESK_STATES,
  canTransition,
  nextState,
  STATE_LABELS_FR,
  type Need,
  type PriorityReason,
  type QueueAction,
  type QueueState,
} from '../../../shared/queue/states';
import { canOperateService, canSeeService, type Principal } from '../../../shared/permissions';
import { HANDOFF_STATES, type HandoffState } from '../../../shared/handoffs/states';
import { INSTITUTION_CODES, type InstitutionCode } from '../../../shared/reference/institutions';
import { openingPeriods } from '../../../shared/reference/sites';
import { arrivalAppointmentProblem } from '../../../shared/time/appointments';
import { hhmmToMinutes, isoWeekday, localDay, localMinutes, parisInstant, type LocalDay } from '../../../shared/time/paris';
import { uuidv7 } from '../../store/ids';
import { accounts, queueEntries, queueEvents } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { findService, getQueueConfig } from './config';
import { assertDayOpen } from '../days/days';

/** A queue_entries row as read with column aliases. */
type Row = Pick<
  Columns<typeof queueEntries>,
  | 'id'
  | 'day'
  | 'ticket'
  | 'ticketNumber'
  | 'serviceCode'
  | 'originalServiceCode'
  | 'purpose'
  | 'firstName'
  | 'appointmentAt'
  | 'appointmentWithAccountId'
  | 'priorityReasons'
  | 'needs'
  | 'state'
  | 'arrivedAt'
  | 'firstCalledAt'
  | 'lastCalledAt'
  | 'callCount'
  | 'calledTo'
  | 'calledBy'
  | 'startedAt'
  | 'servedBy'
  | 'finishedAt'
  | 'endedAt'
  | 'outsideHours'
  | 'sortOverride'
  | 'changeSeq'
  | 'version'
> & {
  /** "id|state|institution" of the latest hand-over made from the ticket, or null. */
  handoff: string | null;
};

/** The columns a desk action may change (the rest of a ticket is fixed at its arrival). */
type Changed = Pick<
  Columns<typeof queueEntries>,
  | 'state'
  | 'serviceCode'
  | 'firstCalledAt'
  | 'lastCalledAt'
  | 'callCount'
  | 'calledTo'
  | 'calledBy'
  | 'startedAt'
  | 'servedBy'
  | 'finishedAt'
  | 'endedAt'
  | 'sortOverride'
>;

const SELECT = `SELECT id, day, ticket, ticket_number AS ticketNumber, service_code AS serviceCode,
  original_service_code AS originalServiceCode, purpose, first_name AS firstName, appointment_at AS appointmentAt,
  appointment_with_account_id AS appointmentWithAccountId, priority_reasons AS priorityReasons, needs, state,
  arrived_at AS arrivedAt, first_called_at AS firstCalledAt, last_called_at AS lastCalledAt, call_count AS callCount,
  called_to AS calledTo, called_by AS calledBy, started_at AS startedAt, served_by AS servedBy, finished_at AS finishedAt,
  ended_at AS endedAt, outside_hours AS outsideHours, sort_override AS sortOverride,
  (SELECT h.id || '|' || h.state || '|' || h.to_institution FROM handoffs h
    WHERE h.queue_entry_id = queue_entries.id AND h.deleted_at IS NULL ORDER BY h.created_at DESC, h.id DESC LIMIT 1) AS handoff,
  change_seq AS changeSeq, version
  FROM queue_entries`;

type WaitingRow = Pick<Row, 'id' | 'arrivedAt' | 'appointmentAt' | 'priorityReasons' | 'sortOverride' | 'version'>;
const SELECT_WAITING = `SELECT id, arrived_at AS arrivedAt, appointment_at AS appointmentAt, priority_reasons AS priorityReasons,
  sort_override AS sortOverride, version
  FROM queue_entries WHERE day = @day AND service_code = @service AND state = 'waiting' AND deleted_at IS NULL`;

/** Entries still waiting or called (partial index `queue_entries_open_day`); the day condition follows. */
export const OPEN_ENTRIES_SQL = `${SELECT} INDEXED BY queue_entries_open_day WHERE state IN ('waiting', 'called') AND deleted_at IS NULL AND`;

/** First names of past days, at most `limit` rows a run (-1: all), through the partial index of names not yet purged. */
export const PURGE_FIRST_NAMES_SQL = `UPDATE queue_entries SET first_name = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM queue_entries INDEXED BY queue_entries_first_name_day WHERE first_name IS NOT NULL AND day < @before LIMIT @limit)`;

/** The states of a person at a desk, as an SQL list (code constants, never input). */
const AT_DESK_LIST = AT_DESK_STATES.map((s) => `'${s}'`).join(', ');

type Day = { day: LocalDay };
type Id = { id: string };
type Versioned = { id: string; version: number; now: string };

const Q = {
  // Entries.
  byId: sql<Id, Row>(`${SELECT} WHERE id = @id AND deleted_at IS NULL`),
  ofDay: sql<Day, Row>(`${SELECT} WHERE day = @day AND deleted_at IS NULL`),
  // What ordering needs of a service's waiting line, and nothing else: these run on every arrival,
  // call and reorder, and the full row (with its hand-over subquery) made each of them read and
  // allocate the whole line (issue 16: hub work per action must not grow with the day).
  waiting: sql<Day & { service: string }, WaitingRow>(SELECT_WAITING),
  waitingOthers: sql<Day & { service: string; except: string }, WaitingRow>(`${SELECT_WAITING} AND id <> @except`),
  atDestination: sql<Day & { destination: string }, Row>(
    `${SELECT} WHERE day = @day AND called_to = @destination AND state IN (${AT_DESK_LIST}) AND deleted_at IS NULL`,
  ),
  openOfDay: sql<Day, Row>(`${SELECT} WHERE day = @day AND state IN ('waiting', 'called', 'in_progress') AND deleted_at IS NULL`),
  openToday: sql<Day, Row>(`${OPEN_ENTRIES_SQL} day = @day`),
  openBefore: sql<Day, Row>(`${OPEN_ENTRIES_SQL} day < @day`),
  dayVersion: sql<Day, { v: number }>('SELECT COALESCE(MAX(change_seq), 0) AS v FROM queue_entries WHERE day = @day'),
  lastTicket: sql<Day & { pattern: string }, { n: number | null }>('SELECT MAX(ticket_number) AS n FROM queue_entries WHERE day = @day AND ticket LIKE @pattern'),
  waitingCount: sql<Day, { n: number }>("SELECT count(*) AS n FROM queue_entries WHERE day = @day AND state = 'waiting'"),
  waitingNow: sql<Day, { n: number }>("SELECT count(*) AS n FROM queue_entries WHERE day = @day AND state = 'waiting' AND deleted_at IS NULL"),
  // Writes.
  insert: sql<
    Pick<
      Columns<typeof queueEntries>,
      | 'id'
      | 'day'
      | 'ticket'
      | 'ticketNumber'
      | 'serviceCode'
      | 'purpose'
      | 'firstName'
      | 'appointmentAt'
      | 'appointmentWithAccountId'
      | 'priorityReasons'
      | 'needs'
      | 'outsideHours'
      | 'registeredBy'
      | 'siteId'
    > & { now: string }
  >(
    `INSERT INTO queue_entries (id, day, ticket, ticket_number, service_code, original_service_code, purpose, first_name,
       appointment_at, appointment_with_account_id, priority_reasons, needs, state, arrived_at, outside_hours,
       registered_by, site_id, updated_at)
     VALUES (@id, @day, @ticket, @ticketNumber, @serviceCode, @serviceCode, @purpose, @firstName, @appointmentAt, @appointmentWithAccountId,
       @priorityReasons, @needs, 'waiting', @now, @outsideHours, @registeredBy, @siteId, @now)`,
  ),
  // Every changeable column is written: those the action leaves keep the value read under the same version.
  update: sql<Changed & Versioned>(
    `UPDATE queue_entries SET state = @state, service_code = @serviceCode, first_called_at = @firstCalledAt, last_called_at = @lastCalledAt,
       call_count = @callCount, called_to = @calledTo, called_by = @calledBy, started_at = @startedAt, served_by = @servedBy,
       finished_at = @finishedAt, ended_at = @endedAt, sort_override = @sortOverride, updated_at = @now, version = version + 1
     WHERE id = @id AND version = @version`,
  ),
  close: sql<Versioned>("UPDATE queue_entries SET state = 'closed', ended_at = @now, updated_at = @now, version = version + 1 WHERE id = @id AND version = @version"),
  finish: sql<Versioned & { finishedAt: string | null }>(
    "UPDATE queue_entries SET state = 'done', finished_at = @finishedAt, ended_at = @now, updated_at = @now, version = version + 1 WHERE id = @id AND version = @version",
  ),
  touch: sql<Id & { now: string }>('UPDATE queue_entries SET updated_at = @now WHERE id = @id'),
  purgeFirstNames: sql<{ now: string; before: LocalDay; limit: number }>(PURGE_FIRST_NAMES_SQL),
  // History.
  history: sql<
    Pick<
      Columns<typeof queueEvents>,
      'id' | 'entryId' | 'day' | 'at' | 'action' | 'fromState' | 'toState' | 'actorId' | 'serviceFrom' | 'serviceTo' | 'destination' | 'reason'
    >
  >(
    `INSERT INTO queue_events (id, entry_id, day, at, action, from_state, to_state, actor_id, service_from, service_to, destination, reason)
     VALUES (@id, @entryId, @day, @at, @action, @fromState, @toState, @actorId, @serviceFrom, @serviceTo, @destination, @reason)`,
  ),
  movedOfDay: sql<Day, Pick<Columns<typeof queueEvents>, 'entryId' | 'serviceFrom'>>(
    "SELECT DISTINCT entry_id AS entryId, service_from AS serviceFrom FROM queue_events WHERE day = @day AND action = 'move'",
  ),
  lastCalls: sql<Day, Pick<Columns<typeof queueEntries>, 'ticket'> & Pick<Columns<typeof queueEvents>, 'destination' | 'serviceFrom' | 'at'>>(
    `SELECT e.ticket, ev.destination, ev.service_from AS serviceFrom, ev.at
     FROM queue_events ev JOIN queue_entries e ON e.id = ev.entry_id
     WHERE ev.day = @day AND ev.action IN ('call', 'recall') ORDER BY ev.at DESC LIMIT 8`,
  ),
  // Accounts.
  names: sql<Record<string, never>, Pick<Columns<typeof accounts>, 'id' | 'displayName'>>('SELECT id, display_name AS displayName FROM accounts'),
  account: sql<Id, Pick<Columns<typeof accounts>, 'role' | 'disabled'>>('SELECT role, disabled FROM accounts WHERE id = @id'),
  // The accounts core writes only codes of the institution list.
  professionals: sql<Record<string, never>, Pick<Columns<typeof accounts>, 'id' | 'displayName'> & { institution: InstitutionCode | null }>(
    "SELECT id, display_name AS displayName, institution FROM accounts WHERE role = 'professionnel' AND disabled = 0 ORDER BY display_name",
  ),
};

type Names = Map<string, string>;

function accountNames(ctx: CoreContext): Names {
  return new Map(Q.names.all(ctx.store, {}).map((r) => [r.id, r.displayName]));
}

function orderable(r: WaitingRow) {
  return {
    id: r.id,
    arrivedAt: r.arrivedAt,
    appointmentAt: r.appointmentAt,
    // Most people have no priority: no parse (this runs for every waiting person on every action).
    priorityReasons: r.priorityReasons === '[]' ? NO_REASONS : (JSON.parse(r.priorityReasons) as string[]),
    sortOverride: r.sortOverride,
  };
}
const NO_REASONS: readonly string[] = Object.freeze([]);

function toEntry(r: Row, names: Names, position: number | null, tier: QueueEntry['tier']): QueueEntry {
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  return {
    id: r.id,
    day: r.day,
    ticket: r.ticket,
    serviceCode: r.serviceCode,
    originalServiceCode: r.originalServiceCode,
    purpose: r.purpose,
    firstName: r.firstName,
    appointmentAt: r.appointmentAt,
    appointmentWithAccountId: r.appointmentWithAccountId,
    appointmentWithName: name(r.appointmentWithAccountId),
    priorityReasons: JSON.parse(r.priorityReasons) as PriorityReason[],
    needs: JSON.parse(r.needs) as Need[],
    state: r.state,
    arrivedAt: r.arrivedAt,
    firstCalledAt: r.firstCalledAt,
    lastCalledAt: r.lastCalledAt,
    callCount: r.callCount,
    calledTo: r.calledTo,
    calledByName: name(r.calledBy),
    startedAt: r.startedAt,
    servedByName: name(r.servedBy),
    finishedAt: r.finishedAt,
    endedAt: r.endedAt,
    outsideHours: r.outsideHours === 1,
    sortOverride: r.sortOverride,
    position,
    tier,
    handoff: parseHandoff(r.handoff),
    version: r.version,
  };
}

function parseHandoff(v: string | null): QueueEntry['handoff'] {
  if (!v) return null;
  const [id, state, institution] = v.split('|');
  if (!id || !HANDOFF_STATES.includes(state as HandoffState) || !INSTITUTION_CODES.includes(institution as InstitutionCode)) return null;
  return { id, state: state as HandoffState, toInstitution: institution as InstitutionCode };
}

/** The audit view of an entry: what happened, never who the person is. */
function auditView(r: Row): object {
  const { firstName: _firstName, handoff: _handoff, changeSeq: _seq, ...rest } = r;
  return rest;
}

/** The day's queue version: the highest change sequence among its rows (0 for an empty day). */
export function dayVersion(ctx: CoreContext, day: LocalDay): number {
  return Q.dayVersion.get(ctx.store, { day })!.v;
}

/** One change of the queue, measured inside its transaction and published after the commit. */
export interface QueueChange {
  day: LocalDay;
  action: string;
  previousVersion: number;
  version: number;
  /** The changed row after the change, or null when several rows changed. */
  row: Row | null;
  /** The service the entry left, for a move. */
  previousService: string | null;
  displayCall: DisplayCall | null;
}

/** Publishes a committed change: `queue.changed` with the entry, and the display's call. */
export function publishQueueChange(ctx: CoreContext, change: QueueChange): void {
  const config = getQueueConfig(ctx);
  const institutionOf = (code: string | null) => (code ? (config.services.find((s) => s.code === code)?.institution ?? null) : null);
  const row = change.row;
  ctx.events.emit('queue.changed', {
    day: change.day,
    action: change.action,
    entryId: row?.id ?? null,
    previousVersion: change.previousVersion,
    version: change.version,
    entry: row ? toEntry(row, accountNames(ctx), null, null) : null,
    serviceCode: row?.serviceCode ?? null,
    institution: institutionOf(row?.serviceCode ?? null),
    previousInstitution: institutionOf(change.previousService),
  });
  if (change.displayCall) ctx.events.emit('display.called', change.displayCall);
}

/**
 * A ticket's row changed outside the queue's own actions (its hand-over was answered): stamp it
 * so the day's version moves, inside the caller's transaction. Only today's board shows it.
 */
export function touchEntry(ctx: CoreContext, entryId: string, action: string): QueueChange | null {
  const row = Q.byId.get(ctx.store, { id: entryId });
  if (!row || row.day !== localDay(ctx.clock.now())) return null;
  const previousVersion = dayVersion(ctx, row.day);
  Q.touch.run(ctx.store, { now: ctx.clock.now().toISOString(), id: entryId });
  return { day: row.day, action, previousVersion, version: dayVersion(ctx, row.day), row: getRow(ctx, entryId), previousService: null, displayCall: null };
}

function getRow(ctx: CoreContext, id: string): Row {
  const row = Q.byId.get(ctx.store, { id });
  if (!row) throw new AppError('NOT_FOUND', 'Ce ticket est introuvable.');
  return row;
}

/** Position and tier of one waiting entry within its service, for a single-entry answer. */
function placed(ctx: CoreContext, row: Row, config: QueueConfig, names: Names): QueueEntry {
  if (row.state !== 'waiting') return toEntry(row, names, null, null);
  const now = ctx.clock.now();
  const waiting = Q.waiting.all(ctx.store, { day: row.day, service: row.serviceCode });
  const ordered = orderQueue(waiting.map(orderable), now, config.policy);
  const index = ordered.findIndex((o) => o.id === row.id);
  return toEntry(row, names, index + 1, tierOf(orderable(row), now, config.policy));
}

function isOutsideHours(ctx: CoreContext, at: Date): boolean {
  const day = localDay(at);
  const minutes = localMinutes(at);
  return !openingPeriods(ctx.site, isoWeekday(day)).some((p) => minutes >= hhmmToMinutes(p.start) && minutes < hhmmToMinutes(p.end));
}

function recordHistory(
  ctx: CoreContext,
  row: Row,
  action: QueueAction | 'add',
  toState: QueueState,
  actor: Actor | null,
  extra: { serviceTo?: string; destination?: string | null; reason?: string | null } = {},
): void {
  Q.history.run(ctx.store, {
    id: uuidv7(ctx.clock.now().getTime()),
    entryId: row.id,
    day: row.day,
    at: ctx.clock.now().toISOString(),
    action,
    fromState: action === 'add' ? null : row.state,
    toState,
    actorId: actor?.accountId ?? null,
    serviceFrom: row.serviceCode,
    serviceTo: extra.serviceTo ?? row.serviceCode,
    destination: extra.destination ?? null,
    reason: extra.reason ?? null,
  });
}

export interface NewArrival {
  serviceCode: string;
  firstName?: string | null | undefined;
  purpose?: string | null | undefined;
  appointmentTime?: string | null | undefined;
  appointmentWithAccountId?: string | null | undefined;
  priorityReasons?: PriorityReason[] | undefined;
  needs?: Need[] | undefined;
}

export function addEntry(ctx: CoreContext, actor: Actor, input: NewArrival): QueueEntry {
  const config = getQueueConfig(ctx);
  const service = findService(config, input.serviceCode);
  if (!service.active) {
    throw new AppError('VALIDATION', `Le service « ${service.label} » n’est pas ouvert aux arrivées.`, [
      { path: 'serviceCode', message: 'Ce service est désactivé.' },
    ]);
  }
  const now = ctx.clock.now();
  const day = localDay(now);
  if (input.appointmentTime) {
    const problem = arrivalAppointmentProblem(ctx.site, input.appointmentTime, now);
    if (problem) throw new AppError('VALIDATION', problem, [{ path: 'appointmentTime', message: problem }]);
  }
  if (input.appointmentWithAccountId) {
    const pro = Q.account.get(ctx.store, { id: input.appointmentWithAccountId });
    if (!pro || pro.role !== 'professionnel' || pro.disabled) {
      throw new AppError('VALIDATION', 'Ce professionnel est introuvable sur le site.', [
        { path: 'appointmentWithAccountId', message: 'Choisissez un·e professionnel·le du site.' },
      ]);
    }
  }
  const names = accountNames(ctx);
  const change = ctx.store.sqlite.transaction((): QueueChange => {
    assertDayOpen(ctx, day);
    const previousVersion = dayVersion(ctx, day);
    const last = Q.lastTicket.get(ctx.store, { day, pattern: `${service.prefix}-%` })!;
    const number = (last.n ?? 0) + 1;
    const ticket = `${service.prefix}-${String(number).padStart(3, '0')}`;
    const id = uuidv7(now.getTime());
    const appointmentAt = input.appointmentTime ? parisInstant(day, input.appointmentTime).toISOString() : null;
    Q.insert.run(ctx.store, {
      id,
      day,
      ticket,
      ticketNumber: number,
      serviceCode: service.code,
      purpose: input.purpose ?? null,
      firstName: input.firstName ?? null,
      appointmentAt,
      appointmentWithAccountId: input.appointmentWithAccountId ?? null,
      priorityReasons: JSON.stringify([...new Set(input.priorityReasons ?? [])]),
      needs: JSON.stringify([...new Set(input.needs ?? [])]),
      now: now.toISOString(),
      outsideHours: isOutsideHours(ctx, now) ? 1 : 0,
      registeredBy: actor.accountId,
      siteId: ctx.site.code,
    });
    const created = getRow(ctx, id);
    recordHistory(ctx, created, 'add', 'waiting', actor);
    recordAudit(ctx, { actor, action: 'queue.add', entity: 'queue_entry', entityId: id, diff: diffRows(null, auditView(created)) });
    return { day, action: 'add', previousVersion, version: dayVersion(ctx, day), row: created, previousService: null, displayCall: null };
  })();
  publishQueueChange(ctx, change);
  return placed(ctx, change.row!, config, names);
}

export interface DayList {
  day: LocalDay;
  now: string;
  version: number;
  delta: boolean;
  entries: QueueEntry[];
  removedIds: string[];
}

/**
 * The day's entries a principal may see: waiting ones in call order, then the others. With
 * `since` (a version the desk holds, not above the current one), only what changed since.
 */
export function listDay(ctx: CoreContext, principal: Principal, day?: LocalDay, since?: number): DayList {
  const now = ctx.clock.now();
  const theDay = day ?? localDay(now);
  const config = getQueueConfig(ctx);
  const visible = new Set(config.services.filter((s) => canSeeService(principal, s.institution)).map((s) => s.code));
  const version = dayVersion(ctx, theDay);
  const all = Q.ofDay.all(ctx.store, { day: theDay });
  const rows = all.filter((r) => visible.has(r.serviceCode));
  const names = accountNames(ctx);
  const waiting = rows.filter((r) => r.state === 'waiting');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const positions = new Map<string, number>();
  for (const code of visible) {
    orderQueue(
      waiting.filter((r) => r.serviceCode === code).map(orderable),
      now,
      config.policy,
    ).forEach((o, i) => positions.set(o.id, i + 1));
  }
  const orderedWaiting = orderQueue(waiting.map(orderable), now, config.policy).map((o) => byId.get(o.id)!);
  const active = rows
    .filter((r) => r.state === 'called' || r.state === 'in_progress')
    .sort((a, b) => (b.lastCalledAt ?? b.arrivedAt).localeCompare(a.lastCalledAt ?? a.arrivedAt));
  const ended = rows
    .filter((r) => r.state !== 'waiting' && r.state !== 'called' && r.state !== 'in_progress')
    .sort((a, b) => (b.endedAt ?? b.finishedAt ?? '').localeCompare(a.endedAt ?? a.finishedAt ?? ''));
  const ordered: [Row, QueueEntry][] = [
    ...active.map((r): [Row, QueueEntry] => [r, toEntry(r, names, null, null)]),
    ...orderedWaiting.map((r): [Row, QueueEntry] => [r, toEntry(r, names, positions.get(r.id) ?? null, tierOf(orderable(r), now, config.policy))]),
    ...ended.map((r): [Row, QueueEntry] => [r, toEntry(r, names, null, null)]),
  ];
  // A version above the current one comes from before a restore: the desk gets the whole day.
  const delta = since !== undefined && since <= version;
  if (!delta) return { day: theDay, now: now.toISOString(), version, delta: false, entries: ordered.map(([, e]) => e), removedIds: [] };
  // Only entries this session could see before they moved away: never ids of other institutions' people.
  const gone = all.filter((r) => r.changeSeq > since && !visible.has(r.serviceCode));
  const moved = gone.length ? movedFrom(ctx, theDay, visible) : new Set<string>();
  return {
    day: theDay,
    now: now.toISOString(),
    version,
    delta: true,
    entries: ordered.filter(([r]) => r.changeSeq > since).map(([, e]) => e),
    removedIds: gone.filter((r) => moved.has(r.id)).map((r) => r.id),
  };
}

/** Entries of the day that were moved out of one of the `services`. */
function movedFrom(ctx: CoreContext, day: LocalDay, services: Set<string>): Set<string> {
  const rows = Q.movedOfDay.all(ctx.store, { day });
  return new Set(rows.filter((r) => r.serviceFrom !== null && services.has(r.serviceFrom)).map((r) => r.entryId));
}

export interface ActionInput {
  id: string;
  version: number;
  destination?: string | undefined;
  serviceCode?: string | undefined;
  reason?: string | undefined;
  beforeId?: string | null | undefined;
}

function conflictMessage(row: Row, action: QueueAction): string {
  return (
    `Action « ${ACTION_LABELS_FR[action]} » impossible : le ticket ${row.ticket} est maintenant « ${STATE_LABELS_FR[row.state]} »` +
    `${row.calledTo && row.state === 'called' ? ` (${row.calledTo})` : ''}. L’affichage a été actualisé.`
  );
}

/** Only the site's configured desks and offices: the display shows the destination in large type. */
function assertDestination(config: QueueConfig, destination: string): void {
  if (!config.destinations.includes(destination)) {
    throw new AppError('VALIDATION', `« ${destination} » n’est pas un guichet ni un bureau du site : choisissez votre poste dans la liste.`, [
      { path: 'destination', message: 'Choisissez un guichet ou un bureau configuré dans les réglages de la file.' },
    ]);
  }
}

/** Today's people called or in progress at a destination (other than `exceptId`). */
function atDestination(ctx: CoreContext, day: LocalDay, destination: string, exceptId: string | null): Row[] {
  return Q.atDestination.all(ctx.store, { day, destination }).filter((r) => r.id !== exceptId);
}

/** A desk serves one person at a time: refuses a call to a destination that is not free. */
function assertDestinationFree(ctx: CoreContext, day: LocalDay, destination: string, exceptId: string | null): void {
  const busy = atDestination(ctx, day, destination, exceptId)[0];
  if (busy) {
    throw new AppError(
      'CONFLICT',
      `${destination} reçoit déjà le ticket ${busy.ticket} (${STATE_LABELS_FR[busy.state].toLowerCase()}). ` +
        'Terminez ce passage (ou notez la personne absente ou partie) avant d’appeler quelqu’un d’autre à ce poste.',
    );
  }
}

/**
 * Applies one action of the state table to an entry, inside the caller's transaction, and returns
 * the change to publish once committed. `handOver` is applied by the hand-over that ends the ticket.
 */
export function applyAction(ctx: CoreContext, actor: Actor, action: Exclude<QueueAction, 'close'>, input: ActionInput): QueueChange {
  const config = getQueueConfig(ctx);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  let displayCall: DisplayCall | null = null;

  const row = getRow(ctx, input.id);
  assertDayOpen(ctx, row.day);
  const service = findService(config, row.serviceCode);
  if (!canOperateService(actor, service.institution)) {
    throw new AppError('FORBIDDEN', `Cette file (${service.label}) relève d’une autre institution.`);
  }
  if (row.version !== input.version || !canTransition(action, row.state)) {
    if (row.version === input.version) {
      throw new AppError('CONFLICT', `Action « ${ACTION_LABELS_FR[action]} » impossible pour un ticket « ${STATE_LABELS_FR[row.state]} ».`);
    }
    throw new AppError('CONFLICT', conflictMessage(row, action));
  }
  if (row.day !== localDay(now) && action !== 'finish' && action !== 'left' && action !== 'cancel') {
    throw new AppError('CONFLICT', 'Ce ticket appartient à une journée passée.');
  }
  const previousVersion = dayVersion(ctx, row.day);
  const to = nextState(action, row.state);
  const set: Partial<Changed> = { state: to };
  const assign = (values: Partial<Changed>) => Object.assign(set, values);
  let target: QueueService = service;
  switch (action) {
    case 'call':
    case 'recall': {
      const destination = input.destination ?? row.calledTo;
      if (!destination) throw new AppError('VALIDATION', 'Choisissez le guichet ou le bureau.', [{ path: 'destination', message: 'Obligatoire.' }]);
      if (input.destination !== undefined) assertDestination(config, destination);
      assertDestinationFree(ctx, row.day, destination, row.id);
      assign({
        firstCalledAt: row.firstCalledAt ?? iso,
        lastCalledAt: iso,
        callCount: row.callCount + 1,
        calledTo: destination,
        calledBy: actor.accountId,
      });
      displayCall = { ticket: row.ticket, destination, serviceLabel: service.label, calledAt: iso };
      break;
    }
    case 'start':
      assign({ startedAt: iso, servedBy: actor.accountId, firstCalledAt: row.firstCalledAt ?? iso });
      // Received straight from the waiting list at a desk: the person occupies that desk.
      if (row.state === 'waiting' && input.destination !== undefined) {
        assertDestination(config, input.destination);
        assertDestinationFree(ctx, row.day, input.destination, row.id);
        set.calledTo = input.destination;
      }
      break;
    case 'finish':
      // Finishing a called person implies "start" at the (last) call: they came to the desk then.
      assign({
        finishedAt: iso,
        endedAt: iso,
        ...(row.state === 'called' ? { startedAt: row.lastCalledAt ?? iso, servedBy: actor.accountId } : {}),
      });
      break;
    case 'handOver': {
      // Received by whoever made the hand-over: the wait ends now if nobody had called the person.
      const started = row.state === 'in_progress' ? row.startedAt : row.state === 'called' ? (row.lastCalledAt ?? iso) : null;
      assign({
        firstCalledAt: row.firstCalledAt ?? iso,
        startedAt: started,
        servedBy: row.servedBy ?? actor.accountId,
        finishedAt: started ? iso : null,
        endedAt: iso,
      });
      break;
    }
    case 'noShow':
      if (row.callCount < config.noShowAfterCalls) {
        throw new AppError(
          'CONFLICT',
          `« Absent·e » est possible après ${config.noShowAfterCalls} appel${config.noShowAfterCalls > 1 ? 's' : ''} sans réponse (ticket appelé ${row.callCount} fois).`,
        );
      }
      set.endedAt = iso;
      break;
    case 'left':
    case 'cancel':
      set.endedAt = iso;
      break;
    case 'move': {
      target = findService(config, input.serviceCode ?? '');
      if (target.code === row.serviceCode) {
        throw new AppError('VALIDATION', 'La personne est déjà dans cette file.', [{ path: 'serviceCode', message: 'Choisissez un autre service.' }]);
      }
      if (!target.active) throw new AppError('VALIDATION', `Le service « ${target.label} » est désactivé.`, [{ path: 'serviceCode', message: 'Service désactivé.' }]);
      // The person keeps their ticket and their place in time; the new service sees them as waiting.
      assign({ serviceCode: target.code, calledTo: null, startedAt: null, servedBy: null });
      break;
    }
    case 'reorder': {
      const waiting = Q.waitingOthers.all(ctx.store, { day: row.day, service: row.serviceCode, except: row.id });
      const ordered = orderQueue(waiting.map(orderable), now, config.policy);
      // Place the entry by giving it an effective arrival instant between its new neighbours.
      const keyOf = (o: ReturnType<typeof orderable>) =>
        tierOf(o, now, config.policy) === 'arrival' ? effectiveArrival(o, config.policy) : Date.parse(o.appointmentAt!);
      let key: number;
      if (input.beforeId) {
        const index = ordered.findIndex((o) => o.id === input.beforeId);
        if (index < 0) throw new AppError('VALIDATION', 'Le ticket de référence n’attend pas dans cette file.', [{ path: 'beforeId', message: 'Ticket introuvable dans la file.' }]);
        const before = ordered[index - 1];
        const targetKey = keyOf(ordered[index]!);
        key = before ? Math.floor((keyOf(before) + targetKey) / 2) : targetKey - 1000;
        if (key >= targetKey) key = targetKey - 1;
      } else {
        const last = ordered[ordered.length - 1];
        key = last ? Math.max(keyOf(last), Date.parse(row.arrivedAt)) + 1000 : Date.parse(row.arrivedAt);
      }
      set.sortOverride = new Date(key).toISOString();
      break;
    }
  }
  const res = Q.update.run(ctx.store, {
    state: row.state,
    serviceCode: row.serviceCode,
    firstCalledAt: row.firstCalledAt,
    lastCalledAt: row.lastCalledAt,
    callCount: row.callCount,
    calledTo: row.calledTo,
    calledBy: row.calledBy,
    startedAt: row.startedAt,
    servedBy: row.servedBy,
    finishedAt: row.finishedAt,
    endedAt: row.endedAt,
    sortOverride: row.sortOverride,
    ...set,
    now: iso,
    id: row.id,
    version: row.version,
  });
  if (res.changes !== 1) throw new AppError('CONFLICT', conflictMessage(row, action));
  recordHistory(ctx, row, action, to, actor, {
    serviceTo: target.code,
    destination: set.calledTo ?? input.destination ?? null,
    reason: input.reason ?? null,
  });
  const updated = getRow(ctx, row.id);
  recordAudit(ctx, {
    actor,
    action: `queue.${action}`,
    entity: 'queue_entry',
    entityId: row.id,
    diff: { ...diffRows(auditView(row), auditView(updated)), ...(input.reason ? { reason: { before: null, after: input.reason } } : {}) },
  });
  return {
    day: row.day,
    action,
    previousVersion,
    version: dayVersion(ctx, row.day),
    row: updated,
    previousService: action === 'move' ? row.serviceCode : null,
    displayCall,
  };
}

/** Applies one desk action to an entry in its own transaction, then publishes it. */
export function act(ctx: CoreContext, actor: Actor, action: Exclude<QueueAction, 'close' | 'handOver'>, input: ActionInput): QueueEntry {
  const change = ctx.store.sqlite.transaction(() => applyAction(ctx, actor, action, input))();
  publishQueueChange(ctx, change);
  return placed(ctx, change.row!, getQueueConfig(ctx), accountNames(ctx));
}

/** The entry of today's queue a hand-over is made from, as the hand-over needs it. */
export function entryForHandoff(ctx: CoreContext, id: string): { id: string; ticket: string; state: QueueState; serviceCode: string; day: LocalDay; version: number } | null {
  const row = Q.byId.get(ctx.store, { id });
  return row ? { id: row.id, ticket: row.ticket, state: row.state, serviceCode: row.serviceCode, day: row.day, version: row.version } : null;
}

/** Calls the next person of a service, following the ordering policy. */
export function callNext(ctx: CoreContext, actor: Actor, serviceCode: string, destination: string): QueueEntry {
  const config = getQueueConfig(ctx);
  const service = findService(config, serviceCode);
  if (!canOperateService(actor, service.institution)) {
    throw new AppError('FORBIDDEN', `Cette file (${service.label}) relève d’une autre institution.`);
  }
  assertDestination(config, destination);
  const now = ctx.clock.now();
  assertDestinationFree(ctx, localDay(now), destination, null);
  // Another desk may take the first person between our read and our write: retry on the next one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const waiting = Q.waiting.all(ctx.store, { day: localDay(now), service: service.code });
    const next = orderQueue(waiting.map(orderable), now, config.policy)[0];
    if (!next) throw new AppError('NOT_FOUND', `Personne n’attend pour le service ${service.label}.`);
    const row = waiting.find((r) => r.id === next.id)!;
    try {
      return act(ctx, actor, 'call', { id: row.id, version: row.version, destination });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
    }
  }
  throw new AppError('CONFLICT');
}

/**
 * Closing: entries still waiting or called are closed as "not seen – closing" (and counted).
 * `scope: 'today'` is the desk's end-of-day action; `'past'` catches days left open (PC switched off).
 */
export function closeOpenEntries(ctx: CoreContext, actor: Actor | null, scope: 'today' | 'past'): number {
  const now = ctx.clock.now();
  const today = localDay(now);
  const rows = (scope === 'today' ? Q.openToday : Q.openBefore).all(ctx.store, { day: today });
  if (rows.length === 0) return 0;
  const changes = ctx.store.sqlite.transaction(() => {
    const before = new Map([...new Set(rows.map((r) => r.day))].map((d) => [d, dayVersion(ctx, d)]));
    closeRows(ctx, actor, rows, 'fermeture');
    recordAudit(ctx, {
      actor,
      action: 'queue.close',
      entity: 'queue_day',
      entityId: scope === 'today' ? today : null,
      diff: { closedEntries: { before: null, after: rows.length } },
    });
    return [...before].map(([day, previousVersion]): QueueChange => ({ day, action: 'close', previousVersion, version: dayVersion(ctx, day), row: null, previousService: null, displayCall: null }));
  })();
  for (const change of changes) publishQueueChange(ctx, change);
  return rows.length;
}

/** Waiting and called rows → "not seen – closing", with the reason in their history. */
function closeRows(ctx: CoreContext, actor: Actor | null, rows: Row[], reason: string): void {
  const iso = ctx.clock.now().toISOString();
  for (const row of rows) {
    if (Q.close.run(ctx.store, { now: iso, id: row.id, version: row.version }).changes !== 1) throw new AppError('CONFLICT', conflictMessage(row, 'close'));
    recordHistory(ctx, row, 'close', 'closed', actor, { reason });
  }
}

/**
 * The closing review's one step: every ticket of the day still open is closed with a reason.
 * People waiting or called count as "not seen – closing"; an interview in progress counts as
 * received (finished now today; for a past day its end is unknown, so it has no duration).
 */
export function closeRemainingEntries(ctx: CoreContext, actor: Actor, day: LocalDay, reason: string): { closed: number; finished: number } {
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const result = ctx.store.sqlite.transaction(() => {
    assertDayOpen(ctx, day);
    const previousVersion = dayVersion(ctx, day);
    const open = Q.openOfDay.all(ctx.store, { day });
    const unseen = open.filter((r) => r.state !== 'in_progress');
    const serving = open.filter((r) => r.state === 'in_progress');
    closeRows(ctx, actor, unseen, reason);
    for (const row of serving) {
      const finished = Q.finish.run(ctx.store, { finishedAt: day === localDay(now) ? iso : null, now: iso, id: row.id, version: row.version });
      if (finished.changes !== 1) throw new AppError('CONFLICT', conflictMessage(row, 'finish'));
      recordHistory(ctx, row, 'finish', 'done', actor, { reason });
    }
    recordAudit(ctx, {
      actor,
      action: 'queue.closeRemaining',
      entity: 'queue_day',
      entityId: day,
      diff: { closedEntries: { before: null, after: unseen.length }, finishedEntries: { before: null, after: serving.length }, reason: { before: null, after: reason } },
    });
    const change: QueueChange = { day, action: 'close', previousVersion, version: dayVersion(ctx, day), row: null, previousService: null, displayCall: null };
    return { closed: unseen.length, finished: serving.length, change };
  })();
  if (result.closed + result.finished > 0) publishQueueChange(ctx, result.change);
  return { closed: result.closed, finished: result.finished };
}


/**
 * Retention of first names typed at arrival: kept for the day only. Rows stay for statistics.
 * (Entries a hand-over relies on will be kept by the hand-over's own retention rule.)
 */
export function purgeFirstNames(ctx: CoreContext, limit = -1): number {
  const today = localDay(ctx.clock.now());
  return Q.purgeFirstNames.run(ctx.store, { now: ctx.clock.now().toISOString(), before: today, limit }).changes;
}

/** The waiting-room screen: the last calls of the day, tickets and destinations only. */
export function displayBoard(ctx: CoreContext): { siteName: string; calls: DisplayCall[]; waiting: number } {
  const today = localDay(ctx.clock.now());
  const config = getQueueConfig(ctx);
  const rows = Q.lastCalls.all(ctx.store, { day: today });
  const waiting = Q.waitingCount.get(ctx.store, { day: today })!.n;
  return {
    siteName: ctx.site.name,
    calls: rows.map((r) => ({
      ticket: r.ticket,
      destination: r.destination ?? '',
      serviceLabel: config.services.find((s) => s.code === r.serviceFrom)?.label ?? r.serviceFrom ?? '',
      calledAt: r.at,
    })),
    waiting,
  };
}

export function listProfessionals(ctx: CoreContext): { id: string; displayName: string; institution: QueueService['institution'] }[] {
  return Q.professionals.all(ctx.store, {});
}

/** How many people are waiting on `day` (the day's figures beside the queue). */
export function waitingCount(ctx: CoreContext, day: LocalDay): number {
  return Q.waitingNow.get(ctx.store, { day })!.n;
}
