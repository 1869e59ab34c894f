/**
 * Each site's opening days (src/shared/reference/sites.ts, French public holidays), for the
 * central side: when a site is late with its sync (IT monitoring) and how many days a month it
 * was open (completeness of the APRAS's summaries).
 *
 * Lateness rule (decision 022): the figures of an opening day D are expected by the start of the
 * next opening day plus a grace of two hours (reception PCs are off at night and sync at the next
 * start); a site is late when that deadline has passed for an opening day D and no successful
 * sync happened after D's closing time. Weekends and public holidays never raise an alarm; a
 * successful cycle with nothing to send counts as a sync.
 */
import { findSite, type Site } from '../../shared/reference/sites';
import { addDays, hhmmToMinutes, isoWeekday, localDay, minutesToHhmm, parisInstant, type LocalDay } from '../../shared/time/paris';
import { isPublicHoliday } from '../seed/model';

export const GRACE_MINUTES = 120;

export function isOpenDay(site: Site, day: LocalDay): boolean {
  return site.openWeekdays.includes(isoWeekday(day)) && !isPublicHoliday(day);
}

/** The next opening day strictly after `day`. */
function nextOpenDay(site: Site, day: LocalDay): LocalDay {
  let d = addDays(day, 1);
  for (let i = 0; i < 30 && !isOpenDay(site, d); i++) d = addDays(d, 1);
  return d;
}

/** When day D's figures are due centrally: next opening day's first opening time + grace. */
export function dueAt(site: Site, day: LocalDay): Date {
  const next = nextOpenDay(site, day);
  const wd = isoWeekday(next);
  const opens = site.closedHalfDay.weekday === wd && site.closedHalfDay.half === 'morning' ? site.afternoon.start : site.morning.start;
  return parisInstant(next, minutesToHhmm(hhmmToMinutes(opens) + GRACE_MINUTES));
}

export interface LateVerdict {
  late: boolean;
  reason: string | null;
}

const fmt = (d: LocalDay) => d.split('-').reverse().join('/');

/** Whether a site is late: the latest opening day whose deadline passed was not synced. */
export function siteLate(code: string, lastSuccess: Date | null, enrolledAt: Date, now: Date): LateVerdict {
  const site = findSite(code);
  if (!site) return { late: false, reason: null };
  // Walk back from today to the latest opening day whose deadline is past.
  let d = localDay(now);
  for (let i = 0; i < 40; i++, d = addDays(d, -1)) {
    if (!isOpenDay(site, d)) continue;
    if (dueAt(site, d).getTime() > now.getTime()) continue;
    const closes = parisInstant(d, site.afternoon.end);
    // Days before the enrolment are not expected.
    if (closes.getTime() < enrolledAt.getTime()) return { late: false, reason: null };
    if (lastSuccess && lastSuccess.getTime() >= closes.getTime()) return { late: false, reason: null };
    return {
      late: true,
      reason: lastSuccess
        ? `Pas de synchronisation réussie depuis la fermeture du ${fmt(d)} (attendue avant le ${fmt(localDay(dueAt(site, d)))} ${minutesToHhmm(hhmmToMinutes(site.morning.start) + GRACE_MINUTES)}).`
        : `Jamais synchronisé depuis l’inscription (journée d’ouverture du ${fmt(d)} attendue).`,
    };
  }
  return { late: false, reason: null };
}

/** Opening days of a site in a month "YYYY-MM" (weekdays of opening, minus public holidays). */
export function openDaysInMonth(code: string, month: string): number {
  const site = findSite(code);
  if (!site) return 0;
  let n = 0;
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) if (isOpenDay(site, d)) n++;
  return n;
}

/** Opening days of a site in a month up to and including `until` (for the current month). */
export function openDaysInMonthUntil(code: string, month: string, until: LocalDay): number {
  const site = findSite(code);
  if (!site) return 0;
  let n = 0;
  for (let d = `${month}-01`; d.startsWith(month) && d <= until; d = addDays(d, 1)) if (isOpenDay(site, d)) n++;
  return n;
}
