/**
 * The numbers behind the demo data (DOMAIN.md "Volumes"): how many people come, when, to which
 * service, for what, how it ends. Plausible orders of magnitude for an ESC, not measurements:
 * keep them here, in one place, so that they can be discussed and tuned.
 */
import type { Channel, ContactAction, ContactFlag } from '../../shared/contacts/vocabulary';
import type { DeclineReason, HandoffMode } from '../../shared/handoffs/states';
import type { PriorityReason } from '../../shared/queue/states';
import type { InstitutionCode } from '../../shared/reference/institutions';
import type { SiteCode } from '../../shared/reference/sites';
import { addDays, parseLocalDay, type LocalDay } from '../../shared/time/paris';

/** Fixed password of every seed account (printed by `npm run seed` and in its usage message). */
export const SEED_PASSWORD = 'seed-esc-demo';

export interface SeedAccountSpec {
  login: string;
  displayName: string;
  role: 'agent_accueil' | 'professionnel';
  institution: InstitutionCode;
  /** Share of the desk's work (agents) or of the institution's queue (professionals). */
  weight: number;
}

/** Reception agents (one per institution, two for the CCAS, which staffs most desks) and professionals. No real-looking names. */
export const SEED_ACCOUNTS: readonly SeedAccountSpec[] = [
  { login: 'seed.accueil.ccas', displayName: 'Accueil CCAS 1 (démo)', role: 'agent_accueil', institution: 'CCAS', weight: 30 },
  { login: 'seed.accueil.ccas2', displayName: 'Accueil CCAS 2 (démo)', role: 'agent_accueil', institution: 'CCAS', weight: 30 },
  { login: 'seed.accueil.cdas', displayName: 'Accueil CDAS (démo)', role: 'agent_accueil', institution: 'CDAS', weight: 20 },
  { login: 'seed.accueil.caf', displayName: 'Accueil CAF (démo)', role: 'agent_accueil', institution: 'CAF', weight: 8 },
  { login: 'seed.accueil.arcs', displayName: 'Accueil centre social (démo)', role: 'agent_accueil', institution: 'ARCS', weight: 7 },
  { login: 'seed.accueil.weker', displayName: 'Accueil We Ker (démo)', role: 'agent_accueil', institution: 'WEKER', weight: 5 },
  { login: 'seed.pro.ccas1', displayName: 'Référent·e accès aux droits CCAS (démo)', role: 'professionnel', institution: 'CCAS', weight: 1 },
  { login: 'seed.pro.ccas2', displayName: 'Référent·e RSA CCAS (démo)', role: 'professionnel', institution: 'CCAS', weight: 1 },
  { login: 'seed.pro.cdas1', displayName: 'Travailleur·se social·e CDAS 1 (démo)', role: 'professionnel', institution: 'CDAS', weight: 1 },
  { login: 'seed.pro.cdas2', displayName: 'Travailleur·se social·e CDAS 2 (démo)', role: 'professionnel', institution: 'CDAS', weight: 1 },
  { login: 'seed.pro.caf', displayName: 'Travailleur·se social·e CAF (démo)', role: 'professionnel', institution: 'CAF', weight: 1 },
  { login: 'seed.pro.arcs', displayName: 'Animateur·rice centre social (démo)', role: 'professionnel', institution: 'ARCS', weight: 1 },
  { login: 'seed.pro.weker', displayName: 'Conseiller·e We Ker (démo)', role: 'professionnel', institution: 'WEKER', weight: 1 },
];

/** Typical daily level of each site on a 0..1 scale between passagesMin and passagesMax (Le Blosne ≈ 250 a day). */
export const SITE_LEVEL: Record<SiteCode, number> = {
  BLOSNE: 0.72,
  VILLEJEAN: 0.62,
  IFF: 0.58,
  CESAIRE: 0.55,
  CENTRE: 0.5,
  CLEUNAY: 0.45,
};

/** Monday is the busiest day, Friday the calmest (index: ISO weekday). */
export const WEEKDAY_ADJUST = [0, 0.08, 0.02, 0, -0.02, -0.08, 0, 0];

/** Summer holidays are calm, the return in September is busy (index: month 1..12). */
export const MONTH_ADJUST = [0, 0.05, 0, 0, -0.02, -0.04, -0.02, -0.12, -0.22, 0.08, 0.04, 0.02, -0.08];

export const LEVEL_NOISE_SD = 0.07;

/** Share of a day's passages registered outside opening hours (just before opening, just after closing). */
export const OUTSIDE_HOURS_SHARE = 0.02;
/** Width of the outside-hours windows before each opening period starts and after it ends. */
export const OUTSIDE_HOURS_WINDOW_MINUTES = 15;

/** Arrival density within an opening period: a peak at the start (opening, after lunch), then a slow decline. */
export function arrivalDensity(minutesSinceStart: number, periodMinutes: number, morning: boolean): number {
  const peak = morning ? 90 : 60;
  if (minutesSinceStart < peak) return morning ? 3.0 : 2.5;
  const rest = (minutesSinceStart - peak) / Math.max(1, periodMinutes - peak);
  return 1.6 - 1.1 * rest;
}

/** Which service people queue for on arrival. */
export const SERVICE_MIX: readonly (readonly [string, number])[] = [
  ['ACCUEIL', 55],
  ['CCAS', 16],
  ['CDAS', 12],
  ['CAF', 9],
  ['ARCS', 4],
  ['WEKER', 4],
];

/** Purposes typed at arrival, per service (request-domain codes). */
export const SERVICE_DOMAINS: Record<string, readonly (readonly [string, number])[]> = {
  ACCUEIL: [
    ['ADMINISTRATIF', 18],
    ['DROITS', 14],
    ['NUMERIQUE', 12],
    ['LOGEMENT', 10],
    ['BUDGET', 9],
    ['ALIMENTATION', 7],
    ['ENERGIE', 5],
    ['SANTE', 5],
    ['EMPLOI', 5],
    ['PARENTALITE', 4],
    ['MOBILITE', 3],
    ['LOISIRS', 3],
    ['RETRAITE', 2],
    ['HEBERGEMENT', 1],
    ['AUTRE', 2],
  ],
  CCAS: [
    ['DROITS_RSA', 30],
    ['BUDGET', 25],
    ['DROITS', 15],
    ['ALIMENTATION', 12],
    ['ENERGIE', 10],
    ['LOGEMENT', 8],
  ],
  CDAS: [
    ['PARENTALITE', 30],
    ['LOGEMENT', 20],
    ['SANTE', 15],
    ['BUDGET', 15],
    ['RETRAITE', 10],
    ['HEBERGEMENT', 10],
  ],
  CAF: [
    ['DROITS', 45],
    ['PARENTALITE', 20],
    ['LOGEMENT', 20],
    ['NUMERIQUE', 15],
  ],
  ARCS: [
    ['LOISIRS', 60],
    ['NUMERIQUE', 25],
    ['PARENTALITE', 15],
  ],
  WEKER: [
    ['EMPLOI', 55],
    ['LOGEMENT', 15],
    ['MOBILITE', 15],
    ['SANTE', 15],
  ],
};

/** Share of arrivals whose purpose is not typed at the desk. */
export const NO_PURPOSE_SHARE = 0.15;
/** Share of arrivals at a professional's service who come with an appointment (never on the shared reception queue). */
export const APPOINTMENT_SHARE = 0.2;
export const PRIORITY_SHARE = 0.04;
export const PRIORITY_MIX: readonly (readonly [PriorityReason, number])[] = [
  ['enfant', 50],
  ['mobilite_reduite', 25],
  ['grossesse', 15],
  ['detresse', 10],
];
export const INTERPRETER_SHARE = 0.03;
export const ACCESSIBILITY_SHARE = 0.01;

/** How a passage ends. "moved" = done after being sent to another service. */
export type Outcome = 'done' | 'moved' | 'left' | 'no_show' | 'cancelled';
export const OUTCOME_MIX: readonly (readonly [Outcome, number])[] = [
  ['done', 85],
  ['left', 5],
  ['no_show', 3],
  ['cancelled', 1],
  ['moved', 6],
];

/** Where the shared reception sends people on (a move), and where professionals send back. */
export const MOVE_TARGETS: Record<string, readonly (readonly [string, number])[]> = {
  ACCUEIL: [
    ['CCAS', 40],
    ['CDAS', 25],
    ['CAF', 20],
    ['WEKER', 10],
    ['ARCS', 5],
  ],
  OTHER: [['ACCUEIL', 1]],
};

/** Mean extra waiting minutes (on top of the 2-minute floor) by arrival time; the morning peak waits longest. */
export function meanExtraWait(localMinute: number): number {
  if (localMinute < 10 * 60) return 24;
  if (localMinute < 12 * 60 + 45) return 10;
  if (localMinute < 14 * 60 + 30) return 16;
  return 8;
}

/** Service time bounds (minutes) and mode, per kind of service. */
export const SERVICE_MINUTES = {
  reception: { min: 5, max: 25, mean: 9 },
  professional: { min: 10, max: 40, mean: 24 },
};

export const CONTACT_FOR_DONE_SHARE = 0.95;
export const SECOND_DOMAIN_SHARE = 0.3;
/** Extra contacts (phone, e-mail, mail, outreach) as a share of the day's on-site contacts. */
export const EXTRA_CONTACTS_SHARE = { min: 0.18, max: 0.32 };
export const EXTRA_CHANNELS: readonly (readonly [Channel, number])[] = [
  ['telephone', 60],
  ['email', 18],
  ['courrier', 7],
  ['aller_vers', 15],
];
export const EXTRA_DURATION: Record<Channel, [number, number]> = {
  sur_place: [5, 40],
  sur_place_rdv: [5, 40],
  telephone: [2, 20],
  email: [5, 15],
  courrier: [5, 20],
  aller_vers: [15, 60],
};

export const ACTION_SHARES: readonly (readonly [ContactAction, number])[] = [
  ['information', 0.8],
  ['aide_demarche', 0.2],
  ['document', 0.15],
  ['rdv_pris', 0.1],
];
export const FLAG_SHARES: readonly (readonly [ContactFlag, number])[] = [
  ['non_recours', 0.06],
  ['situation_complexe', 0.08],
];

export const ORIENTATION_SHARE = 0.25;
export const ORIENTATION_INSTITUTION_SHARE = 0.6;
/** Hand-overs come with an orientation to an institution: 0.25 × 0.6 × 0.53 ≈ 8 % of contacts. */
export const HANDOFF_GIVEN_INSTITUTION_ORIENTATION = 0.53;

/** Which institution handles a domain (orientation and hand-over target). */
export const DOMAIN_INSTITUTION: Record<string, InstitutionCode> = {
  DROITS: 'CAF',
  DROITS_RSA: 'CCAS',
  BUDGET: 'CCAS',
  LOGEMENT: 'CDAS',
  ENERGIE: 'CCAS',
  SANTE: 'CDAS',
  PARENTALITE: 'CDAS',
  ALIMENTATION: 'CCAS',
  MOBILITE: 'WEKER',
  NUMERIQUE: 'ARCS',
  EMPLOI: 'WEKER',
  LOISIRS: 'ARCS',
  RETRAITE: 'CDAS',
  HEBERGEMENT: 'CDAS',
  ADMINISTRATIF: 'CCAS',
  AUTRE: 'CCAS',
};

/** Which external partners fit a domain (codes of the partner directory). */
export const DOMAIN_PARTNERS: Record<string, readonly string[]> = {
  SANTE: ['CPAM', 'POINT_SANTE', 'MDPH'],
  EMPLOI: ['FRANCE_TRAVAIL'],
  RETRAITE: ['CARSAT', 'MSA'],
  HEBERGEMENT: ['SIAO_115'],
  LOGEMENT: ['ADIL'],
  NUMERIQUE: ['CONSEILLER_NUMERIQUE', 'FRANCE_SERVICES'],
  ADMINISTRATIF: ['FRANCE_SERVICES'],
  ALIMENTATION: ['ASSOCIATIONS'],
  DROITS: ['INFO_SOCIALE', 'FRANCE_SERVICES'],
};
export const FALLBACK_PARTNERS = ['ASSOCIATIONS', 'INFO_SOCIALE', 'FRANCE_SERVICES'];

/** Share of contacts recorded with a pseudonymous person key (the person gave name and birth date). */
export const IDENTIFIED_SHARE = 0.4;
/** Size of the pool of fictitious recurring people, per open day of the range. */
export const PERSONS_PER_OPEN_DAY = 30;

export const HANDOFF_MODES_ON_SITE: readonly (readonly [HandoffMode, number])[] = [
  ['accompagne', 35],
  ['appel_commun', 15],
  ['rdv', 30],
  ['rappel', 20],
];
export const HANDOFF_MODES_REMOTE: readonly (readonly [HandoffMode, number])[] = [
  ['rdv', 55],
  ['rappel', 45],
];
export const URGENT_SHARE = 0.1;
export const CONSENT_SHARE = 0.7;

export type HandoffOutcome = 'completed' | 'accepted' | 'declined' | 'expired' | 'person_left' | 'cancelled';
export const HANDOFF_OUTCOMES: readonly (readonly [HandoffOutcome, number])[] = [
  ['completed', 65],
  ['accepted', 10],
  ['declined', 10],
  ['expired', 8],
  ['person_left', 5],
  ['cancelled', 2],
];
/** Share of the last day's hand-overs still waiting for an answer at the end of the range. */
export const LAST_DAY_PROPOSED_SHARE = 0.35;
export const DECLINE_REASONS_MIX: readonly (readonly [DeclineReason, number])[] = [
  ['hors_competence', 30],
  ['deja_suivi', 25],
  ['indisponible', 20],
  ['autre_structure', 20],
  ['autre', 5],
];

/** French public holidays (the sites are closed): fixed dates, Easter Monday, Ascension, Whit Monday. */
export function isPublicHoliday(day: LocalDay): boolean {
  const { year, month, day: d } = parseLocalDay(day);
  const md = `${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].includes(md)) return true;
  const easter = easterSunday(year);
  return [1, 39, 50].some((offset) => addDays(easter, offset) === day);
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
function easterSunday(year: number): LocalDay {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
