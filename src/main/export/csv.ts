/**
 * CSV for French Excel: UTF-8 with BOM, `;` separator, decimal comma, CRLF. Long format, one row
 * per figure, so that every value keeps its indicator, category, unit, period and definition.
 */
import { createWriteStream } from 'node:fs';
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

/** The CSV's lines, one at a time (header first). */
export function* csvLines(model: ReportModel): Generator<string[]> {
  yield ['Site', 'Du', 'Au', 'Tableau', 'Ligne', 'Colonne', 'Valeur', 'Unité', 'Définition'];
  const from = formatDayFr(model.from);
  const to = formatDayFr(model.to);
  const out: string[][] = [];
  for (const table of model.tables) {
    for (const row of table.rows) {
      const rowLabel = cellText(row[0]!);
      row.forEach((cell, i) => {
        if (i === 0 || cell.kind !== 'number') return;
        const column = table.columns[i]!;
        const unit = table.id === 'Synthèse' ? cellText(row[2]!) : (table.indicator?.unit ?? '');
        const definition = table.id === 'Synthèse' ? (model.definitions.find((d) => d.label === rowLabel)?.definition ?? '') : (table.indicator?.definition ?? '');
        const label = table.columns[1] && row[1]?.kind === 'text' && table.id !== 'Synthèse' && table.id !== 'Par jour' ? `${rowLabel} – ${cellText(row[1])}` : rowLabel;
        out.push([model.siteName, from, to, table.title, label, column, cellText(cell), unit, definition]);
      });
      yield* out.splice(0);
    }
  }
}

/**
 * Writes CSV lines into `file` as they come, with the UTF-8 BOM and CRLF French Excel expects,
 * waiting for the stream to drain so that memory stays flat whatever the number of lines.
 */
export async function writeCsvFile(file: string, lines: Iterable<string[]>): Promise<void> {
  const out = createWriteStream(file, { mode: 0o600 });
  const closed = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('\ufeff');
  let batch = '';
  for (const line of lines) {
    batch += `${line.map(csvEscape).join(';')}\r\n`;
    if (batch.length >= 64 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  if (batch) await write(batch);
  out.end();
  await closed;
}

/** Writes the report's CSV into `file`. */
export function writeCsv(model: ReportModel, file: string): Promise<void> {
  return writeCsvFile(file, csvLines(model));
}
