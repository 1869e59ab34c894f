/**
 * `npm run report -- --from AAAA-MM [--to AAAA-MM] [--sites BLOSNE,CLEUNAY] [--seuil 5] --out FICHIER.xlsx|.csv|.pdf [--url URL]`:
 * the APRAS's inter-ESC summary from the central monthly aggregates (role `apras`, address from
 * --url or ESC_APRAS_URL, written to a file by `central enroll-apras`). The portal
 * (`central serve`) gives the same figures on screen.
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { buildInterSiteSummary, summaryFile, type SummaryFormat } from '../central/report';
import { SummaryError } from '../central/summary';
import { CliError, flagString, parseArgs, requireFlag } from './args';

export async function reportCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const url = flagString(args, 'url') ?? process.env.ESC_APRAS_URL;
  if (!url) throw new CliError('Indiquez l’adresse APRAS de la base centrale : --url postgres://… ou ESC_APRAS_URL (écrite dans un fichier par « central enroll-apras »).');
  const from = requireFlag(args, 'from');
  const to = flagString(args, 'to') ?? from;
  const out = resolve(requireFlag(args, 'out'));
  const ext = extname(out).toLowerCase().slice(1);
  if (ext !== 'xlsx' && ext !== 'csv' && ext !== 'pdf') throw new CliError('Le fichier de sortie doit finir par .xlsx, .csv ou .pdf.');
  const sites = flagString(args, 'sites')?.split(',').map((s) => s.trim()).filter(Boolean);
  const seuil = flagString(args, 'seuil');
  try {
    const summary = await buildInterSiteSummary({ url }, { from, to, sites, threshold: seuil ? Number(seuil) : undefined });
    writeFileSync(out, await summaryFile(summary, ext as SummaryFormat));
    process.stdout.write(`Synthèse inter-ESC (${summary.periodLabel}) : ${summary.sites.length} ESC, écrite dans ${out}.\n`);
  } catch (err) {
    if (err instanceof SummaryError) throw new CliError(err.message);
    throw err;
  }
}
