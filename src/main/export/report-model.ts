/**
 * The site report as neutral tables (typed cells), built once from the period report and written
 * by the CSV, XLSX and PDF writers, so that the three files and the screen show the same numbers.
 * Nothing here can carry a name or free text: only codes, labels and numbers.
 */
import type { PeriodReport, Figures } from '../../shared/api/methods/stats';
import { CHANNEL_LABELS_FR, type Channel } from '../../shared/contacts/vocabulary';
import { HANDOFF_STATE_LABELS_FR, type HandoffState } from '../../shared/handoffs/states';
import type { QueueConfig } from '../../shared/queue/config';
import { EXTERNAL_PARTNERS, INSTITUTIONS } from '../../shared/reference/institutions';
import type { Site } from '../../shared/reference/sites';
import { WEEKDAY_NAMES_FR, type IsoWeekday } from '../../shared/reference/sites';
import { domainLabel } from '../../shared/reference/taxonomy';
import { INDICATORS, type IndicatorDef } from '../../shared/stats/indicators';
import { formatHourSlot } from '../../shared/format/fr';
import { formatDayFr } from '../../shared/time/paris';

export type Cell = { kind: 'text'; value: string } | { kind: 'number'; value: number | null; decimals: number } | { kind: 'date'; value: string };

export interface ReportTable {
  /** Sheet name in the XLSX (31 characters at most). */
  id: string;
  title: string;
  indicator: IndicatorDef | null;
  columns: string[];
  rows: Cell[][];
}

export interface ReportModel {
  siteName: string;
  siteCode: string;
  from: string;
  to: string;
  generatedAt: Date;
  report: PeriodReport;
  tables: ReportTable[];
  definitions: IndicatorDef[];
}

const text = (value: string): Cell => ({ kind: 'text', value });
const num = (value: number | null, decimals = 0): Cell => ({ kind: 'number', value, decimals });
const date = (value: string): Cell => ({ kind: 'date', value });

function orientationName(code: string): string {
  return INSTITUTIONS.find((i) => i.code === code)?.shortName ?? EXTERNAL_PARTNERS.find((p) => p.code === code)?.name ?? code;
}

type ScalarKey = Exclude<
  keyof Figures,
  'from' | 'to' | 'byService' | 'byChannel' | 'byDomain' | 'byOrientation' | 'handoffsByState' | 'arrivalsByHour' | 'left' | 'noShow' | 'closedUnseen' | 'handedOver'
>;

const SCALARS: { key: ScalarKey; decimals: number }[] = [
  { key: 'arrivals', decimals: 0 },
  { key: 'received', decimals: 0 },
  { key: 'contacts', decimals: 0 },
  { key: 'identifiedPassages', decimals: 0 },
  { key: 'distinctPersons', decimals: 0 },
  { key: 'anonymousContacts', decimals: 0 },
  { key: 'waitMedian', decimals: 1 },
  { key: 'waitP90', decimals: 1 },
  { key: 'serviceMedian', decimals: 1 },
  { key: 'leftRate', decimals: 1 },
  { key: 'outsideHours', decimals: 0 },
  { key: 'handoffs', decimals: 0 },
  { key: 'handoffAcceptance', decimals: 1 },
  { key: 'handoffAcceptMedian', decimals: 1 },
];

export function buildReportModel(site: Site, queue: QueueConfig, report: PeriodReport, generatedAt: Date): ReportModel {
  const f = report.figures;
  const serviceLabel = (code: string) => queue.services.find((s) => s.code === code)?.label ?? code;
  const breakdown = (id: string, title: string, indicator: IndicatorDef, category: string, items: { key: string; count: number }[], label: (k: string) => string): ReportTable => ({
    id,
    title,
    indicator,
    // Labels only: internal codes (`telephone`, `accepted`, `ARCS`…) never reach a report.
    columns: [category, indicator.unit === 'contacts' ? 'Contacts' : indicator.unit === 'relais' ? 'Relais' : 'Arrivées'],
    rows: items.map((i) => [text(label(i.key)), num(i.count)]),
  });

  const tables: ReportTable[] = [
    {
      id: 'Synthèse',
      title: 'Synthèse',
      indicator: null,
      columns: [
        'Indicateur',
        'Valeur',
        'Unité',
        `Période précédente (du ${formatDayFr(report.previous.from)} au ${formatDayFr(report.previous.to)})`,
        `Même période l’an dernier (du ${formatDayFr(report.lastYear.from)} au ${formatDayFr(report.lastYear.to)})`,
      ],
      rows: [
        ...SCALARS.map(({ key, decimals }) => [
          text(INDICATORS[key].label),
          num(f[key], decimals),
          text(INDICATORS[key].unit),
          num(report.previous[key], decimals),
          num(report.lastYear[key], decimals),
        ]),
        [text(INDICATORS.daysClosedShare.label), num(report.daysClosedShare, 1), text('%'), num(null), num(null)],
      ],
    },
    breakdown('Arrivées par service', 'Arrivées par service', INDICATORS.byService, 'Service', f.byService, serviceLabel),
    breakdown('Contacts par canal', 'Contacts par canal', INDICATORS.byChannel, 'Canal', f.byChannel, (k) => CHANNEL_LABELS_FR[k as Channel] ?? k),
    breakdown('Contacts par domaine', 'Contacts par domaine de demande', INDICATORS.byDomain, 'Domaine', f.byDomain, domainLabel),
    breakdown('Orientations', 'Orientations par destination', INDICATORS.byOrientation, 'Destination', f.byOrientation, orientationName),
    breakdown('Suites des relais', 'Suites des passages de relais (le jour où elles ont eu lieu)', INDICATORS.handoffsByState, 'État atteint', f.handoffsByState, (k) => HANDOFF_STATE_LABELS_FR[k as HandoffState] ?? k),
    {
      id: 'Arrivées par heure',
      title: 'Arrivées par heure',
      indicator: INDICATORS.arrivalsByHour,
      columns: ['Heure', 'Arrivées'],
      rows: f.arrivalsByHour.filter((h) => h.count > 0 || (h.hour >= 8 && h.hour <= 17)).map((h) => [text(formatHourSlot(h.hour)), num(h.count)]),
    },
    {
      id: 'Par jour',
      title: 'Activité par jour',
      indicator: null,
      columns: ['Date', 'Jour d’ouverture', 'Arrivées', 'Contacts', 'Clôturée'],
      rows: report.perDay.map((d) => [date(d.day), text(d.open ? 'oui' : 'non'), num(d.arrivals), num(d.contacts), text(d.closed ? 'oui' : 'non')]),
    },
    {
      id: 'Affluence',
      title: 'Affluence par jour de semaine et heure',
      indicator: INDICATORS.heatmap,
      columns: ['Jour', ...Array.from({ length: 11 }, (_, i) => formatHourSlot(i + 8))],
      rows: ([1, 2, 3, 4, 5] as IsoWeekday[]).map((w) => [
        text(WEEKDAY_NAMES_FR[w]),
        ...Array.from({ length: 11 }, (_, i) => num(report.heatmap.find((c) => c.weekday === w && c.hour === i + 8)?.count ?? 0)),
      ]),
    },
  ];
  return {
    siteName: site.name,
    siteCode: site.code,
    from: report.figures.from,
    to: report.figures.to,
    generatedAt,
    report,
    tables,
    definitions: report.definitions,
  };
}

export function periodLabel(model: ReportModel): string {
  return `du ${formatDayFr(model.from)} au ${formatDayFr(model.to)}`;
}

export function reportFileBase(model: ReportModel): string {
  return `rapport-${model.siteCode.toLowerCase()}-${model.from}-${model.to}`;
}
