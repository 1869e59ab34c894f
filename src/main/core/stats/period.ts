/** Site report for any period: figures, comparisons, per-day series, weekday × hour heat map, closings. */
import type { PeriodReport } from '../../../shared/api/methods/stats';
import { openingPeriods } from '../../../shared/reference/sites';
import { INDICATORS } from '../../../shared/stats/indicators';
import { comparisonPeriods, daysBetween } from '../../../shared/stats/periods';
import { addDays, isoWeekday, parseLocalDay, type LocalDay } from '../../../shared/time/paris';
import { sql } from '../../store/sql';
import type { Store } from '../../store/open';
import type { CoreContext } from '../context';
import { combineFigures, dayNumber, type DayAggregate, type Rollup } from './aggregate';
import { loadPeriod } from './day-aggregates';

const q = {
  // Every closed day of the site's history, as day numbers (SQLite's julianday: no date parsing in JS).
  closedDays: sql<Record<string, never>, { n: number }>(
    "SELECT CAST(julianday(day) - 2440587.5 AS INTEGER) AS n FROM day_closings WHERE state = 'closed' AND deleted_at IS NULL ORDER BY day",
  ),
  // Changes to day_closings stamp change_seq (sync triggers; hard deletes are refused): its indexed max is a version.
  closingsVersion: sql<Record<string, never>, { seq: number | null }>('SELECT max(change_seq) AS seq FROM day_closings'),
};

/**
 * Closed days, per connection, as a sorted array of day numbers kept until a closing changes: a
 * ten-year site has about 2 500 of them, and reading the 1 300 of a five-year report row by row
 * cost more than the rest of the report (each row sits beside its day's snapshot).
 */
const closedCache = new WeakMap<Store, { seq: number | null; days: Int32Array }>();

function closedDayNumbers(ctx: CoreContext): Int32Array {
  const seq = q.closingsVersion.get(ctx.store, {})?.seq ?? null;
  const cached = closedCache.get(ctx.store);
  if (cached && cached.seq === seq) return cached.days;
  const days = Int32Array.from(q.closedDays.all(ctx.store, {}), (r) => r.n);
  closedCache.set(ctx.store, { seq, days });
  return days;
}

/** Index of the first element of sorted `a` that is ≥ `v`. */
function lowerBound(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls `fn` for each day of [from, to] with its day number and ISO weekday, without date parsing. */
function forEachDay(from: LocalDay, to: LocalDay, fn: (day: LocalDay, dayNumber: number, weekday: number) => void): void {
  let { year, month, day } = parseLocalDay(from);
  let n = dayNumber(from);
  let weekday: number = isoWeekday(from);
  const last = dayNumber(to);
  const pad = (v: number) => (v < 10 ? `0${v}` : String(v));
  const yearText = () => String(year).padStart(4, '0');
  let prefix = `${yearText()}-${pad(month)}-`;
  let monthLength = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (; n <= last; n++) {
    fn(prefix + pad(day), n, weekday);
    weekday = weekday === 7 ? 1 : weekday + 1;
    if (++day > monthLength) {
      day = 1;
      if (++month > 12) {
        month = 1;
        year++;
      }
      prefix = `${yearText()}-${pad(month)}-`;
      monthLength = new Date(Date.UTC(year, month, 0)).getUTCDate();
    }
  }
}

/**
 * Reads, for the period, the previous period and the same period last year, one row per whole
 * calendar year or month (rollups) and one per remaining day, each read once when they overlap;
 * never the rows of past days.
 */
export function periodReport(ctx: CoreContext, from: LocalDay, to: LocalDay): PeriodReport {
  return unpackPeriodReport(packedPeriodReport(ctx, from, to));
}

/**
 * The per-day series as it crosses from the job worker to the thread that serves desks: three
 * typed arrays (copied as blocks) instead of one object per day, whose structured clone cost more
 * than the whole five-year report (issue 16: a report's cost must not grow with its period).
 */
export interface PackedPerDay {
  from: LocalDay;
  arrivals: Int32Array;
  contacts: Int32Array;
  /** Bit 0: the site opens that weekday; bit 1: the day is closed. */
  flags: Uint8Array;
}
export type PackedPeriodReport = Omit<PeriodReport, 'perDay'> & { perDay: PackedPerDay };

/** The report with its per-day series rebuilt as objects (the API's shape). */
export function unpackPeriodReport(packed: PackedPeriodReport): PeriodReport {
  const { from, arrivals, contacts, flags } = packed.perDay;
  const perDay: PeriodReport['perDay'] = new Array(arrivals.length);
  let i = 0;
  forEachDay(from, addDays(from, arrivals.length - 1), (day) => {
    perDay[i] = { day, open: (flags[i]! & 1) === 1, arrivals: arrivals[i]!, contacts: contacts[i]!, closed: (flags[i]! & 2) === 2 };
    i++;
  });
  return { ...packed, perDay };
}

/** `periodReport` with its per-day series packed (what the job worker sends). */
export function packedPeriodReport(ctx: CoreContext, from: LocalDay, to: LocalDay): PackedPeriodReport {
  const length = daysBetween(from, to) + 1;
  const compared = comparisonPeriods(from, to);

  const cache = new Map<string, DayAggregate | Rollup>();
  const current = loadPeriod(ctx, from, to, cache, true);
  const figures = combineFigures(from, to, current.pieces);
  const { previous: p, lastYear: l } = compared;
  const previous = combineFigures(p.from, p.to, loadPeriod(ctx, p.from, p.to, cache).pieces);
  const lastYear = combineFigures(l.from, l.to, loadPeriod(ctx, l.from, l.to, cache).pieces);

  const closed = closedDayNumbers(ctx);
  // Day numbers and weekdays only: no date text is built for the days of the period.
  const perDay: PackedPerDay = { from, arrivals: current.arrivals, contacts: current.contacts, flags: new Uint8Array(length) };
  let openDays = 0;
  let closedDays = 0;
  const openOn = [false, ...([1, 2, 3, 4, 5, 6, 7] as const).map((w) => openingPeriods(ctx.site, w).length > 0)];
  const first = dayNumber(from);
  let weekday: number = isoWeekday(from);
  let nextClosed = lowerBound(closed, first);
  for (let i = 0; i < length; i++) {
    const open = openOn[weekday]!;
    const isClosed = closed[nextClosed] === first + i;
    if (isClosed) nextClosed++;
    if (open) openDays++;
    if (open && isClosed) closedDays++;
    perDay.flags[i] = (open ? 1 : 0) | (isClosed ? 2 : 0);
    weekday = weekday === 7 ? 1 : weekday + 1;
  }
  const heatmap: PeriodReport['heatmap'] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) heatmap.push({ weekday, hour, count: current.heat[weekday]![hour]! });
  }

  return {
    figures,
    previous,
    lastYear,
    perDay,
    heatmap,
    openDays,
    closedDays,
    daysClosedShare: openDays === 0 ? null : Math.round((closedDays / openDays) * 1000) / 10,
    definitions: Object.values(INDICATORS),
  };
}
