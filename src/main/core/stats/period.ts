/** Site report for any period: figures, comparisons, per-day series, weekday × hour heat map, closings. */
import type { PeriodReport } from '../../../shared/api/methods/stats';
import { openingPeriods } from '../../../shared/reference/sites';
import { INDICATORS } from '../../../shared/stats/indicators';
import { addDays, isoWeekday, parseLocalDay, type LocalDay } from '../../../shared/time/paris';
import { dayClosings } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import type { CoreContext } from '../context';
import { combineFigures, dayNumber, type DayAggregate, type Rollup } from './aggregate';
import { loadPeriod } from './day-aggregates';

const q = {
  closedDays: sql<{ from: LocalDay; to: LocalDay }, Pick<Columns<typeof dayClosings>, 'day'>>(
    "SELECT day FROM day_closings WHERE day BETWEEN @from AND @to AND state = 'closed' AND deleted_at IS NULL",
  ),
};

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

function daysBetween(from: LocalDay, to: LocalDay): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same calendar day one year earlier (29 February becomes 28 February). */
export function sameDayLastYear(day: LocalDay): LocalDay {
  const { year, month, day: d } = parseLocalDay(day);
  const lastDay = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${String(year - 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
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
  const previousTo = addDays(from, -1);
  const previousFrom = addDays(previousTo, -(length - 1));

  const cache = new Map<string, DayAggregate | Rollup>();
  const current = loadPeriod(ctx, from, to, cache, true);
  const figures = combineFigures(from, to, current.pieces);
  const previous = combineFigures(previousFrom, previousTo, loadPeriod(ctx, previousFrom, previousTo, cache).pieces);
  const lastYearFrom = sameDayLastYear(from);
  const lastYearTo = sameDayLastYear(to);
  const lastYear = combineFigures(lastYearFrom, lastYearTo, loadPeriod(ctx, lastYearFrom, lastYearTo, cache).pieces);

  const closed = new Set(q.closedDays.all(ctx.store, { from, to }).map((r) => dayNumber(r.day)));
  // Day numbers and weekdays only: no date text is built for the days of the period.
  const perDay: PackedPerDay = { from, arrivals: current.arrivals, contacts: current.contacts, flags: new Uint8Array(length) };
  let openDays = 0;
  let closedDays = 0;
  const openOn = [false, ...([1, 2, 3, 4, 5, 6, 7] as const).map((w) => openingPeriods(ctx.site, w).length > 0)];
  const first = dayNumber(from);
  let weekday: number = isoWeekday(from);
  for (let i = 0; i < length; i++) {
    const open = openOn[weekday]!;
    const isClosed = closed.has(first + i);
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
