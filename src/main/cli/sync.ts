/**
 * `npm run sync -- …`: the site side of the central sync, headless.
 *   --data-dir DIR [--key-file PATH]                         one cycle, JSON summary on stdout
 *   configure --data-dir DIR [--key-file PATH] [--url-file FILE | --url URL] [--ca FILE]
 *       stores the central address (from the 0600 file written by `central enroll-site`, --url,
 *       ESC_CENTRAL_URL, or typed without echo) and the
 *       CA certificate in the encrypted site database, after a test connection
 *   status --data-dir DIR [--key-file PATH]                  what is configured and waiting
 */
import { existsSync, readFileSync } from 'node:fs';
import { connectCentral, describeTarget, toCentralError } from '../central/connect';
import { readMeta, type Store } from '../store/open';
import { META, pendingCount, readTarget, runSyncCycle, saveTarget } from '../sync/client';
import { CliError, flagString, parseArgs, type ParsedArgs } from './args';
import { openDataDir } from './hub';
import { promptHidden } from './prompt';

function open(args: ParsedArgs): { store: Store; site: string } {
  const store = openDataDir(args);
  const site = readMeta(store, 'site_code');
  if (!site) {
    store.close();
    throw new CliError('Base sans site : initialisez-la d’abord (hub init).');
  }
  return { store, site };
}

/** The address from --url-file (written 0600 by `central enroll-site`), --url, the env, or typed. */
async function addressFrom(args: ParsedArgs): Promise<string> {
  const file = flagString(args, 'url-file');
  if (file) {
    if (!existsSync(file)) throw new CliError(`Fichier d’adresse introuvable : ${file}.`);
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('postgres://') || l.startsWith('postgresql://'));
    if (!text) throw new CliError(`${file} ne contient pas d’adresse postgres://.`);
    return text;
  }
  return flagString(args, 'url') ?? process.env.ESC_CENTRAL_URL ?? (await promptHidden('Adresse du serveur central (postgres://…) : '));
}

async function configure(args: ParsedArgs): Promise<void> {
  const url = await addressFrom(args);
  const caFile = flagString(args, 'ca');
  if (caFile && !existsSync(caFile)) throw new CliError(`Certificat introuvable : ${caFile}.`);
  const ca = caFile ? readFileSync(caFile, 'utf8') : null;
  if (ca !== null && !ca.includes('BEGIN CERTIFICATE')) throw new CliError(`${caFile} n’est pas un certificat PEM.`);
  const { store, site } = open(args);
  try {
    try {
      saveTarget(store, { url, ca });
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : 'Adresse refusée.');
    }
    // A test connection now, so that a typo is found today rather than tonight.
    let remote: string | null = null;
    try {
      const client = await connectCentral({ url, ca });
      try {
        remote = (await client.query<{ site: string | null }>('SELECT esc.current_site() AS site')).rows[0]?.site ?? null;
      } finally {
        await client.end();
      }
    } catch (err) {
      process.stdout.write(`Adresse enregistrée, mais le test de connexion a échoué : ${toCentralError(err, url).message}\n`);
      return;
    }
    if (remote !== site) {
      process.stdout.write(`Attention : ce compte central est celui du site ${remote ?? '(aucun)'}, pas de ${site}. La synchronisation sera refusée.\n`);
      return;
    }
    process.stdout.write(`Serveur central configuré pour ${site} : ${describeTarget(url)}. Connexion vérifiée.\n`);
  } finally {
    store.close();
  }
}

function status(args: ParsedArgs): void {
  const { store, site } = open(args);
  try {
    const target = readTarget(store);
    process.stdout.write(
      `${JSON.stringify(
        {
          site,
          configured: target !== null,
          central: target ? describeTarget(target.url) : null,
          lastSuccessAt: readMeta(store, META.lastSuccessAt) ?? null,
          lastError: readMeta(store, META.lastError) ?? null,
          pending: pendingCount(store),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    store.close();
  }
}

async function once(args: ParsedArgs): Promise<void> {
  const { store, site } = open(args);
  try {
    const target = readTarget(store);
    if (!target) throw new CliError('Aucun serveur central configuré : npm run sync -- configure --data-dir … (adresse donnée par « central enroll-site »).');
    const batch = flagString(args, 'batch-size');
    const summary = await runSyncCycle(store, site, target, batch ? { batchSize: Math.max(1, Number(batch) || 500) } : {});
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (!summary.ok) process.exitCode = 1;
  } finally {
    store.close();
  }
}

export async function syncCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const sub = args.positional[0];
  if (sub === 'configure') return configure(args);
  if (sub === 'status') return status(args);
  if (sub === undefined) return once(args);
  throw new CliError('Commandes : sync --data-dir DOSSIER (un cycle), sync configure, sync status.');
}
