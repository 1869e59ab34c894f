/**
 * Where a headless hub gets the database key: `ESC_DB_KEY` (64 hex characters) or a key file
 * given with --key-file. A key file must never sit inside the data directory it unlocks.
 * ESC_DB_KEY is read once, at start, and removed from the environment: no child process or
 * worker the hub starts inherits it (a worker that needs the key gets it explicitly).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { isValidKeyHex, normaliseKey } from '../store/open';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../store/files';
import { CliError } from './args';

let envKey: { value: string | undefined } | null = null;

/**
 * ESC_DB_KEY as it was when the process started; the first call takes it out of the environment.
 * The CLI calls it before anything else runs.
 */
export function takeEnvKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!envKey) {
    envKey = { value: env.ESC_DB_KEY || undefined };
    delete env.ESC_DB_KEY;
  }
  return envKey.value;
}

export function generateKeyHex(): string {
  return randomBytes(32).toString('hex');
}

export function assertOutside(keyFile: string, dataDir: string): void {
  const rel = relative(resolve(dataDir), resolve(keyFile));
  if (!rel.startsWith('..') && !isAbsolute(rel)) {
    throw new CliError('Le fichier de clé ne doit pas se trouver dans le dossier de données : choisissez un autre emplacement.');
  }
}

export { normaliseKey };

/** The key as shown once at setup to be written down: 8 groups of 8 characters. */
export function formatRecoveryKey(keyHex: string): string {
  return keyHex.toUpperCase().match(/.{8}/g)!.join('-');
}

export function readKeyFile(path: string): string {
  if (!existsSync(path)) throw new CliError(`Fichier de clé introuvable : ${path}`);
  const key = normaliseKey(readFileSync(path, 'utf8'));
  if (!isValidKeyHex(key)) throw new CliError(`Le fichier de clé ${path} ne contient pas une clé valide (64 caractères hexadécimaux).`);
  return key;
}

export function writeKeyFile(path: string, key: string): void {
  if (existsSync(path)) throw new CliError(`Le fichier de clé ${path} existe déjà : il n’a pas été remplacé.`);
  makePrivateDir(dirname(path));
  writeFileSync(path, `${key}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** The key from the environment or the key file; null if neither is given. */
export function keyFromEnvOrFile(keyFile: string | undefined, dataDir: string): string | null {
  const fromEnv = takeEnvKey();
  const env = fromEnv ? normaliseKey(fromEnv) : '';
  if (env) {
    if (!isValidKeyHex(env)) throw new CliError('ESC_DB_KEY doit contenir exactement 64 caractères hexadécimaux.');
    return env;
  }
  if (keyFile) {
    assertOutside(keyFile, dataDir);
    return readKeyFile(keyFile);
  }
  return null;
}
