/**
 * The site database's cipher, in one place: the SQLCipher 4 format (SQLite3 Multiple Ciphers'
 * `cipher = sqlcipher`, `legacy = 4`) with a raw 256-bit key, so no key derivation at opening.
 * Imported by every code that opens the file (the store, backups, the WAL checkpointer's worker),
 * and light on purpose: the checkpointer's worker loads this and the driver only.
 */
import type Database from 'better-sqlite3';

/** Sets the site key on a connection, before its first read (a wrong key fails at that read). */
export function useSiteKey(sqlite: Database.Database, keyHex: string): void {
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma('legacy = 4');
  sqlite.pragma(`key = "x'${keyHex.toLowerCase()}'"`);
}
