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
