/**
 * `accueil-esc-hub <command>`: the site hub's commands as installed by the Debian package
 * (docs/site-setup.md), i.e. `hub` and `sync` with the package's paths filled in:
 *   init --site CODE [--admin LOGIN]   create the site (key file 0600, recovery key printed once)
 *   serve                              what the systemd unit runs (accueil-esc-hub.service)
 *   backup [--to DIR]                  an encrypted, verified copy now
 *   restore (--from FILE | --latest)   service stopped
 *   rekey                              new key in place of the key file (old one kept aside); service stopped
 *   pair-code                          a one-time code for a new desk
 *   sync [configure | status]          the central sync
 *   paths | version
 * Settings come from the environment, then /etc/accueil-esc/hub.conf (the unit's EnvironmentFile,
 * KEY=value lines; ESC_CONF_FILE names another file), then the defaults below. ACCUEIL_ESC_ROOT relocates every path under another
 * folder: only the package test uses it (no root, no systemd there).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, parseArgs } from './args';
import { hubCommand } from './hub';
import { syncCommand } from './sync';
import { buildInfo, versionLabel } from '../runtime/build-info';
import { configureLog } from '../api/log';

export const SERVICE_NAME = 'accueil-esc-hub';

/** Settings of hub.conf, with their defaults (absolute paths, before relocation). */
export const SERVICE_DEFAULTS = {
  ESC_DATA_DIR: '/var/lib/accueil-esc/data',
  ESC_KEY_FILE: '/etc/accueil-esc/site.key',
  ESC_BACKUP_DIR: '/var/lib/accueil-esc/sauvegardes',
  ESC_BACKUP_KEEP: '14',
  ESC_BACKUP_EVERY_HOURS: '24',
  ESC_UPDATES_DIR: '/var/lib/accueil-esc/mises-a-jour',
  ESC_HOST: '0.0.0.0',
  ESC_PORT: '4780',
  /** Other names of the hub (DNS aliases not in its certificate), comma-separated: `--names`. */
  ESC_NAMES: '',
  ESC_TLS_CERT: '',
  ESC_TLS_KEY: '',
  /** A rotated log file besides stderr (no journal: a Windows service); empty under systemd. */
  ESC_LOG_FILE: '',
} as const;
type Setting = keyof typeof SERVICE_DEFAULTS;
const PATH_SETTINGS: readonly Setting[] = ['ESC_DATA_DIR', 'ESC_KEY_FILE', 'ESC_BACKUP_DIR', 'ESC_UPDATES_DIR', 'ESC_TLS_CERT', 'ESC_TLS_KEY', 'ESC_LOG_FILE'];

/** Reads an EnvironmentFile: `KEY=value` lines, `#` comments, optional quotes (as systemd does). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}

export interface ServiceConfig {
  root: string;
  confFile: string;
  values: Record<Setting, string>;
  /** Every ESC_* line of the file (the hub's limits ESC_HUB_…, ESC_SIGNIN_LIMIT…), as systemd passes them. */
  file: Record<string, string>;
}

export function serviceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const root = env.ACCUEIL_ESC_ROOT ? resolve(env.ACCUEIL_ESC_ROOT) : '';
  // ESC_CONF_FILE: elsewhere than /etc (the Windows wrapper points it into %ProgramData%).
  const confFile = env.ESC_CONF_FILE ?? `${root}/etc/accueil-esc/hub.conf`;
  const fromFile = existsSync(confFile) ? parseEnvFile(readFileSync(confFile, 'utf8')) : {};
  const values = {} as Record<Setting, string>;
  for (const key of Object.keys(SERVICE_DEFAULTS) as Setting[]) {
    const v = env[key] ?? fromFile[key] ?? SERVICE_DEFAULTS[key];
    values[key] = PATH_SETTINGS.includes(key) && v && root ? `${root}${v}` : v;
  }
  return { root, confFile, values, file: fromFile };
}

/** True when systemd says the hub service is running (never true without systemd or when relocated). */
function serviceRunning(config: ServiceConfig): boolean {
  if (config.root) return false;
  const r = spawnSync('systemctl', ['is-active', '--quiet', SERVICE_NAME], { stdio: 'ignore' });
  return r.status === 0;
}

function requireStopped(config: ServiceConfig, what: string): void {
  if (serviceRunning(config)) {
    throw new CliError(`Le service ${SERVICE_NAME} est en marche : arrêtez-le d’abord (systemctl stop ${SERVICE_NAME}), ${what}, puis redémarrez-le (systemctl start ${SERVICE_NAME}).`);
  }
}

const USAGE =
  `Commandes : ${SERVICE_NAME} init --site CODE [--admin LOGIN] | serve | backup [--to DOSSIER] | restore (--from FICHIER | --latest) | ` +
  'rekey | pair-code | sync [configure | status] | paths | version';

export async function serviceCommand(argv: string[]): Promise<void> {
  const config = serviceConfig();
  const v = config.values;
  const base = ['--data-dir', v.ESC_DATA_DIR, '--key-file', v.ESC_KEY_FILE];
  // Messages of the hub and sync commands name this command instead of `npm run hub`.
  process.env.ESC_PACKAGED = '1';
  // Run by hand, the command sees the file's other settings as the service does (EnvironmentFile);
  // never a database key from a file, which is what the key file is for.
  for (const [k, value] of Object.entries(config.file)) {
    if (k.startsWith('ESC_') && k !== 'ESC_DB_KEY' && process.env[k] === undefined) process.env[k] = value;
  }
  if (v.ESC_LOG_FILE && !process.env.ESC_LOG_FILE) configureLog({ file: { path: v.ESC_LOG_FILE } });
  const [sub, ...rest] = argv;
  const args = parseArgs(rest);
  switch (sub) {
    case 'init': {
      if (existsSync(join(v.ESC_DATA_DIR, 'accueil-esc.db'))) {
        throw new CliError(`Le site est déjà initialisé (${v.ESC_DATA_DIR}) : rien n’a été modifié. Pour repartir d’une sauvegarde : ${SERVICE_NAME} restore.`);
      }
      const admin = args.flags.get('admin');
      return hubCommand(['init', ...base, ...rest, ...(admin ? [] : ['--admin', 'admin'])]);
    }
    case 'serve': {
      const tls = v.ESC_TLS_CERT && v.ESC_TLS_KEY ? ['--tls-cert', v.ESC_TLS_CERT, '--tls-key', v.ESC_TLS_KEY] : [];
      const names = v.ESC_NAMES ? ['--names', v.ESC_NAMES] : [];
      return hubCommand([
        'serve',
        ...base,
        '--host',
        v.ESC_HOST,
        '--port',
        v.ESC_PORT,
        '--backup-dir',
        v.ESC_BACKUP_DIR,
        '--backup-keep',
        v.ESC_BACKUP_KEEP,
        '--backup-every-hours',
        v.ESC_BACKUP_EVERY_HOURS,
        '--updates-dir',
        v.ESC_UPDATES_DIR,
        ...tls,
        ...names,
      ]);
    }
    case 'backup':
      return hubCommand(['backup', ...base, '--to', v.ESC_BACKUP_DIR, '--keep', v.ESC_BACKUP_KEEP, ...rest]);
    case 'restore': {
      requireStopped(config, 'restaurez');
      const latest = args.flags.get('latest') === true;
      return hubCommand(['restore', ...base, ...(latest ? ['--backup-dir', v.ESC_BACKUP_DIR] : rest)]);
    }
    case 'rekey':
      requireStopped(config, 'changez la clé');
      return rekeyInPlace(config);
    case 'pair-code':
      return hubCommand(['pair-code', ...base]);
    case 'sync': {
      const [syncSub, ...syncRest] = rest;
      const named = syncSub === 'configure' || syncSub === 'status' ? [syncSub] : [];
      return syncCommand([...named, ...base, ...(named.length ? syncRest : rest)]);
    }
    case 'paths':
      process.stdout.write(`${(Object.keys(v) as Setting[]).map((k) => `${k}=${v[k]}`).join('\n')}\nConfiguration : ${config.confFile}\n`);
      return;
    case 'version':
      process.stdout.write(`Accueil ESC – hub du site, version ${versionLabel(buildInfo())}\n`);
      return;
    default:
      throw new CliError(sub ? `Commande inconnue « ${sub} ». ${USAGE}` : USAGE);
  }
}

/**
 * `rekey` keeps the key file's path (the unit and the commands read it): the new key goes to
 * `site.key.nouvelle`, the base is re-encrypted, then the old key moves aside as
 * `site.key.ancienne-<date>` (older backups still need it) and the new one takes its place.
 */
async function rekeyInPlace(config: ServiceConfig): Promise<void> {
  const keyFile = config.values.ESC_KEY_FILE;
  const next = `${keyFile}.nouvelle`;
  if (existsSync(next)) throw new CliError(`${next} existe déjà (changement de clé interrompu ?) : vérifiez-le et supprimez-le avant de recommencer.`);
  const mode = statSync(keyFile).mode & 0o777;
  await hubCommand(['rekey', '--data-dir', config.values.ESC_DATA_DIR, '--key-file', keyFile, '--new-key-file', next]);
  const aside = `${keyFile}.ancienne-${new Date().toISOString().slice(0, 10)}`;
  renameSync(keyFile, aside);
  renameSync(next, keyFile);
  process.stdout.write(`L’ancienne clé est conservée dans ${aside} (droits ${mode.toString(8)}) pour les sauvegardes antérieures.\n`);
}
