/** Report files for a period, with progress events for long exports. */
import type { CoreContext } from '../core/context';
import { getQueueConfig } from '../core/queue/config';
import { periodReport } from '../core/stats/period';
import { writeCsv } from './csv';
import { writePdf } from './pdf';
import { buildReportModel, reportFileBase } from './report-model';
import { writeXlsx } from './xlsx';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export async function exportReport(
  ctx: CoreContext,
  from: string,
  to: string,
  format: ExportFormat,
  progress: (percent: number, stage: string) => void = () => undefined,
): Promise<{ filename: string; mimeType: string; content: Buffer }> {
  progress(5, 'Calcul des indicateurs');
  const report = periodReport(ctx, from, to);
  progress(50, 'Mise en forme des tableaux');
  const model = buildReportModel(ctx.site, getQueueConfig(ctx), report, ctx.clock.now());
  progress(70, 'Écriture du fichier');
  const content = format === 'csv' ? writeCsv(model) : format === 'xlsx' ? await writeXlsx(model) : await writePdf(model);
  progress(100, 'Terminé');
  return { filename: `${reportFileBase(model)}.${format}`, mimeType: MIME[format], content };
}
