/**
 * Rewrites a site database written in an earlier cipher (SQLCipher 4) in the current one
 * (AEGIS-256, decision 031), under the same key, once, when the app opens it for writing.
 *
 * Crash-safe by construction: the WAL is folded into the file, the file is copied, the copy is
 * re-encrypted and checked, and only then renamed over the original (one atomic rename, synced).
 * A crash before the rename leaves the original untouched (the partial copy is removed at the
 * next attempt); after it, the file is whole in the new cipher. If another connection holds the
 * WAL, nothing is done and the file keeps being read in its earlier cipher until the next start.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CURRENT_CIPHER, rewriteInCurrentCipher, useSiteKey, type SiteCipher } from './cipher';
import { copyPrivate } from './files';

const sidecars = (file: string) => [file, `${file}-journal`, `${file}-wal`, `${file}-shm`];

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * `file` must open with `keyHex`. Returns without change when it is already in the current cipher
 * or another connection holds its WAL; the caller reopens it and sees which cipher it is in.
 */
export function migrateToCurrentCipher(file: string, keyHex: string): void {
  // 1. The file alone must hold the database: fold the WAL into it.
  const source = new Database(file, { fileMustExist: true });
  let from: SiteCipher;
  try {
    from = useSiteKey(source, keyHex);
    if (from === CURRENT_CIPHER) return;
    const [result] = source.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result !== undefined && result.busy !== 0) return;
  } finally {
    source.close();
  }
  if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) return;

  // 2. A copy, re-encrypted page by page in one transaction (rollback journal, synced).
  const work = `${file}.migration`;
  for (const f of sidecars(work)) rmSync(f, { force: true });
  copyPrivate(file, work);
  try {
    const db = new Database(work, { fileMustExist: true });
    try {
      if (useSiteKey(db, keyHex) !== from) throw new Error('The copy does not read as its original.');
      db.pragma('journal_mode = DELETE');
      db.pragma('synchronous = FULL');
      rewriteInCurrentCipher(db, keyHex);
    } finally {
      db.close();
    }
    // 3. The copy must read whole in the current cipher before it replaces anything.
    const check = new Database(work, { readonly: true, fileMustExist: true });
    try {
      if (useSiteKey(check, keyHex) !== CURRENT_CIPHER) throw new Error('The rewritten copy is not in the current cipher.');
      const ok = check.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new Error(`The rewritten copy fails its check: ${String(ok)}`);
    } finally {
      check.close();
    }
    fsyncPath(work);
    // 4. One atomic rename; the folder is synced so that the rename survives a power cut.
    for (const f of sidecars(file).slice(1)) rmSync(f, { force: true });
    renameSync(work, file);
    fsyncPath(dirname(file));
  } finally {
    for (const f of sidecars(work)) rmSync(f, { force: true });
  }
}
