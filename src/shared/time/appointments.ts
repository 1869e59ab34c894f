/**
 * Is this appointment plausible? (issue 12: "appointments in the past or before opening are
 * accepted without a word"). The same checks run in the forms (an error on the field at once)
 * and in core (the rule). Rules (docs/decisions/021-words-formats-and-checks.md):
 * - an appointment is at the site during its public opening hours (the weekly closed half-day
 *   and the weekend included);
 * - an arrival "with an appointment at HH:mm" today may be late, but not by more than
 *   `ARRIVAL_APPOINTMENT_LATE_MINUTES` (beyond, the time is a typing mistake, or the person
 *   simply arrives without an appointment);
 * - an appointment booked for later (hand-over "rendez-vous pris") is in the future, and within
 *   a year.
 */
import { openingPeriods, WEEKDAY_NAMES_FR, type Site } from '../reference/sites';
import { addDays, formatDayFr, hhmmToMinutes, isoWeekday, localDay, localMinutes, localTime, type LocalDay } from './paris';

export const ARRIVAL_APPOINTMENT_LATE_MINUTES = 60;
export const BOOKED_APPOINTMENT_MAX_DAYS = 366;

function hoursText(site: Site, day: LocalDay): string {
  const periods = openingPeriods(site, isoWeekday(day));
  return periods.map((p) => `${p.start}–${p.end}`).join(' et ');
}

function openAt(site: Site, day: LocalDay, minutes: number): boolean {
  return openingPeriods(site, isoWeekday(day)).some((p) => minutes >= hhmmToMinutes(p.start) && minutes < hhmmToMinutes(p.end));
}

function closedMessage(site: Site, day: LocalDay, time: string, dayWords: string): string {
  const periods = openingPeriods(site, isoWeekday(day));
  if (periods.length === 0) return `Le site est fermé au public ${dayWords} : choisissez un jour d’ouverture.`;
  return `À ${time}, le site est fermé au public ${dayWords} (ouvert ${hoursText(site, day)}) : vérifiez l’heure du rendez-vous.`;
}

/** An arrival registered now "with an appointment at `hhmm`" today. Null when acceptable. */
export function arrivalAppointmentProblem(site: Site, hhmm: string, now: Date): string | null {
  const day = localDay(now);
  const minutes = hhmmToMinutes(hhmm);
  if (!openAt(site, day, minutes)) return closedMessage(site, day, hhmm, 'aujourd’hui');
  if (minutes < localMinutes(now) - ARRIVAL_APPOINTMENT_LATE_MINUTES) {
    return `Rendez-vous à ${hhmm} : cette heure est passée depuis plus d’une heure. Vérifiez l’heure, ou enregistrez l’arrivée sans rendez-vous.`;
  }
  return null;
}

/** An appointment booked now for a later date (`at`). Null when acceptable. */
export function bookedAppointmentProblem(site: Site, at: Date, now: Date): string | null {
  if (at.getTime() <= now.getTime()) {
    return `Ce rendez-vous (${formatDayFr(localDay(at))} à ${localTime(at)}) est déjà passé : choisissez une date et une heure à venir.`;
  }
  const day = localDay(at);
  if (day > addDays(localDay(now), BOOKED_APPOINTMENT_MAX_DAYS)) {
    return `Ce rendez-vous (${formatDayFr(day)}) est dans plus d’un an : vérifiez l’année.`;
  }
  if (!openAt(site, day, localMinutes(at))) {
    return closedMessage(site, day, localTime(at), `le ${WEEKDAY_NAMES_FR[isoWeekday(day)]} ${formatDayFr(day)}`);
  }
  return null;
}
