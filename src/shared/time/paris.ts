/**
 * Calendar arithmetic in Europe/Paris. Instants are stored in UTC; "the day" of an event is the
 * local calendar day in Paris, which lasts 23 hours in March and 25 hours in October.
 */
import type { IsoWeekday } from '../reference/sites';

export const TIME_ZONE = 'Europe/Paris';

/** A local calendar day as "YYYY-MM-DD". */
export type LocalDay = string;

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function parisParts(instant: Date): LocalParts {
  const out: Record<string, number> = {};
  for (const p of partsFormatter.formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The Paris calendar day of an instant. */
export function localDay(instant: Date): LocalDay {
  const p = parisParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** "HH:mm" local time of an instant in Paris. */
export function localTime(instant: Date): string {
  const p = parisParts(instant);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** Minutes since local midnight (wall clock) of an instant in Paris. */
export function localMinutes(instant: Date): number {
  const p = parisParts(instant);
  return p.hour * 60 + p.minute;
}

export function parseLocalDay(day: LocalDay): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Invalid local day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** The UTC offset of Paris (in minutes) at a given instant. */
function offsetMinutes(instant: Date): number {
  const p = parisParts(instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant of a Paris wall-clock time. A time that does not exist (spring forward) maps to
 * the instant one hour later; an ambiguous time (fall back) maps to its first occurrence.
 */
export function parisInstant(day: LocalDay, time = '00:00'): Date {
  const { year, month, day: d } = parseLocalDay(day);
  const [h, m] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, d, h, m);
  // Try the offsets in force around that wall time; keep the first that round-trips.
  const candidates = [offsetMinutes(new Date(wall - 3 * 3600_000)), offsetMinutes(new Date(wall + 3 * 3600_000))];
  for (const off of candidates) {
    const instant = new Date(wall - off * 60000);
    const p = parisParts(instant);
    if (p.hour === h && p.minute === m && p.day === d) return instant;
  }
  return new Date(wall - candidates[1]! * 60000);
}

/** [start, end) instants of a Paris calendar day (23, 24 or 25 hours long). */
export function dayBounds(day: LocalDay): { start: Date; end: Date } {
  return { start: parisInstant(day, '00:00'), end: parisInstant(addDays(day, 1), '00:00') };
}

export function addDays(day: LocalDay, n: number): LocalDay {
  const { year, month, day: d } = parseLocalDay(day);
  const t = new Date(Date.UTC(year, month - 1, d + n));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function isoWeekday(day: LocalDay): IsoWeekday {
  const { year, month, day: d } = parseLocalDay(day);
  const w = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
  return (w === 0 ? 7 : w) as IsoWeekday;
}

/** "dd/MM/yyyy" for a local day. */
export function formatDayFr(day: LocalDay): string {
  const { year, month, day: d } = parseLocalDay(day);
  return `${pad(d)}/${pad(month)}/${pad(year, 4)}`;
}

/** "dd/MM/yyyy" of an instant, in Paris. */
export function formatDateFr(instant: Date): string {
  return formatDayFr(localDay(instant));
}

/** "dd/MM/yyyy HH:mm" of an instant, in Paris. */
export function formatDateTimeFr(instant: Date): string {
  return `${formatDateFr(instant)} ${localTime(instant)}`;
}

const longDayFormatter = new Intl.DateTimeFormat('fr-FR', {
  timeZone: TIME_ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "dimanche 22 novembre 2026" for headers. */
export function formatLongDayFr(instant: Date): string {
  return longDayFormatter.format(instant);
}

/** "HH:mm" from minutes since midnight. */
export function minutesToHhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function hhmmToMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
