/**
 * The one zod vocabulary for local calendar days and months in the contract: a day is a real
 * calendar day ("2026-02-30" is refused, leap years are exact) within the years the product can
 * hold (2000–2099: nothing older exists at a site, nothing later can be asked for), and a period
 * is a range of such days of bounded length. Arithmetic is done on the digits, never through
 * `Date.UTC` (which maps the years 0–99 to 1900–1999) nor `new Date(...)` (RangeError past 275 760).
 */
import { z } from 'zod';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;
export const FIRST_DAY = `${FIRST_YEAR}-01-01`;
export const LAST_DAY = `${LAST_YEAR}-12-31`;

/** Longest period a report, an export or any period-taking method accepts: eleven years. */
export const MAX_PERIOD_DAYS = 366 * 11;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether `text` is "YYYY-MM-DD", a real calendar day, within 2000–2099. */
export function isCalendarDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= FIRST_YEAR && year <= LAST_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether `text` is "YYYY-MM", a real month within 2000–2099. */
export function isCalendarMonth(text: string): boolean {
  const m = MONTH.exec(text);
  if (!m) return false;
  const [year, month] = [Number(m[1]), Number(m[2])];
  return year >= FIRST_YEAR && year <= LAST_YEAR && month >= 1 && month <= 12;
}

/** Days since 2000-01-01 of a valid calendar day (pure integer arithmetic). */
export function dayNumber(text: string): number {
  const m = DAY.exec(text);
  if (!m) throw new RangeError('not a calendar day');
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // Days from civil (proleptic Gregorian), shifted so that 2000-01-01 is 0.
  y -= mo <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 730425;
}

/** Number of days of the period from `from` to `to`, both included. */
export function periodLength(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

const DAY_MESSAGE = `Date invalide : attendu un jour du calendrier au format AAAA-MM-JJ, entre le 01/01/${FIRST_YEAR} et le 31/12/${LAST_YEAR}.`;
const MONTH_MESSAGE = `Mois invalide : attendu AAAA-MM, entre 01/${FIRST_YEAR} et 12/${LAST_YEAR}.`;

/** A local calendar day (Europe/Paris), "YYYY-MM-DD", 2000–2099. */
export const zLocalDay = z.string({ message: DAY_MESSAGE }).regex(DAY, { message: DAY_MESSAGE }).refine(isCalendarDay, { message: DAY_MESSAGE });

/** The shape of a day, "YYYY-MM-DD", for answers whose days the server computed (no calendar check). */
/** The shape of a day's text, YYYY-MM-DD (what `zDayText` checks). */
export const DAY_TEXT = DAY;
export const zDayText = z.string().regex(DAY);

/** A calendar month, "YYYY-MM", 2000–2099. */
export const zLocalMonth = z.string({ message: MONTH_MESSAGE }).regex(MONTH, { message: MONTH_MESSAGE }).refine(isCalendarMonth, { message: MONTH_MESSAGE });

interface Ends {
  from: string;
  to: string;
}

const bothDays = ({ from, to }: Ends): boolean => isCalendarDay(from) && isCalendarDay(to);
const ordered = (r: Ends): boolean => !bothDays(r) || r.from <= r.to;
const withinLength = (r: Ends, maxDays: number): boolean => !bothDays(r) || r.from > r.to || periodLength(r.from, r.to) <= maxDays;

function periodText(days: number): string {
  if (days % 366 === 0) return `${days / 366} an${days / 366 > 1 ? 's' : ''}`;
  return `${days} jours`;
}

/**
 * The `from`/`to` fields of a period (both included) with the checks every period-taking method
 * shares: real days, `from` ≤ `to`, at most `maxDays` days. Spread `extra` fields into the same
 * strict object.
 */
export function zPeriod<E extends z.ZodRawShape = Record<never, never>>(extra?: E, maxDays: number = MAX_PERIOD_DAYS) {
  return z
    .strictObject({ from: zLocalDay, to: zLocalDay, ...(extra ?? ({} as E)) })
    .refine((r) => ordered(r as Ends), { message: 'La date de début doit précéder la date de fin.', path: ['to'] })
    .refine((r) => withinLength(r as Ends, maxDays), {
      message: `Période trop longue : ${periodText(maxDays)} au plus.`,
      path: ['to'],
    });
}
