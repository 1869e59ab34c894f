/**
 * XLSX: one sheet per table plus "Définitions"; real numbers and real dates, not text. Written
 * with exceljs's streaming writer straight into the file (rows are committed as they go, nothing
 * is built whole in memory), and exceljs itself is loaded only when an XLSX is asked for.
 */
import type { ReportModel } from './report-model';
import { parseLocalDay } from '../../shared/time/paris';
import { periodLabel } from './report-model';

function excelDate(day: string): Date {
  const { year, month, day: d } = parseLocalDay(day);
  return new Date(Date.UTC(year, month - 1, d));
}

/** Writes the XLSX into `file`. */
export async function writeXlsx(model: ReportModel, file: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'Accueil ESC';
  wb.created = model.generatedAt;
  for (const table of model.tables) {
    const ws = wb.addWorksheet(table.id.slice(0, 31));
    // Widths first: the streaming writer writes the columns with the first row.
    table.columns.forEach((_, i) => (ws.getColumn(i + 1).width = i === 0 ? 34 : 18));
    const title = ws.addRow([`${model.siteName} – ${table.title}`]);
    title.font = { bold: true, size: 13 };
    title.commit();
    ws.addRow([`Période ${periodLabel(model)}${table.indicator ? ` – unité : ${table.indicator.unit}` : ''}`]).commit();
    ws.addRow([]).commit();
    const header = ws.addRow(table.columns);
    header.font = { bold: true };
    header.commit();
    for (const row of table.rows) {
      const r = ws.addRow(row.map((c) => (c.kind === 'number' ? c.value : c.kind === 'date' ? excelDate(c.value) : c.value)));
      row.forEach((c, i) => {
        const cell = r.getCell(i + 1);
        if (c.kind === 'number') cell.numFmt = c.decimals > 0 ? '0.0' : '0';
        if (c.kind === 'date') cell.numFmt = 'dd/mm/yyyy';
      });
      r.commit();
    }
    ws.commit();
  }
  const defs = wb.addWorksheet('Définitions');
  defs.getColumn(1).width = 40;
  defs.getColumn(2).width = 12;
  defs.getColumn(3).width = 110;
  const defsHeader = defs.addRow(['Indicateur', 'Unité', 'Définition']);
  defsHeader.font = { bold: true };
  defsHeader.commit();
  for (const d of model.definitions) defs.addRow([d.label, d.unit, d.definition]).commit();
  defs.commit();
  const info = wb.addWorksheet('À propos');
  info.getColumn(1).width = 14;
  info.getColumn(2).width = 70;
  info.addRow(['Site', model.siteName]).commit();
  info.addRow(['Période', periodLabel(model)]).commit();
  const generated = info.addRow(['Généré le', model.generatedAt]);
  generated.getCell(2).numFmt = 'dd/mm/yyyy hh:mm';
  generated.commit();
  info.addRow(['Contenu', 'Chiffres agrégés et codes uniquement : aucun nom, aucun texte libre.']).commit();
  info.commit();
  await wb.commit();
}
