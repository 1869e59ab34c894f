/** stats.*, days.* and exports.*: figures of the site, day closing and report files. */
import { z } from 'zod';
import { checkedArray, defineMethod, hasOnlyKeys, zEmpty, zIsoInstant, zLocalDay, zPeriod } from '../define';
import { DAY_TEXT, zDayText } from '../../time/calendar';
import { zText } from '../text';

const zCount = z.strictObject({ key: z.string(), count: z.int() });
const zMinutes = z.number().nullable();

export const zFigures = z.strictObject({
  from: zLocalDay,
  to: zLocalDay,
  arrivals: z.int(),
  /** Passages received: served at a desk or office, or handed over to another institution. */
  received: z.int(),
  handedOver: z.int(),
  contacts: z.int(),
  identifiedPassages: z.int(),
  distinctPersons: z.int(),
  anonymousContacts: z.int(),
  waitMedian: zMinutes,
  waitP90: zMinutes,
  serviceMedian: zMinutes,
  left: z.int(),
  noShow: z.int(),
  closedUnseen: z.int(),
  leftRate: z.number().nullable(),
  outsideHours: z.int(),
  handoffs: z.int(),
  handoffAcceptance: z.number().nullable(),
  handoffAcceptMedian: zMinutes,
  byService: z.array(zCount),
  byChannel: z.array(zCount),
  byDomain: z.array(zCount),
  byOrientation: z.array(zCount),
  handoffsByState: z.array(zCount),
  arrivalsByHour: z.array(z.strictObject({ hour: z.int(), count: z.int() })),
});
export type Figures = z.infer<typeof zFigures>;

export const zIndicatorDef = z.strictObject({ code: z.string(), label: z.string(), unit: z.string(), definition: z.string() });

const zClosing = z.strictObject({
  day: zLocalDay,
  state: z.enum(['closed', 'reopened']),
  closedAt: zIsoInstant,
  closedByName: z.string().nullable(),
  remark: z.string().nullable(),
  reopenedAt: zIsoInstant.nullable(),
  reopenedByName: z.string().nullable(),
  reopenReason: z.string().nullable(),
  version: z.int(),
});
export type DayClosing = z.infer<typeof zClosing>;

export const zReviewItem = z.strictObject({
  kind: z.enum(['queue_open', 'no_contact', 'handoff_open', 'outside_hours']),
  id: z.string(),
  ticket: z.string().nullable(),
  label: z.string(),
  /** Items that prevent closing; the others are points to check. */
  blocking: z.boolean(),
  version: z.int(),
  state: z.string(),
});
export type ReviewItem = z.infer<typeof zReviewItem>;

const zPerDay = z.strictObject({ day: zDayText, open: z.boolean(), arrivals: z.int(), contacts: z.int(), closed: z.boolean() });
const PER_DAY_KEYS = ['day', 'open', 'arrivals', 'contacts', 'closed'] as const;
/** Exactly what `zPerDay` accepts. */
export function isPerDay(v: unknown): boolean {
  return (
    hasOnlyKeys(v, PER_DAY_KEYS) &&
    typeof v.day === 'string' &&
    DAY_TEXT.test(v.day) &&
    typeof v.open === 'boolean' &&
    Number.isSafeInteger(v.arrivals) &&
    Number.isSafeInteger(v.contacts) &&
    typeof v.closed === 'boolean'
  );
}
export { zPerDay };

export const zPeriodReport = z.strictObject({
  figures: zFigures,
  previous: zFigures,
  lastYear: zFigures,
  // Answers only: each day's text is built from the period's own (validated) ends, so its shape is
  // checked without the calendar check of inputs, and in one loop (`checkedArray`): a zod parse
  // of five years' days cost more than computing the report.
  perDay: checkedArray(zPerDay, isPerDay),
  heatmap: z.array(z.strictObject({ weekday: z.int(), hour: z.int(), count: z.int() })),
  openDays: z.int(),
  closedDays: z.int(),
  daysClosedShare: z.number().nullable(),
  definitions: z.array(zIndicatorDef),
});
export type PeriodReport = z.infer<typeof zPeriodReport>;

/** Every period-taking method: real days, from ≤ to, eleven years at most (src/shared/time/calendar.ts). */
const zRange = zPeriod();

/**
 * A report file ready to fetch once: `GET /exports/<id>` with the session's bearer token (hub), or
 * `exports.download` in chunks (desktop over IPC). It expires after a few minutes and is deleted
 * once fetched; it holds no personal data anyway.
 */
export const zExportFile = z.strictObject({
  filename: z.string(),
  mimeType: z.string(),
  size: z.int(),
  downloadId: z.string(),
  /** Path of the one-time download on the hub (relative to the hub's address). */
  url: z.string(),
  expiresAt: zIsoInstant,
});
export type ExportFile = z.infer<typeof zExportFile>;

export const statsMethods = {
  'stats.today': defineMethod({
    summary: 'Les chiffres du jour du site, en direct.',
    permission: 'stats.view',
    params: zEmpty,
    result: z.strictObject({ day: zLocalDay, now: zIsoInstant, waitingNow: z.int(), figures: zFigures, definitions: z.array(zIndicatorDef) }),
  }),
  'stats.period': defineMethod({
    summary: 'Rapport du site sur une période : indicateurs, tendances, affluence, journées clôturées.',
    permission: 'stats.view',
    params: zRange,
    result: zPeriodReport,
  }),
  'days.review': defineMethod({
    summary: 'Revue d’une journée avant clôture : points à traiter et chiffres.',
    permission: 'days.close',
    params: z.strictObject({ day: zLocalDay }),
    result: z.strictObject({ day: zLocalDay, closing: zClosing.nullable(), items: z.array(zReviewItem), figures: zFigures }),
  }),
  'days.close': defineMethod({
    summary: 'Clôture une journée : ses chiffres sont figés avec leurs définitions.',
    permission: 'days.close',
    params: z.strictObject({
      day: zLocalDay,
      remark: zText({ multiline: true }).max(500).optional(),
      /** Confirms closing today before the site closes to the public (else CONFLICT, saying what it does). */
      early: z.boolean().optional(),
    }),
    result: zClosing,
  }),
  'days.closeRemaining': defineMethod({
    summary: 'Clôture en une fois les tickets encore ouverts d’une journée, avec un motif (revue de clôture).',
    permission: 'days.close',
    params: z.strictObject({ day: zLocalDay, reason: zText().min(3, { message: 'Indiquez un motif (3 caractères au moins).' }).max(200) }),
    result: z.strictObject({ closed: z.int(), finished: z.int() }),
  }),
  'days.reopen': defineMethod({
    summary: 'Rouvre une journée clôturée, avec un motif (tracé).',
    permission: 'days.close',
    params: z.strictObject({ day: zLocalDay, reason: zText().min(5, { message: 'Motif : 5 caractères au moins.' }).max(300) }),
    result: zClosing,
  }),
  'days.list': defineMethod({
    summary: 'Les clôtures de journées d’une période.',
    permission: 'stats.view',
    params: zRange,
    result: z.strictObject({ closings: z.array(zClosing) }),
  }),
  'exports.report': defineMethod({
    summary: 'Fichier du rapport de site (CSV, XLSX ou PDF), sans nom ni texte libre.',
    permission: 'stats.view',
    params: zPeriod({
      format: z.enum(['csv', 'xlsx', 'pdf']),
      /** Chosen by the client to follow `export.progress` events. */
      exportId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
    }),
    result: zExportFile,
  }),
  'exports.download': defineMethod({
    summary: 'Contenu d’un fichier préparé (rapport ou journal), par morceaux, pour l’application de bureau.',
    permission: 'authenticated',
    params: z.strictObject({ downloadId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), offset: z.int().min(0).optional() }),
    result: z.strictObject({ base64: z.string(), offset: z.int(), size: z.int(), done: z.boolean() }),
  }),
};
