/**
 * CSV for French Excel: UTF-8 with BOM, `;` separator, decimal comma, CRLF. Long format, one row
 * per figure, so that every value keeps its indicator, category, unit, period and definition.
 */
import type { Cell, ReportModel } from './report-model';
import { formatDayFr } from '../../shared/time/paris';

export function csvEscape(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatNumberFr(value: number | null, decimals: number): string {
  if (value === null) return '';
  return value.toFixed(decimals).replace('.', ',');
}

function cellText(c: Cell): string {
  if (c.kind === 'number') return formatNumberFr(c.value, c.decimals);
  if (c.kind === 'date') return formatDayFr(c.value);
  return c.value;
}

export function writeCsv(model: ReportModel): Buffer {
  const header = ['Site', 'Du', 'Au', 'Tableau', 'Ligne', 'Colonne', 'Valeur', 'Unité', 'Définition'];
  const lines: string[][] = [header];
  const from = formatDayFr(model.from);
  const to = formatDayFr(model.to);
  for (const table of model.tables) {
    for (const row of table.rows) {
      const rowLabel = cellText(row[0]!);
      row.forEach((cell, i) => {
        if (i === 0 || cell.kind !== 'number') return;
        const column = table.columns[i]!;
        const unit = table.id === 'Synthèse' ? cellText(row[2]!) : (table.indicator?.unit ?? '');
        const definition = table.id === 'Synthèse' ? (model.definitions.find((d) => d.label === rowLabel)?.definition ?? '') : (table.indicator?.definition ?? '');
        const label = table.columns[1] && row[1]?.kind === 'text' && table.id !== 'Synthèse' && table.id !== 'Par jour' ? `${rowLabel} – ${cellText(row[1])}` : rowLabel;
        lines.push([model.siteName, from, to, table.title, label, column, cellText(cell), unit, definition]);
      });
    }
  }
  const body = lines.map((l) => l.map(csvEscape).join(';')).join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${body}\r\n`, 'utf8')]);
}
