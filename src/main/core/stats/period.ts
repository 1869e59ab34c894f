/** Site report for any period: figures, comparisons, per-day series, weekday × hour heat map, closings. */
import type { PeriodReport } from '../../../shared/api/methods/stats';
import { openingPeriods } from '../../../shared/reference/sites';
import { INDICATORS } from '../../../shared/stats/indicators';
import { addDays, isoWeekday, localDay, parseLocalDay, type LocalDay } from '../../../shared/time/paris';
import { parisParts } from '../../../shared/time/paris';
import type { CoreContext } from '../context';
import { computeFigures } from './figures';

function daysBetween(from: LocalDay, to: LocalDay): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same calendar day one year earlier (29 February becomes 28 February). */
export function sameDayLastYear(day: LocalDay): LocalDay {
  const { year, month, day: d } = parseLocalDay(day);
  const lastDay = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${String(year - 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function periodReport(ctx: CoreContext, from: LocalDay, to: LocalDay): PeriodReport {
  const length = daysBetween(from, to) + 1;
  const previousTo = addDays(from, -1);
  const previousFrom = addDays(previousTo, -(length - 1));
  const db = ctx.store.sqlite;

  const arrivalsPerDay = new Map(
    (
      db
        .prepare("SELECT day, count(*) AS n FROM queue_entries WHERE day BETWEEN ? AND ? AND state <> 'cancelled' AND deleted_at IS NULL GROUP BY day")
        .all(from, to) as { day: string; n: number }[]
    ).map((r) => [r.day, r.n]),
  );
  const contactsPerDay = new Map(
    (db.prepare('SELECT day, count(*) AS n FROM contacts WHERE day BETWEEN ? AND ? AND deleted_at IS NULL GROUP BY day').all(from, to) as { day: string; n: number }[]).map(
      (r) => [r.day, r.n],
    ),
  );
  const closed = new Set(
    (db.prepare("SELECT day FROM day_closings WHERE day BETWEEN ? AND ? AND state = 'closed' AND deleted_at IS NULL").all(from, to) as { day: string }[]).map((r) => r.day),
  );

  const perDay: PeriodReport['perDay'] = [];
  let openDays = 0;
  let closedDays = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const open = openingPeriods(ctx.site, isoWeekday(day)).length > 0;
    if (open) openDays++;
    if (open && closed.has(day)) closedDays++;
    perDay.push({ day, open, arrivals: arrivalsPerDay.get(day) ?? 0, contacts: contactsPerDay.get(day) ?? 0, closed: closed.has(day) });
  }

  const heat = new Map<string, number>();
  const arrivals = db
    .prepare("SELECT arrived_at AS at FROM queue_entries WHERE day BETWEEN ? AND ? AND state <> 'cancelled' AND deleted_at IS NULL")
    .all(from, to) as { at: string }[];
  for (const a of arrivals) {
    const instant = new Date(a.at);
    const key = `${isoWeekday(localDay(instant))}:${parisParts(instant).hour}`;
    heat.set(key, (heat.get(key) ?? 0) + 1);
  }
  const heatmap: PeriodReport['heatmap'] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) heatmap.push({ weekday, hour, count: heat.get(`${weekday}:${hour}`) ?? 0 });
  }

  return {
    figures: computeFigures(ctx, from, to),
    previous: computeFigures(ctx, previousFrom, previousTo),
    lastYear: computeFigures(ctx, sameDayLastYear(from), sameDayLastYear(to)),
    perDay,
    heatmap,
    openDays,
    closedDays,
    daysClosedShare: openDays === 0 ? null : Math.round((closedDays / openDays) * 1000) / 10,
    definitions: Object.values(INDICATORS),
  };
}
