/**
 * How numbers, times and durations are written for French readers, in one place for the screens
 * and the exports (issue 12 "formats and words"):
 * - clock times `15:07` (24 h, Europe/Paris), dates `dd/MM/yyyy`, both with `formatDateTime`;
 * - durations `45 min`, `1 h 05`, `2 h 00`; hour slots `8 h`;
 * - integers with the French thousands separator (`4 528`, a narrow no-break space as
 *   `Intl.NumberFormat('fr-FR')` writes it) and decimals with a comma (`12,5`);
 * - a no-break space between a number and its unit, so `12,5 %` never breaks across lines.
 * Machine-readable files (CSV) keep plain digits: see `src/main/export/csv.ts`.
 */
import { formatDateFr, formatDateTimeFr, formatDayFr, localTime, type LocalDay } from '../time/paris';

/** Month names, January first (`MONTH_NAMES_FR[month - 1]`), and their usual abbreviations. */
export const MONTH_NAMES_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const MONTH_ABBREVIATIONS_FR = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

/** No-break space, between a number and its unit. */
export const NBSP = '\u00a0';
/** Narrow no-break space, the French thousands separator. */
export const NNBSP = '\u202f';

const integerFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimalFormats = new Map<number, Intl.NumberFormat>();

function decimalFormat(decimals: number): Intl.NumberFormat {
  let f = decimalFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    decimalFormats.set(decimals, f);
  }
  return f;
}

/** `4 528`: a count, rounded, with the French thousands separator. */
export function formatCount(n: number): string {
  return integerFormat.format(Math.round(n));
}

/** `12,5` (or `4 528,0`): a number with a fixed number of decimals and a decimal comma. */
export function formatDecimal(n: number, decimals = 1): string {
  return decimalFormat(decimals).format(n);
}

/** A figure as shown on screen: integers as counts, other numbers with one decimal. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? formatCount(n) : formatDecimal(n, 1);
}

/** `12,5 %` for a value already expressed in percent. */
export function formatPercent(n: number, decimals = 1): string {
  return `${Number.isInteger(n) ? formatCount(n) : formatDecimal(n, decimals)}${NBSP}%`;
}

/** `1 contact`, `4 528 contacts`: a count and its noun, singular for 0 and 1 as in French. */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)}${NBSP}${Math.abs(n) >= 2 ? many : one}`;
}

/** A duration in whole minutes: `45 min`, `1 h 05`, `2 h 00`. */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m}${NBSP}min`;
  return `${formatCount(Math.floor(m / 60))}${NBSP}h${NBSP}${String(m % 60).padStart(2, '0')}`;
}

/** A statistic in minutes (a median may have a decimal): `12,5 min` under an hour, else `1 h 05`. */
export function formatMinutesFigure(minutes: number): string {
  if (minutes < 60) return `${formatNumber(minutes)}${NBSP}min`;
  return formatDuration(minutes);
}

/** How long ago, for ages of hand-overs: `12 min`, `1 h 05`, then `3 jours` from a day on. */
export function formatAge(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 24 * 60) return formatDuration(m);
  return plural(Math.floor(m / (24 * 60)), 'jour', 'jours');
}

/**
 * A delay entered in the settings, in the largest whole unit: `30 min`, `4 heures`, `2 jours`
 * (a day is 24 hours here: delays run on the clock, not on opening hours).
 */
export function formatDelay(minutes: number): string {
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'jour', 'jours');
  if (minutes % 60 === 0) return plural(minutes / 60, 'heure', 'heures');
  return formatDuration(minutes);
}

/** `8 h`: the label of an hour slot (arrivals by hour, heat maps). */
export function formatHourSlot(hour: number): string {
  return `${hour}${NBSP}h`;
}

/** `15:07`: the Paris clock time of an instant. */
export function formatTime(instant: Date | string): string {
  return localTime(typeof instant === 'string' ? new Date(instant) : instant);
}

/** `23/11/2026`: the Paris date of an instant. */
export function formatDate(instant: Date | string): string {
  return formatDateFr(typeof instant === 'string' ? new Date(instant) : instant);
}

/** `23/11/2026`: a local day (`YYYY-MM-DD`). */
export function formatDay(day: LocalDay): string {
  return formatDayFr(day);
}

/** `23/11/2026 15:07`: the Paris date and time of an instant. */
export function formatDateTime(instant: Date | string): string {
  return formatDateTimeFr(typeof instant === 'string' ? new Date(instant) : instant);
}

/** The time alone for an instant of `today`, the date and time otherwise (lists mixing days). */
export function formatWhen(instant: Date | string, today: LocalDay): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const dt = formatDateTimeFr(d);
  return dt.startsWith(formatDayFr(today)) ? localTime(d) : dt;
}

/** `HH:mm` from a wall-clock string such as `08:30` or `08:30:00` (opening hours, settings). */
export function formatClock(hhmm: string): string {
  return hhmm.slice(0, 5);
}
