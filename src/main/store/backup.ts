/**
 * Encrypted backups of the site database. `VACUUM INTO` writes a consistent copy of the live
 * database (readers and writers keep going), encrypted with the same key; each copy is verified
 * (opens, `integrity_check`) before older ones are pruned. Restoring verifies the chosen copy
 * first and keeps the replaced database aside, for a while (decision 009). Every file written
 * here is 0600 and every folder created 0700.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, PAGE_CACHE_KIB, StoreError, writeMeta, type Store } from './open';
import { useSiteKey } from './cipher';
import { copyPrivate, createPrivateFile, makePrivateDir, restrictDatabase, restrictFile } from './files';

/**
 * The incarnation of a database file (meta key): a random id replaced by every restore, so that
 * the sync to central knows for certain that this file is not the one it last synced with
 * (decision 022). Every restore path goes through `restoreBackup`.
 */
export const INCARNATION_KEY = 'store.incarnation';

export interface BackupInfo {
  name: string;
  size: number;
  createdAt: string;
}

const PATTERN = /^accueil-esc-(\d{8})-(\d{6})\.db$/;

function stamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

export function listBackups(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => PATTERN.test(f))
    .sort()
    .reverse()
    .map((name) => {
      const m = PATTERN.exec(name)!;
      const d = m[1]!;
      const t = m[2]!;
      return {
        name,
        size: statSync(join(dir, name)).size,
        createdAt: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`,
      };
    });
}

/**
 * Opens a backup read-only with the key and checks it; throws a French StoreError otherwise.
 * `integrity: false` only proves that the key opens it (the full check already ran in a worker).
 */
export function verifyBackup(file: string, keyHex: string, integrity = true): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    let result: unknown;
    try {
      // A backup of an earlier version (SQLCipher 4) still opens (decision 031); a restore
      // rewrites it in the current cipher.
      useSiteKey(db, keyHex);
      // A full read, once: a large page cache would only stay resident afterwards.
      db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      result = integrity ? db.pragma('integrity_check', { simple: true }) : (db.prepare('SELECT count(*) FROM sqlite_master').get(), 'ok');
    } catch {
      throw new StoreError('WRONG_KEY', `La sauvegarde ${basename(file)} ne s’ouvre pas avec la clé du site : elle est illisible ou chiffrée avec une autre clé.`);
    }
    if (result !== 'ok') throw new StoreError('WRONG_KEY', `La sauvegarde ${basename(file)} est endommagée (contrôle d’intégrité en échec).`);
  } finally {
    db.close();
  }
}

/** Writes a verified encrypted copy into `dir` and keeps the `keep` most recent copies. */
export function backupNow(store: Store, keyHex: string, dir: string, keep: number, now = new Date()): BackupInfo {
  makePrivateDir(dir);
  // Its own partial file: a backup started in the same second (the command beside the hub's
  // schedule) never writes into this one.
  const partial = join(dir, `accueil-esc-${stamp(now)}-${randomUUID().slice(0, 8)}.partiel`);
  // What a crash left (an unfinished copy): removed once surely not in progress any more.
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.partiel')) continue;
    const left = join(dir, f);
    if (Date.now() - statSync(left).mtimeMs > 3600_000) rmSync(left, { force: true });
  }
  // VACUUM INTO accepts an empty file: created 0600 first, the copy is never readable by others.
  createPrivateFile(partial);
  if (store.readOnly) {
    // A worker's read-only connection (opened SQLITE_OPEN_READONLY: it cannot write the site
    // database) may write a copy elsewhere: `query_only` is lifted for this statement only.
    store.sqlite.pragma('query_only = OFF');
    try {
      store.sqlite.prepare('VACUUM INTO ?').run(partial);
    } finally {
      store.sqlite.pragma('query_only = ON');
    }
  } else {
    store.sqlite.prepare('VACUUM INTO ?').run(partial);
  }
  restrictFile(partial);
  try {
    verifyBackup(partial, keyHex);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  // Never replaces a copy: a second backup within the same second takes the next free second.
  let at = now;
  let name = `accueil-esc-${stamp(at)}.db`;
  while (existsSync(join(dir, name))) {
    at = new Date(at.getTime() + 1000);
    name = `accueil-esc-${stamp(at)}.db`;
  }
  renameSync(partial, join(dir, name));
  for (const old of listBackups(dir).slice(Math.max(1, keep))) rmSync(join(dir, old.name), { force: true });
  return listBackups(dir).find((b) => b.name === name)!;
}

/** Copies set aside at restore kept at most (the most recent), and for at most this many days. */
export const SET_ASIDE_KEEP = 3;
export const SET_ASIDE_MAX_DAYS = 30;
const SET_ASIDE = '.avant-restauration-';

/**
 * Rotates the copies of the database set aside at restore: the `keep` most recent are kept, and
 * none older than `maxDays` (their date is in their name). They hold what the live base held
 * then, including personal data it has erased since (decision 009).
 */
export function pruneSetAside(dbFile: string, options: { keep?: number; maxDays?: number; now?: Date } = {}): string[] {
  const keep = options.keep ?? SET_ASIDE_KEEP;
  const oldest = (options.now ?? new Date()).getTime() - (options.maxDays ?? SET_ASIDE_MAX_DAYS) * 86_400_000;
  const dir = dirname(dbFile);
  const prefix = `${basename(dbFile)}${SET_ASIDE}`;
  if (!existsSync(dir)) return [];
  const copies = readdirSync(dir)
    .map((name) => ({ name, m: name.startsWith(prefix) ? /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(name.slice(prefix.length)) : null }))
    .filter((c): c is { name: string; m: RegExpExecArray } => c.m !== null)
    .map(({ name, m }) => ({ name, at: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) }))
    .sort((a, b) => b.at - a.at);
  const removed = copies.filter((c, i) => i >= keep || c.at < oldest).map((c) => c.name);
  for (const name of removed) for (const f of [name, `${name}-wal`, `${name}-shm`]) rmSync(join(dir, f), { force: true });
  return removed;
}

/**
 * Replaces the site database by a verified backup (the hub must be stopped). The current
 * database is kept beside it as `accueil-esc.db.avant-restauration-<date>` (rotated, see
 * pruneSetAside).
 */
export function restoreBackup(dbFile: string, backupFile: string, keyHex: string, now = new Date(), options: { integrityChecked?: boolean } = {}): string {
  verifyBackup(backupFile, keyHex, !options.integrityChecked);
  // The backup must also be usable by this version of the app (migrations, newer versions refused).
  const probe = `${dbFile}.verification`;
  for (const f of [probe, `${probe}-wal`, `${probe}-shm`]) rmSync(f, { force: true });
  copyPrivate(backupFile, probe);
  try {
    openStore({ file: probe, keyHex, mode: 'open' }).close();
  } finally {
    for (const f of [probe, `${probe}-wal`, `${probe}-shm`]) rmSync(f, { force: true });
  }
  const aside = `${dbFile}.avant-restauration-${stamp(now)}`;
  if (existsSync(dbFile)) {
    // Fold the WAL into the file being set aside so it is a complete database on its own.
    const current = new Database(dbFile, { fileMustExist: true });
    try {
      useSiteKey(current, keyHex);
      current.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A current file that does not open with this key is set aside as it is.
    } finally {
      current.close();
    }
    renameSync(dbFile, aside);
    restrictFile(aside);
  }
  for (const f of [`${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
  copyPrivate(backupFile, dbFile);
  // A restored file is a new incarnation: its history differs from what central last received.
  const restored = openStore({ file: dbFile, keyHex, mode: 'open' });
  try {
    writeMeta(restored, INCARNATION_KEY, randomUUID());
  } finally {
    restored.close();
  }
  restrictDatabase(dbFile);
  pruneSetAside(dbFile, { now });
  return aside;
}

/** Changes the key of a database (administrator command, hub stopped). */
export function rekeyDatabase(dbFile: string, oldKeyHex: string, newKeyHex: string): void {
  const store = openStore({ file: dbFile, keyHex: oldKeyHex, mode: 'open' });
  try {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    store.sqlite.pragma('journal_mode = DELETE');
    store.sqlite.pragma(`rekey = "x'${newKeyHex.toLowerCase()}'"`);
  } finally {
    store.close();
  }
  openStore({ file: dbFile, keyHex: newKeyHex, mode: 'open' }).close();
}

/**
 * Restores a backup under a running app: the live connection is closed, the backup verified and
 * put in place (the current file set aside), and the same Store object reopened on it, so that
 * every holder of the store carries on with the restored data. If anything fails before the
 * swap, the current database is reopened untouched and the error is rethrown.
 */
export function restoreLive(store: Store, backupFile: string, keyHex: string, now = new Date(), options: { integrityChecked?: boolean } = {}): string {
  // Refuse a bad backup before touching the live connection.
  verifyBackup(backupFile, keyHex, !options.integrityChecked);
  store.close();
  let aside: string;
  try {
    aside = restoreBackup(store.file, backupFile, keyHex, now, { integrityChecked: true });
  } finally {
    const fresh = openStore({ file: store.file, keyHex, mode: 'open' });
    store.sqlite = fresh.sqlite;
    store.db = fresh.db;
    store.close = fresh.close;
    store.readerOptions = fresh.readerOptions;
    store.cipher = fresh.cipher;
  }
  return aside;
}
