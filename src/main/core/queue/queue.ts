/**
 * The shared first-reception queue of the site: arrivals with tickets, calls to desks and offices,
 * and every transition of `shared/queue/states.ts`, with optimistic versions so that two desks
 * acting at once get one success and one CONFLICT. Each action writes a history row and an audit
 * row (without the first name, which is personal data and purged after the day).
 */
import { AppError } from '../../../shared/api/errors';
import type { DisplayCall, QueueEntry } from '../../../shared/api/methods/queue';
import type { QueueConfig, QueueService } from '../../../shared/queue/config';
import { effectiveArrival, orderQueue, tierOf } from '../../../shared/queue/ordering';
import {
  ACTION_LABELS_FR,
  canTransition,
  nextState,
  STATE_LABELS_FR,
  type Need,
  type PriorityReason,
  type QueueAction,
  type QueueState,
} from '../../../shared/queue/states';
import { canOperateService, canSeeService, type Principal } from '../../../shared/permissions';
import { openingPeriods } from '../../../shared/reference/sites';
import { hhmmToMinutes, isoWeekday, localDay, localMinutes, parisInstant, type LocalDay } from '../../../shared/time/paris';
import { uuidv7 } from '../../store/ids';
import { diffRows, recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { findService, getQueueConfig } from './config';
import { assertDayOpen } from '../days/days';

/** A queue_entries row as read with column aliases. */
interface Row {
  id: string;
  day: string;
  ticket: string;
  ticketNumber: number;
  serviceCode: string;
  originalServiceCode: string;
  purpose: string | null;
  firstName: string | null;
  appointmentAt: string | null;
  appointmentWithAccountId: string | null;
  priorityReasons: string;
  needs: string;
  state: QueueState;
  arrivedAt: string;
  firstCalledAt: string | null;
  lastCalledAt: string | null;
  callCount: number;
  calledTo: string | null;
  calledBy: string | null;
  startedAt: string | null;
  servedBy: string | null;
  finishedAt: string | null;
  endedAt: string | null;
  outsideHours: number;
  sortOverride: string | null;
  version: number;
}

const SELECT = `SELECT id, day, ticket, ticket_number AS ticketNumber, service_code AS serviceCode,
  original_service_code AS originalServiceCode, purpose, first_name AS firstName, appointment_at AS appointmentAt,
  appointment_with_account_id AS appointmentWithAccountId, priority_reasons AS priorityReasons, needs, state,
  arrived_at AS arrivedAt, first_called_at AS firstCalledAt, last_called_at AS lastCalledAt, call_count AS callCount,
  called_to AS calledTo, called_by AS calledBy, started_at AS startedAt, served_by AS servedBy, finished_at AS finishedAt,
  ended_at AS endedAt, outside_hours AS outsideHours, sort_override AS sortOverride, version
  FROM queue_entries`;

type Names = Map<string, string>;

function accountNames(ctx: CoreContext): Names {
  const rows = ctx.store.sqlite.prepare('SELECT id, display_name AS name FROM accounts').all() as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

function orderable(r: Row) {
  return {
    id: r.id,
    arrivedAt: r.arrivedAt,
    appointmentAt: r.appointmentAt,
    priorityReasons: JSON.parse(r.priorityReasons) as string[],
    sortOverride: r.sortOverride,
  };
}

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
    version: r.version,
  };
}

/** The audit view of an entry: what happened, never who the person is. */
function auditView(r: Row): object {
  const { firstName: _firstName, ...rest } = r;
  return rest;
}

function getRow(ctx: CoreContext, id: string): Row {
  const row = ctx.store.sqlite.prepare(`${SELECT} WHERE id = ? AND deleted_at IS NULL`).get(id) as Row | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'Ce ticket est introuvable.');
  return row;
}

/** Position and tier of one waiting entry within its service, for a single-entry answer. */
function placed(ctx: CoreContext, row: Row, config: QueueConfig, names: Names): QueueEntry {
  if (row.state !== 'waiting') return toEntry(row, names, null, null);
  const now = ctx.clock.now();
  const waiting = ctx.store.sqlite
    .prepare(`${SELECT} WHERE day = ? AND service_code = ? AND state = 'waiting' AND deleted_at IS NULL`)
    .all(row.day, row.serviceCode) as Row[];
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
  ctx.store.sqlite
    .prepare(
      `INSERT INTO queue_events (id, entry_id, day, at, action, from_state, to_state, actor_id, service_from, service_to, destination, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      uuidv7(ctx.clock.now().getTime()),
      row.id,
      row.day,
      ctx.clock.now().toISOString(),
      action,
      action === 'add' ? null : row.state,
      toState,
      actor?.accountId ?? null,
      row.serviceCode,
      extra.serviceTo ?? row.serviceCode,
      extra.destination ?? null,
      extra.reason ?? null,
    );
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
  if (input.appointmentWithAccountId) {
    const pro = ctx.store.sqlite.prepare('SELECT role, disabled FROM accounts WHERE id = ?').get(input.appointmentWithAccountId) as
      | { role: string; disabled: number }
      | undefined;
    if (!pro || pro.role !== 'professionnel' || pro.disabled) {
      throw new AppError('VALIDATION', 'Ce professionnel est introuvable sur le site.', [
        { path: 'appointmentWithAccountId', message: 'Choisissez un·e professionnel·le du site.' },
      ]);
    }
  }
  const names = accountNames(ctx);
  const row = ctx.store.sqlite.transaction(() => {
    assertDayOpen(ctx, day);
    const last = ctx.store.sqlite
      .prepare('SELECT MAX(ticket_number) AS n FROM queue_entries WHERE day = ? AND ticket LIKE ?')
      .get(day, `${service.prefix}-%`) as { n: number | null };
    const number = (last.n ?? 0) + 1;
    const ticket = `${service.prefix}-${String(number).padStart(3, '0')}`;
    const id = uuidv7(now.getTime());
    const appointmentAt = input.appointmentTime ? parisInstant(day, input.appointmentTime).toISOString() : null;
    ctx.store.sqlite
      .prepare(
        `INSERT INTO queue_entries (id, day, ticket, ticket_number, service_code, original_service_code, purpose, first_name,
           appointment_at, appointment_with_account_id, priority_reasons, needs, state, arrived_at, outside_hours,
           registered_by, site_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        day,
        ticket,
        number,
        service.code,
        service.code,
        input.purpose ?? null,
        input.firstName ?? null,
        appointmentAt,
        input.appointmentWithAccountId ?? null,
        JSON.stringify([...new Set(input.priorityReasons ?? [])]),
        JSON.stringify([...new Set(input.needs ?? [])]),
        now.toISOString(),
        isOutsideHours(ctx, now) ? 1 : 0,
        actor.accountId,
        ctx.site.code,
        now.toISOString(),
      );
    const created = getRow(ctx, id);
    recordHistory(ctx, created, 'add', 'waiting', actor);
    recordAudit(ctx, { actor, action: 'queue.add', entity: 'queue_entry', entityId: id, diff: diffRows(null, auditView(created)) });
    return created;
  })();
  ctx.events.emit('queue.changed', { day, entryId: row.id, action: 'add' });
  return placed(ctx, row, config, names);
}

/** The day's entries a principal may see: waiting ones in call order, then the others. */
export function listDay(ctx: CoreContext, principal: Principal, day?: LocalDay): { day: LocalDay; now: string; entries: QueueEntry[] } {
  const now = ctx.clock.now();
  const theDay = day ?? localDay(now);
  const config = getQueueConfig(ctx);
  const visible = new Set(config.services.filter((s) => canSeeService(principal, s.institution)).map((s) => s.code));
  const rows = (ctx.store.sqlite.prepare(`${SELECT} WHERE day = ? AND deleted_at IS NULL`).all(theDay) as Row[]).filter((r) =>
    visible.has(r.serviceCode),
  );
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
  const entries = [
    ...active.map((r) => toEntry(r, names, null, null)),
    ...orderedWaiting.map((r) => toEntry(r, names, positions.get(r.id) ?? null, tierOf(orderable(r), now, config.policy))),
    ...ended.map((r) => toEntry(r, names, null, null)),
  ];
  return { day: theDay, now: now.toISOString(), entries };
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

/** Applies one action of the state table to an entry. */
export function act(ctx: CoreContext, actor: Actor, action: Exclude<QueueAction, 'close'>, input: ActionInput): QueueEntry {
  const config = getQueueConfig(ctx);
  const names = accountNames(ctx);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  let displayCall: DisplayCall | null = null;

  const after = ctx.store.sqlite.transaction(() => {
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
    const to = nextState(action, row.state);
    const set: Record<string, unknown> = { state: to };
    let target: QueueService = service;
    switch (action) {
      case 'call':
      case 'recall': {
        const destination = input.destination ?? row.calledTo;
        if (!destination) throw new AppError('VALIDATION', 'Choisissez le guichet ou le bureau.', [{ path: 'destination', message: 'Obligatoire.' }]);
        Object.assign(set, {
          first_called_at: row.firstCalledAt ?? iso,
          last_called_at: iso,
          call_count: row.callCount + 1,
          called_to: destination,
          called_by: actor.accountId,
        });
        displayCall = { ticket: row.ticket, destination, serviceLabel: service.label, calledAt: iso };
        break;
      }
      case 'start':
        Object.assign(set, { started_at: iso, served_by: actor.accountId, first_called_at: row.firstCalledAt ?? iso });
        break;
      case 'finish':
        Object.assign(set, { finished_at: iso, ended_at: iso });
        break;
      case 'noShow':
        if (row.callCount < config.noShowAfterCalls) {
          throw new AppError(
            'CONFLICT',
            `« Absent·e » est possible après ${config.noShowAfterCalls} appel${config.noShowAfterCalls > 1 ? 's' : ''} sans réponse (ticket appelé ${row.callCount} fois).`,
          );
        }
        set.ended_at = iso;
        break;
      case 'left':
      case 'cancel':
        set.ended_at = iso;
        break;
      case 'move': {
        target = findService(config, input.serviceCode ?? '');
        if (target.code === row.serviceCode) {
          throw new AppError('VALIDATION', 'La personne est déjà dans cette file.', [{ path: 'serviceCode', message: 'Choisissez un autre service.' }]);
        }
        if (!target.active) throw new AppError('VALIDATION', `Le service « ${target.label} » est désactivé.`, [{ path: 'serviceCode', message: 'Service désactivé.' }]);
        // The person keeps their ticket and their place in time; the new service sees them as waiting.
        Object.assign(set, { service_code: target.code, called_to: null, started_at: null, served_by: null });
        break;
      }
      case 'reorder': {
        const waiting = ctx.store.sqlite
          .prepare(`${SELECT} WHERE day = ? AND service_code = ? AND state = 'waiting' AND deleted_at IS NULL AND id <> ?`)
          .all(row.day, row.serviceCode, row.id) as Row[];
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
        set.sort_override = new Date(key).toISOString();
        break;
      }
    }
    const columns = Object.keys(set);
    const res = ctx.store.sqlite
      .prepare(
        `UPDATE queue_entries SET ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, version = version + 1
         WHERE id = ? AND version = ?`,
      )
      .run(...columns.map((c) => set[c] as string | number | null), iso, row.id, row.version);
    if (res.changes !== 1) throw new AppError('CONFLICT', conflictMessage(row, action));
    recordHistory(ctx, row, action, to, actor, {
      serviceTo: target.code,
      destination: (set.called_to as string | undefined) ?? input.destination ?? null,
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
    return updated;
  })();
  ctx.events.emit('queue.changed', { day: after.day, entryId: after.id, action });
  if (displayCall) ctx.events.emit('display.called', displayCall);
  return placed(ctx, after, config, names);
}

/** Calls the next person of a service, following the ordering policy. */
export function callNext(ctx: CoreContext, actor: Actor, serviceCode: string, destination: string): QueueEntry {
  const config = getQueueConfig(ctx);
  const service = findService(config, serviceCode);
  if (!canOperateService(actor, service.institution)) {
    throw new AppError('FORBIDDEN', `Cette file (${service.label}) relève d’une autre institution.`);
  }
  const now = ctx.clock.now();
  // Another desk may take the first person between our read and our write: retry on the next one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const waiting = ctx.store.sqlite
      .prepare(`${SELECT} WHERE day = ? AND service_code = ? AND state = 'waiting' AND deleted_at IS NULL`)
      .all(localDay(now), service.code) as Row[];
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
  const iso = now.toISOString();
  // The partial index holds open entries only: the cost does not grow with the history.
  const rows = ctx.store.sqlite.prepare(`${OPEN_ENTRIES_SQL} ${scope === 'today' ? 'day = ?' : 'day < ?'}`).all(today) as Row[];
  if (rows.length === 0) return 0;
  ctx.store.sqlite.transaction(() => {
    const update = ctx.store.sqlite.prepare(
      "UPDATE queue_entries SET state = 'closed', ended_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
    );
    for (const row of rows) {
      update.run(iso, iso, row.id, row.version);
      recordHistory(ctx, row, 'close', 'closed', actor, { reason: 'fermeture' });
    }
    recordAudit(ctx, {
      actor,
      action: 'queue.close',
      entity: 'queue_day',
      entityId: scope === 'today' ? today : null,
      diff: { closedEntries: { before: null, after: rows.length } },
    });
  })();
  for (const day of new Set(rows.map((r) => r.day))) ctx.events.emit('queue.changed', { day, entryId: null, action: 'close' });
  return rows.length;
}

/**
 * Retention of first names typed at arrival: kept for the day only. Rows stay for statistics.
 * (Entries a hand-over relies on will be kept by the hand-over's own retention rule.)
 */
export function purgeFirstNames(ctx: CoreContext, limit = -1): number {
  const today = localDay(ctx.clock.now());
  return ctx.store.sqlite.prepare(PURGE_FIRST_NAMES_SQL).run({ now: ctx.clock.now().toISOString(), before: today, limit }).changes;
}

/** Entries still waiting or called (partial index `queue_entries_open_day`); the day condition follows. */
export const OPEN_ENTRIES_SQL = `${SELECT} INDEXED BY queue_entries_open_day WHERE state IN ('waiting', 'called') AND deleted_at IS NULL AND`;

/** First names of past days, at most `limit` rows a run (-1: all), through the partial index of names not yet purged. */
export const PURGE_FIRST_NAMES_SQL = `UPDATE queue_entries SET first_name = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM queue_entries INDEXED BY queue_entries_first_name_day WHERE first_name IS NOT NULL AND day < @before LIMIT @limit)`;

/** The waiting-room screen: the last calls of the day, tickets and destinations only. */
export function displayBoard(ctx: CoreContext): { siteName: string; calls: DisplayCall[]; waiting: number } {
  const today = localDay(ctx.clock.now());
  const config = getQueueConfig(ctx);
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT e.ticket, ev.destination, ev.service_from AS serviceCode, ev.at
       FROM queue_events ev JOIN queue_entries e ON e.id = ev.entry_id
       WHERE ev.day = ? AND ev.action IN ('call', 'recall') ORDER BY ev.at DESC LIMIT 8`,
    )
    .all(today) as { ticket: string; destination: string | null; serviceCode: string; at: string }[];
  const waiting = (ctx.store.sqlite.prepare("SELECT count(*) AS n FROM queue_entries WHERE day = ? AND state = 'waiting'").get(today) as { n: number }).n;
  return {
    siteName: ctx.site.name,
    calls: rows.map((r) => ({
      ticket: r.ticket,
      destination: r.destination ?? '',
      serviceLabel: config.services.find((s) => s.code === r.serviceCode)?.label ?? r.serviceCode,
      calledAt: r.at,
    })),
    waiting,
  };
}

export function listProfessionals(ctx: CoreContext): { id: string; displayName: string; institution: QueueService['institution'] }[] {
  return ctx.store.sqlite
    .prepare("SELECT id, display_name AS displayName, institution FROM accounts WHERE role = 'professionnel' AND disabled = 0 ORDER BY display_name")
    .all() as { id: string; displayName: string; institution: QueueService['institution'] }[];
}
