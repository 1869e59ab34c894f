/**
 * Realistic demo and benchmark data for one site database (DOMAIN.md "Volumes"): for every open
 * day of a range, 100–300 passages in the shared queue with their history, the ASIP contacts
 * logged from them plus phone, e-mail, mail and outreach contacts, and the warm hand-overs that
 * followed some of them. Everything is fictitious: no first names, no person details in
 * hand-overs, recurring people only as pseudonymous keys of made-up identities.
 *
 * Deterministic: each day draws from its own generator seeded with (seed, site, day), and ids
 * are UUIDv7 built from the row's instant and that generator, so the same options on two
 * databases write the same rows (person keys also depend on the site secret, see person-key.ts).
 *
 * Fast: rows are written with prepared statements, one transaction per `chunkDays` open days,
 * with the change-sequence insert triggers suspended inside that transaction (see bulk.ts).
 *
 * Open days: `openingPeriods(site, weekday)` (weekends and the weekly closed half-day) and, unless
 * `publicHolidays: false`, not a French public holiday. Outside-hours arrivals (flag
 * `outside_hours`) are generated only in the 15 minutes before an opening period starts and the
 * 15 minutes after it ends: on a closed morning nobody arrives before 13:15.
 */
import { getQueueConfig } from '../core/queue/config';
import { getHandoffConfig } from '../core/handoffs/handoffs';
import { personKey } from '../core/contacts/person-key';
import { refreshStaleDays } from '../core/stats/day-aggregates';
import { recordAudit } from '../core/audit/audit';
import { listDomains, taxonomyVersion } from '../core/taxonomy/taxonomy';
import { systemClock, type Clock, type CoreContext } from '../core/context';
import { readMeta, type Store } from '../store/open';
import { CHANNELS, CONTACT_ACTIONS, CONTACT_FLAGS, type Channel, type ContactAction, type ContactFlag } from '../../shared/contacts/vocabulary';
import { HANDOFF_STATES, type HandoffMode, type HandoffState } from '../../shared/handoffs/states';
import { QUEUE_STATES, type QueueState } from '../../shared/queue/states';
import type { QueueService } from '../../shared/queue/config';
import { findSite, openingPeriods, type OpeningPeriod, type Site } from '../../shared/reference/sites';
import type { InstitutionCode } from '../../shared/reference/institutions';
import { addDays, hhmmToMinutes, isoWeekday, minutesToHhmm, parisInstant, parseLocalDay, type LocalDay } from '../../shared/time/paris';
import { ensureSeedAccounts, findSeedAccounts, type SeedAccount } from './accounts';
import { BatchInsert, insertTriggerSql, withInsertTriggersSuspended, withRollbackJournal, type JournalMode, type SeqAllocator } from './bulk';
import { SeedError } from './errors';
import { handoffLife } from './handoff-life';
import * as M from './model';
import { isoUtc, Rng, Weighted } from './prng';

export const SEEDED_TABLES = ['queue_entries', 'queue_events', 'contacts', 'contact_domains', 'handoffs'] as const;
/** Synced tables whose insert trigger is suspended during the bulk load. */
const TRIGGER_TABLES = ['queue_entries', 'contacts', 'handoffs'] as const;

export const DEFAULT_SEED = 'accueil-esc';
/** Page cache of the connection during the load (KiB), restored afterwards. */
const BULK_CACHE_KIB = 256 * 1024;

export interface SeedOptions {
  /** Any text; the same seed gives the same data. Default `accueil-esc`. */
  seed?: string | undefined;
  /** Last day seeded (included), Paris calendar day. */
  end: LocalDay;
  /** Number of calendar days, ending at `end`. */
  days: number;
  passagesMin?: number | undefined;
  passagesMax?: number | undefined;
  /** French public holidays are closed days (default true). */
  publicHolidays?: boolean | undefined;
  /** Open days per transaction (default 120 with the file to itself, 20 when shared with a running hub). */
  chunkDays?: number | undefined;
  /** Clock for the audit rows and the duration (default: system clock). */
  clock?: Clock | undefined;
}

export interface DaySummary {
  day: LocalDay;
  open: boolean;
  entries: number;
  outsideHours: number;
  contacts: number;
  handoffs: number;
}

export interface SeedTotals {
  entries: number;
  entriesByState: Record<QueueState, number>;
  /** Done after a move to another service (original_service_code ≠ service_code). */
  movedEntries: number;
  outsideHours: number;
  appointments: number;
  priorityEntries: number;
  queueEvents: number;
  contacts: number;
  contactsByChannel: Record<Channel, number>;
  contactDomains: number;
  /** Contacts with an orientation (institution or partner). */
  orientations: number;
  handoffs: number;
  handoffsByState: Record<HandoffState, number>;
  /** Contacts carrying a pseudonymous person key. */
  identifiedPassages: number;
  /** Distinct person keys among them. */
  distinctPersons: number;
}

export interface SeedSummary {
  site: string;
  seed: string;
  from: LocalDay;
  to: LocalDay;
  calendarDays: number;
  openDays: number;
  passages: { min: number; max: number };
  perDay: DaySummary[];
  totals: SeedTotals;
  accounts: { logins: string[]; created: string[]; password: string };
  /** change_seq values given to the seeded synced rows (null if nothing was written). */
  changeSeq: { first: number; last: number } | null;
  /** Journal used for the load: a rollback journal when the file was not open elsewhere (see bulk.ts). */
  journal: JournalMode;
  durationMs: number;
}

const MIN = 60_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const { year, month, day: d } = parseLocalDay(day);
  const t = new Date(Date.UTC(year, month - 1, d));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === d && year >= 2000 && year <= 2100;
}

function validate(options: SeedOptions): { min: number; max: number; chunk: number | undefined } {
  const min = options.passagesMin ?? 100;
  const max = options.passagesMax ?? 300;
  const chunk = options.chunkDays;
  if (!isValidDay(options.end)) throw new SeedError(`Date de fin invalide « ${options.end} » : attendu AAAA-MM-JJ.`);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 36_600) {
    throw new SeedError('Le nombre de jours doit être un entier entre 1 et 36 600.');
  }
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 999 || min > max) {
    throw new SeedError('Le nombre de passages par jour doit être un intervalle d’entiers entre 1 et 999 (min ≤ max).');
  }
  if (chunk !== undefined && (!Number.isInteger(chunk) || chunk < 1)) throw new SeedError('La taille des lots doit être un entier positif.');
  if (options.seed !== undefined && options.seed.length === 0) throw new SeedError('La graine ne peut pas être vide.');
  return { min, max, chunk };
}

/** Whether the site is open on a day, for the generator (opening periods, public holidays). */
export function seedOpeningPeriods(site: Site, day: LocalDay, publicHolidays = true): OpeningPeriod[] {
  if (publicHolidays && M.isPublicHoliday(day)) return [];
  return openingPeriods(site, isoWeekday(day));
}

const zeroStates = (): Record<QueueState, number> => Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as Record<QueueState, number>;
const zeroChannels = (): Record<Channel, number> => Object.fromEntries(CHANNELS.map((s) => [s, 0])) as Record<Channel, number>;
const zeroHandoffs = (): Record<HandoffState, number> => Object.fromEntries(HANDOFF_STATES.map((s) => [s, 0])) as Record<HandoffState, number>;

/** Writes the seeded days into `store` and returns what was written. Refuses (SeedError, nothing written) if the range already holds data. */
export async function seedSite(store: Store, options: SeedOptions): Promise<SeedSummary> {
  const clock = options.clock ?? systemClock;
  const started = clock.now().getTime();
  const { min, max, chunk } = validate(options);
  const seed = options.seed ?? DEFAULT_SEED;
  const publicHolidays = options.publicHolidays ?? true;
  const siteCode = readMeta(store, 'site_code');
  const site = siteCode ? findSite(siteCode) : undefined;
  if (!site) throw new SeedError('Cette base ne sert aucun site : initialisez-la d’abord (npm run hub -- init).');
  const ctx: CoreContext = { store, site, clock, events: { emit: () => undefined } };
  const sqlite = store.sqlite;

  const to = options.end;
  const from = addDays(to, -(options.days - 1));
  for (const table of ['queue_entries', 'contacts', 'handoffs']) {
    const row = sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE day BETWEEN ? AND ?`).get(from, to) as { n: number };
    if (row.n > 0) {
      throw new SeedError(
        `La base contient déjà des données entre le ${from} et le ${to} (${row.n} ligne(s) dans ${table}) : rien n’a été modifié. ` +
          'Choisissez une autre période (--end, --days) ou une base vide.',
      );
    }
  }
  for (const table of TRIGGER_TABLES) {
    if (!insertTriggerSql(sqlite, table)) throw new SeedError(`Le déclencheur ${table}_seq_insert est absent : base incohérente, rien n’a été modifié.`);
  }
  const plan = buildPlan(ctx, site);
  findSeedAccounts(ctx); // refuses a clashing login before anything is written

  const days: LocalDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  const openDays = days.filter((d) => seedOpeningPeriods(site, d, publicHolidays).length > 0);

  const { accounts, created } = await ensureSeedAccounts(ctx, parisInstant(from, '08:00').getTime());
  const staff = buildStaff(accounts, plan);

  const gen: Generation = {
    ctx,
    site,
    seed,
    min,
    max,
    plan,
    staff,
    publicHolidays,
    lastDay: openDays[openDays.length - 1] ?? to,
    horizonMs: parisInstant(addDays(to, 1), '00:00').getTime(),
    poolSize: Math.max(M.PERSONS_PER_OPEN_DAY, openDays.length * M.PERSONS_PER_OPEN_DAY),
    personKeys: new Map(),
    usedPersons: new Set(),
    totals: emptyTotals(),
    firstSeq: null,
    lastSeq: null,
    stmts: prepare(ctx),
  };

  const perDay: DaySummary[] = [];
  const openSet = new Set(openDays);
  // A large page cache keeps the randomly-updated person index in memory across a transaction.
  const cacheSize = Number(sqlite.pragma('cache_size', { simple: true }));
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  let journal: JournalMode;
  try {
    journal = withRollbackJournal(sqlite, (mode) => {
      // Alone on the file: long transactions are cheapest. Shared with a running hub: short ones, so that it never waits long.
      const size = chunk ?? (mode === 'delete' ? 120 : 20);
      for (let i = 0; i < openDays.length; i += size) {
        const batch = openDays.slice(i, i + size);
        const results = withInsertTriggersSuspended(sqlite, TRIGGER_TABLES, (seq) => batch.map((day) => seedDay(gen, day, seq)));
        perDay.push(...results);
      }
      return mode;
    });
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
  // The day aggregates of the seeded days (marked stale by the store's triggers), as the
  // housekeeping would compute them, so that reports over the seeded history read one row per day.
  refreshStaleDays(ctx, { budgetMs: Number.POSITIVE_INFINITY, perTransaction: 100 });
  const byDay = new Map(perDay.map((p) => [p.day, p]));
  const allDays = days.map((day) => byDay.get(day) ?? { day, open: openSet.has(day), entries: 0, outsideHours: 0, contacts: 0, handoffs: 0 });
  gen.totals.distinctPersons = gen.usedPersons.size;

  const summary: SeedSummary = {
    site: site.code,
    seed,
    from,
    to,
    calendarDays: days.length,
    openDays: openDays.length,
    passages: { min, max },
    perDay: allDays,
    totals: gen.totals,
    accounts: { logins: accounts.map((a) => a.login), created, password: M.SEED_PASSWORD },
    changeSeq: gen.firstSeq === null ? null : { first: gen.firstSeq, last: gen.lastSeq! },
    journal,
    durationMs: 0,
  };
  sqlite.transaction(() =>
    recordAudit(ctx, {
      actor: null,
      action: 'seed.run',
      entity: 'seed',
      entityId: null,
      diff: {
        range: { before: null, after: `${from}..${to}` },
        seed: { before: null, after: seed },
        entries: { before: null, after: gen.totals.entries },
        contacts: { before: null, after: gen.totals.contacts },
        handoffs: { before: null, after: gen.totals.handoffs },
      },
    }),
  )();
  summary.durationMs = clock.now().getTime() - started;
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Site plan: services, domains, partners, destinations and staff, read once from the database.

interface Plan {
  services: Map<string, QueueService>;
  serviceMix: Weighted<string>;
  domainsByService: Map<string, Weighted<string>>;
  generalDomains: Weighted<string>;
  activeDomains: Set<string>;
  moveTargets: Map<string, Weighted<string>>;
  partners: string[];
  taxonomyVersion: number;
  guichets: string[];
  bureaux: string[];
  noShowCalls: number;
  handoffConfig: ReturnType<typeof getHandoffConfig>;
}

function buildPlan(ctx: CoreContext, site: Site): Plan {
  const config = getQueueConfig(ctx);
  const services = new Map(config.services.filter((s) => s.active).map((s) => [s.code, s]));
  const mix = M.SERVICE_MIX.filter(([code]) => services.has(code));
  if (mix.length === 0) throw new SeedError(`Aucun des services attendus (${M.SERVICE_MIX.map(([c]) => c).join(', ')}) n’est actif sur le site ${site.code}.`);
  const activeDomains = new Set(listDomains(ctx, false).domains.map((d) => d.code));
  const weighted = (list: readonly (readonly [string, number])[]) => {
    const kept = list.filter(([code]) => activeDomains.has(code));
    return kept.length > 0 ? new Weighted(kept) : null;
  };
  const generalDomains = weighted(M.SERVICE_DOMAINS.ACCUEIL!);
  if (!generalDomains) throw new SeedError('La nomenclature des domaines de demande ne contient aucun des domaines attendus.');
  const domainsByService = new Map<string, Weighted<string>>();
  for (const code of services.keys()) domainsByService.set(code, weighted(M.SERVICE_DOMAINS[code] ?? []) ?? generalDomains);
  const moveTargets = new Map<string, Weighted<string>>();
  for (const code of services.keys()) {
    const list = (M.MOVE_TARGETS[code] ?? M.MOVE_TARGETS.OTHER!).filter(([t]) => services.has(t) && t !== code);
    const fallback = [...services.keys()].filter((t) => t !== code).map((t) => [t, 1] as const);
    if (list.length > 0) moveTargets.set(code, new Weighted(list));
    else if (fallback.length > 0) moveTargets.set(code, new Weighted(fallback));
  }
  const partners = (ctx.store.sqlite.prepare('SELECT code FROM partners WHERE active = 1 AND deleted_at IS NULL ORDER BY code').all() as { code: string }[]).map(
    (p) => p.code,
  );
  const guichets = config.destinations.filter((d) => /^guichet/i.test(d));
  const bureaux = config.destinations.filter((d) => !/^guichet/i.test(d));
  return {
    services,
    serviceMix: new Weighted(mix),
    domainsByService,
    generalDomains,
    activeDomains,
    moveTargets,
    partners,
    taxonomyVersion: taxonomyVersion(ctx),
    guichets: guichets.length > 0 ? guichets : config.destinations,
    bureaux: bureaux.length > 0 ? bureaux : config.destinations,
    noShowCalls: Math.min(3, config.noShowAfterCalls),
    handoffConfig: getHandoffConfig(ctx),
  };
}

interface StaffMember extends SeedAccount {
  desk: string;
}

interface Staff {
  agents: Weighted<StaffMember>;
  pros: Map<InstitutionCode, StaffMember[]>;
  anyPro: StaffMember[];
  outreach: Weighted<StaffMember>;
}

function buildStaff(accounts: SeedAccount[], plan: Plan): Staff {
  const agents = accounts.filter((a) => a.role === 'agent_accueil').map((a, i) => ({ ...a, desk: plan.guichets[i % plan.guichets.length]! }));
  const pros = accounts.filter((a) => a.role === 'professionnel').map((a, i) => ({ ...a, desk: plan.bureaux[i % plan.bureaux.length]! }));
  const byInstitution = new Map<InstitutionCode, StaffMember[]>();
  for (const p of pros) byInstitution.set(p.institution, [...(byInstitution.get(p.institution) ?? []), p]);
  const outreach = new Weighted<StaffMember>([
    ...agents.map((a) => [a, 1] as const),
    ...pros.filter((p) => p.institution === 'ARCS' || p.institution === 'CCAS').map((p) => [p, 3] as const),
  ]);
  return { agents: new Weighted(agents.map((a) => [a, a.weight] as const)), pros: byInstitution, anyPro: pros, outreach };
}

// ---------------------------------------------------------------------------------------------
// Statements.

/**
 * Every table is written with multi-row INSERTs (bulk.ts); a batch flushes the batches its
 * foreign keys point to first, and all are flushed at the end of each day.
 */
interface Statements {
  entry: BatchInsert;
  event: BatchInsert;
  contact: BatchInsert;
  domain: BatchInsert;
  handoff: BatchInsert;
}

function prepare(ctx: CoreContext): Statements {
  const s = ctx.store.sqlite;
  const entry = new BatchInsert(
    s,
    `INSERT INTO queue_entries (id, day, ticket, ticket_number, service_code, original_service_code, purpose, first_name, appointment_at,
       appointment_with_account_id, priority_reasons, needs, state, arrived_at, first_called_at, last_called_at, call_count, called_to,
       called_by, started_at, served_by, finished_at, ended_at, outside_hours, sort_override, registered_by, site_id, updated_at, version, change_seq)`,
    '(?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)',
    32,
  );
  const event = new BatchInsert(
    s,
    'INSERT INTO queue_events (id, entry_id, day, at, action, from_state, to_state, actor_id, service_from, service_to, destination, reason)',
    '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
    64,
    [entry],
  );
  const contact = new BatchInsert(
    s,
    `INSERT INTO contacts (id, day, at, agent_id, agent_institution, channel, domains, actions, orientation_kind, orientation_target, flags,
       duration_minutes, queue_entry_id, ticket, note, person_key, taxonomy_version, site_id, updated_at, version, change_seq)`,
    '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 1, ?)',
    32,
    [entry],
  );
  const domain = new BatchInsert(s, 'INSERT INTO contact_domains (contact_id, day, domain_code)', '(?, ?, ?)', 64, [contact]);
  const handoff = new BatchInsert(
    s,
    `INSERT INTO handoffs (id, day, created_at, from_account_id, from_institution, to_institution, to_entry_id, to_account_id, domains, urgency,
       mode, appointment_at, appointment_place, consent, consent_recorded_by, consent_at, shared_fields, person_name, person_phone, summary,
       documents, queue_entry_id, contact_id, state, seen_at, accepted_at, accepted_by, taken_by, declined_at, decline_reason, decline_text,
       closed_at, late_at, expires_at, reoriented_from_id, anonymised_at, site_id, updated_at, version, change_seq)`,
    "(?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, '[]', NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
    16,
    [entry, contact],
  );
  return { entry, event, contact, domain, handoff };
}

// ---------------------------------------------------------------------------------------------
// One day.

interface Generation {
  ctx: CoreContext;
  site: Site;
  seed: string;
  min: number;
  max: number;
  plan: Plan;
  staff: Staff;
  publicHolidays: boolean;
  lastDay: LocalDay;
  horizonMs: number;
  poolSize: number;
  personKeys: Map<number, string>;
  usedPersons: Set<number>;
  totals: SeedTotals;
  firstSeq: number | null;
  lastSeq: number | null;
  stmts: Statements;
}

function emptyTotals(): SeedTotals {
  return {
    entries: 0,
    entriesByState: zeroStates(),
    movedEntries: 0,
    outsideHours: 0,
    appointments: 0,
    priorityEntries: 0,
    queueEvents: 0,
    contacts: 0,
    contactsByChannel: zeroChannels(),
    contactDomains: 0,
    orientations: 0,
    handoffs: 0,
    handoffsByState: zeroHandoffs(),
    identifiedPassages: 0,
    distinctPersons: 0,
  };
}


/** Arrival minutes of a day with their density, cached per opening pattern. */
const minuteTables = new Map<string, { minutes: Int32Array; cumulative: Float64Array; open: Int32Array }>();

function minuteTable(periods: OpeningPeriod[]) {
  const key = periods.map((p) => `${p.start}-${p.end}`).join(',');
  let table = minuteTables.get(key);
  if (!table) {
    const minutes: number[] = [];
    const cumulative: number[] = [];
    let sum = 0;
    for (const p of periods) {
      const start = hhmmToMinutes(p.start);
      const end = hhmmToMinutes(p.end);
      for (let m = start; m < end; m++) {
        sum += Math.max(0.1, M.arrivalDensity(m - start, end - start, start < 12 * 60));
        minutes.push(m);
        cumulative.push(sum);
      }
    }
    table = { minutes: Int32Array.from(minutes), cumulative: Float64Array.from(cumulative), open: Int32Array.from(minutes) };
    minuteTables.set(key, table);
  }
  return table;
}

function sampleMinute(rng: Rng, table: { minutes: Int32Array; cumulative: Float64Array }): number {
  const x = rng.next() * table.cumulative[table.cumulative.length - 1]!;
  let lo = 0;
  let hi = table.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table.cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return table.minutes[lo]!;
}

function isOpenMinute(periods: OpeningPeriod[], minute: number): boolean {
  return periods.some((p) => minute >= hhmmToMinutes(p.start) && minute < hhmmToMinutes(p.end));
}

/** A minute in the outside-hours windows: just before an opening period, or just after it. */
function outsideMinute(rng: Rng, periods: OpeningPeriod[]): number {
  const w = M.OUTSIDE_HOURS_WINDOW_MINUTES;
  for (;;) {
    const p = rng.pick(periods);
    // People waiting at the door before opening are the most common case.
    const minute = rng.chance(0.6) ? hhmmToMinutes(p.start) - rng.int(1, w) : hhmmToMinutes(p.end) + rng.int(0, w - 1);
    if (!isOpenMinute(periods, minute)) return minute;
  }
}

interface EventRow {
  ms: number;
  action: string;
  from: QueueState | null;
  to: QueueState;
  actor: string;
  serviceFrom: string;
  serviceTo: string;
  destination: string | null;
}

interface EntryDraft {
  arrivedMs: number;
  outside: boolean;
  service: string;
  purpose: string | null;
  appointmentMs: number | null;
  appointmentWith: string | null;
  priority: string[];
  needs: string[];
}

interface OnSiteContact {
  entryId: string | null;
  ticket: string | null;
  atMs: number;
  agent: StaffMember;
  channel: Channel;
  durationMinutes: number;
  purpose: string | null;
  service: string;
  needs: string[];
}

function dayLevel(gen: Generation, rng: Rng, day: LocalDay, periods: OpeningPeriod[]): number {
  const { month } = parseLocalDay(day);
  const openMinutes = periods.reduce((s, p) => s + hhmmToMinutes(p.end) - hhmmToMinutes(p.start), 0);
  const full = hhmmToMinutes(gen.site.morning.end) - hhmmToMinutes(gen.site.morning.start) + hhmmToMinutes(gen.site.afternoon.end) - hhmmToMinutes(gen.site.afternoon.start);
  const share = Math.min(1, openMinutes / full);
  let level = M.SITE_LEVEL[gen.site.code] + M.WEEKDAY_ADJUST[isoWeekday(day)]! + M.MONTH_ADJUST[month]! + rng.normal() * M.LEVEL_NOISE_SD;
  level *= 0.35 + 0.65 * share;
  return Math.min(1, Math.max(0, level));
}

function proFor(gen: Generation, rng: Rng, institution: InstitutionCode | null): StaffMember {
  const pros = institution ? gen.staff.pros.get(institution) : undefined;
  return pros && pros.length > 0 ? rng.pick(pros) : gen.staff.agents.pick(rng);
}

function serverFor(gen: Generation, rng: Rng, service: string): StaffMember {
  const institution = gen.plan.services.get(service)?.institution ?? null;
  return institution ? proFor(gen, rng, institution) : gen.staff.agents.pick(rng);
}

const priorityMix = new Weighted(M.PRIORITY_MIX);
const outcomeMix = new Weighted(M.OUTCOME_MIX);
const extraChannels = new Weighted(M.EXTRA_CHANNELS);
const modesOnSite = new Weighted(M.HANDOFF_MODES_ON_SITE);
const modesRemote = new Weighted(M.HANDOFF_MODES_REMOTE);

/**
 * The steps of one passage, written the way `core/queue/queue.ts` would have: each action sets
 * its timestamps and leaves one history row. Reused from one passage to the next (no closures in
 * the hot loop).
 */
class Timeline {
  readonly events: EventRow[] = [];
  count = 0;
  service = '';
  firstCalledMs: number | null = null;
  lastCalledMs: number | null = null;
  callCount = 0;
  calledTo: string | null = null;
  calledBy: string | null = null;
  startedMs: number | null = null;
  servedBy: StaffMember | null = null;
  finishedMs: number | null = null;
  endedMs: number | null = null;
  lastMs = 0;

  constructor(
    private readonly gen: Generation,
    private readonly rng: Rng,
  ) {}

  reset(service: string): void {
    this.count = 0;
    this.service = service;
    this.firstCalledMs = null;
    this.lastCalledMs = null;
    this.callCount = 0;
    this.calledTo = null;
    this.calledBy = null;
    this.startedMs = null;
    this.servedBy = null;
    this.finishedMs = null;
    this.endedMs = null;
  }

  event(ms: number, action: string, from: QueueState | null, to: QueueState, actor: string, destination: string | null = null, serviceTo?: string): void {
    let e = this.events[this.count];
    if (!e) {
      e = { ms: 0, action: '', from: null, to: 'waiting', actor: '', serviceFrom: '', serviceTo: '', destination: null };
      this.events.push(e);
    }
    e.ms = ms;
    e.action = action;
    e.from = from;
    e.to = to;
    e.actor = actor;
    e.serviceFrom = this.service;
    e.serviceTo = serviceTo ?? this.service;
    e.destination = destination;
    this.count += 1;
    this.lastMs = ms;
  }

  call(ms: number, who: StaffMember, action: 'call' | 'recall'): void {
    this.event(ms, action, action === 'call' ? 'waiting' : 'called', 'called', who.id, who.desk);
    this.firstCalledMs ??= ms;
    this.lastCalledMs = ms;
    this.callCount += 1;
    this.calledTo = who.desk;
    this.calledBy = who.id;
  }

  /** Called (sometimes twice), received, finished. */
  serve(callMs: number, who: StaffMember): void {
    const rng = this.rng;
    let last = callMs;
    this.call(callMs, who, 'call');
    if (rng.chance(0.08)) {
      last = callMs + rng.range(1, 3) * MIN;
      this.call(last, who, 'recall');
    }
    const start = last + rng.range(20, 180) * 1000;
    this.event(start, 'start', 'called', 'in_progress', who.id);
    const b = this.gen.plan.services.get(this.service)!.institution ? M.SERVICE_MINUTES.professional : M.SERVICE_MINUTES.reception;
    const finish = start + Math.min(b.max, b.min + ((b.mean - b.min) * rng.gamma2()) / 2) * MIN;
    this.event(finish, 'finish', 'in_progress', 'done', who.id);
    this.startedMs = start;
    this.servedBy = who;
    this.finishedMs = finish;
    this.endedMs = finish;
  }
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoUtc(ms);
}

function seedDay(gen: Generation, day: LocalDay, seq: SeqAllocator): DaySummary {
  const { plan, stmts, totals } = gen;
  const rng = new Rng(`${gen.seed}|${gen.site.code}|${day}`);
  const periods = seedOpeningPeriods(gen.site, day, gen.publicHolidays);
  const table = minuteTable(periods);
  // One UTC offset for the whole opening day: Paris changes time on Sunday nights only.
  const baseMs = parisInstant(day, '12:00').getTime() - 12 * 60 * MIN;
  const wallMs = (minute: number) => baseMs + minute * MIN;

  const count = Math.round(gen.min + dayLevel(gen, rng, day, periods) * (gen.max - gen.min));
  const loadFactor = Math.min(1.4, Math.max(0.6, count / 200));
  const summary: DaySummary = { day, open: true, entries: count, outsideHours: 0, contacts: 0, handoffs: 0 };

  // Arrivals.
  const drafts: EntryDraft[] = [];
  for (let i = 0; i < count; i++) {
    const service = plan.serviceMix.pick(rng);
    const institution = plan.services.get(service)!.institution;
    const outside = rng.chance(M.OUTSIDE_HOURS_SHARE);
    let arrivedMs: number;
    let appointmentMs: number | null = null;
    let appointmentWith: string | null = null;
    if (!outside && institution && rng.chance(M.APPOINTMENT_SHARE)) {
      // A quarter-hour slot at least 15 minutes after opening and 30 before closing; people come 0–15 minutes early, some a little late.
      const p = rng.pick(periods);
      const first = Math.ceil((hhmmToMinutes(p.start) + 15) / 15);
      const last = Math.floor((hhmmToMinutes(p.end) - 30) / 15);
      const slot = rng.int(first, Math.max(first, last)) * 15;
      appointmentMs = wallMs(slot);
      arrivedMs = appointmentMs + (rng.chance(0.9) ? -rng.int(0, 15 * 60) : rng.int(0, 5 * 60)) * 1000;
      appointmentWith = proFor(gen, rng, institution).id;
    } else {
      const minute = outside ? outsideMinute(rng, periods) : sampleMinute(rng, table);
      arrivedMs = wallMs(minute) + rng.int(0, 59_999);
    }
    const needs: string[] = [];
    if (rng.chance(M.INTERPRETER_SHARE)) needs.push('interprete');
    if (rng.chance(M.ACCESSIBILITY_SHARE)) needs.push('accessibilite');
    drafts.push({
      arrivedMs,
      outside,
      service,
      purpose: rng.chance(M.NO_PURPOSE_SHARE) ? null : plan.domainsByService.get(service)!.pick(rng),
      appointmentMs,
      appointmentWith,
      priority: rng.chance(M.PRIORITY_SHARE) ? [priorityMix.pick(rng)] : [],
      needs,
    });
  }
  drafts.sort((a, b) => a.arrivedMs - b.arrivedMs);

  const numbers = new Map<string, number>();
  const contactsToLog: OnSiteContact[] = [];
  const t = new Timeline(gen, rng);
  for (const d of drafts) {
    const service = plan.services.get(d.service)!;
    const number = (numbers.get(service.prefix) ?? 0) + 1;
    numbers.set(service.prefix, number);
    const ticket = `${service.prefix}-${String(number).padStart(3, '0')}`;
    const id = rng.uuidv7(d.arrivedMs);
    const registrar = gen.staff.agents.pick(rng);
    t.reset(d.service);
    t.event(d.arrivedMs, 'add', null, 'waiting', registrar.id);

    let waitMs: number;
    if (d.appointmentMs !== null) waitMs = Math.max(2 * MIN, d.appointmentMs - d.arrivedMs + rng.range(0, 8) * MIN);
    else {
      const extra = (M.meanExtraWait((d.arrivedMs - baseMs) / MIN) * loadFactor * rng.gamma2()) / 2;
      waitMs = Math.min(60, 2 + extra * (d.priority.length > 0 ? 0.6 : 1)) * MIN;
    }
    const calledMs = d.arrivedMs + waitMs;

    let outcome = outcomeMix.pick(rng);
    if (outcome === 'moved' && !plan.moveTargets.has(d.service)) outcome = 'done';
    let state: QueueState;
    switch (outcome) {
      case 'done':
        t.serve(calledMs, serverFor(gen, rng, d.service));
        state = 'done';
        break;
      case 'moved': {
        // Received briefly, then sent on to another service, where the person waits again.
        const first = serverFor(gen, rng, d.service);
        const target = plan.moveTargets.get(d.service)!.pick(rng);
        t.call(calledMs, first, 'call');
        const start = calledMs + rng.range(20, 120) * 1000;
        t.event(start, 'start', 'called', 'in_progress', first.id);
        const moveMs = start + rng.range(2, 8) * MIN;
        t.event(moveMs, 'move', 'in_progress', 'waiting', first.id, null, target);
        t.service = target;
        t.serve(moveMs + rng.range(2, 25) * MIN, serverFor(gen, rng, target));
        state = 'done';
        totals.movedEntries += 1;
        break;
      }
      case 'no_show': {
        const who = serverFor(gen, rng, d.service);
        let ms = calledMs;
        t.call(ms, who, 'call');
        for (let c = 1; c < plan.noShowCalls; c++) {
          ms += rng.range(2, 5) * MIN;
          t.call(ms, who, 'recall');
        }
        t.endedMs = ms + rng.range(1, 3) * MIN;
        t.event(t.endedMs, 'noShow', 'called', 'no_show', who.id);
        state = 'no_show';
        break;
      }
      case 'left':
        if (rng.chance(0.2)) {
          const who = serverFor(gen, rng, d.service);
          t.call(calledMs, who, 'call');
          t.endedMs = calledMs + rng.range(1, 3) * MIN;
          t.event(t.endedMs, 'left', 'called', 'left', who.id);
        } else {
          t.endedMs = d.arrivedMs + rng.range(5, 60) * MIN;
          t.event(t.endedMs, 'left', 'waiting', 'left', gen.staff.agents.pick(rng).id);
        }
        state = 'left';
        break;
      case 'cancelled':
        t.endedMs = d.arrivedMs + rng.range(1, 20) * MIN;
        t.event(t.endedMs, 'cancel', 'waiting', 'cancelled', registrar.id);
        state = 'cancelled';
        break;
    }

    const s = seq.next();
    gen.firstSeq ??= s;
    gen.lastSeq = s;
    stmts.entry.push(
      id,
      day,
      ticket,
      number,
      t.service,
      d.service,
      d.purpose,
      isoOrNull(d.appointmentMs),
      d.appointmentWith,
      d.priority.length === 0 ? '[]' : JSON.stringify(d.priority),
      d.needs.length === 0 ? '[]' : JSON.stringify(d.needs),
      state,
      isoUtc(d.arrivedMs),
      isoOrNull(t.firstCalledMs),
      isoOrNull(t.lastCalledMs),
      t.callCount,
      t.calledTo,
      t.calledBy,
      isoOrNull(t.startedMs),
      t.servedBy?.id ?? null,
      isoOrNull(t.finishedMs),
      isoOrNull(t.endedMs),
      d.outside ? 1 : 0,
      registrar.id,
      gen.site.code,
      isoUtc(t.lastMs),
      t.count,
      s,
    );
    for (let i = 0; i < t.count; i++) {
      const e = t.events[i]!;
      stmts.event.push(rng.uuidv7(e.ms), id, day, isoUtc(e.ms), e.action, e.from, e.to, e.actor, e.serviceFrom, e.serviceTo, e.destination);
    }
    totals.entries += 1;
    totals.entriesByState[state] += 1;
    totals.queueEvents += t.count;
    if (d.outside) {
      totals.outsideHours += 1;
      summary.outsideHours += 1;
    }
    if (d.appointmentMs !== null) totals.appointments += 1;
    if (d.priority.length > 0) totals.priorityEntries += 1;

    if (state === 'done' && rng.chance(M.CONTACT_FOR_DONE_SHARE)) {
      contactsToLog.push({
        entryId: id,
        ticket,
        atMs: t.finishedMs!,
        agent: t.servedBy!,
        channel: d.appointmentMs !== null ? 'sur_place_rdv' : 'sur_place',
        durationMinutes: Math.max(0, Math.round((t.finishedMs! - t.startedMs!) / MIN)),
        purpose: d.purpose,
        service: t.service,
        needs: d.needs,
      });
    }
  }

  // Phone, e-mail, mail and outreach contacts, during opening hours.
  const extra = Math.round(contactsToLog.length * rng.range(M.EXTRA_CONTACTS_SHARE.min, M.EXTRA_CONTACTS_SHARE.max));
  for (let i = 0; i < extra; i++) {
    const channel = extraChannels.pick(rng);
    const agent = channel === 'aller_vers' ? gen.staff.outreach.pick(rng) : rng.chance(0.8) ? gen.staff.agents.pick(rng) : rng.pick(gen.staff.anyPro);
    const [lo, hi] = M.EXTRA_DURATION[channel];
    const minute = table.open[rng.int(0, table.open.length - 1)]!;
    contactsToLog.push({
      entryId: null,
      ticket: null,
      atMs: wallMs(minute) + rng.int(0, 59_999),
      agent,
      channel,
      durationMinutes: rng.int(lo, hi),
      purpose: null,
      service: 'ACCUEIL',
      needs: [],
    });
  }
  contactsToLog.sort((a, b) => a.atMs - b.atMs);

  for (const c of contactsToLog) {
    logContact(gen, rng, day, c, seq, summary);
  }
  // In foreign-key order, before the day's transaction commits.
  for (const batch of [stmts.entry, stmts.event, stmts.contact, stmts.domain, stmts.handoff]) batch.flush();
  summary.contacts = contactsToLog.length;
  return summary;
}

function orderedBy<T extends string>(reference: readonly T[], items: Set<T>): T[] {
  return reference.filter((x) => items.has(x));
}

function contactDomains(gen: Generation, rng: Rng, c: OnSiteContact): string[] {
  const { plan } = gen;
  const primary = c.purpose ?? (plan.domainsByService.get(c.service) ?? plan.generalDomains).pick(rng);
  const domains = [primary];
  if (rng.chance(M.SECOND_DOMAIN_SHARE)) {
    const second = plan.generalDomains.pick(rng);
    const family = (code: string) => (code.startsWith('DROITS') ? 'DROITS' : code);
    if (family(second) !== family(primary)) domains.push(second);
  }
  return domains;
}

function orientationFor(gen: Generation, rng: Rng, agent: StaffMember, domains: string[]): { kind: 'institution' | 'partner'; target: string } | null {
  if (!rng.chance(M.ORIENTATION_SHARE)) return null;
  const { plan } = gen;
  if (!rng.chance(M.ORIENTATION_INSTITUTION_SHARE) && plan.partners.length > 0) {
    const fitting = (M.DOMAIN_PARTNERS[domains[0]!] ?? []).filter((p) => plan.partners.includes(p));
    const fallback = M.FALLBACK_PARTNERS.filter((p) => plan.partners.includes(p));
    return { kind: 'partner', target: rng.pick(fitting.length > 0 ? fitting : fallback.length > 0 ? fallback : plan.partners) };
  }
  // A professional orients to another institution; reception may orient to any, its own included.
  const candidates = domains.map((d) => M.DOMAIN_INSTITUTION[d] ?? 'CCAS').filter((i) => agent.role !== 'professionnel' || i !== agent.institution);
  const others = (['CCAS', 'CDAS', 'CAF', 'WEKER', 'ARCS'] as const).filter((i) => i !== agent.institution);
  return { kind: 'institution', target: candidates.length > 0 ? candidates[0]! : rng.pick(others) };
}

function personKeyFor(gen: Generation, rng: Rng): string | null {
  if (!rng.chance(M.IDENTIFIED_SHARE)) return null;
  // Frequent visitors come back often: lower indices are drawn more (P(index < k) = √(k/pool)).
  const index = Math.floor(gen.poolSize * rng.next() ** 2);
  let key = gen.personKeys.get(index);
  if (!key) {
    const birth = addDays('1940-01-01', (index * 7919) % 27_000);
    key = personKey(gen.ctx, { lastName: `Fictif ${gen.seed} ${index}`, firstName: 'Personne', birthDate: birth });
    gen.personKeys.set(index, key);
  }
  gen.usedPersons.add(index);
  return key;
}

function logContact(gen: Generation, rng: Rng, day: LocalDay, c: OnSiteContact, seq: SeqAllocator, summary: DaySummary): void {
  const { stmts, totals } = gen;
  const domains = contactDomains(gen, rng, c);
  const orientation = orientationFor(gen, rng, c.agent, domains);
  const actions = new Set<ContactAction>();
  for (const [action, share] of M.ACTION_SHARES) {
    const p = action === 'aide_demarche' && domains.includes('NUMERIQUE') ? 0.6 : share;
    if (rng.chance(p)) actions.add(action);
  }
  if (actions.size === 0) actions.add('information');
  if (orientation) actions.add('orientation');

  const handoff = orientation?.kind === 'institution' && rng.chance(M.HANDOFF_GIVEN_INSTITUTION_ORIENTATION);
  const onSite = c.channel === 'sur_place' || c.channel === 'sur_place_rdv';
  const mode: HandoffMode | null = handoff ? (onSite ? modesOnSite : modesRemote).pick(rng) : null;
  if (mode === 'rdv') actions.add('rdv_pris');

  const flags = new Set<ContactFlag>();
  for (const [flag, share] of M.FLAG_SHARES) if (rng.chance(share)) flags.add(flag);
  if ((actions.has('aide_demarche') && rng.chance(0.7)) || (domains.includes('NUMERIQUE') && rng.chance(0.5))) flags.add('aide_numerique');
  if (c.needs.includes('interprete')) flags.add('interprete');

  const person = personKeyFor(gen, rng);
  const loggedMs = c.atMs + rng.int(10, 180) * 1000;
  const id = rng.uuidv7(loggedMs);
  const s = seq.next();
  gen.firstSeq ??= s;
  gen.lastSeq = s;
  stmts.contact.push(
    id,
    day,
    isoUtc(c.atMs),
    c.agent.id,
    c.agent.institution,
    c.channel,
    JSON.stringify(domains),
    JSON.stringify(orderedBy(CONTACT_ACTIONS, actions)),
    orientation?.kind ?? null,
    orientation?.target ?? null,
    JSON.stringify(orderedBy(CONTACT_FLAGS, flags)),
    c.durationMinutes,
    c.entryId,
    c.ticket,
    person,
    gen.plan.taxonomyVersion,
    gen.site.code,
    isoUtc(loggedMs),
    s,
  );
  for (const d of domains) stmts.domain.push(id, day, d);
  totals.contacts += 1;
  totals.contactsByChannel[c.channel] += 1;
  totals.contactDomains += domains.length;
  if (orientation) totals.orientations += 1;
  if (person) totals.identifiedPassages += 1;

  if (mode && orientation) {
    writeHandoff(gen, rng, day, { contactId: id, entryId: c.entryId, agent: c.agent, domains, to: orientation.target as InstitutionCode, mode, createdMs: loggedMs + rng.int(20, 120) * 1000 }, seq);
    summary.handoffs += 1;
  }
}

/** A quarter-hour slot on one of the next open days (1 to 10 open days later), for a booked appointment. */
function appointmentSlot(gen: Generation, rng: Rng, day: LocalDay): number {
  let target = day;
  let remaining = rng.int(1, 10);
  while (remaining > 0) {
    target = addDays(target, 1);
    if (seedOpeningPeriods(gen.site, target, gen.publicHolidays).length > 0) remaining -= 1;
  }
  const periods = seedOpeningPeriods(gen.site, target, gen.publicHolidays);
  const p = rng.pick(periods);
  const first = Math.ceil((hhmmToMinutes(p.start) + 15) / 15);
  const last = Math.floor((hhmmToMinutes(p.end) - 30) / 15);
  return parisInstant(target, minutesToHhmm(rng.int(first, Math.max(first, last)) * 15)).getTime();
}

interface HandoffSource {
  contactId: string;
  entryId: string | null;
  agent: StaffMember;
  domains: string[];
  to: InstitutionCode;
  mode: HandoffMode;
  createdMs: number;
}

function writeHandoff(gen: Generation, rng: Rng, day: LocalDay, h: HandoffSource, seq: SeqAllocator): void {
  const { stmts, totals, plan } = gen;
  const receivers = gen.staff.pros.get(h.to) ?? gen.staff.anyPro;
  const receiver = rng.pick(receivers);
  const other = rng.pick(receivers);
  const appointmentMs = h.mode === 'rdv' ? appointmentSlot(gen, rng, day) : null;
  const life = handoffLife(rng, {
    createdMs: h.createdMs,
    mode: h.mode,
    appointmentMs,
    horizonMs: gen.horizonMs,
    lastDay: day === gen.lastDay,
    receiverId: receiver.id,
    otherReceiverId: other.id,
    config: plan.handoffConfig,
  });
  const consent = rng.chance(M.CONSENT_SHARE);
  // Housekeeping anonymises hand-overs after the retention period (anonymiseOld): mirror it.
  const retentionMs = plan.handoffConfig.retentionDays * 24 * 60 * MIN;
  const anonymisedMs = h.createdMs + retentionMs + rng.range(0, 6 * 60) * MIN;
  const anonymised = anonymisedMs < gen.horizonMs;
  
  const s = seq.next();
  gen.firstSeq ??= s;
  gen.lastSeq = s;
  stmts.handoff.push(
    rng.uuidv7(h.createdMs),
    day,
    isoUtc(h.createdMs),
    h.agent.id,
    h.agent.institution,
    h.to,
    JSON.stringify(h.domains),
    rng.chance(M.URGENT_SHARE) ? 'urgente' : 'normale',
    h.mode,
    isoOrNull(appointmentMs),
    appointmentMs !== null && !anonymised ? receiver.desk : null,
    consent ? 1 : 0,
    consent ? h.agent.id : null,
    consent ? isoUtc(h.createdMs) : null,
    h.entryId,
    h.contactId,
    life.state,
    isoOrNull(life.seenMs),
    isoOrNull(life.acceptedMs),
    life.acceptedBy,
    life.takenBy,
    isoOrNull(life.declinedMs),
    life.declineReason,
    isoOrNull(life.closedMs),
    isoUtc(life.lateMs),
    isoUtc(life.expiresMs),
    anonymised ? isoUtc(anonymisedMs) : null,
    gen.site.code,
    isoUtc(anonymised ? Math.max(anonymisedMs, life.lastChangeMs) : life.lastChangeMs),
    life.version,
    s,
  );
  totals.handoffs += 1;
  totals.handoffsByState[life.state] += 1;
}
