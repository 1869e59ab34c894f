/**
 * Day aggregates in the store (decision 015): computed from the rows of one day (indexed reads
 * only, so a day costs the same in a database of one day or of ten years), stored one row per
 * day, frozen at the day's closing, recomputed when triggers mark a day stale.
 *
 * Reading (`loadAggregates`) never writes: days marked stale (today, days changed since the last
 * refresh, days of a database upgraded from before aggregates) are computed on the fly, so a
 * report is always exact and can run on a read-only connection. Writing happens at closing
 * (`freezeDay`), at reopening (`unfreezeDay`), before person keys are erased
 * (`finalisePersons`) and in small slices from housekeeping (`refreshStaleDays`).
 */
import { addDays, dayBounds, isoWeekday, localDay, localMinutes, type LocalDay } from '../../../shared/time/paris';
import type { CoreContext } from '../context';
import { AGGREGATE_FORMAT, dayNumber, decodeAggregate, decodeRollup, emptyAggregate, encodeAggregate, encodeRollup, isEmptyAggregate, rollUp, secondsBetween, toHistogram, type DayAggregate, type Rollup } from './aggregate';

interface StoredRow {
  day: string;
  format: number;
  data: string;
  frozen: number;
  personsFinal: number;
}

interface EntryRow {
  state: string;
  service: string;
  arrivedAt: string;
  firstCalledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  outsideHours: number;
}

interface ContactRow {
  channel: string;
  domains: string;
  orientation: string | null;
  personKey: string | null;
}

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
  const db = ctx.store.sqlite;
  const agg = emptyAggregate(day);

  const entries = db
    .prepare(
      `SELECT state, service_code AS service, arrived_at AS arrivedAt, first_called_at AS firstCalledAt, started_at AS startedAt,
              finished_at AS finishedAt, outside_hours AS outsideHours
       FROM queue_entries WHERE day = ? AND state <> 'cancelled' AND deleted_at IS NULL`,
    )
    .all(day) as EntryRow[];
  const waits: number[] = [];
  const services: number[] = [];
  for (const e of entries) {
    agg.arrivals++;
    if (e.firstCalledAt) waits.push(secondsBetween(e.arrivedAt, e.firstCalledAt));
    if (e.state === 'done' && e.startedAt && e.finishedAt) services.push(secondsBetween(e.startedAt, e.finishedAt));
    inc(agg.byService, e.service);
    agg.byHour[Math.floor(localMinutes(new Date(e.arrivedAt)) / 60)]! += 1;
    if (e.state === 'left') agg.left++;
    else if (e.state === 'no_show') agg.noShow++;
    else if (e.state === 'closed') agg.closedUnseen++;
    if (e.outsideHours) agg.outsideHours++;
  }
  agg.waits = toHistogram(waits);
  agg.services = toHistogram(services);

  const contacts = db
    .prepare(
      `SELECT channel, domains, orientation_target AS orientation, person_key AS personKey
       FROM contacts WHERE day = ? AND deleted_at IS NULL`,
    )
    .all(day) as ContactRow[];
  const keys = new Set<string>();
  for (const c of contacts) {
    agg.contacts++;
    inc(agg.byChannel, c.channel);
    for (const d of new Set(JSON.parse(c.domains) as string[])) inc(agg.byDomain, d);
    if (c.orientation !== null) inc(agg.byOrientation, c.orientation);
    if (c.personKey !== null) {
      agg.identified++;
      keys.add(c.personKey);
    }
  }
  if (keys.size > 0) {
    const previous = db.prepare('SELECT max(day) AS d FROM contacts WHERE person_key = ? AND day < ? AND deleted_at IS NULL');
    const byPrevious = new Map<number, number>();
    for (const key of keys) {
      const row = previous.get(key, day) as { d: string | null };
      const n = row.d === null ? -1 : dayNumber(row.d);
      byPrevious.set(n, (byPrevious.get(n) ?? 0) + 1);
    }
    agg.persons = [...byPrevious.entries()].sort((a, b) => a[0] - b[0]).flat();
  }

  // Hand-over events that may count on `day`: those of the day before (shifted when it was
  // closed at the time) and those of the day itself.
  const previousDay = addDays(day, -1);
  const closings = new Map(
    (
      db
        .prepare("SELECT day, closed_at AS closedAt FROM day_closings WHERE day IN (?, ?) AND state = 'closed' AND deleted_at IS NULL")
        .all(previousDay, day) as { day: string; closedAt: string }[]
    ).map((r) => [r.day, r.closedAt]),
  );
  const start = dayBounds(previousDay).start.toISOString();
  const end = dayBounds(day).end.toISOString();
  const created = db
    .prepare('SELECT created_at AS at FROM handoffs WHERE day BETWEEN ? AND ? AND deleted_at IS NULL')
    .all(previousDay, day) as { at: string }[];
  for (const h of created) if (countedDay(h.at, closings) === day) agg.handoffs++;
  const accepted = db
    .prepare('SELECT created_at AS createdAt, accepted_at AS at FROM handoffs WHERE accepted_at >= ? AND accepted_at < ? AND deleted_at IS NULL')
    .all(start, end) as { createdAt: string; at: string }[];
  const delays: number[] = [];
  for (const h of accepted) {
    if (countedDay(h.at, closings) !== day) continue;
    inc(agg.handoffOutcomes, 'accepted');
    agg.handoffAnswers++;
    delays.push(secondsBetween(h.createdAt, h.at));
  }
  agg.acceptDelays = toHistogram(delays);
  const closed = db
    .prepare('SELECT state, accepted_at AS acceptedAt, closed_at AS at FROM handoffs WHERE closed_at >= ? AND closed_at < ? AND deleted_at IS NULL')
    .all(start, end) as { state: string; acceptedAt: string | null; at: string }[];
  for (const h of closed) {
    if (countedDay(h.at, closings) !== day) continue;
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

const SELECT_STORED = 'SELECT day, format, data, frozen, persons_final AS personsFinal FROM day_aggregates';

function storedRow(ctx: CoreContext, day: LocalDay): StoredRow | undefined {
  return ctx.store.sqlite.prepare(`${SELECT_STORED} WHERE day = ?`).get(day) as StoredRow | undefined;
}

/**
 * The aggregates of the days of [from, to] that have activity, keyed by day. Never writes:
 * stale or outdated days are computed from their rows (frozen days are read as stored).
 * `cache` lets one report read overlapping ranges (period, previous, last year) once.
 */
export function loadAggregates(ctx: CoreContext, from: LocalDay, to: LocalDay, cache = new Map<LocalDay, DayAggregate>()): Map<LocalDay, DayAggregate> {
  const db = ctx.store.sqlite;
  const out = new Map<LocalDay, DayAggregate>();
  const stale = new Set((db.prepare('SELECT day FROM day_aggregates_stale WHERE day BETWEEN ? AND ?').all(from, to) as { day: string }[]).map((r) => r.day));
  const rows = db.prepare(`${SELECT_STORED} WHERE day BETWEEN ? AND ?`).all(from, to) as StoredRow[];
  for (const row of rows) {
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

/** A closed day found without a frozen aggregate (a base upgraded from before aggregates) is frozen once computed. */
function isClosed(ctx: CoreContext, day: LocalDay): boolean {
  return ctx.store.sqlite.prepare("SELECT 1 FROM day_closings WHERE day = ? AND state = 'closed' AND deleted_at IS NULL").get(day) !== undefined;
}

/** Computes and stores the aggregate of `day` (unless frozen) and clears its stale mark. */
function refreshDay(ctx: CoreContext, day: LocalDay, nowIso: string, freeze: boolean): DayAggregate {
  const db = ctx.store.sqlite;
  const stored = storedRow(ctx, day);
  let agg: DayAggregate;
  if (stored?.frozen && stored.format === AGGREGATE_FORMAT && !freeze) {
    agg = parse(stored);
  } else {
    agg = withFinalPersons(computeDayAggregate(ctx, day), stored);
    if (isEmptyAggregate(agg) && !freeze && !stored?.personsFinal) {
      db.prepare('DELETE FROM day_aggregates WHERE day = ?').run(day);
    } else {
      db.prepare(
        `INSERT INTO day_aggregates (day, format, data, frozen, persons_final, computed_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(day) DO UPDATE SET format = excluded.format, data = excluded.data, frozen = excluded.frozen, computed_at = excluded.computed_at`,
      ).run(day, AGGREGATE_FORMAT, JSON.stringify(encodeAggregate(agg)), freeze || stored?.frozen || isClosed(ctx, day) ? 1 : 0, stored?.personsFinal ?? 0, nowIso);
    }
  }
  db.prepare('DELETE FROM day_aggregates_stale WHERE day = ?').run(day);
  invalidateRollups(ctx, day);
  return agg;
}

/** The month and year containing `day` must be rolled up again. */
function invalidateRollups(ctx: CoreContext, day: LocalDay): void {
  const db = ctx.store.sqlite;
  const month = `${day.slice(0, 7)}-01`;
  const year = `${day.slice(0, 4)}-01-01`;
  db.prepare("DELETE FROM period_aggregates WHERE (kind = 'month' AND first_day = ?) OR (kind = 'year' AND first_day = ?)").run(month, year);
  db.prepare("INSERT OR IGNORE INTO period_aggregates_todo (kind, first_day) VALUES ('month', ?), ('year', ?)").run(month, year);
}

/**
 * Recomputes stale days, most recent first, within a time budget so that it never holds the
 * thread serving desks for long; returns how many days are still stale. `perTransaction` groups
 * days in one transaction (one fsync) for bulk work such as the seed.
 */
export function refreshStaleDays(ctx: CoreContext, options: { budgetMs?: number; maxDays?: number; perTransaction?: number } = {}): number {
  const budget = options.budgetMs ?? 30;
  const maxDays = options.maxDays ?? Number.POSITIVE_INFINITY;
  const perTransaction = Math.max(1, options.perTransaction ?? 1);
  const db = ctx.store.sqlite;
  const started = performance.now();
  const nowIso = ctx.clock.now().toISOString();
  const next = db.prepare('SELECT day FROM day_aggregates_stale ORDER BY day DESC LIMIT ?');
  let done = 0;
  while (done < maxDays && (done === 0 || performance.now() - started < budget)) {
    const days = (next.all(Math.min(perTransaction, maxDays - done)) as { day: string }[]).map((r) => r.day);
    if (days.length === 0) break;
    db.transaction(() => {
      for (const day of days) refreshDay(ctx, day, nowIso, false);
    })();
    done += days.length;
  }
  const left = (db.prepare('SELECT count(*) AS n FROM day_aggregates_stale').get() as { n: number }).n;
  refreshRollups(ctx, Math.max(1, budget - (performance.now() - started)));
  return left;
}

const lastDayOfMonth = (first: LocalDay): LocalDay => {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return `${first.slice(0, 8)}${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const lastDayOf = (kind: Rollup['kind'], first: LocalDay): LocalDay => (kind === 'month' ? lastDayOfMonth(first) : `${first.slice(0, 4)}-12-31`);

function hasStaleDay(ctx: CoreContext, from: LocalDay, to: LocalDay): boolean {
  return ctx.store.sqlite.prepare('SELECT 1 FROM day_aggregates_stale WHERE day BETWEEN ? AND ? LIMIT 1').get(from, to) !== undefined;
}

function storedRollup(ctx: CoreContext, kind: Rollup['kind'], first: LocalDay): Rollup | null {
  const row = ctx.store.sqlite.prepare('SELECT format, data FROM period_aggregates WHERE kind = ? AND first_day = ?').get(kind, first) as
    | { format: number; data: string }
    | undefined;
  return row && row.format === AGGREGATE_FORMAT ? decodeRollup(JSON.parse(row.data) as Rollup) : null;
}

/**
 * Builds the month and year rollups waiting in `period_aggregates_todo` (months first), from
 * fresh day aggregates only, and never for a month or year that is not over yet (today's
 * activity would invalidate it at once: reports read the current month day by day).
 */
export function refreshRollups(ctx: CoreContext, budgetMs = 30): number {
  const db = ctx.store.sqlite;
  const started = performance.now();
  const today = localDay(ctx.clock.now());
  const nowIso = ctx.clock.now().toISOString();
  const todo = db.prepare("SELECT kind, first_day AS first FROM period_aggregates_todo ORDER BY kind = 'year', first_day DESC").all() as { kind: Rollup['kind']; first: string }[];
  let built = 0;
  for (const t of todo) {
    if (built > 0 && performance.now() - started >= budgetMs) break;
    const last = lastDayOf(t.kind, t.first);
    if (last >= today || hasStaleDay(ctx, t.first, last)) continue;
    let rollup: Rollup | null;
    if (t.kind === 'month') {
      const days = (db.prepare(`${SELECT_STORED} WHERE day BETWEEN ? AND ?`).all(t.first, last) as StoredRow[]).map(parse);
      rollup = rollUp('month', t.first, last, { days, rollups: [] });
    } else {
      const months: Rollup[] = [];
      let ready = true;
      for (let m = 1; m <= 12 && ready; m++) {
        const first = `${t.first.slice(0, 4)}-${String(m).padStart(2, '0')}-01`;
        const r = storedRollup(ctx, 'month', first);
        if (r) months.push(r);
        else if (db.prepare("SELECT 1 FROM period_aggregates_todo WHERE kind = 'month' AND first_day = ?").get(first)) ready = false;
      }
      rollup = ready ? rollUp('year', t.first, last, { days: [], rollups: months }) : null;
    }
    if (!rollup) continue;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO period_aggregates (kind, first_day, last_day, format, data, computed_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(kind, first_day) DO UPDATE SET last_day = excluded.last_day, format = excluded.format, data = excluded.data, computed_at = excluded.computed_at`,
      ).run(t.kind, t.first, last, AGGREGATE_FORMAT, JSON.stringify(encodeRollup(rollup)), nowIso);
      db.prepare('DELETE FROM period_aggregates_todo WHERE kind = ? AND first_day = ?').run(t.kind, t.first);
    })();
    built++;
  }
  return built;
}

export interface PeriodData {
  /** Day aggregates and rollup totals covering [from, to] exactly once (days without activity absent). */
  pieces: DayAggregate[];
  /** Arrivals and contacts of each active day. */
  perDay: Map<LocalDay, { arrivals: number; contacts: number }>;
  /** Arrivals by weekday (1–7) × hour. */
  heat: number[][];
}

const dayOfNumber = (n: number): LocalDay => new Date(n * 86_400_000).toISOString().slice(0, 10);

/**
 * What a report needs for [from, to], reading as few rows as possible: each whole calendar year
 * or month inside the period whose rollup is up to date counts as one row, the rest day by day
 * (stale days computed from their rows). Never writes. `cache` shares pieces between the
 * period, the previous period and last year.
 */
export function loadPeriod(ctx: CoreContext, from: LocalDay, to: LocalDay, cache = new Map<string, DayAggregate | Rollup>()): PeriodData {
  const db = ctx.store.sqlite;
  const stale = (db.prepare('SELECT day FROM day_aggregates_stale WHERE day BETWEEN ? AND ? ORDER BY day').all(from, to) as { day: string }[]).map((r) => r.day);
  const staleIn = (a: LocalDay, b: LocalDay) => stale.some((d) => d >= a && d <= b);
  const available = new Set(
    (db.prepare('SELECT kind, first_day AS first FROM period_aggregates WHERE first_day BETWEEN ? AND ? AND last_day <= ? AND format = ?').all(from, to, to, AGGREGATE_FORMAT) as {
      kind: string;
      first: string;
    }[]).map((r) => `${r.kind}:${r.first}`),
  );
  const rollups: Rollup[] = [];
  const dayRuns: [LocalDay, LocalDay][] = [];
  const useRollup = (kind: Rollup['kind'], first: LocalDay): boolean => {
    const last = lastDayOf(kind, first);
    if (last > to || !available.has(`${kind}:${first}`) || staleIn(first, last)) return false;
    const key = `${kind}:${first}`;
    let r = cache.get(key) as Rollup | undefined;
    if (!r) {
      r = storedRollup(ctx, kind, first) ?? undefined;
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
  const perDay = new Map<LocalDay, { arrivals: number; contacts: number }>();
  const heat = Array.from({ length: 8 }, () => new Array<number>(24).fill(0));
  for (const r of rollups) {
    for (let i = 0; i < r.days.length; i += 3) perDay.set(dayOfNumber(r.days[i]!), { arrivals: r.days[i + 1]!, contacts: r.days[i + 2]! });
    for (let w = 1; w <= 7; w++) for (let h = 0; h < 24; h++) heat[w]![h]! += r.heat[(w - 1) * 24 + h] ?? 0;
  }
  const dayCache = new Map<LocalDay, DayAggregate>();
  for (const [k, v] of cache) if (k.startsWith('day:')) dayCache.set(k.slice(4), v as DayAggregate);
  for (const [a, b] of dayRuns) {
    for (const agg of loadAggregates(ctx, a, b, dayCache).values()) {
      pieces.push(agg);
      perDay.set(agg.day, { arrivals: agg.arrivals, contacts: agg.contacts });
      const w = isoWeekday(agg.day);
      for (let h = 0; h < 24; h++) heat[w]![h]! += agg.byHour[h] ?? 0;
    }
  }
  for (const [d, v] of dayCache) cache.set(`day:${d}`, v);
  return { pieces, perDay, heat };
}

/** At closing (inside the closing transaction): the day's aggregate, recomputed and frozen. */
export function freezeDay(ctx: CoreContext, day: LocalDay): DayAggregate {
  return refreshDay(ctx, day, ctx.clock.now().toISOString(), true);
}

/** At reopening (inside its transaction): the day is recomputed from its rows again from now on. */
export function unfreezeDay(ctx: CoreContext, day: LocalDay): void {
  ctx.store.sqlite.prepare('UPDATE day_aggregates SET frozen = 0 WHERE day = ?').run(day);
  ctx.store.sqlite.prepare('INSERT OR IGNORE INTO day_aggregates_stale (day) VALUES (?)').run(day);
}

/** The stored (frozen) aggregate of a closed day, if any. */
export function frozenAggregate(ctx: CoreContext, day: LocalDay): DayAggregate | null {
  const row = storedRow(ctx, day);
  return row?.frozen && row.format === AGGREGATE_FORMAT ? parse(row) : null;
}

/**
 * Before person keys of `days` are erased: brings those days' aggregates up to date and marks
 * their person counts final, so that erasing a key never changes a count (decision 016).
 */
export function finalisePersons(ctx: CoreContext, days: Iterable<LocalDay>): void {
  const db = ctx.store.sqlite;
  const nowIso = ctx.clock.now().toISOString();
  const isStale = db.prepare('SELECT 1 FROM day_aggregates_stale WHERE day = ?');
  for (const day of new Set(days)) {
    const stored = storedRow(ctx, day);
    if (!stored || isStale.get(day)) refreshDay(ctx, day, nowIso, false);
    db.prepare('UPDATE day_aggregates SET persons_final = 1 WHERE day = ?').run(day);
  }
}

/** Days holding person keys recorded before `beforeIso` (the ones retention is about to erase). */
export function daysWithKeysBefore(ctx: CoreContext, beforeIso: string): LocalDay[] {
  return (
    ctx.store.sqlite.prepare('SELECT DISTINCT day FROM contacts WHERE person_key IS NOT NULL AND at < ?').all(beforeIso) as { day: string }[]
  ).map((r) => r.day);
}
