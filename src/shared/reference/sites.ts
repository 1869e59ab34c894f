/**
 * The six Espaces sociaux communs of Rennes (DOMAIN.md, seeds 000:181-217).
 * Every site opens 8:30–12:30 and 13:30–17:00 on weekdays and is closed one morning a week.
 */
export const SITE_CODES = ['BLOSNE', 'CLEUNAY', 'CESAIRE', 'IFF', 'CENTRE', 'VILLEJEAN'] as const;
export type SiteCode = (typeof SITE_CODES)[number];

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A local opening period, times as "HH:mm" in Europe/Paris. */
export interface OpeningPeriod {
  start: string;
  end: string;
}

export interface Site {
  code: SiteCode;
  name: string;
  formerName?: string;
  address: string;
  city: string;
  phone: string;
  /** Opening periods for each open weekday (Monday to Friday). */
  morning: OpeningPeriod;
  afternoon: OpeningPeriod;
  openWeekdays: IsoWeekday[];
  /** The half-day the site is closed every week. */
  closedHalfDay: { weekday: IsoWeekday; half: 'morning' | 'afternoon' };
}

const MORNING: OpeningPeriod = { start: '08:30', end: '12:30' };
const AFTERNOON: OpeningPeriod = { start: '13:30', end: '17:00' };
const WEEKDAYS: IsoWeekday[] = [1, 2, 3, 4, 5];

export const SITES: readonly Site[] = [
  {
    code: 'BLOSNE',
    name: 'ESC Le Blosne',
    formerName: 'Pôle social du Blosne',
    address: '7, boulevard de Yougoslavie',
    city: '35200 Rennes',
    phone: '02 99 50 90 47',
    morning: MORNING,
    afternoon: AFTERNOON,
    openWeekdays: WEEKDAYS,
    closedHalfDay: { weekday: 2, half: 'morning' },
  },
  {
    code: 'CLEUNAY',
    name: 'ESC Cleunay',
    address: '25, rue Noël Blayau',
    city: '35000 Rennes',
    phone: '02 99 35 41 90',
    morning: MORNING,
    afternoon: AFTERNOON,
    openWeekdays: WEEKDAYS,
    closedHalfDay: { weekday: 2, half: 'morning' },
  },
  {
    code: 'CESAIRE',
    name: 'ESC Aimé Césaire',
    formerName: 'Bréquigny, Sud Gare',
    address: '15, rue Louis et René Moine',
    city: '35200 Rennes',
    phone: '02 23 62 21 76',
    morning: MORNING,
    afternoon: AFTERNOON,
    openWeekdays: WEEKDAYS,
    closedHalfDay: { weekday: 4, half: 'morning' },
  },
  {
    code: 'IFF',
    name: 'ESC Simone Iff',
    formerName: 'ex Gros Chêne, Maurepas',
    address: '11, rue Guy Ropartz',
    city: '35700 Rennes',
    phone: '02 99 27 48 30',
    morning: MORNING,
    afternoon: AFTERNOON,
    openWeekdays: WEEKDAYS,
    closedHalfDay: { weekday: 4, half: 'morning' },
  },
  {
    code: 'CENTRE',
    name: 'ESC Centre',
    formerName: 'Kléber',
    address: '7, rue Kléber',
    city: '35000 Rennes',
    phone: '02 99 02 30 35',
    morning: MORNING,
    afternoon: AFTERNOON,
    openWeekdays: WEEKDAYS,
    closedHalfDay: { weekday: 2, half: 'morning' },
  },
  {
    code: 'VILLEJEAN',
    name: 'ESC Villejean',
    formerName: 'Kennedy',
    address: '42, cours Président John Fitzgerald Kennedy',
    city: '35000 Rennes',
    phone: '02 23 46 85 10',
    morning: MORNING,
    afternoon: AFTERNOON,
    openWeekdays: WEEKDAYS,
    closedHalfDay: { weekday: 4, half: 'morning' },
  },
];

export function findSite(code: string): Site | undefined {
  return SITES.find((s) => s.code === code);
}

export function isSiteCode(code: string): code is SiteCode {
  return (SITE_CODES as readonly string[]).includes(code);
}

/** The opening periods of a site on a given ISO weekday, honouring the closed half-day. */
export function openingPeriods(site: Site, weekday: IsoWeekday): OpeningPeriod[] {
  if (!site.openWeekdays.includes(weekday)) return [];
  const periods: OpeningPeriod[] = [];
  const closed = site.closedHalfDay.weekday === weekday ? site.closedHalfDay.half : null;
  if (closed !== 'morning') periods.push(site.morning);
  if (closed !== 'afternoon') periods.push(site.afternoon);
  return periods;
}

export const WEEKDAY_NAMES_FR: Record<IsoWeekday, string> = {
  1: 'lundi',
  2: 'mardi',
  3: 'mercredi',
  4: 'jeudi',
  5: 'vendredi',
  6: 'samedi',
  7: 'dimanche',
};

/** When the site closes to the public on a weekday (end of its last opening period), or null when closed all day. */
export function closingTime(site: Site, weekday: IsoWeekday): string | null {
  const periods = openingPeriods(site, weekday);
  return periods.length ? periods[periods.length - 1]!.end : null;
}
