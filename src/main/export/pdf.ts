/**
 * Printable PDF report: site, period, generation date, the charts and every table, then the
 * definitions. pdfmake with the PDF standard Helvetica font (no font file to ship), loaded only
 * when a PDF is asked for; the document streams into the file as pdfkit produces it.
 */
import { createWriteStream } from 'node:fs';
import type PdfPrinterType from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { barChartSvg, heatmapSvg } from '../../shared/stats/charts';
import { formatDateTimeFr, formatDayFr } from '../../shared/time/paris';
import { formatNumberFr } from './csv';
import { periodLabel, type Cell, type ReportModel } from './report-model';

let printer: PdfPrinterType | null = null;

async function loadPrinter(): Promise<PdfPrinterType> {
  if (!printer) {
    const { default: PdfPrinter } = await import('pdfmake');
    printer = new PdfPrinter({
      Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' },
    });
  }
  return printer;
}

function cellText(c: Cell): string {
  if (c.kind === 'number') return formatNumberFr(c.value, c.decimals) || '—';
  if (c.kind === 'date') return formatDayFr(c.value);
  return c.value;
}

export function pdfDefinition(model: ReportModel): TDocumentDefinitions {
  const f = model.report.figures;
  const hours = f.arrivalsByHour.filter((h) => h.hour >= 8 && h.hour <= 17);
  const heat = model.tables.find((t) => t.id === 'Affluence')!;
  const content: Content[] = [
    { text: `${model.siteName} – rapport d’activité`, style: 'title' },
    { text: `Période ${periodLabel(model)} · généré le ${formatDateTimeFr(model.generatedAt)}`, margin: [0, 0, 0, 10] },
    { text: 'Chiffres agrégés : aucun nom ni texte libre. Chaque indicateur est défini en fin de document.', style: 'note' },
    { svg: barChartSvg(hours.map((h) => ({ label: `${h.hour}h`, value: h.count })), { width: 500, height: 200, title: 'Arrivées par heure' }), width: 500, margin: [0, 10, 0, 6] },
    {
      svg: heatmapSvg(
        heat.rows.map((r) => ({ label: cellText(r[0]!), values: r.slice(1).map((c) => (c.kind === 'number' ? (c.value ?? 0) : 0)) })),
        heat.columns.slice(1),
        { title: 'Affluence (jour × heure)' },
      ),
      width: 500,
      margin: [0, 6, 0, 6],
    },
  ];
  for (const table of model.tables) {
    if (table.rows.length === 0) continue;
    const body: TableCell[][] = [
      table.columns.map((c) => ({ text: c, bold: true, fillColor: '#e6f2ef' })),
      ...table.rows.map((r) => r.map((c) => ({ text: cellText(c), alignment: c.kind === 'number' ? ('right' as const) : ('left' as const) }))),
    ];
    content.push(
      { text: table.title, style: 'h2', pageBreak: table.id === 'Par jour' ? 'before' : undefined },
      ...(table.indicator ? [{ text: `${table.indicator.definition} Unité : ${table.indicator.unit}.`, style: 'note' } as Content] : []),
      { table: { headerRows: 1, body, widths: table.columns.map((_, i) => (i === 0 ? '*' : 'auto')) }, layout: 'lightHorizontalLines', fontSize: 9, margin: [0, 4, 0, 10] },
    );
  }
  content.push(
    { text: 'Définitions', style: 'h2', pageBreak: 'before' },
    ...model.definitions.map((d): Content => ({ text: [{ text: `${d.label} (${d.unit}) : `, bold: true }, d.definition], fontSize: 9, margin: [0, 0, 0, 4] })),
  );
  return {
    info: { title: `${model.siteName} – rapport ${periodLabel(model)}`, creator: 'Accueil ESC' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 50],
    defaultStyle: { font: 'Helvetica', fontSize: 10 },
    styles: {
      title: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] },
      h2: { fontSize: 13, bold: true, margin: [0, 8, 0, 2] },
      note: { fontSize: 8, color: '#555555' },
    },
    footer: (page, pages) => ({ text: `${model.siteName} · ${periodLabel(model)} · page ${page}/${pages}`, alignment: 'center', fontSize: 8, color: '#666666' }),
    content,
  };
}

/** Writes the PDF into `file`. */
export async function writePdf(model: ReportModel, file: string): Promise<void> {
  const doc = (await loadPrinter()).createPdfKitDocument(pdfDefinition(model));
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file, { mode: 0o600 });
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
    doc.pipe(out);
    doc.end();
  });
}
