/**
 * Files of the inter-ESC summary, written from the same masked model as the portal's screens
 * (so the numbers agree everywhere): XLSX (one sheet per table, "Couverture", "Définitions"),
 * CSV for French Excel (UTF-8 with BOM, `;`, decimal comma, one line per figure), and a PDF a
 * steering committee can read.
 */
import ExcelJS from 'exceljs';
import PdfPrinter from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { formatDateTimeFr } from '../../shared/time/paris';
import { csvEscape } from '../export/csv';
import { formatFr, monthLabel, type Figure, type PortalSummary } from './summary';

const generated = (s: PortalSummary) => formatDateTimeFr(new Date(s.generatedAt));
const frDate = (iso: string | null) => (iso ? formatDateTimeFr(new Date(iso)) : 'jamais');

/** Excel sheet names: 31 characters, none of []:*?/\ . */
const sheetName = (t: string) => t.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

export function summaryFileBase(s: PortalSummary): string {
  return `synthese-inter-esc-${s.from}${s.to === s.from ? '' : `_${s.to}`}`;
}

function coverageRows(s: PortalSummary): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const c of s.coverage) {
    for (const m of c.months) {
      rows.push([
        c.name,
        monthLabel(m.month),
        m.openDays,
        m.openDaysSoFar,
        m.daysReceived,
        m.daysClosed,
        m.incomplete ? 'oui (mois en cours)' : 'non',
        frDate(c.lastSuccessAt),
        frDate(c.lastRowsAt),
        c.status,
      ]);
    }
  }
  return rows;
}
const COVERAGE_HEADERS = [
  'ESC',
  'Mois',
  'Jours d’ouverture du mois',
  'Jours d’ouverture écoulés',
  'Jours reçus',
  'Jours clôturés',
  'Mois incomplet',
  'Dernière synchronisation réussie',
  'Dernières données reçues',
  'État',
];

export async function summaryXlsx(s: PortalSummary): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Accueil ESC – portail central';
  wb.created = new Date(s.generatedAt);
  const head = (ws: ExcelJS.Worksheet, title: string) => {
    ws.addRow([title]).font = { bold: true, size: 13 };
    ws.addRow([`Période : ${s.periodLabel}`]);
    ws.addRow([`ESC : ${s.sites.map((x) => x.name).join(', ')}`]);
    ws.addRow([`Généré le ${generated(s)} (heure de Paris)`]);
    ws.addRow([]);
  };
  const cellValue = (f: Figure): string | number => (f.value === null ? f.text : f.value);
  for (const t of s.tables) {
    const ws = wb.addWorksheet(sheetName(t.title));
    head(ws, t.title);
    const header = ws.addRow(t.columns);
    header.font = { bold: true };
    const headerRow = header.number;
    for (const r of t.rows) {
      const row = ws.addRow([r.label, ...r.cells.map(cellValue)]);
      if (r.total) row.font = { bold: true };
      r.cells.forEach((f, i) => {
        const cell = row.getCell(i + 2);
        if (f.value !== null) cell.numFmt = f.decimals === 0 ? '# ##0' : '0.0';
        else cell.alignment = { horizontal: 'right' };
      });
    }
    ws.addRow([]);
    ws.addRow([t.definition]).font = { italic: true };
    ws.addRow([s.definitions.find((d) => d.label === 'Secret statistique')!.definition]).font = { italic: true };
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 42 : 18));
    ws.views = [{ state: 'frozen', ySplit: headerRow }];
  }
  const cov = wb.addWorksheet('Couverture');
  head(cov, 'Couverture : ESC, mois, journées reçues et clôturées');
  cov.addRow(COVERAGE_HEADERS).font = { bold: true };
  for (const r of coverageRows(s)) cov.addRow(r);
  cov.addRow([]);
  for (const n of s.notes) cov.addRow([n]);
  cov.columns.forEach((c, i) => (c.width = i === 0 ? 24 : i === 9 ? 60 : 18));
  const defs = wb.addWorksheet('Définitions');
  head(defs, 'Définitions');
  defs.addRow(['Indicateur', 'Unité', 'Définition']).font = { bold: true };
  for (const d of s.definitions) defs.addRow([d.label, d.unit, d.definition]);
  defs.getColumn(1).width = 34;
  defs.getColumn(2).width = 14;
  defs.getColumn(3).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A figure for French Excel: decimal comma, no thousands separator (so it stays a number). */
const csvFigure = (f: Figure) => (f.value === null ? f.text : f.value.toFixed(f.decimals).replace('.', ','));

export function summaryCsv(s: PortalSummary): Buffer {
  const lines: string[][] = [['Tableau', 'Ligne', 'Colonne', 'Valeur', 'Période', 'ESC', 'Généré le', 'Définition']];
  const esc = s.sites.map((x) => x.name).join(', ');
  for (const t of s.tables) {
    for (const r of t.rows) {
      r.cells.forEach((f, i) => lines.push([t.title, r.label, t.columns[i + 1]!, csvFigure(f), s.periodLabel, esc, generated(s), t.definition]));
    }
  }
  for (const r of coverageRows(s)) {
    COVERAGE_HEADERS.slice(2).forEach((h, i) => lines.push(['Couverture', `${r[0]} – ${r[1]}`, h, String(r[i + 2]), s.periodLabel, esc, generated(s), '']));
  }
  return Buffer.from(`\uFEFF${lines.map((l) => l.map(csvEscape).join(';')).join('\r\n')}\r\n`, 'utf8');
}

const printer = new PdfPrinter({
  Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' },
});

export function summaryPdfDefinition(s: PortalSummary): TDocumentDefinitions {
  const content: Content[] = [
    { text: 'Synthèse inter-ESC', style: 'title' },
    { text: `Période : ${s.periodLabel} · ESC : ${s.sites.map((x) => x.name).join(', ')}`, margin: [0, 0, 0, 2] },
    { text: `Généré le ${generated(s)} (heure de Paris) à partir des agrégats mensuels du serveur central.`, style: 'note' },
    ...s.notes.map((n): Content => ({ text: `• ${n}`, style: 'note' })),
    { text: 'Couverture', style: 'h2' },
    {
      table: {
        headerRows: 1,
        widths: ['*', 'auto', 'auto', 'auto', 'auto', 'auto'],
        body: [
          ['ESC', 'Dernière synchro réussie', 'Jours d’ouverture', 'Jours reçus', 'Jours clôturés', 'État'].map((t) => ({ text: t, bold: true, fillColor: '#e6f2ef' })),
          ...s.coverage.map((c) => [
            c.name,
            frDate(c.lastSuccessAt),
            formatFr(c.months.reduce((x, m) => x + m.openDaysSoFar, 0), 0),
            formatFr(c.months.reduce((x, m) => x + m.daysReceived, 0), 0),
            formatFr(c.months.reduce((x, m) => x + m.daysClosed, 0), 0),
            c.status,
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      fontSize: 8,
    },
    ...s.charts.map((c): Content => ({ svg: c.svg, width: 480, margin: [0, 8, 0, 4] })),
  ];
  for (const t of s.tables) {
    const body: TableCell[][] = [
      t.columns.map((c) => ({ text: c, bold: true, fillColor: '#e6f2ef' })),
      ...t.rows.map((r) => [{ text: r.label, bold: !!r.total }, ...r.cells.map((f) => ({ text: f.text, alignment: 'right' as const, bold: !!r.total }))]),
    ];
    content.push(
      { text: t.title, style: 'h2' },
      { text: t.definition, style: 'note' },
      { table: { headerRows: 1, body, widths: t.columns.map((_, i) => (i === 0 ? '*' : 'auto')) }, layout: 'lightHorizontalLines', fontSize: t.columns.length > 8 ? 7 : 8, margin: [0, 4, 0, 8] },
    );
  }
  content.push(
    { text: 'Définitions', style: 'h2', pageBreak: 'before' },
    ...s.definitions.map((d): Content => ({ text: [{ text: `${d.label}${d.unit ? ` (${d.unit})` : ''} : `, bold: true }, d.definition], fontSize: 9, margin: [0, 0, 0, 4] })),
  );
  return {
    info: { title: `Synthèse inter-ESC – ${s.periodLabel}`, creator: 'Accueil ESC' },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 36, 36, 44],
    defaultStyle: { font: 'Helvetica', fontSize: 10 },
    styles: { title: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] }, h2: { fontSize: 13, bold: true, margin: [0, 10, 0, 4] }, note: { fontSize: 8, color: '#555555' } },
    footer: (page: number, pages: number) => ({ text: `Synthèse inter-ESC · ${s.periodLabel} · page ${page} / ${pages}`, alignment: 'center', fontSize: 8, color: '#777777' }),
    content,
  };
}

export function summaryPdf(s: PortalSummary): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = printer.createPdfKitDocument(summaryPdfDefinition(s));
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
