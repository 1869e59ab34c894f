/**
 * Where a headless hub gets the database key: `ESC_DB_KEY` (64 hex characters) or a key file
 * given with --key-file. A key file must never sit inside the data directory it unlocks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { isValidKeyHex, normaliseKey } from '../store/open';
import { CliError } from './args';

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
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
}

/** The key from the environment or the key file; null if neither is given. */
export function keyFromEnvOrFile(keyFile: string | undefined, dataDir: string): string | null {
  const env = process.env.ESC_DB_KEY ? normaliseKey(process.env.ESC_DB_KEY) : '';
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
