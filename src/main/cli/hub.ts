/**
 * `npm run hub -- init | serve`, and `npm run hub` alone for a demo hub.
 *   init  --data-dir DIR --site CODE --admin LOGIN [--key-file PATH]
 *   serve --data-dir DIR [--port N] [--host 127.0.0.1] [--key-file PATH] [--tls-cert F --tls-key F]
 *         [--backup-dir DIR …] [--updates-dir DIR]  (desktop installers served at /mises-a-jour/)
 *         [--names alias1,alias2]
 *         a host other than loopback serves the LAN: HTTPS/WSS and device pairing, always;
 *         limits against slow or greedy clients: ESC_HUB_… variables (docs/site-setup.md)
 *   pair-code --data-dir DIR [--key-file PATH]         a one-time pairing code, on the hub's console
 *   pair --hub https://HUB:4780/ --code CODE --name NAME --out FILE [--fingerprint AB:…]
 *         (on a satellite, development: the desktop's first-start screen does the same) pair and pin
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isSiteCode, SITE_CODES } from '../../shared/reference/sites';
import { createApp } from '../api/app';
import { systemClock } from '../core/context';
import { setupSite } from '../core/site/setup';
import { startHub } from '../hub/server';
import { SignInLimiter } from '../hub/rate-limit';
import { startHousekeeping } from '../api/housekeeping';
import { openStore, readMeta } from '../store/open';
import { CliError, flagString, hubCommandLine, packaged, parseArgs, requireFlag, type ParsedArgs } from './args';
import { assertOutside, formatRecoveryKey, normaliseKey, generateKeyHex, keyFromEnvOrFile, readKeyFile, takeEnvKey, writeKeyFile } from './keys';
import { makePrivateDir } from '../store/files';
import { limitsFromEnv, type HubLimits } from '../hub/limits';
import { backupNow, listBackups, rekeyDatabase, restoreBackup } from '../store/backup';
import { startBackupSchedule } from '../store/backup-schedule';
import { log } from '../api/log';
import { promptHidden } from './prompt';
import { createDemoContent, DEMO_ACCOUNTS, DEMO_ADMIN } from './demo';
import { zLogin } from '../../shared/api/methods/accounts';
import { zPassword } from '../../shared/api/methods/session';
import { passwordWeakness } from '../core/accounts/strength';
import { saveTarget } from '../sync/client';
import { ensureStoredCertificate, fingerprintOf, providedCertificate, reachableUrls, type HubTls } from '../hub/tls';
import { isLoopback } from '../hub/server';
import { createPairingCode } from '../core/devices/devices';
import { pairThisDesk } from '../setup/pairing';
import { findSite } from '../../shared/reference/sites';
import { rendererDir } from '../runtime/paths';

export const DB_FILE = 'accueil-esc.db';
export const DEFAULT_PORT = 4780;


async function init(args: ParsedArgs): Promise<void> {
  const dataDir = resolve(requireFlag(args, 'data-dir'));
  const site = requireFlag(args, 'site').toUpperCase();
  if (!isSiteCode(site)) throw new CliError(`Site inconnu « ${site} ». Sites possibles : ${SITE_CODES.join(', ')}.`);
  const adminLogin = zLogin.safeParse(requireFlag(args, 'admin'));
  if (!adminLogin.success) throw new CliError(adminLogin.error.issues[0]!.message);
  const keyFile = flagString(args, 'key-file');

  const fromEnv = takeEnvKey();
  let key = fromEnv ? normaliseKey(fromEnv) : null;
  let generated = false;
  if (!key) {
    if (!keyFile) throw new CliError('Indiquez où garder la clé de la base : --key-file CHEMIN (hors du dossier de données) ou ESC_DB_KEY.');
    assertOutside(keyFile, dataDir);
    if (existsSync(keyFile)) key = readKeyFile(keyFile);
    else {
      key = generateKeyHex();
      generated = true;
    }
  } else {
    key = keyFromEnvOrFile(undefined, dataDir);
  }

  const password = process.env.ESC_ADMIN_PASSWORD ?? (await promptHidden(`Mot de passe de ${adminLogin.data} : `));
  const pw = zPassword.safeParse(password);
  if (!pw.success) throw new CliError(pw.error.issues[0]!.message);
  const weak = await passwordWeakness(pw.data, [adminLogin.data, site]);
  if (weak) throw new CliError(weak);

  makePrivateDir(dataDir);
  const store = openStore({ file: join(dataDir, DB_FILE), keyHex: key!, mode: 'create' });
  let tls: HubTls;
  try {
    await setupSite(store, { siteCode: site, admin: { login: adminLogin.data, displayName: 'Administration du site', password: pw.data } }, systemClock);
    tls = await ensureStoredCertificate(store, hubCertificateName(site));
  } finally {
    store.close();
  }
  if (generated && keyFile) writeKeyFile(keyFile, key!);
  process.stdout.write(
    `Site ${site} initialisé dans ${dataDir}.\n` +
      (generated ? `Clé de la base écrite dans ${keyFile} (droits 600).\n` : '') +
      `\nCLÉ DE SECOURS (affichée une seule fois, à noter et à ranger en lieu sûr, hors de ce poste) :\n  ${formatRecoveryKey(key!)}\n` +
      `Elle rouvre la base sur une autre machine : ESC_DB_KEY="<clé de secours>" ${hubCommandLine('serve', '…')}\n\n` +
      `Certificat TLS du hub (réseau du site) créé, empreinte SHA-256 :\n  ${tls.fingerprint}\n\n` +
      (packaged()
        ? 'Démarrez le service : systemctl enable --now accueil-esc-hub\n'
        : `Démarrez le hub : npm run hub -- serve --data-dir ${dataDir}${keyFile ? ` --key-file ${keyFile}` : ''}\n`),
  );
}

async function serve(args: ParsedArgs): Promise<void> {
  const dataDir = resolve(requireFlag(args, 'data-dir'));
  const key = keyFromEnvOrFile(flagString(args, 'key-file'), dataDir);
  if (!key) throw new CliError('Clé de la base absente : définissez ESC_DB_KEY ou passez --key-file CHEMIN.');
  const port = Number(flagString(args, 'port') ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port doit être un numéro de port valide.');
  const host = flagString(args, 'host') ?? '127.0.0.1';
  const store = openStore({ file: join(dataDir, DB_FILE), keyHex: key, mode: 'open' });
  const backupDir = flagString(args, 'backup-dir');
  const backups = backupDir
    ? { dir: resolve(backupDir), keep: positiveInt(args, 'backup-keep', 14), everyHours: positiveInt(args, 'backup-every-hours', 24), keyHex: key }
    : undefined;
  let tls: HubTls | null = null;
  if (!isLoopbackHost(host)) {
    const certFile = flagString(args, 'tls-cert');
    const keyFile = flagString(args, 'tls-key');
    if (Boolean(certFile) !== Boolean(keyFile)) throw new CliError('Donnez à la fois --tls-cert et --tls-key (fichiers PEM fournis par le service informatique).');
    try {
      tls = certFile && keyFile ? providedCertificate(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8')) : await ensureStoredCertificate(store, hubCertificateName(readMeta(store, 'site_code') ?? ''));
    } catch (err) {
      store.close();
      throw new CliError(err instanceof Error ? err.message : 'Certificat TLS illisible.');
    }
  }
  const updatesDir = flagString(args, 'updates-dir');
  const names = (flagString(args, 'names') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  await run(store, host, port, '', backups, tls, names, updatesDir ? resolve(updatesDir) : null);
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host);
}

function hubCertificateName(site: string): string {
  return `Accueil ESC – hub ${findSite(site)?.name ?? site}`;
}

/** The site database of `--data-dir`, opened with ESC_DB_KEY or `--key-file`, for operator commands. */
export function openDataDir(args: ParsedArgs): ReturnType<typeof openStore> {
  const dataDir = resolve(requireFlag(args, 'data-dir'));
  const key = keyFromEnvOrFile(flagString(args, 'key-file'), dataDir);
  if (!key) throw new CliError('Clé de la base absente : définissez ESC_DB_KEY ou passez --key-file CHEMIN.');
  return openStore({ file: join(dataDir, DB_FILE), keyHex: key, mode: 'open' });
}

/** On the hub: a one-time pairing code for a new desk or office (10 minutes, one use). */
function pairCode(args: ParsedArgs): void {
  const store = openDataDir(args);
  try {
    const app = createApp(store);
    const { code, expiresAt } = createPairingCode(app.core, null);
    const cert = readMeta(store, 'hub.tls_cert');
    const fp = cert ? `Empreinte du certificat du hub à vérifier sur le poste : ${fingerprintOf(cert)}\n` : '';
    process.stdout.write(
      `Code d’appairage (usage unique, valable jusqu’à ${new Date(expiresAt).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })}) :\n\n    ${code}\n\n` +
        'Sur le nouveau poste : ouvrez https://<ce hub>:<port>/ et saisissez-le, ou, dans l’application de bureau,\n' +
        '  au premier démarrage : « Relier ce poste au hub du site », avec l’adresse du hub et ce code.\n' +
        (packaged() ? '' : `  (en développement : npm run hub -- pair --hub https://<ce hub>:<port>/ --code ${code} --name "Bureau …" --out satellite.json)\n`) +
        fp,
    );
  } finally {
    store.close();
  }
}

/** On a satellite: pair with the hub and write what to keep (pinned certificate, device token). */
async function pair(args: ParsedArgs): Promise<void> {
  const hubUrl = requireFlag(args, 'hub');
  const code = requireFlag(args, 'code');
  const name = requireFlag(args, 'name');
  const out = resolve(requireFlag(args, 'out'));
  try {
    // The same pairing module as the desktop's first-start screen (satellite.json written 0600).
    const config = await pairThisDesk({ hubUrl, code, deviceName: name, expectedFingerprint: flagString(args, 'fingerprint') ?? null }, out);
    process.stdout.write(`Poste « ${name} » appairé avec ${config.hubUrl}.\nCertificat épinglé : ${config.fingerprint}\nConfiguration (secrète, droits 600) : ${out}\n`);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : 'Appairage impossible.');
  }
}

function positiveInt(args: ParsedArgs, name: string, fallback: number): number {
  const raw = flagString(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--${name} attend un entier positif.`);
  return n;
}

interface BackupSchedule {
  dir: string;
  keep: number;
  everyHours: number;
  keyHex: string;
}

function hubLimits(): Partial<HubLimits> {
  try {
    return limitsFromEnv();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : 'Limite du hub invalide.');
  }
}

async function run(
  store: ReturnType<typeof openStore>,
  host: string,
  port: number,
  banner = '',
  backups?: BackupSchedule,
  tls: HubTls | null = null,
  names: string[] = [],
  updatesDir: string | null = null,
): Promise<void> {
  const limits = hubLimits();
  const app = createApp(store, undefined, {
    ...(backups ? { backups } : {}),
    ...(tls ? { lan: { fingerprint: tls.fingerprint, urls: [] } } : {}),
    walCheckpointer: {},
  });
  const dir = rendererDir();
  // Sign-in attempts allowed per client address and minute (ESC_SIGNIN_LIMIT, default 10).
  const perMinute = Number(process.env.ESC_SIGNIN_LIMIT ?? 10);
  const hub = await startHub({
    app,
    host,
    port,
    staticDir: dir,
    signInLimiter: new SignInLimiter(Number.isInteger(perMinute) && perMinute > 0 ? perMinute : 10),
    tls,
    updatesDir,
    // On the LAN, every client but this machine itself must be a paired device
    // (ESC_HUB_TRUST_LOOPBACK=0: this machine too, e.g. to try pairing on one PC).
    pairing: tls ? { trust: process.env.ESC_HUB_TRUST_LOOPBACK === '0' ? () => false : isLoopback } : null,
    limits,
    names,
  });
  // Only the addresses the hub is actually bound to, with the port it actually listens on.
  const lan = tls ? { fingerprint: tls.fingerprint, urls: reachableUrls(hub.server.address() as AddressInfo, host) } : null;
  app.services.lan = lan;
  // Listening first: everything heavy comes after `/health` answers, and off this thread.
  const stopHousekeeping = startHousekeeping(app);
  let stopBackups: (() => void) | undefined;
  if (backups) {
    // The copy (VACUUM INTO) and its verification run in the job worker, from its own connection;
    // once a day after closing, or at start when that was missed (store/backup-schedule.ts).
    stopBackups = startBackupSchedule({
      site: app.core.site,
      everyHours: backups.everyHours,
      latest: () => {
        const last = listBackups(backups.dir)[0];
        return last ? new Date(last.createdAt) : null;
      },
      take: () =>
        app.services.jobs.run('backup', { dir: backups.dir, keep: backups.keep }, { owner: null, now: new Date() }).then(
          (b) => log.info('backup.done', { name: b.name, size: b.size }),
          (err: unknown) => {
            log.error('backup.failed', { error: err instanceof Error ? err.name : 'unknown' });
            throw err;
          },
        ),
    });
  }
  process.stdout.write(
    `${banner}Accueil ESC – ${app.core.site.name}\nHub à l’écoute : ${hub.url}\n` +
      (tls && lan
        ? `Réseau du site : TLS et appairage des postes. Adresses : ${lan.urls.join(', ') || '(aucune interface réseau)'}\n` +
          `Empreinte SHA-256 du certificat (à comparer sur chaque poste) :\n  ${tls.fingerprint}\n` +
          `Appairer un poste : écran « Postes du site » (administration), ou ${hubCommandLine('pair-code', '--data-dir …')}\n`
        : '') +
      (dir ? '' : 'Attention : interface non construite (npm run build) ; seule l’API répond.\n'),
  );
  const stop = (): void => {
    stopHousekeeping();
    stopBackups?.();
    void hub
      .close()
      .then(() => app.close())
      .then(() => {
        store.close();
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function demo(args: ParsedArgs): Promise<void> {
  const base = resolve(process.env.ESC_DEMO_DIR ?? join(homedir(), '.accueil-esc'));
  const dataDir = join(base, 'demo-data');
  const keyFile = join(base, 'demo-dev.key');
  const port = Number(flagString(args, 'port') ?? DEFAULT_PORT);
  let key: string;
  let store;
  if (!existsSync(join(dataDir, DB_FILE))) {
    key = existsSync(keyFile) ? readKeyFile(keyFile) : generateKeyHex();
    makePrivateDir(dataDir);
    store = openStore({ file: join(dataDir, DB_FILE), keyHex: key, mode: 'create' });
    await setupSite(store, { siteCode: 'BLOSNE', admin: DEMO_ADMIN }, systemClock);
    const app = createApp(store);
    await createDemoContent(app.core);
    if (!existsSync(keyFile)) writeKeyFile(keyFile, key);
  } else {
    key = readKeyFile(keyFile);
    store = openStore({ file: join(dataDir, DB_FILE), keyHex: key, mode: 'open' });
  }
  // A central server for the demonstration (the end-to-end tests start one with `central dev`).
  if (process.env.ESC_DEMO_CENTRAL_URL) saveTarget(store, { url: process.env.ESC_DEMO_CENTRAL_URL });
  const accounts = [DEMO_ADMIN, ...DEMO_ACCOUNTS].map((a) => `  ${a.login.padEnd(8)} ${a.password.padEnd(16)} ${a.displayName}`).join('\n');
  const banner =
    'MODE DÉMONSTRATION – ne pas utiliser pour de vraies personnes.\n' +
    `Données : ${dataDir}\n` +
    `ATTENTION : clé de développement en clair dans ${keyFile} (hors du dossier de données).\n` +
    `Comptes de démonstration (identifiant, mot de passe) :\n${accounts}\n\n`;
  // Backups for the demonstration (the end-to-end tests restore one from the admin screen).
  const demoBackups = process.env.ESC_DEMO_BACKUP_DIR ? { dir: resolve(process.env.ESC_DEMO_BACKUP_DIR), keep: 5, everyHours: 24, keyHex: key } : undefined;
  await run(store, '127.0.0.1', port, banner, demoBackups);
}

function backup(args: ParsedArgs): void {
  const dataDir = resolve(requireFlag(args, 'data-dir'));
  const key = keyFromEnvOrFile(flagString(args, 'key-file'), dataDir);
  if (!key) throw new CliError('Clé de la base absente : définissez ESC_DB_KEY ou passez --key-file CHEMIN.');
  const to = resolve(requireFlag(args, 'to'));
  const store = openStore({ file: join(dataDir, DB_FILE), keyHex: key, mode: 'open' });
  try {
    const b = backupNow(store, key, to, positiveInt(args, 'keep', 14));
    process.stdout.write(`Sauvegarde chiffrée et vérifiée : ${join(to, b.name)} (${Math.round(b.size / 1024)} Kio).\n`);
  } finally {
    store.close();
  }
}

function restore(args: ParsedArgs): void {
  const dataDir = resolve(requireFlag(args, 'data-dir'));
  const key = keyFromEnvOrFile(flagString(args, 'key-file'), dataDir);
  if (!key) throw new CliError('Clé de la base absente : définissez ESC_DB_KEY ou passez --key-file CHEMIN.');
  let from = flagString(args, 'from');
  const dir = flagString(args, 'backup-dir');
  if (!from && dir) {
    const latest = listBackups(resolve(dir))[0];
    if (!latest) throw new CliError(`Aucune sauvegarde dans ${dir}.`);
    from = join(resolve(dir), latest.name);
  }
  if (!from) throw new CliError('Indiquez la sauvegarde à restaurer : --from FICHIER (ou --backup-dir DOSSIER pour la plus récente).');
  const aside = restoreBackup(join(dataDir, DB_FILE), resolve(from), key);
  process.stdout.write(`Sauvegarde ${from} vérifiée et restaurée. L’ancienne base est conservée dans ${aside}.\nRedémarrez le hub.\n`);
}

function rekey(args: ParsedArgs): void {
  const dataDir = resolve(requireFlag(args, 'data-dir'));
  const oldKey = keyFromEnvOrFile(flagString(args, 'key-file'), dataDir);
  if (!oldKey) throw new CliError('Clé actuelle absente : définissez ESC_DB_KEY ou passez --key-file CHEMIN.');
  const newKeyFile = requireFlag(args, 'new-key-file');
  assertOutside(newKeyFile, dataDir);
  const newKey = generateKeyHex();
  writeKeyFile(newKeyFile, newKey);
  rekeyDatabase(join(dataDir, DB_FILE), oldKey, newKey);
  process.stdout.write(
    `Clé de la base changée. Nouvelle clé écrite dans ${newKeyFile} (droits 600) ; l’ancienne ne l’ouvre plus.\n` +
      `NOUVELLE CLÉ DE SECOURS (à noter, remplace l’ancienne) :\n  ${formatRecoveryKey(newKey)}\n` +
      'Les sauvegardes antérieures restent chiffrées avec l’ancienne clé : gardez-la tant que vous les conservez.\n',
  );
}

export async function hubCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const sub = args.positional[0];
  if (sub === 'init') return init(args);
  if (sub === 'serve') return serve(args);
  if (sub === 'backup') return backup(args);
  if (sub === 'restore') return restore(args);
  if (sub === 'rekey') return rekey(args);
  if (sub === 'pair-code') return pairCode(args);
  if (sub === 'pair') return pair(args);
  if (sub === undefined) return demo(args);
  throw new CliError(`Commande inconnue « hub ${sub} ». Utilisez : hub init, serve, backup, restore, rekey, pair-code, pair, ou hub sans argument (démonstration).`);
}
