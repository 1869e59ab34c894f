/**
 * Reopening a site database with its recovery key (the key shown once at setup, in groups), when
 * the machine's keyring no longer unwraps the stored key: used by the desktop's recovery screen.
 */
import { isValidKeyHex, normaliseKey, openStore, StoreError, type Store } from './open';

export class RecoveryError extends Error {}

export function openWithRecoveryKey(file: string, input: string): { store: Store; keyHex: string } {
  const keyHex = normaliseKey(input);
  if (!isValidKeyHex(keyHex)) {
    throw new RecoveryError('Clé de secours incomplète ou mal recopiée : elle compte 64 caractères (chiffres et lettres A à F), en 8 groupes de 8.');
  }
  try {
    return { store: openStore({ file, keyHex, mode: 'open' }), keyHex };
  } catch (err) {
    if (err instanceof StoreError && err.code === 'WRONG_KEY') {
      throw new RecoveryError('Cette clé de secours n’ouvre pas la base de ce poste : vérifiez qu’il s’agit de celle de ce site et de ce poste.');
    }
    throw err;
  }
}
