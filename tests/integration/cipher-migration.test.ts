/**
 * Decision 031: the site database is in AEGIS-256; a base or a backup written by an earlier
 * version (SQLCipher 4) still opens with the site key, and the app rewrites it once in the
 * current cipher, keeping every committed row (those still in the WAL after a crash too), never
 * touching a file the key does not open, and never leaving a half-rewritten file behind.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, readMeta, StoreError } from '../../src/main/store/open';
import { backupNow, listBackups, restoreBackup, verifyBackup } from '../../src/main/store/backup';
import { setupSite } from '../../src/main/core/site/setup';
import { systemClock } from '../../src/main/core/context';
import { verifyPassword } from '../../src/main/core/accounts/passwords';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'esc-cipher-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Cipher = 'aegis-256' | 'sqlcipher-4';

function keyed(file: string, keyHex: string, cipher: Cipher, readonly = false): Database.Database {
  const db = new Database(file, { fileMustExist: true, readonly });
  if (cipher === 'aegis-256') {
    db.pragma("cipher = 'aegis'");
    db.pragma("algorithm = 'aegis-256'");
  } else {
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
  }
  db.pragma(`key = "x'${keyHex}'"`);
  return db;
}

/** Whether the file reads with this key in this cipher, as another program would open it. */
function readsAs(file: string, keyHex: string, cipher: Cipher): boolean {
  const db = keyed(file, keyHex, cipher, true);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** A site as an earlier version left it: the same schema and rows, in SQLCipher 4. */
async function legacySite() {
  const dir = temp();
  const file = join(dir, 'accueil-esc.db');
  const key = randomBytes(32).toString('hex');
  const store = openStore({ file, keyHex: key, mode: 'create' });
  await setupSite(store, { siteCode: 'IFF', admin: { login: 'admin.iff', displayName: 'Admin', password: 'admin-password-1' } }, systemClock);
  store.close();
  const db = keyed(file, key, 'aegis-256');
  db.pragma('journal_mode = DELETE');
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`rekey = "x'${key}'"`);
  db.pragma('journal_mode = WAL');
  db.close();
  expect(readsAs(file, key, 'sqlcipher-4')).toBe(true);
  expect(readsAs(file, key, 'aegis-256')).toBe(false);
  return { dir, file, key };
}

const metaOf = (file: string, key: string, cipher: Cipher, name: string): string | undefined => {
  const db = keyed(file, key, cipher, true);
  try {
    return (db.prepare('SELECT value FROM meta WHERE key = ?').get(name) as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
};

describe('a site database of an earlier version (SQLCipher 4)', () => {
  it('opens with the site key and is rewritten once in AEGIS-256, rows and accounts intact', async () => {
    const s = await legacySite();
    const store = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(store.cipher).toBe('aegis-256');
    expect(readMeta(store, 'site_code')).toBe('IFF');
    const admin = store.sqlite.prepare("SELECT password_hash AS hash FROM accounts WHERE login = 'admin.iff'").get() as { hash: string };
    expect(await verifyPassword('admin-password-1', admin.hash)).toBe(true);
    // The app keeps working on it: a write, read back after a reopen.
    store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('test.after', 'écrit après')").run();
    store.close();
    expect(readsAs(s.file, s.key, 'aegis-256')).toBe(true);
    expect(readsAs(s.file, s.key, 'sqlcipher-4')).toBe(false);
    expect(metaOf(s.file, s.key, 'aegis-256', 'test.after')).toBe('écrit après');
    // Nothing left beside it: no partial copy, no journal.
    expect(readdirSync(s.dir).filter((f) => f.includes('migration') || f.endsWith('-journal'))).toEqual([]);
    const again = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(again.cipher).toBe('aegis-256');
    again.close();
  });

  it('keeps the rows a crash left in the WAL only', async () => {
    const s = await legacySite();
    const writer = keyed(s.file, s.key, 'sqlcipher-4');
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 200; i++) writer.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`test.wal.${i}`, `valeur ${i}`);
    // The state a power cut leaves: the file and a WAL holding committed transactions.
    const crashed = join(temp(), 'accueil-esc.db');
    copyFileSync(s.file, crashed);
    copyFileSync(`${s.file}-wal`, `${crashed}-wal`);
    writer.close();
    expect(readFileSync(`${crashed}-wal`).length).toBeGreaterThan(100_000);

    const store = openStore({ file: crashed, keyHex: s.key, mode: 'open' });
    expect(store.cipher).toBe('aegis-256');
    expect(store.sqlite.prepare("SELECT count(*) AS n FROM meta WHERE key LIKE 'test.wal.%'").get()).toEqual({ n: 200 });
    expect(readMeta(store, 'test.wal.199')).toBe('valeur 199');
    store.close();
    expect(readsAs(crashed, s.key, 'aegis-256')).toBe(true);
  });

  it('refuses a wrong key and leaves the file byte for byte as it was', async () => {
    const s = await legacySite();
    const before = readFileSync(s.file);
    const wrong = randomBytes(32).toString('hex');
    let error: unknown;
    try {
      openStore({ file: s.file, keyHex: wrong, mode: 'open' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('WRONG_KEY');
    expect((error as StoreError).message).toContain('La clé de chiffrement ne correspond pas');
    expect(readFileSync(s.file).equals(before)).toBe(true);
    // No copy was started (SQLite itself may leave an empty WAL beside a WAL-mode file).
    expect(readdirSync(s.dir).filter((f) => f !== 'accueil-esc.db-shm' && !(f === 'accueil-esc.db-wal' && readFileSync(join(s.dir, f)).length === 0))).toEqual(['accueil-esc.db']);
  });

  it('survives a rewrite interrupted before its rename: the original is used, the partial copy replaced', async () => {
    const s = await legacySite();
    // What a kill in the middle of the rewrite leaves: a partial copy and its journal.
    writeFileSync(`${s.file}.migration`, randomBytes(64 * 1024));
    writeFileSync(`${s.file}.migration-journal`, randomBytes(4096));
    const store = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(store.cipher).toBe('aegis-256');
    expect(readMeta(store, 'site_code')).toBe('IFF');
    store.close();
    expect(readdirSync(s.dir).filter((f) => f.includes('migration'))).toEqual([]);
  });

  it('keeps working in the earlier cipher when the rewrite cannot be made, and rewrites at the next start', async () => {
    const s = await legacySite();
    // Something in the way of the copy (as a full disk would be): the rewrite fails.
    mkdirSync(`${s.file}.migration`);
    const store = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(store.cipher).toBe('sqlcipher-4');
    expect(readMeta(store, 'site_code')).toBe('IFF');
    store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('test.kept', 'gardé')").run();
    store.close();
    expect(readsAs(s.file, s.key, 'sqlcipher-4')).toBe(true);
    rmSync(`${s.file}.migration`, { recursive: true });
    const later = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(later.cipher).toBe('aegis-256');
    expect(readMeta(later, 'test.kept')).toBe('gardé');
    later.close();
  });

  it('waits for the next start while another connection holds the WAL, and works meanwhile', async () => {
    const s = await legacySite();
    const reader = keyed(s.file, s.key, 'sqlcipher-4', true);
    const writer = keyed(s.file, s.key, 'sqlcipher-4');
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("INSERT INTO meta (key, value) VALUES ('test.before', 'avant')").run();
    // A reader in the middle of a read transaction: the WAL cannot be folded into the file.
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM meta').get();
    writer.prepare("INSERT INTO meta (key, value) VALUES ('test.busy', 'occupé')").run();
    writer.close();

    const store = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(store.cipher).toBe('sqlcipher-4');
    expect(readMeta(store, 'test.busy')).toBe('occupé');
    store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('test.meanwhile', 'entre-temps')").run();
    store.close();
    reader.prepare('COMMIT').run();
    reader.close();

    const later = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(later.cipher).toBe('aegis-256');
    expect(readMeta(later, 'test.meanwhile')).toBe('entre-temps');
    later.close();
  });
});

describe('backups and the cipher', () => {
  it('writes backups in AEGIS-256, and restores a SQLCipher 4 backup of an earlier version', async () => {
    const s = await legacySite();
    // A backup taken by the earlier version: a copy of its file.
    const old = join(temp(), 'accueil-esc-20261101-180000.db');
    copyFileSync(s.file, old);
    verifyBackup(old, s.key);
    expect(() => verifyBackup(old, randomBytes(32).toString('hex'))).toThrow(/ne s’ouvre pas avec la clé du site/);

    const store = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('test.since', 'depuis')").run();
    const dir = temp();
    const made = backupNow(store, s.key, dir, 3, new Date(Date.UTC(2026, 11, 4, 18)));
    store.close();
    const backup = join(dir, made.name);
    expect(readsAs(backup, s.key, 'aegis-256')).toBe(true);
    expect(readsAs(backup, s.key, 'sqlcipher-4')).toBe(false);
    expect(metaOf(backup, s.key, 'aegis-256', 'test.since')).toBe('depuis');
    expect(listBackups(dir)).toHaveLength(1);

    // Restoring the earlier version's backup: its data, in the current cipher; the base replaced kept aside.
    const aside = restoreBackup(s.file, old, s.key, new Date(Date.UTC(2026, 11, 4, 19)));
    expect(existsSync(aside)).toBe(true);
    expect(readsAs(aside, s.key, 'aegis-256')).toBe(true);
    const restored = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(restored.cipher).toBe('aegis-256');
    expect(readMeta(restored, 'site_code')).toBe('IFF');
    expect(readMeta(restored, 'test.since')).toBeUndefined();
    restored.close();
    expect(readsAs(s.file, s.key, 'aegis-256')).toBe(true);
    // The backup itself is left as it was.
    expect(readsAs(old, s.key, 'sqlcipher-4')).toBe(true);
  });
});
