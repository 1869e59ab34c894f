/**
 * The APRAS's inter-ESC summary from the command line (`npm run report`): the same model as the
 * portal (monthly aggregates read with the `apras` role, statistical secrecy applied, coverage
 * and definitions), written as XLSX, CSV or PDF.
 */
import { connectCentral, toCentralError, type CentralTarget } from './connect';
import { buildSummary, SummaryError, type PortalSummary, type SummaryRequest } from './summary';
import { summaryCsv, summaryPdf, summaryXlsx } from './summary-export';

export type SummaryFormat = 'xlsx' | 'csv' | 'pdf';

export async function buildInterSiteSummary(target: CentralTarget, request: SummaryRequest, now = new Date()): Promise<PortalSummary> {
  const client = await connectCentral(target, 'accueil-esc-report');
  try {
    return await buildSummary(client, request, now);
  } catch (err) {
    if (err instanceof SummaryError) throw err;
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function summaryFile(summary: PortalSummary, format: SummaryFormat): Promise<Buffer> | Buffer {
  if (format === 'csv') return summaryCsv(summary);
  if (format === 'pdf') return summaryPdf(summary);
  return summaryXlsx(summary);
}
