/**
 * Desktop key storage: the database key is generated on first start and kept only wrapped by
 * Electron `safeStorage` (DPAPI, Keychain, libsecret/kwallet). Linux's `basic_text` backend is
 * plaintext in disguise and is refused unless the administrator opts in (ESC_ALLOW_BASIC_TEXT=1).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { safeStorage } from 'electron';
import { generateKeyHex } from '../cli/keys';

export class KeyStorageError extends Error {
  /** True when the recovery key can get the site going again (keyring changed, key missing). */
  constructor(
    message: string,
    readonly recoverable = false,
  ) {
    super(message);
  }
}

function assertSafeBackend(): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new KeyStorageError('Le trousseau du système est indisponible : la clé de la base ne peut pas être protégée.');
  }
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' && process.env.ESC_ALLOW_BASIC_TEXT !== '1') {
      throw new KeyStorageError(
        'Aucun trousseau sécurisé (GNOME Keyring ou KWallet) n’est disponible sur ce poste : la clé de la base ne serait pas protégée. ' +
          'Installez un trousseau, ou demandez à l’administration de l’autoriser explicitement (ESC_ALLOW_BASIC_TEXT=1).',
      );
    }
  }
}

/** The database key, unwrapped; created and wrapped on first start. */
export function loadOrCreateKey(wrappedKeyFile: string): { keyHex: string; created: boolean } {
  assertSafeBackend();
  if (existsSync(wrappedKeyFile)) {
    try {
      return { keyHex: safeStorage.decryptString(readFileSync(wrappedKeyFile)), created: false };
    } catch {
      throw new KeyStorageError(
        'La clé de la base n’a pas pu être déverrouillée par le trousseau de ce poste (trousseau changé ou réinitialisé). ' +
          'Utilisez la clé de secours du site pour rouvrir la base.',
        true,
      );
    }
  }
  const keyHex = generateKeyHex();
  writeFileSync(wrappedKeyFile, safeStorage.encryptString(keyHex), { mode: 0o600, flag: 'wx' });
  return { keyHex, created: true };
}

/** After a recovery: wraps the recovered key with this machine's keyring (the old blob is kept aside). */
export function rewrapKey(wrappedKeyFile: string, keyHex: string): void {
  assertSafeBackend();
  if (existsSync(wrappedKeyFile)) renameSync(wrappedKeyFile, `${wrappedKeyFile}.illisible-${Date.now()}`);
  writeFileSync(wrappedKeyFile, safeStorage.encryptString(keyHex), { mode: 0o600, flag: 'wx' });
}
