/**
 * Report files for a period, with progress, written (streamed) into a file of the given folder.
 * Runs in the job worker (src/main/jobs), never on the thread that serves desks.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreContext } from '../core/context';
import { getQueueConfig } from '../core/queue/config';
import { periodReport } from '../core/stats/period';
import { writeCsv } from './csv';
import { writePdf } from './pdf';
import { buildReportModel, reportFileBase } from './report-model';
import { writeXlsx } from './xlsx';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** A fresh, unguessable file name inside `dir` (the download name is given separately). */
export function scratchFile(dir: string, ext: string): string {
  return join(dir, `${randomBytes(12).toString('hex')}.${ext}`);
}

export async function exportReport(
  ctx: CoreContext,
  from: string,
  to: string,
  format: ExportFormat,
  dir: string,
  progress: (percent: number, stage: string) => void = () => undefined,
): Promise<{ file: string; filename: string; mimeType: string; size: number }> {
  progress(5, 'Calcul des indicateurs');
  const report = periodReport(ctx, from, to);
  progress(50, 'Mise en forme des tableaux');
  const model = buildReportModel(ctx.site, getQueueConfig(ctx), report, ctx.clock.now());
  progress(70, 'Écriture du fichier');
  const file = scratchFile(dir, format);
  if (format === 'csv') await writeCsv(model, file);
  else if (format === 'xlsx') await writeXlsx(model, file);
  else await writePdf(model, file);
  progress(100, 'Terminé');
  return { file, filename: `${reportFileBase(model)}.${format}`, mimeType: MIME[format], size: statSync(file).size };
}
