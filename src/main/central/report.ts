/**
 * The APRAS's inter-ESC summary: read with the `apras` role from the aggregate views only (it
 * cannot read a single row-level table), over whole months, written as XLSX (four sheets) or CSV
 * (the summary per ESC, `;`-separated, UTF-8 with BOM for Excel).
 */
import ExcelJS from 'exceljs';
import { findSite } from '../../shared/reference/sites';
import { institutionLabel } from '../../shared/reference/institutions';
import { connectCentral, toCentralError, type CentralTarget } from './connect';
import { csvEscape, formatNumberFr } from '../export/csv';

export interface SiteSummary {
  site: string;
  name: string;
  activeDays: number;
  closedDays: number;
  passages: number;
  passagesReceived: number;
  /** Median over the days of each day's median wait (minutes). */
  medianWaitMinutes: number | null;
  contacts: number;
  handoffs: number;
  handoffsTaken: number;
}

export interface InterSiteReport {
  from: string;
  to: string;
  sites: SiteSummary[];
  domains: { site: string; month: string; domain: string; contacts: number }[];
  flows: { site: string; month: string; from: string; to: string; mode: string; state: string; handoffs: number }[];
  closings: { site: string; day: string; closedAt: string }[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** First and last day of a month range "AAAA-MM" … "AAAA-MM"; French errors. */
export function monthRange(from: string, to: string): { first: string; last: string } {
  if (!MONTH.test(from) || !MONTH.test(to)) throw new Error('Les mois s’écrivent AAAA-MM (par exemple 2026-10).');
  if (from > to) throw new Error('Le premier mois doit précéder le dernier.');
  const [y, m] = to.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${from}-01`, last: `${to}-${String(lastDay).padStart(2, '0')}` };
}

export async function buildInterSiteReport(target: CentralTarget, from: string, to: string): Promise<InterSiteReport> {
  const { first, last } = monthRange(from, to);
  const client = await connectCentral(target, 'accueil-esc-report');
  try {
    const sites = await client.query<{
      site_id: string;
      active_days: string;
      passages: string;
      received: string;
      wait: string | null;
      contacts: string;
      handoffs: string;
      taken: string;
    }>(
      `SELECT site_id, count(*) AS active_days, sum(passages) AS passages,
              sum(passages_received) AS received, percentile_cont(0.5) WITHIN GROUP (ORDER BY median_wait_minutes) AS wait,
              sum(contacts) AS contacts, sum(handoffs) AS handoffs, sum(handoffs_taken) AS taken
       FROM esc.apras_daily WHERE day BETWEEN $1 AND $2 GROUP BY site_id ORDER BY site_id`,
      [first, last],
    );
    const domains = await client.query<{ site_id: string; month: string; domain_code: string; contacts: string }>(
      `SELECT site_id, to_char(month, 'YYYY-MM') AS month, domain_code, contacts FROM esc.apras_contacts_by_domain
       WHERE month BETWEEN $1 AND $2 ORDER BY site_id, month, contacts DESC, domain_code`,
      [first, last],
    );
    const flows = await client.query<{ site_id: string; month: string; from_institution: string | null; to_institution: string; mode: string; state: string; handoffs: string }>(
      `SELECT site_id, to_char(month, 'YYYY-MM') AS month, from_institution, to_institution, mode, state, handoffs FROM esc.apras_handoff_flows
       WHERE month BETWEEN $1 AND $2 ORDER BY site_id, month, from_institution, to_institution, mode, state`,
      [first, last],
    );
    const closings = await client.query<{ site_id: string; day: string; closed_at: Date }>(
      'SELECT site_id, day::text AS day, closed_at FROM esc.apras_day_closings WHERE day BETWEEN $1 AND $2 ORDER BY site_id, day',
      [first, last],
    );
    return {
      from,
      to,
      sites: sites.rows.map((r) => ({
        site: r.site_id,
        name: findSite(r.site_id)?.name ?? r.site_id,
        activeDays: Number(r.active_days),
        // Closed days counted from the closings: a closed day may have had no activity at all.
        closedDays: closings.rows.filter((c) => c.site_id === r.site_id).length,
        passages: Number(r.passages),
        passagesReceived: Number(r.received),
        medianWaitMinutes: r.wait === null ? null : Math.round(Number(r.wait) * 10) / 10,
        contacts: Number(r.contacts),
        handoffs: Number(r.handoffs),
        handoffsTaken: Number(r.taken),
      })),
      domains: domains.rows.map((r) => ({ site: r.site_id, month: r.month, domain: r.domain_code, contacts: Number(r.contacts) })),
      flows: flows.rows.map((r) => ({
        site: r.site_id,
        month: r.month,
        from: r.from_institution ? institutionLabel(r.from_institution) : '—',
        to: institutionLabel(r.to_institution),
        mode: r.mode,
        state: r.state,
        handoffs: Number(r.handoffs),
      })),
      closings: closings.rows.map((r) => ({ site: r.site_id, day: r.day, closedAt: r.closed_at.toISOString() })),
    };
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const SUMMARY_HEADERS = [
  'ESC',
  'Jours d’activité',
  'Jours clôturés',
  'Passages',
  'Passages reçus',
  'Attente médiane (min)',
  'Contacts ASIP',
  'Passages de relais',
  'Relais pris en charge',
] as const;

const summaryRow = (s: SiteSummary) =>
  [s.name, s.activeDays, s.closedDays, s.passages, s.passagesReceived, s.medianWaitMinutes, s.contacts, s.handoffs, s.handoffsTaken] as const;

export function interSiteCsv(report: InterSiteReport): Buffer {
  const lines = [SUMMARY_HEADERS.map(csvEscape).join(';')];
  for (const s of report.sites) {
    lines.push(summaryRow(s).map((v) => (typeof v === 'number' ? formatNumberFr(v, Number.isInteger(v) ? 0 : 1) : v === null ? '' : csvEscape(v))).join(';'));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function interSiteXlsx(report: InterSiteReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Accueil ESC';
  const sheet = (name: string, headers: readonly string[], rows: readonly (readonly (string | number | null)[])[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([...headers]).font = { bold: true };
    for (const r of rows) ws.addRow([...r]);
    ws.columns.forEach((c) => (c.width = 18));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  sheet('Synthèse par ESC', SUMMARY_HEADERS, report.sites.map(summaryRow));
  sheet('Domaines', ['ESC', 'Mois', 'Domaine', 'Contacts'], report.domains.map((d) => [d.site, d.month, d.domain, d.contacts]));
  sheet('Relais', ['ESC', 'Mois', 'De', 'Vers', 'Mode', 'Issue', 'Relais'], report.flows.map((f) => [f.site, f.month, f.from, f.to, f.mode, f.state, f.handoffs]));
  sheet('Clôtures', ['ESC', 'Journée', 'Clôturée le (UTC)'], report.closings.map((c) => [c.site, c.day, c.closedAt]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
