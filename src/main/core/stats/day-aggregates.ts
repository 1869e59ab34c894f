/**
 * Day aggregates in the store (decision 015): computed from the rows of one day (indexed reads
 * only, so a day costs the same in a database of one day or of ten years), stored one row per
 * day, frozen at the day's closing, recomputed when triggers mark a day stale; whole months and
 * years rolled up from them.
 *
 * Reading (`loadPeriod`, `loadAggregates`) never writes: days marked stale (today, days changed
 * since the last refresh, days of a database upgraded from before aggregates) are computed on the
 * fly, so a report is always exact and can run on a read-only connection. Writing happens at
 * closing (`freezeDay`), at reopening (`unfreezeDay`), before person keys are erased
 * (`finalisePersons`) and in small slices from housekeeping (`refreshStaleDays`).
 */
import { RECEIVED_STATES, type QueueState } from '../../../shared/queue/states';
import { contacts, dayAggregates, dayClosings, handoffs, periodAggregates, queueEntries } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import type { Store } from '../../store/open';
import { addDays, dayBounds, isoWeekday, localDay, localMinutes, type LocalDay } from '../../../shared/time/paris';
import type { CoreContext } from '../context';
import {
  AGGREGATE_FORMAT,
  dayNumber,
  decodeAggregate,
  decodeRollup,
  emptyAggregate,
  encodeAggregate,
  encodeRollup,
  isEmptyAggregate,
  rollUp,
  tenthsBetween,
  toHistogram,
  type DayAggregate,
  type Rollup,
} from './aggregate';

type StoredRow = Pick<Columns<typeof dayAggregates>, 'day' | 'format' | 'data' | 'frozen' | 'personsFinal'>;
type Day = { day: LocalDay };
type Range = { from: LocalDay; to: LocalDay };
type Kind = Rollup['kind'];

const SELECT_STORED = 'SELECT day, format, data, frozen, persons_final AS personsFinal FROM day_aggregates';

/**
 * The rollups of one kind inside a period, through the covering index of migration 12 (the
 * primary key would find them too, but then read each row's JSON to reach `computed_at`);
 * tests/integration/aggregates.test.ts checks that no report scans the rollups of the whole history.
 */
export const ROLLUPS_IN_SQL =
  'SELECT first_day AS firstDay, computed_at AS computedAt FROM period_aggregates WHERE kind = @kind AND first_day BETWEEN @from AND @to AND last_day <= @to AND format = @format ORDER BY first_day';

const Q = {
  // The rows of one day.
  entries: sql<Day, Pick<Columns<typeof queueEntries>, 'state' | 'serviceCode' | 'arrivedAt' | 'firstCalledAt' | 'startedAt' | 'finishedAt' | 'outsideHours'>>(
    `SELECT state, service_code AS serviceCode, arrived_at AS arrivedAt, first_called_at AS firstCalledAt, started_at AS startedAt,
            finished_at AS finishedAt, outside_hours AS outsideHours
     FROM queue_entries WHERE day = @day AND state <> 'cancelled' AND deleted_at IS NULL`,
  ),
  contacts: sql<Day, Pick<Columns<typeof contacts>, 'channel' | 'domains' | 'orientationTarget' | 'personKey'>>(
    `SELECT channel, domains, orientation_target AS orientationTarget, person_key AS personKey
     FROM contacts WHERE day = @day AND deleted_at IS NULL`,
  ),
  previousVisit: sql<{ key: string; day: LocalDay }, { day: LocalDay | null }>(
    'SELECT max(day) AS day FROM contacts WHERE person_key = @key AND day < @day AND deleted_at IS NULL',
  ),
  closingsOf: sql<{ a: LocalDay; b: LocalDay }, Pick<Columns<typeof dayClosings>, 'day' | 'closedAt'>>(
    "SELECT day, closed_at AS closedAt FROM day_closings WHERE day IN (@a, @b) AND state = 'closed' AND deleted_at IS NULL",
  ),
  handoffsCreated: sql<Range, Pick<Columns<typeof handoffs>, 'createdAt'>>(
    'SELECT created_at AS createdAt FROM handoffs WHERE day BETWEEN @from AND @to AND deleted_at IS NULL',
  ),
  handoffsAccepted: sql<{ start: string; end: string }, { createdAt: string; acceptedAt: string }>(
    'SELECT created_at AS createdAt, accepted_at AS acceptedAt FROM handoffs WHERE accepted_at >= @start AND accepted_at < @end AND deleted_at IS NULL',
  ),
  handoffsClosed: sql<{ start: string; end: string }, Pick<Columns<typeof handoffs>, 'state' | 'acceptedAt'> & { closedAt: string }>(
    'SELECT state, accepted_at AS acceptedAt, closed_at AS closedAt FROM handoffs WHERE closed_at >= @start AND closed_at < @end AND deleted_at IS NULL',
  ),
  isClosed: sql<Day, { one: number }>("SELECT 1 AS one FROM day_closings WHERE day = @day AND state = 'closed' AND deleted_at IS NULL"),
  // Stored day aggregates.
  stored: sql<Day, StoredRow>(`${SELECT_STORED} WHERE day = @day`),
  storedIn: sql<Range, StoredRow>(`${SELECT_STORED} WHERE day BETWEEN @from AND @to`),
  upsert: sql<{ day: LocalDay; format: number; data: string; frozen: number; personsFinal: number; now: string }>(
    `INSERT INTO day_aggregates (day, format, data, frozen, persons_final, computed_at) VALUES (@day, @format, @data, @frozen, @personsFinal, @now)
     ON CONFLICT(day) DO UPDATE SET format = excluded.format, data = excluded.data, frozen = excluded.frozen, computed_at = excluded.computed_at`,
  ),
  deleteDay: sql<Day>('DELETE FROM day_aggregates WHERE day = @day'),
  unfreeze: sql<Day>('UPDATE day_aggregates SET frozen = 0 WHERE day = @day'),
  finalPersons: sql<Day>('UPDATE day_aggregates SET persons_final = 1 WHERE day = @day'),
  // Stale marks.
  staleIn: sql<Range, Day>('SELECT day FROM day_aggregates_stale WHERE day BETWEEN @from AND @to ORDER BY day'),
  isStale: sql<Day, { one: number }>('SELECT 1 AS one FROM day_aggregates_stale WHERE day = @day'),
  anyStaleIn: sql<Range, { one: number }>('SELECT 1 AS one FROM day_aggregates_stale WHERE day BETWEEN @from AND @to LIMIT 1'),
  nextStale: sql<{ limit: number }, Day>('SELECT day FROM day_aggregates_stale ORDER BY day DESC LIMIT @limit'),
  staleCount: sql<Record<string, never>, { n: number }>('SELECT count(*) AS n FROM day_aggregates_stale'),
  markStale: sql<Day>('INSERT OR IGNORE INTO day_aggregates_stale (day) VALUES (@day)'),
  clearStale: sql<Day>('DELETE FROM day_aggregates_stale WHERE day = @day'),
  // Rollups.
  invalidate: sql<{ month: LocalDay; year: LocalDay }>(
    "DELETE FROM period_aggregates WHERE (kind = 'month' AND first_day = @month) OR (kind = 'year' AND first_day = @year)",
  ),
  todo: sql<{ month: LocalDay; year: LocalDay }>("INSERT OR IGNORE INTO period_aggregates_todo (kind, first_day) VALUES ('month', @month), ('year', @year)"),
  todoList: sql<Record<string, never>, { kind: Kind; firstDay: LocalDay }>(
    "SELECT kind, first_day AS firstDay FROM period_aggregates_todo ORDER BY kind = 'year', first_day DESC",
  ),
  todoHas: sql<{ kind: Kind; first: LocalDay }, { one: number }>('SELECT 1 AS one FROM period_aggregates_todo WHERE kind = @kind AND first_day = @first'),
  todoDone: sql<{ kind: Kind; first: LocalDay }>('DELETE FROM period_aggregates_todo WHERE kind = @kind AND first_day = @first'),
  rollup: sql<{ kind: Kind; first: LocalDay }, Pick<Columns<typeof periodAggregates>, 'format' | 'data' | 'computedAt'>>(
    'SELECT format, data, computed_at AS computedAt FROM period_aggregates WHERE kind = @kind AND first_day = @first',
  ),
  rollupsIn: sql<Range & { kind: Kind; format: number }, Pick<Columns<typeof periodAggregates>, 'firstDay' | 'computedAt'>>(ROLLUPS_IN_SQL),
  saveRollup: sql<{ kind: Kind; first: LocalDay; last: LocalDay; format: number; data: string; now: string }>(
    `INSERT INTO period_aggregates (kind, first_day, last_day, format, data, computed_at) VALUES (@kind, @first, @last, @format, @data, @now)
     ON CONFLICT(kind, first_day) DO UPDATE SET last_day = excluded.last_day, format = excluded.format, data = excluded.data, computed_at = excluded.computed_at`,
  ),
  // The same index walk as privacy's CLEAR_PERSON_KEYS_SQL: the first @limit rows are the ones it erases.
  keyedDaysBefore: sql<{ before: string; limit: number }, Day>(
    'SELECT day FROM contacts INDEXED BY contacts_person_key_at WHERE person_key IS NOT NULL AND at < @before LIMIT @limit',
  ),
};

const inc = (r: Record<string, number>, key: string, by = 1) => {
  r[key] = (r[key] ?? 0) + by;
};

/**
 * The day an event at `at` counts on: its Paris day, or the next day when its Paris day had
 * already been closed at that instant (closed-day rule, decision 016).
 */
function countedDay(at: string, closings: Map<LocalDay, string>): LocalDay {
  const day = localDay(new Date(at));
  const closedAt = closings.get(day);
  return closedAt !== undefined && closedAt <= at ? addDays(day, 1) : day;
}

/** The aggregate of one day from its rows (the single definition of every figure). */
export function computeDayAggregate(ctx: CoreContext, day: LocalDay): DayAggregate {
  const store = ctx.store;
  const agg = emptyAggregate(day);

  const waits: number[] = [];
  const services: number[] = [];
  for (const e of Q.entries.all(store, { day })) {
    agg.arrivals++;
    if (e.firstCalledAt) waits.push(tenthsBetween(e.arrivedAt, e.firstCalledAt));
    const received = RECEIVED_STATES.includes(e.state as QueueState);
    if (received) agg.received++;
    if (e.state === 'handed_over') agg.handedOver++;
    if (received && e.startedAt && e.finishedAt) services.push(tenthsBetween(e.startedAt, e.finishedAt));
    inc(agg.byService, e.serviceCode);
    agg.byHour[Math.floor(localMinutes(new Date(e.arrivedAt)) / 60)]! += 1;
    if (e.state === 'left') agg.left++;
    else if (e.state === 'no_show') agg.noShow++;
    else if (e.state === 'closed') agg.closedUnseen++;
    if (e.outsideHours) agg.outsideHours++;
  }
  agg.waits = toHistogram(waits);
  agg.services = toHistogram(services);

  const keys = new Set<string>();
  for (const c of Q.contacts.all(store, { day })) {
    agg.contacts++;
    inc(agg.byChannel, c.channel);
    for (const d of new Set(JSON.parse(c.domains) as string[])) inc(agg.byDomain, d);
    if (c.orientationTarget !== null) inc(agg.byOrientation, c.orientationTarget);
    if (c.personKey !== null) {
      agg.identified++;
      keys.add(c.personKey);
    }
  }
  if (keys.size > 0) {
    const byPrevious = new Map<number, number>();
    for (const key of keys) {
      const previous = Q.previousVisit.get(store, { key, day })?.day ?? null;
      const n = previous === null ? -1 : dayNumber(previous);
      byPrevious.set(n, (byPrevious.get(n) ?? 0) + 1);
    }
    agg.persons = [...byPrevious.entries()].sort((a, b) => a[0] - b[0]).flat();
  }

  // Hand-over events that may count on `day`: those of the day before (shifted when it was
  // closed at the time) and those of the day itself.
  const previousDay = addDays(day, -1);
  const closings = new Map(Q.closingsOf.all(store, { a: previousDay, b: day }).map((r) => [r.day, r.closedAt]));
  const range = { start: dayBounds(previousDay).start.toISOString(), end: dayBounds(day).end.toISOString() };
  for (const h of Q.handoffsCreated.all(store, { from: previousDay, to: day })) if (countedDay(h.createdAt, closings) === day) agg.handoffs++;
  const delays: number[] = [];
  for (const h of Q.handoffsAccepted.all(store, range)) {
    if (countedDay(h.acceptedAt, closings) !== day) continue;
    inc(agg.handoffOutcomes, 'accepted');
    agg.handoffAnswers++;
    delays.push(tenthsBetween(h.createdAt, h.acceptedAt));
  }
  agg.acceptDelays = toHistogram(delays);
  for (const h of Q.handoffsClosed.all(store, range)) {
    if (countedDay(h.closedAt, closings) !== day) continue;
    inc(agg.handoffOutcomes, h.state);
    if (h.acceptedAt === null) agg.handoffAnswers++;
  }
  return agg;
}

function parse(row: StoredRow): DayAggregate {
  return decodeAggregate(JSON.parse(row.data) as DayAggregate);
}

/** Keeps the person counts of `stored` (its keys were erased since): they can no longer be recomputed. */
function withFinalPersons(fresh: DayAggregate, stored: StoredRow | undefined): DayAggregate {
  if (!stored?.personsFinal) return fresh;
  const old = parse(stored);
  return { ...fresh, identified: old.identified, persons: old.persons };
}

/**
 * The aggregates of the days of [from, to] that have activity, keyed by day. Never writes:
 * stale or outdated days are computed from their rows (frozen days are read as stored).
 * `cache` lets one report read overlapping ranges (period, previous, last year) once.
 */
export function loadAggregates(ctx: CoreContext, from: LocalDay, to: LocalDay, cache = new Map<LocalDay, DayAggregate>()): Map<LocalDay, DayAggregate> {
  const out = new Map<LocalDay, DayAggregate>();
  const stale = new Set(Q.staleIn.all(ctx.store, { from, to }).map((r) => r.day));
  for (const row of Q.storedIn.all(ctx.store, { from, to })) {
    const cached = cache.get(row.day);
    if (cached) {
      out.set(row.day, cached);
      continue;
    }
    const usable = row.format === AGGREGATE_FORMAT && (row.frozen === 1 || !stale.has(row.day));
    const agg = usable ? parse(row) : withFinalPersons(computeDayAggregate(ctx, row.day), row);
    stale.delete(row.day);
    cache.set(row.day, agg);
    out.set(row.day, agg);
  }
  for (const day of stale) {
    const agg = cache.get(day) ?? computeDayAggregate(ctx, day);
    cache.set(day, agg);
    if (!isEmptyAggregate(agg)) out.set(day, agg);
  }
  return out;
}

/** Computes and stores the aggregate of `day` (unless frozen) and clears its stale mark. */
function refreshDay(ctx: CoreContext, day: LocalDay, now: string, freeze: boolean): DayAggregate {
  const store = ctx.store;
  const stored = Q.stored.get(store, { day });
  let agg: DayAggregate;
  if (stored?.frozen && stored.format === AGGREGATE_FORMAT && !freeze) {
    agg = parse(stored);
  } else {
    agg = withFinalPersons(computeDayAggregate(ctx, day), stored);
    if (isEmptyAggregate(agg) && !freeze && !stored?.personsFinal) {
      Q.deleteDay.run(store, { day });
    } else {
      // A closed day found without a frozen aggregate (a base upgraded from before aggregates) is frozen once computed.
      const frozen = freeze || stored?.frozen || Q.isClosed.get(store, { day }) ? 1 : 0;
      Q.upsert.run(store, { day, format: AGGREGATE_FORMAT, data: JSON.stringify(encodeAggregate(agg)), frozen, personsFinal: stored?.personsFinal ?? 0, now });
    }
  }
  Q.clearStale.run(store, { day });
  // The month and year containing the day must be rolled up again.
  const month = `${day.slice(0, 7)}-01`;
  const year = `${day.slice(0, 4)}-01-01`;
  Q.invalidate.run(store, { month, year });
  Q.todo.run(store, { month, year });
  return agg;
}

/**
 * Recomputes stale days, most recent first, within a time budget so that it never holds the
 * thread serving desks for long, then the rollups waiting; returns how many days are still stale.
 * `perTransaction` groups days in one transaction (one fsync) for bulk work such as the seed.
 */
export function refreshStaleDays(ctx: CoreContext, options: { budgetMs?: number; maxDays?: number; perTransaction?: number } = {}): number {
  const budget = options.budgetMs ?? 30;
  const maxDays = options.maxDays ?? Number.POSITIVE_INFINITY;
  const perTransaction = Math.max(1, options.perTransaction ?? 1);
  const started = performance.now();
  const now = ctx.clock.now().toISOString();
  let done = 0;
  while (done < maxDays && (done === 0 || performance.now() - started < budget)) {
    const days = Q.nextStale.all(ctx.store, { limit: Math.min(perTransaction, maxDays - done) }).map((r) => r.day);
    if (days.length === 0) break;
    ctx.store.sqlite.transaction(() => {
      for (const day of days) refreshDay(ctx, day, now, false);
    })();
    done += days.length;
  }
  const left = Q.staleCount.get(ctx.store, {})!.n;
  refreshRollups(ctx, Math.max(1, budget - (performance.now() - started)));
  return left;
}

const lastDayOfMonth = (first: LocalDay): LocalDay => {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return `${first.slice(0, 8)}${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const lastDayOf = (kind: Kind, first: LocalDay): LocalDay => (kind === 'month' ? lastDayOfMonth(first) : `${first.slice(0, 4)}-12-31`);

/**
 * Decoded rollups of past months and years, per connection, keyed by when they were computed:
 * they change only when one of their days does, and long reports read the same few again. At
 * most 48 (four years of months, or ten years and more), about 5 MB.
 */
const ROLLUP_CACHE_SIZE = 48;
const rollupCache = new WeakMap<Store, Map<string, Rollup>>();

function storedRollup(ctx: CoreContext, kind: Kind, first: LocalDay, computedAt?: string): Rollup | null {
  let cache = rollupCache.get(ctx.store);
  if (!cache) rollupCache.set(ctx.store, (cache = new Map()));
  const hit = computedAt ? cache.get(`${kind}:${first}:${computedAt}`) : undefined;
  if (hit) {
    cache.delete(`${kind}:${first}:${computedAt}`);
    cache.set(`${kind}:${first}:${computedAt}`, hit);
    return hit;
  }
  const row = Q.rollup.get(ctx.store, { kind, first });
  if (!row || row.format !== AGGREGATE_FORMAT) return null;
  const rollup = decodeRollup(JSON.parse(row.data) as Rollup);
  cache.set(`${kind}:${first}:${row.computedAt}`, rollup);
  if (cache.size > ROLLUP_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return rollup;
}

/**
 * Builds the month and year rollups waiting in `period_aggregates_todo` (months first), from
 * fresh day aggregates only, and never for a month or year that is not over yet (today's
 * activity would invalidate it at once: reports read the current month day by day).
 */
export function refreshRollups(ctx: CoreContext, budgetMs = 30): number {
  const store = ctx.store;
  const started = performance.now();
  const today = localDay(ctx.clock.now());
  const now = ctx.clock.now().toISOString();
  let built = 0;
  for (const t of Q.todoList.all(store, {})) {
    if (built > 0 && performance.now() - started >= budgetMs) break;
    const first = t.firstDay;
    const last = lastDayOf(t.kind, first);
    if (last >= today || Q.anyStaleIn.get(store, { from: first, to: last })) continue;
    let rollup: Rollup | null;
    if (t.kind === 'month') {
      rollup = rollUp('month', first, last, { days: Q.storedIn.all(store, { from: first, to: last }).map(parse), rollups: [] });
    } else {
      const months: Rollup[] = [];
      let ready = true;
      for (let m = 1; m <= 12 && ready; m++) {
        const month = `${first.slice(0, 4)}-${String(m).padStart(2, '0')}-01`;
        const r = storedRollup(ctx, 'month', month);
        if (r) months.push(r);
        else if (Q.todoHas.get(store, { kind: 'month', first: month })) ready = false;
      }
      rollup = ready ? rollUp('year', first, last, { days: [], rollups: months }) : null;
    }
    if (!rollup) continue;
    const data = JSON.stringify(encodeRollup(rollup));
    store.sqlite.transaction(() => {
      Q.saveRollup.run(store, { kind: t.kind, first, last, format: AGGREGATE_FORMAT, data, now });
      Q.todoDone.run(store, { kind: t.kind, first });
    })();
    built++;
  }
  return built;
}

export interface PeriodData {
  /** Day aggregates and rollup totals covering [from, to] exactly once (days without activity absent). */
  pieces: DayAggregate[];
  /** Arrivals and contacts of each day of the period, by day index from `from` (`series` only, else empty). */
  arrivals: Int32Array;
  contacts: Int32Array;
  /** Arrivals by weekday (1–7) × hour (`series` only). */
  heat: number[][];
}

/**
 * What a report needs for [from, to], reading as few rows as possible: each whole calendar year
 * or month inside the period whose rollup is up to date counts as one row, the rest day by day
 * (stale days computed from their rows). Never writes. `cache` shares pieces between the
 * period, the previous period and last year; `series` adds the per-day counts and the heat map.
 */
export function loadPeriod(ctx: CoreContext, from: LocalDay, to: LocalDay, cache = new Map<string, DayAggregate | Rollup>(), series = false): PeriodData {
  const stale = Q.staleIn.all(ctx.store, { from, to }).map((r) => r.day);
  const staleIn = (a: LocalDay, b: LocalDay) => stale.some((d) => d >= a && d <= b);
  // A period shorter than the shortest month holds no rollup: a day's figures read nothing more.
  const mayHoldRollups = dayNumber(to) - dayNumber(from) >= 27;
  // Years first; months only in the stretches no usable year covers (a five-year report lists 5
  // rows, not 65: each row read costs more than the rest of the listing).
  const available = new Map<string, string>();
  if (mayHoldRollups) {
    const stretches: Range[] = [];
    let cursor = from;
    for (const y of Q.rollupsIn.all(ctx.store, { kind: 'year', from, to, format: AGGREGATE_FORMAT })) {
      if (staleIn(y.firstDay, lastDayOf('year', y.firstDay))) continue;
      if (cursor < y.firstDay) stretches.push({ from: cursor, to: addDays(y.firstDay, -1) });
      available.set(`year:${y.firstDay}`, y.computedAt);
      cursor = addDays(lastDayOf('year', y.firstDay), 1);
    }
    if (cursor <= to) stretches.push({ from: cursor, to });
    for (const r of stretches) {
      if (dayNumber(r.to) - dayNumber(r.from) < 27) continue;
      for (const m of Q.rollupsIn.all(ctx.store, { kind: 'month', ...r, format: AGGREGATE_FORMAT })) available.set(`month:${m.firstDay}`, m.computedAt);
    }
  }
  const rollups: Rollup[] = [];
  const dayRuns: [LocalDay, LocalDay][] = [];
  const useRollup = (kind: Kind, first: LocalDay): boolean => {
    const key = `${kind}:${first}`;
    const computedAt = available.get(key);
    if (computedAt === undefined || lastDayOf(kind, first) > to || staleIn(first, lastDayOf(kind, first))) return false;
    let r = cache.get(key) as Rollup | undefined;
    if (!r) {
      r = storedRollup(ctx, kind, first, computedAt) ?? undefined;
      if (!r) return false;
      cache.set(key, r);
    }
    rollups.push(r);
    return true;
  };
  for (let day = from; day <= to; ) {
    if (day.endsWith('-01-01') && useRollup('year', day)) {
      day = `${String(Number(day.slice(0, 4)) + 1).padStart(4, '0')}-01-01`;
      continue;
    }
    if (day.endsWith('-01') && useRollup('month', day)) {
      day = addDays(lastDayOfMonth(day), 1);
      continue;
    }
    const run = dayRuns[dayRuns.length - 1];
    if (run && addDays(run[1], 1) === day) run[1] = day;
    else dayRuns.push([day, day]);
    day = addDays(day, 1);
  }

  const pieces: DayAggregate[] = rollups.map((r) => r.totals);
  const first = dayNumber(from);
  const length = series ? dayNumber(to) - first + 1 : 0;
  const arrivals = new Int32Array(length);
  const contacts = new Int32Array(length);
  const heat = Array.from({ length: 8 }, () => new Array<number>(24).fill(0));
  if (series) {
    for (const r of rollups) {
      for (let i = 0; i < r.days.length; i += 3) {
        const at = r.days[i]! - first;
        if (at < 0 || at >= length) continue;
        arrivals[at] = r.days[i + 1]!;
        contacts[at] = r.days[i + 2]!;
      }
      for (let w = 1; w <= 7; w++) for (let h = 0; h < 24; h++) heat[w]![h]! += r.heat[(w - 1) * 24 + h] ?? 0;
    }
  }
  const dayCache = new Map<LocalDay, DayAggregate>();
  for (const [k, v] of cache) if (k.startsWith('day:')) dayCache.set(k.slice(4), v as DayAggregate);
  for (const [a, b] of dayRuns) {
    for (const agg of loadAggregates(ctx, a, b, dayCache).values()) {
      pieces.push(agg);
      if (!series) continue;
      const at = dayNumber(agg.day) - first;
      arrivals[at] = agg.arrivals;
      contacts[at] = agg.contacts;
      const w = isoWeekday(agg.day);
      for (let h = 0; h < 24; h++) heat[w]![h]! += agg.byHour[h] ?? 0;
    }
  }
  for (const [d, v] of dayCache) cache.set(`day:${d}`, v);
  return { pieces, arrivals, contacts, heat };
}

/** At closing (inside the closing transaction): the day's aggregate, recomputed and frozen. */
export function freezeDay(ctx: CoreContext, day: LocalDay): DayAggregate {
  return refreshDay(ctx, day, ctx.clock.now().toISOString(), true);
}

/** At reopening (inside its transaction): the day is recomputed from its rows again from now on. */
export function unfreezeDay(ctx: CoreContext, day: LocalDay): void {
  Q.unfreeze.run(ctx.store, { day });
  Q.markStale.run(ctx.store, { day });
}

/**
 * Before person keys of `days` are erased: brings those days' aggregates up to date and marks
 * their person counts final, so that erasing a key never changes a count (decision 016).
 */
export function finalisePersons(ctx: CoreContext, days: Iterable<LocalDay>): void {
  const now = ctx.clock.now().toISOString();
  for (const day of new Set(days)) {
    if (!Q.stored.get(ctx.store, { day }) || Q.isStale.get(ctx.store, { day })) refreshDay(ctx, day, now, false);
    Q.finalPersons.run(ctx.store, { day });
  }
}

/**
 * Days of the person keys recorded before `before` that retention is about to erase: the first
 * `limit` of them (-1: all), in the order its statement takes them, so that a batch finalises the
 * days of its own rows only (not every day of a ten-year backlog at each batch).
 */
export function daysWithKeysBefore(ctx: CoreContext, before: string, limit = -1): LocalDay[] {
  return [...new Set(Q.keyedDaysBefore.all(ctx.store, { before, limit }).map((r) => r.day))];
}
