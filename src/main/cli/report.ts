/**
 * `npm run report -- --from AAAA-MM --to AAAA-MM --out FICHIER.xlsx|.csv [--url URL]`: the
 * APRAS's inter-ESC summary from the central database's aggregate views (role `apras`, address
 * from --url or ESC_APRAS_URL, given by `central enroll-apras`).
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { buildInterSiteReport, interSiteCsv, interSiteXlsx, monthRange } from '../central/report';
import { CliError, flagString, parseArgs, requireFlag } from './args';

export async function reportCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const url = flagString(args, 'url') ?? process.env.ESC_APRAS_URL;
  if (!url) throw new CliError('Indiquez l’adresse APRAS de la base centrale : --url postgres://… ou ESC_APRAS_URL (donnée par « central enroll-apras »).');
  const from = requireFlag(args, 'from');
  const to = flagString(args, 'to') ?? from;
  try {
    monthRange(from, to);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : 'Période invalide.');
  }
  const out = resolve(requireFlag(args, 'out'));
  const ext = extname(out).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') throw new CliError('Le fichier de sortie doit finir par .xlsx ou .csv.');
  const report = await buildInterSiteReport({ url }, from, to);
  writeFileSync(out, ext === '.csv' ? interSiteCsv(report) : await interSiteXlsx(report));
  process.stdout.write(`Synthèse inter-ESC ${from} → ${to} : ${report.sites.length} ESC, écrite dans ${out}.\n`);
}
