/**
 * The inter-ESC summary (issue 15), built from the monthly aggregates only (the APRAS role cannot
 * read anything else) for a period of whole months and a set of ESCs, with completeness, trends
 * and definitions, and with statistical secrecy applied (decision 024) BEFORE anything is shown or
 * written: the portal's screens and every export file render this one model, so the numbers are
 * the same everywhere.
 *
 * Medians and 9th deciles are nearest-rank on the individual waits (whole seconds), merged
 * exactly from the monthly distributions: the same statistic as the site reports.
 */
import type pg from 'pg';
import { CHANNEL_LABELS_FR, CHANNELS } from '../../shared/contacts/vocabulary';
import { HANDOFF_STATE_LABELS_FR, type HandoffState } from '../../shared/handoffs/states';
import { EXTERNAL_PARTNERS, institutionLabel, isInstitutionCode } from '../../shared/reference/institutions';
import { findSite, SITE_CODES, type SiteCode } from '../../shared/reference/sites';
import { domainLabel } from '../../shared/reference/taxonomy';
import { barChartSvg } from '../../shared/stats/charts';
import { DEFAULT_THRESHOLD, maskLabel, protect, type MaskReason, type SecrecyLine } from '../../shared/stats/secrecy';
import { localDay } from '../../shared/time/paris';
import { MONTH_NAMES_FR } from '../../shared/format/fr';
import { openDaysInMonth, openDaysInMonthUntil } from './opening';

export class SummaryError extends Error {}

/** An institution's or external partner's name, never its code when a name is known. */
export function placeLabel(code: string): string {
  if (isInstitutionCode(code)) return institutionLabel(code);
  return EXTERNAL_PARTNERS.find((p) => p.code === code)?.name ?? code;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES_FR[m - 1]} ${y}`;
}
export function periodLabelFr(from: string, to: string): string {
  return from === to ? monthLabel(from) : `de ${monthLabel(from)} à ${monthLabel(to)}`;
}

export const PORTAL_PERIOD_KINDS = ['month', 'quarter', 'year', 'schoolYear', 'custom'] as const;
export type PortalPeriodKind = (typeof PORTAL_PERIOD_KINDS)[number];
export const PORTAL_PERIOD_LABELS: Record<PortalPeriodKind, string> = {
  month: 'Mois',
  quarter: 'Trimestre',
  year: 'Année civile',
  schoolYear: 'Année juillet–juin',
  custom: 'Personnalisée (en mois)',
};

/** The months of a period chosen by kind and a month inside it (custom: from…to). */
export function periodMonths(kind: PortalPeriodKind, month: string, to?: string): { from: string; to: string } {
  if (!MONTH.test(month)) throw new SummaryError('Les mois s’écrivent AAAA-MM (par exemple 2026-10).');
  const [y, m] = month.split('-').map(Number) as [number, number];
  switch (kind) {
    case 'month':
      return { from: month, to: month };
    case 'quarter': {
      const q = Math.floor((m - 1) / 3) * 3 + 1;
      const from = `${y}-${String(q).padStart(2, '0')}`;
      return { from, to: addMonths(from, 2) };
    }
    case 'year':
      return { from: `${y}-01`, to: `${y}-12` };
    case 'schoolYear': {
      const start = m >= 7 ? y : y - 1;
      return { from: `${start}-07`, to: `${start + 1}-06` };
    }
    case 'custom':
      if (!to || !MONTH.test(to)) throw new SummaryError('Indiquez le dernier mois de la période (AAAA-MM).');
      return { from: month, to };
  }
}

export interface SummaryRequest {
  from: string;
  to: string;
  /** ESCs chosen (default: every enrolled ESC). */
  sites?: readonly string[] | undefined;
  threshold?: number | undefined;
  /** The period as chosen ends later (a quarter or year under way): its real last month. */
  declaredTo?: string | undefined;
}

/** Checks a period: whole months, in order, not in the future, at most 10 years. French errors. */
export function checkPeriod(from: string, to: string, now: Date): void {
  if (!MONTH.test(from) || !MONTH.test(to)) throw new SummaryError('Les mois s’écrivent AAAA-MM (par exemple 2026-10).');
  if (from > to) throw new SummaryError('Le premier mois doit précéder le dernier.');
  const current = localDay(now).slice(0, 7);
  if (to > current) {
    throw new SummaryError(`La période demandée (${periodLabelFr(from, to)}) est dans le futur : le dernier mois possible est ${monthLabel(current)} (mois en cours, incomplet).`);
  }
  if (monthsBetween(from, to).length > 120) throw new SummaryError('Période trop longue : dix ans au plus.');
}

/** A displayed value: a number, or masked (with its label), or absent ("—"). */
export interface Figure {
  value: number | null;
  decimals: number;
  masked: MaskReason | null;
  text: string;
}

export interface SummaryRow {
  label: string;
  cells: Figure[];
  total?: boolean;
}

export interface SummaryTable {
  id: string;
  title: string;
  /** Definition of what the table counts (French), with its unit. */
  definition: string;
  columns: string[];
  rows: SummaryRow[];
}

export interface CoverageMonth {
  month: string;
  openDays: number;
  /** Opening days until today for the current month. */
  openDaysSoFar: number;
  daysReceived: number;
  daysClosed: number;
  incomplete: boolean;
}

export interface CoverageSite {
  code: string;
  name: string;
  enrolledAt: string | null;
  lastSuccessAt: string | null;
  lastRowsAt: string | null;
  /** Enrolled, but no data ever received (or not enrolled at all). */
  missing: boolean;
  status: string;
  months: CoverageMonth[];
}

export interface Definition {
  label: string;
  unit: string;
  definition: string;
}

export interface PortalSummary {
  from: string;
  to: string;
  periodLabel: string;
  generatedAt: string;
  threshold: number;
  sites: { code: string; name: string }[];
  coverage: CoverageSite[];
  incompleteMonths: string[];
  tables: SummaryTable[];
  charts: { title: string; svg: string }[];
  definitions: Definition[];
  notes: string[];
}

const fmtInt = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const fmt1 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** French number: narrow no-break space as thousands separator, decimal comma. */
export function formatFr(value: number, decimals: number): string {
  return (decimals === 0 ? fmtInt : fmt1).format(value);
}

/** Nearest-rank percentile of a distribution given as (value, count) pairs sorted by value. */
export function nearestRank(dist: readonly (readonly [number, number])[], p: number): number | null {
  const n = dist.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let cum = 0;
  for (const [v, c] of dist) {
    cum += c;
    if (cum >= rank) return v;
  }
  return dist[dist.length - 1]![0];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export const DEFINITIONS: Record<string, Definition> = {
  passages: { label: 'Passages', unit: 'passages', definition: 'Personnes enregistrées dans la file d’attente de l’accueil (tickets), hors tickets annulés pour erreur, comptées le jour de leur arrivée. Flux ; jamais extrapolé.' },
  received: { label: 'Passages reçus', unit: 'passages', definition: 'Passages terminés par un entretien (ou relayés vers une institution), comptés le jour de l’arrivée.' },
  left: { label: 'Partis sans être reçus', unit: 'passages', definition: 'Passages partis avant l’appel, absents à l’appel ou non reçus à la fermeture, comptés le jour de l’arrivée.' },
  other: { label: 'Autres issues', unit: 'passages', definition: 'Passages ni reçus ni partis au moment de la dernière synchronisation (en attente ou en cours), comptés le jour de l’arrivée.' },
  outside: { label: 'Arrivées hors horaires', unit: 'passages', definition: 'Passages enregistrés en dehors des horaires d’ouverture au public du site.' },
  waitMedian: {
    label: 'Attente médiane',
    unit: 'minutes',
    definition:
      'Médiane au rang le plus proche (nearest rank) des attentes individuelles entre l’arrivée et le premier appel, en secondes entières, sur toutes les personnes appelées des ESC et des mois choisis : la valeur de rang ⌈N/2⌉ des attentes triées. Même calcul que les rapports des sites. La fonction MÉDIANE d’Excel interpole entre deux valeurs et peut différer légèrement.',
  },
  waitP90: {
    label: 'Attente du 9e décile',
    unit: 'minutes',
    definition:
      '9e décile au rang le plus proche des attentes individuelles (valeur de rang ⌈0,9 × N⌉ des attentes triées) : 90 % des personnes appelées ont attendu au plus ce temps. Même calcul que les rapports des sites (Excel CENTILE interpole).',
  },
  contacts: { label: 'Contacts ASIP', unit: 'contacts', definition: 'Contacts de premier accueil enregistrés (sur place, téléphone, courriel, courrier, aller vers), comptés le jour du contact ; contacts annulés exclus.' },
  oriented: { label: 'dont avec orientation', unit: 'contacts', definition: 'Contacts ayant donné lieu à une orientation vers une institution ou un partenaire.' },
  handoffs: { label: 'Passages de relais créés', unit: 'relais', definition: 'Passages de relais créés, comptés le jour de leur création, quel que soit leur devenir.' },
  byChannel: { label: 'Contacts par canal', unit: 'contacts', definition: 'Contacts ASIP répartis par canal ; la colonne Total est le nombre de contacts.' },
  byDomain: {
    label: 'Contacts par domaine de demande',
    unit: 'contacts',
    definition: 'Contacts ASIP par domaine de la taxonomie ; un contact portant plusieurs domaines compte dans chacun, la somme des domaines dépasse donc le nombre de contacts.',
  },
  flows: {
    label: 'Relais par institutions et issue',
    unit: 'relais',
    definition:
      'Passages de relais par institution d’origine et de destination : « Créés » sur le mois de création ; chaque issue (pris en charge, terminé, refusé, expiré, annulé, personne partie) sur le mois où elle est survenue (règle des journées clôturées : un événement compte le jour où il a lieu). Un relais créé en fin de période peut donc avoir son issue dans la période suivante.',
  },
  days: {
    label: 'Journées',
    unit: 'jours',
    definition:
      'Jours d’ouverture : jours ouvrés d’ouverture du site (lundi à vendredi hors jours fériés). Jours reçus : jours ayant au moins un passage, un contact, un relais ou une clôture reçus au central. Jours clôturés : journées clôturées par la coordination du site.',
  },
  distinctPersons: {
    label: 'Personnes distinctes',
    unit: 'personnes',
    definition:
      'Non disponible au central : la clé anonyme qui reconnaît une personne reste sur le site (elle n’est jamais envoyée). Chaque site publie ses personnes distinctes dans son propre rapport ; elles ne s’additionnent pas entre sites.',
  },
  trends: {
    label: 'Tendances',
    unit: 'selon l’indicateur',
    definition: 'Le même indicateur sur la période, sur la période précédente de même longueur et sur la même période un an plus tôt, pour les ESC choisis ; évolution en pourcentage de la période précédente.',
  },
  secrecy: {
    label: 'Secret statistique',
    unit: '',
    definition:
      '« < 5 » : effectif entre 1 et 4, masqué pour qu’aucune personne ne soit reconnaissable. « s » : valeur masquée pour que les totaux et les différences ne permettent pas de retrouver une petite valeur (secret secondaire). Les totaux publiés restent exacts. Voir la décision 024.',
  },
};

interface MonthRow {
  site_id: string;
  passages: string;
  received: string;
  left_unseen: string;
  outside_hours: string;
  waits: string;
  contacts: string;
  contacts_oriented: string;
  handoffs: string;
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.Client, 'query'> | Pick<pg.PoolClient, 'query'>;

async function totals(db: Queryable, sites: string[], from: string, to: string): Promise<Map<string, MonthRow>> {
  const r = await db.query<MonthRow>(
    `SELECT site_id, sum(passages) AS passages, sum(received) AS received, sum(left_unseen) AS left_unseen, sum(outside_hours) AS outside_hours,
            sum(waits) AS waits, sum(contacts) AS contacts, sum(contacts_oriented) AS contacts_oriented, sum(handoffs) AS handoffs
     FROM esc.agg_month WHERE site_id = ANY($1) AND month BETWEEN $2::date AND $3::date GROUP BY site_id`,
    [sites, `${from}-01`, `${to}-01`],
  );
  return new Map(r.rows.map((x) => [x.site_id, x]));
}

async function waitDistributions(db: Queryable, sites: string[], from: string, to: string): Promise<Map<string, [number, number][]>> {
  const r = await db.query<{ site_id: string; w: number; n: string }>(
    `SELECT site_id, wait_seconds AS w, sum(n) AS n FROM esc.agg_month_wait WHERE site_id = ANY($1) AND month BETWEEN $2::date AND $3::date
     GROUP BY site_id, wait_seconds HAVING sum(n) > 0 ORDER BY site_id, wait_seconds`,
    [sites, `${from}-01`, `${to}-01`],
  );
  const out = new Map<string, [number, number][]>();
  for (const row of r.rows) {
    const list = out.get(row.site_id) ?? [];
    list.push([row.w, Number(row.n)]);
    out.set(row.site_id, list);
  }
  return out;
}

/** Merges per-site distributions (each sorted) into one sorted distribution. */
function mergeDistributions(lists: [number, number][][]): [number, number][] {
  const m = new Map<number, number>();
  for (const l of lists) for (const [v, c] of l) m.set(v, (m.get(v) ?? 0) + c);
  return [...m].sort((a, b) => a[0] - b[0]);
}

const waitMinutes = (dist: [number, number][], p: number): number | null => {
  const s = nearestRank(dist, p);
  return s === null ? null : round1(s / 60);
};

interface CoverageRow {
  site_id: string;
  enrolled_at: Date;
  revoked_at: Date | null;
  last_success_at: Date | null;
  last_rows_at: Date | null;
  last_activity_day: string | null;
}

/** Builds the summary under the APRAS role (monthly aggregates and coverage only). */
export async function buildSummary(db: Queryable, request: SummaryRequest, now = new Date()): Promise<PortalSummary> {
  const { from, to } = request;
  checkPeriod(from, to, now);
  const threshold = request.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > 50) throw new SummaryError('Le seuil du secret statistique doit être un entier entre 2 et 50.');
  const coverageRows = (
    await db.query<CoverageRow>('SELECT site_id, enrolled_at, revoked_at, last_success_at, last_rows_at, last_activity_day::text AS last_activity_day FROM esc.apras_coverage')
  ).rows;
  const enrolled = new Map(coverageRows.map((r) => [r.site_id, r]));
  const wanted = (request.sites && request.sites.length > 0 ? [...request.sites].map((s) => s.toUpperCase()) : [...SITE_CODES].filter((c) => enrolled.has(c))) as string[];
  for (const s of wanted) if (!findSite(s)) throw new SummaryError(`ESC inconnu « ${s} ».`);
  if (wanted.length === 0) throw new SummaryError('Aucun ESC inscrit au serveur central : rien à résumer.');
  const sites = SITE_CODES.filter((c) => wanted.includes(c)) as SiteCode[];
  const months = monthsBetween(from, to);
  const current = localDay(now).slice(0, 7);
  const today = localDay(now);

  // ---- data (monthly aggregates only)
  const tot = await totals(db, sites, from, to);
  const dists = await waitDistributions(db, sites, from, to);
  /** Rows of a monthly table for the chosen sites and months: `$1` sites, `$2`–`$3` the months. */
  const ofPeriod = async <R extends Record<string, unknown>>(text: string): Promise<R[]> => (await db.query<R>(text, [sites, `${from}-01`, `${to}-01`])).rows;
  const IN_PERIOD = 'WHERE site_id = ANY($1) AND month BETWEEN $2::date AND $3::date';
  const channelRows = await ofPeriod<{ site_id: string; channel: string; n: string }>(`SELECT site_id, channel, sum(n) AS n FROM esc.agg_month_channel ${IN_PERIOD} GROUP BY 1, 2`);
  const domainRows = await ofPeriod<{ site_id: string; domain: string; n: string }>(`SELECT site_id, domain, sum(n) AS n FROM esc.agg_month_domain ${IN_PERIOD} GROUP BY 1, 2`);
  const flowRows = await ofPeriod<{ from_institution: string; to_institution: string; event: string; n: string }>(
    `SELECT from_institution, to_institution, event, sum(n) AS n FROM esc.agg_month_handoff ${IN_PERIOD} GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
  );
  const perMonth = await ofPeriod<{ month: string; passages: string; contacts: string; handoffs: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, sum(passages) AS passages, sum(contacts) AS contacts, sum(handoffs) AS handoffs FROM esc.agg_month ${IN_PERIOD} GROUP BY 1`,
  );
  const days = await ofPeriod<{ site_id: string; month: string; days_received: number; days_closed: number }>(
    `SELECT site_id, to_char(month, 'YYYY-MM') AS month, days_received, days_closed FROM esc.apras_month_days ${IN_PERIOD}`,
  );
  const len = months.length;
  const prevFrom = addMonths(from, -len);
  const prevTo = addMonths(from, -1);
  const lyFrom = addMonths(from, -12);
  const lyTo = addMonths(to, -12);
  const prev = await totals(db, sites, prevFrom, prevTo);
  const ly = await totals(db, sites, lyFrom, lyTo);
  const prevDist = mergeDistributions([...(await waitDistributions(db, sites, prevFrom, prevTo)).values()]);
  const lyDist = mergeDistributions([...(await waitDistributions(db, sites, lyFrom, lyTo)).values()]);
  const domainLabels = new Map(
    (await db.query<{ code: string; label: string }>('SELECT code, label FROM esc.taxonomy_domains').catch(() => ({ rows: [] as { code: string; label: string }[] }))).rows.map((r) => [
      r.code,
      r.label,
    ]),
  );

  // ---- coverage
  const coverage: CoverageSite[] = sites.map((code) => {
    const c = enrolled.get(code);
    const missing = !c || c.last_rows_at === null;
    const status = !c
      ? 'Non inscrit au serveur central : aucune donnée.'
      : c.revoked_at
        ? 'Inscription révoquée.'
        : c.last_rows_at === null
          ? 'Inscrit mais n’a jamais envoyé de données : ses chiffres manquent.'
          : 'Données reçues.';
    return {
      code,
      name: findSite(code)!.name,
      enrolledAt: c?.enrolled_at.toISOString() ?? null,
      lastSuccessAt: c?.last_success_at?.toISOString() ?? null,
      lastRowsAt: c?.last_rows_at?.toISOString() ?? null,
      missing,
      status,
      months: months.map((m) => {
        const d = days.find((x) => x.site_id === code && x.month === m);
        return {
          month: m,
          openDays: openDaysInMonth(code, m),
          openDaysSoFar: m === current ? openDaysInMonthUntil(code, m, today) : openDaysInMonth(code, m),
          daysReceived: d?.days_received ?? 0,
          daysClosed: d?.days_closed ?? 0,
          incomplete: m === current,
        };
      }),
    };
  });

  // ---- values and secrecy lines
  const values = new Map<string, number>();
  const lines: SecrecyLine[] = [];
  const counts = new Set<string>();
  const put = (key: string, v: number, isCount = true) => {
    values.set(key, v);
    if (isCount) counts.add(key);
  };
  const num = (s: string | undefined) => Number(s ?? 0);
  const rowsOf = [...sites, 'TOTAL'];
  const metric = (m: string, site: string) => `${m}|${site}`;
  const siteRow = (s: string) => tot.get(s);
  for (const s of sites) {
    const r = siteRow(s);
    const passages = num(r?.passages);
    const received = num(r?.received);
    const left = num(r?.left_unseen);
    put(metric('passages', s), passages);
    put(metric('received', s), received);
    put(metric('left', s), left);
    put(metric('other', s), passages - received - left);
    put(metric('outside', s), num(r?.outside_hours));
    put(metric('contacts', s), num(r?.contacts));
    put(metric('oriented', s), num(r?.contacts_oriented));
    put(metric('handoffs', s), num(r?.handoffs));
    put(metric('waits', s), num(r?.waits));
  }
  for (const m of ['passages', 'received', 'left', 'other', 'outside', 'contacts', 'oriented', 'handoffs', 'waits']) {
    put(
      metric(m, 'TOTAL'),
      sites.reduce((sum, s) => sum + (values.get(metric(m, s)) ?? 0), 0),
    );
    if (m !== 'waits') lines.push({ cells: sites.map((s) => metric(m, s)), total: metric(m, 'TOTAL') });
  }
  for (const s of rowsOf) lines.push({ cells: ['received', 'left', 'other'].map((m) => metric(m, s)), total: metric('passages', s) });

  // Channels: rows sites (+ total), columns channels, row total = contacts.
  /** Cells site × code, their total over the chosen sites, and one secrecy line per code (a column). */
  const bySiteAndCode = (kind: string, codes: readonly string[], n: (site: string, code: string) => number) => {
    const key = (s: string, c: string) => `${kind}|${s}|${c}`;
    for (const s of sites) for (const c of codes) put(key(s, c), n(s, c));
    for (const c of codes) {
      put(
        key('TOTAL', c),
        sites.reduce((sum, s) => sum + values.get(key(s, c))!, 0),
      );
      lines.push({ cells: sites.map((s) => key(s, c)), total: key('TOTAL', c) });
    }
    return key;
  };
  const channelKey = bySiteAndCode('channel', CHANNELS, (s, c) => num(channelRows.find((x) => x.site_id === s && x.channel === c)?.n));
  for (const s of rowsOf) lines.push({ cells: CHANNELS.map((c) => channelKey(s, c)), total: metric('contacts', s) });

  // Domains: columns additive over sites only.
  const domainCodes = [...new Set(domainRows.map((d) => d.domain))].sort(
    (a, b) => domainRows.filter((x) => x.domain === b).reduce((s, x) => s + num(x.n), 0) - domainRows.filter((x) => x.domain === a).reduce((s, x) => s + num(x.n), 0) || a.localeCompare(b),
  );
  const domainKey = bySiteAndCode('domain', domainCodes, (s, d) => num(domainRows.find((x) => x.site_id === s && x.domain === d)?.n));

  // Hand-over flows: rows institution pairs, columns events; columns additive over pairs.
  const EVENTS = ['created', 'accepted', 'completed', 'declined', 'expired', 'cancelled', 'person_left'] as const;
  const pairs = [...new Set(flowRows.map((f) => `${f.from_institution}>${f.to_institution}`))].sort();
  const flowKey = (p: string, e: string) => (p === 'TOTAL' && e === 'created' ? metric('handoffs', 'TOTAL') : `flow|${p}|${e}`);
  for (const p of pairs) {
    for (const e of EVENTS) {
      const [f, t] = p.split('>') as [string, string];
      put(flowKey(p, e), num(flowRows.find((x) => x.from_institution === f && x.to_institution === t && x.event === e)?.n));
    }
  }
  for (const e of EVENTS) {
    if (e !== 'created')
      put(
        flowKey('TOTAL', e),
        pairs.reduce((sum, p) => sum + values.get(flowKey(p, e))!, 0),
      );
    lines.push({ cells: pairs.map((p) => flowKey(p, e)), total: flowKey('TOTAL', e) });
  }

  // Per month (totals of the chosen ESCs): columns additive over months.
  const monthKey = (m: string, what: string) => `month|${m}|${what}`;
  for (const m of months) {
    const r = perMonth.find((x) => x.month === m);
    for (const what of ['passages', 'contacts', 'handoffs']) put(monthKey(m, what), num(r?.[what as 'passages']));
  }
  for (const what of ['passages', 'contacts', 'handoffs']) lines.push({ cells: months.map((m) => monthKey(m, what)), total: metric(what, 'TOTAL') });

  // Trends (totals of the chosen ESCs over the other periods): primary rule only.
  const sumOf = (t: Map<string, MonthRow>, field: keyof MonthRow) => sites.reduce((s, site) => s + num(t.get(site)?.[field]), 0);
  for (const [tag, t] of [
    ['prev', prev],
    ['ly', ly],
  ] as const) {
    put(`${tag}|passages`, sumOf(t, 'passages'));
    put(`${tag}|received`, sumOf(t, 'received'));
    put(`${tag}|contacts`, sumOf(t, 'contacts'));
    put(`${tag}|handoffs`, sumOf(t, 'handoffs'));
    put(`${tag}|waits`, sumOf(t, 'waits'));
  }

  const { masked } = protect(values, lines, threshold, counts);

  // ---- rendering helpers (one place: screens and files show these texts)
  const fig = (key: string | null, decimals = 0): Figure => {
    if (key === null) return { value: null, decimals, masked: null, text: '—' };
    const v = values.get(key);
    if (v === undefined) return { value: null, decimals, masked: null, text: '—' };
    const reason = masked.get(key) ?? null;
    return { value: reason ? null : v, decimals, masked: reason, text: reason ? maskLabel(reason, threshold) : formatFr(v, decimals) };
  };
  const stat = (v: number | null, n: number): Figure => {
    if (v === null) return { value: null, decimals: 1, masked: null, text: '—' };
    // A statistic over fewer people than the threshold would describe individuals.
    if (n < threshold) return { value: null, decimals: 1, masked: 'primary', text: maskLabel('primary', threshold) };
    return { value: v, decimals: 1, masked: null, text: formatFr(v, 1) };
  };
  const missingFig = (): Figure => ({ value: null, decimals: 0, masked: null, text: 'manquant' });
  const name = (s: string) => (s === 'TOTAL' ? 'Total des ESC choisis' : findSite(s)!.name);
  const isMissing = (s: string) => s !== 'TOTAL' && coverage.find((c) => c.code === s)!.missing;

  const siteDist = (s: string) => (s === 'TOTAL' ? mergeDistributions(sites.map((x) => dists.get(x) ?? [])) : (dists.get(s) ?? []));
  const tables: SummaryTable[] = [];
  tables.push({
    id: 'synthese',
    title: 'Synthèse par ESC',
    definition: 'Un indicateur par colonne, par ESC et pour l’ensemble des ESC choisis. Définitions détaillées dans « Définitions ».',
    columns: ['ESC', 'Passages', 'Reçus', 'Partis sans être reçus', 'Autres issues', 'Hors horaires', 'Attente médiane (min)', 'Attente 9e décile (min)', 'Contacts ASIP', 'dont orientés', 'Relais créés'],
    rows: rowsOf.map((s) => {
      const dist = siteDist(s);
      const n = values.get(metric('waits', s)) ?? 0;
      return {
        label: name(s),
        total: s === 'TOTAL',
        cells: isMissing(s)
          ? Array.from({ length: 10 }, missingFig)
          : [
              fig(metric('passages', s)),
              fig(metric('received', s)),
              fig(metric('left', s)),
              fig(metric('other', s)),
              fig(metric('outside', s)),
              stat(waitMinutes(dist, 50), n),
              stat(waitMinutes(dist, 90), n),
              fig(metric('contacts', s)),
              fig(metric('oriented', s)),
              fig(metric('handoffs', s)),
            ],
      };
    }),
  });
  tables.push({
    id: 'canaux',
    title: 'Contacts par canal',
    definition: `${DEFINITIONS.byChannel!.definition} Unité : contacts.`,
    columns: ['ESC', ...CHANNELS.map((c) => CHANNEL_LABELS_FR[c]), 'Total'],
    rows: rowsOf.map((s) => ({
      label: name(s),
      total: s === 'TOTAL',
      cells: isMissing(s) ? Array.from({ length: CHANNELS.length + 1 }, missingFig) : [...CHANNELS.map((c) => fig(channelKey(s, c))), fig(metric('contacts', s))],
    })),
  });
  tables.push({
    id: 'domaines',
    title: 'Contacts par domaine de demande',
    definition: `${DEFINITIONS.byDomain!.definition} Unité : contacts.`,
    columns: ['Domaine', ...sites.map((s) => findSite(s)!.name), 'Total des ESC choisis'],
    rows: domainCodes.map((d) => ({
      label: domainLabels.get(d) ?? domainLabel(d),
      cells: [...sites.map((s) => (isMissing(s) ? missingFig() : fig(domainKey(s, d)))), fig(domainKey('TOTAL', d))],
    })),
  });
  const eventLabel = (e: string) => (e === 'created' ? 'Créés' : (HANDOFF_STATE_LABELS_FR[e as HandoffState] ?? e));
  tables.push({
    id: 'relais',
    title: 'Passages de relais par institutions et issue',
    definition: `${DEFINITIONS.flows!.definition} Unité : relais.`,
    columns: ['De → vers', ...EVENTS.map(eventLabel)],
    rows: [
      ...pairs.map((p) => {
        const [f, t] = p.split('>') as [string, string];
        return { label: `${f ? placeLabel(f) : 'Non renseignée'} → ${placeLabel(t)}`, cells: EVENTS.map((e) => fig(flowKey(p, e))) };
      }),
      { label: 'Total', total: true, cells: EVENTS.map((e) => fig(flowKey('TOTAL', e))) },
    ],
  });
  tables.push({
    id: 'mois',
    title: 'Par mois (ESC choisis)',
    definition: 'Passages, contacts ASIP et relais créés de chaque mois de la période, pour l’ensemble des ESC choisis. Le mois en cours est incomplet.',
    columns: ['Mois', 'Passages', 'Contacts ASIP', 'Relais créés'],
    rows: [
      ...months.map((m) => ({ label: `${monthLabel(m)}${m === current ? ' (en cours, incomplet)' : ''}`, cells: ['passages', 'contacts', 'handoffs'].map((w) => fig(monthKey(m, w))) })),
      { label: 'Total', total: true, cells: ['passages', 'contacts', 'handoffs'].map((w) => fig(metric(w, 'TOTAL'))) },
    ],
  });
  tables.push({
    id: 'journees',
    title: 'Journées d’ouverture, reçues et clôturées',
    definition: `${DEFINITIONS.days!.definition} Unité : jours.`,
    columns: ['ESC', 'Jours d’ouverture', 'Jours reçus', 'Jours clôturés', 'Part clôturée (%)'],
    rows: coverage.map((c) => {
      const open = c.months.reduce((s, m) => s + m.openDaysSoFar, 0);
      const received = c.months.reduce((s, m) => s + m.daysReceived, 0);
      const closed = c.months.reduce((s, m) => s + m.daysClosed, 0);
      const n = (v: number, d = 0): Figure => ({ value: v, decimals: d, masked: null, text: formatFr(v, d) });
      return { label: c.name, cells: [n(open), n(received), n(closed), open === 0 ? fig(null) : n(round1((closed / open) * 100), 1)] };
    }),
  });
  const totalDist = siteDist('TOTAL');
  const trendRow = (label: string, key: string, cur: Figure, p: Figure, l: Figure): SummaryRow => {
    const evo: Figure =
      cur.value !== null && p.value !== null && p.value !== 0
        ? { value: round1(((cur.value - p.value) / p.value) * 100), decimals: 1, masked: null, text: `${cur.value >= p.value ? '+' : ''}${formatFr(round1(((cur.value - p.value) / p.value) * 100), 1)} %` }
        : fig(null);
    void key;
    return { label, cells: [cur, p, l, evo] };
  };
  tables.push({
    id: 'tendances',
    title: 'Tendances',
    definition: `${DEFINITIONS.trends!.definition} Période précédente : ${periodLabelFr(prevFrom, prevTo)} ; un an plus tôt : ${periodLabelFr(lyFrom, lyTo)}.`,
    columns: ['Indicateur', periodLabelFr(from, to), `Période précédente (${periodLabelFr(prevFrom, prevTo)})`, `Un an plus tôt (${periodLabelFr(lyFrom, lyTo)})`, 'Évolution / période précédente'],
    rows: [
      trendRow('Passages', 'passages', fig(metric('passages', 'TOTAL')), fig('prev|passages'), fig('ly|passages')),
      trendRow('Passages reçus', 'received', fig(metric('received', 'TOTAL')), fig('prev|received'), fig('ly|received')),
      trendRow('Contacts ASIP', 'contacts', fig(metric('contacts', 'TOTAL')), fig('prev|contacts'), fig('ly|contacts')),
      trendRow('Relais créés', 'handoffs', fig(metric('handoffs', 'TOTAL')), fig('prev|handoffs'), fig('ly|handoffs')),
      trendRow(
        'Attente médiane (min)',
        'wait',
        stat(waitMinutes(totalDist, 50), values.get(metric('waits', 'TOTAL')) ?? 0),
        stat(waitMinutes(prevDist, 50), values.get('prev|waits') ?? 0),
        stat(waitMinutes(lyDist, 50), values.get('ly|waits') ?? 0),
      ),
    ],
  });

  // ---- charts (masked values are left out, never drawn)
  const synth = tables[0]!;
  const charts = [
    {
      title: 'Passages par ESC',
      svg: barChartSvg(
        synth.rows.filter((r) => !r.total && r.cells[0]!.value !== null).map((r) => ({ label: r.label.replace(/^ESC /, ''), value: r.cells[0]!.value! })),
        { width: 640, height: 220, title: 'Passages par ESC' },
      ),
    },
    {
      title: 'Passages par mois',
      svg: barChartSvg(
        months.filter((m) => !masked.has(monthKey(m, 'passages'))).map((m) => ({ label: m.slice(5) + '/' + m.slice(2, 4), value: values.get(monthKey(m, 'passages'))! })),
        { width: 640, height: 220, title: 'Passages par mois (ESC choisis)' },
      ),
    },
    {
      title: 'Contacts par canal',
      svg: barChartSvg(
        CHANNELS.filter((c) => !masked.has(channelKey('TOTAL', c))).map((c) => ({ label: CHANNEL_LABELS_FR[c].split(' ')[0]!, value: values.get(channelKey('TOTAL', c))! })),
        { width: 640, height: 220, title: 'Contacts par canal (ESC choisis)' },
      ),
    },
  ];

  const incompleteMonths = months.filter((m) => m === current);
  const notes = [
    `Période ${periodLabelFr(from, to)}, ESC : ${sites.map((s) => findSite(s)!.name).join(', ')}.`,
    ...(request.declaredTo && request.declaredTo > to
      ? [`Période en cours : elle se termine en ${monthLabel(request.declaredTo)} ; les chiffres vont jusqu’au mois en cours.`]
      : []),
    ...(incompleteMonths.length ? [`Le mois en cours (${monthLabel(current)}) est incomplet : ses chiffres changeront aux prochaines synchronisations.`] : []),
    ...coverage.filter((c) => c.missing).map((c) => `${c.name} : ${c.status}`),
    `Secret statistique : effectifs de 1 à ${threshold - 1} masqués (« < ${threshold} »), secret secondaire « s ».`,
    'Personnes distinctes : non disponibles au central (la clé anonyme reste sur chaque site).',
  ];
  return {
    from,
    to,
    periodLabel: periodLabelFr(from, to),
    generatedAt: now.toISOString(),
    threshold,
    sites: sites.map((s) => ({ code: s, name: findSite(s)!.name })),
    coverage,
    incompleteMonths,
    tables,
    charts,
    definitions: Object.values(DEFINITIONS),
    notes,
  };
}
