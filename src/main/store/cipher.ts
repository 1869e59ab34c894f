/**
 * The site database's cipher, in one place (decision 031): SQLite3 Multiple Ciphers' AEGIS-256
 * (an authenticated cipher: a fresh 256-bit nonce and a 256-bit tag per page) with a raw 256-bit
 * key, so no key derivation at opening. Files written by earlier versions (SQLCipher 4: AES-256-CBC
 * and HMAC-SHA512 per page) are still read; `store/cipher-migration.ts` rewrites them in the
 * current cipher when the app opens them for writing.
 * Imported by every code that opens the file (the store, backups, the WAL checkpointer's worker),
 * and light on purpose: the checkpointer's worker loads this and the driver only.
 */
import type Database from 'better-sqlite3';

/** The ciphers a site database may be in: the current one first. */
export type SiteCipher = 'aegis-256' | 'sqlcipher-4';
export const CURRENT_CIPHER: SiteCipher = 'aegis-256';

function selectCipher(sqlite: Database.Database, cipher: SiteCipher): void {
  if (cipher === 'aegis-256') {
    sqlite.pragma("cipher = 'aegis'");
    sqlite.pragma("algorithm = 'aegis-256'");
  } else {
    sqlite.pragma("cipher = 'sqlcipher'");
    sqlite.pragma('legacy = 4');
  }
}

function setKey(sqlite: Database.Database, keyHex: string, cipher: SiteCipher): void {
  selectCipher(sqlite, cipher);
  sqlite.pragma(`key = "x'${keyHex.toLowerCase()}'"`);
}

export function isNotADatabase(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_NOTADB';
}

/**
 * Sets the site key on a fresh connection and reads the schema once, in the current cipher and
 * then in the earlier one; returns the cipher the file is in (a new, empty file: the current
 * one). A wrong key (or a file that is not a site database) throws SQLITE_NOTADB at that read.
 */
export function useSiteKey(sqlite: Database.Database, keyHex: string): SiteCipher {
  setKey(sqlite, keyHex, CURRENT_CIPHER);
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return CURRENT_CIPHER;
  } catch (err) {
    if (!isNotADatabase(err)) throw err;
  }
  setKey(sqlite, keyHex, 'sqlcipher-4');
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  return 'sqlcipher-4';
}

/**
 * Re-encrypts the whole file of this connection in the current cipher, under the same key. The
 * connection must be the file's only one and in a rollback journal mode (SQLite3MC rewrites
 * every page in one transaction; it refuses to do it in WAL mode).
 */
export function rewriteInCurrentCipher(sqlite: Database.Database, keyHex: string): void {
  selectCipher(sqlite, CURRENT_CIPHER);
  sqlite.pragma(`rekey = "x'${keyHex.toLowerCase()}'"`);
}
