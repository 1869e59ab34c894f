/** Report periods: week, month, quarter, calendar year, July–June year, custom range. */
import { addDays, isoWeekday, parseLocalDay, type LocalDay } from '../time/paris';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year', 'schoolYear', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PERIOD_LABELS_FR: Record<PeriodKind, string> = {
  week: 'Semaine',
  month: 'Mois',
  quarter: 'Trimestre',
  year: 'Année civile',
  schoolYear: 'Année juillet–juin',
  custom: 'Personnalisée',
};

const iso = (y: number, m: number, d: number): LocalDay => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDayOf = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The period of the given kind containing `day`, shifted by `offset` periods (−1: previous). */
export function periodContaining(kind: Exclude<PeriodKind, 'custom'>, day: LocalDay, offset = 0): { from: LocalDay; to: LocalDay } {
  const { year, month } = parseLocalDay(day);
  switch (kind) {
    case 'week': {
      const monday = addDays(day, 1 - isoWeekday(day) + offset * 7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'month': {
      const t = new Date(Date.UTC(year, month - 1 + offset, 1));
      const y = t.getUTCFullYear();
      const m = t.getUTCMonth() + 1;
      return { from: iso(y, m, 1), to: iso(y, m, lastDayOf(y, m)) };
    }
    case 'quarter': {
      const q = Math.floor((month - 1) / 3);
      const t = new Date(Date.UTC(year, q * 3 + offset * 3, 1));
      const y = t.getUTCFullYear();
      const m = t.getUTCMonth() + 1;
      return { from: iso(y, m, 1), to: iso(y, m + 2, lastDayOf(y, m + 2)) };
    }
    case 'year':
      return { from: iso(year + offset, 1, 1), to: iso(year + offset, 12, 31) };
    case 'schoolYear': {
      const start = (month >= 7 ? year : year - 1) + offset;
      return { from: iso(start, 7, 1), to: iso(start + 1, 6, 30) };
    }
  }
}

/** The same calendar day one year earlier (29 February becomes 28 February). */
export function sameDayLastYear(day: LocalDay): LocalDay {
  const { year, month, day: d } = parseLocalDay(day);
  return iso(year - 1, month, Math.min(d, lastDayOf(year - 1, month)));
}

/** Days from `from` to `to` (0 when they are the same day). */
export function daysBetween(from: LocalDay, to: LocalDay): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** How many whole calendar months [from, to] is, or null when it does not start on a 1st and end on a month's last day. */
export function wholeMonths(from: LocalDay, to: LocalDay): number | null {
  const a = parseLocalDay(from);
  const b = parseLocalDay(to);
  if (a.day !== 1 || b.day !== lastDayOf(b.year, b.month)) return null;
  const n = (b.year - a.year) * 12 + (b.month - a.month) + 1;
  return n >= 1 ? n : null;
}

/**
 * What a period is compared with (the site report, its exports; the same rule as the central
 * summary's trends). A period of whole calendar months (a month, a quarter, a year, a July–June
 * year, five years) is compared with the same number of whole months just before (October with
 * September, 2025 with 2024), not with as many days; any other period (a week, a custom range)
 * with as many days just before. Last year: the same calendar days a year earlier.
 */
export function comparisonPeriods(from: LocalDay, to: LocalDay): { previous: { from: LocalDay; to: LocalDay }; lastYear: { from: LocalDay; to: LocalDay } } {
  const previousTo = addDays(from, -1);
  const months = wholeMonths(from, to);
  if (months !== null) {
    const { year, month } = parseLocalDay(from);
    const end = parseLocalDay(to);
    const t = new Date(Date.UTC(year, month - 1 - months, 1));
    return {
      previous: { from: iso(t.getUTCFullYear(), t.getUTCMonth() + 1, 1), to: previousTo },
      // Whole months a year earlier: February 2025 is compared with the whole of February 2024.
      lastYear: { from: iso(year - 1, month, 1), to: iso(end.year - 1, end.month, lastDayOf(end.year - 1, end.month)) },
    };
  }
  const length = daysBetween(from, to) + 1;
  return { previous: { from: addDays(previousTo, -(length - 1)), to: previousTo }, lastYear: { from: sameDayLastYear(from), to: sameDayLastYear(to) } };
}
