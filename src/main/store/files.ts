/**
 * Modes of what the app writes to disk (decision 009): files readable by the app's own account
 * only (0600), folders it creates closed to others (0700), whatever the umask. Modes are set
 * explicitly after creation (chmod ignores the umask); folders that already existed are left as
 * the operator made them.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** `mkdir -p`, every folder it creates being 0700. */
export function makePrivateDir(dir: string): void {
  const target = resolve(dir);
  const first = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // chmod each created folder, from the first one down to the target.
  let path = resolve(first);
  chmodSync(path, PRIVATE_DIR_MODE);
  for (const part of relative(path, target).split(sep).filter(Boolean)) {
    path = resolve(path, part);
    chmodSync(path, PRIVATE_DIR_MODE);
  }
}

/** Sets a file that exists to 0600 (no-op if it does not). */
export function restrictFile(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Creates an empty file, 0600, that must not exist yet (its parent folder is made private if created). */
export function createPrivateFile(file: string): void {
  if (!existsSync(dirname(file))) makePrivateDir(dirname(file));
  closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** The database file and the files SQLite keeps beside it. */
export function restrictDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) restrictFile(f);
}

/**
 * Copies `src` to a new file `dst` created 0600 (fs.copyFile would give it the source's mode,
 * and a backup copied by hand may be readable by others).
 */
export function copyPrivate(src: string, dst: string): void {
  createPrivateFile(dst);
  const from = openSync(src, 'r');
  const to = openSync(dst, 'r+');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    let read: number;
    while ((read = readSync(from, buffer, 0, buffer.length, null)) > 0) writeSync(to, buffer, 0, read);
  } finally {
    closeSync(from);
    closeSync(to);
  }
}
