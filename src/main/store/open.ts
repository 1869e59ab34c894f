/**
 * The one place that opens the site database: AEGIS-256 encryption with a raw 256-bit key (a
 * file of an earlier version is rewritten in it once, decision 031), then WAL, synchronous=FULL
 * and foreign keys, then the bundled migrations.
 * A wrong key or a database from a newer version fails loudly and leaves the file untouched.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { createPrivateFile, restrictDatabase } from './files';
import { CURRENT_CIPHER, isNotADatabase, useSiteKey, type SiteCipher } from './cipher';
import { migrateToCurrentCipher } from './cipher-migration';

export type StoreErrorCode = 'BAD_KEY_FORMAT' | 'WRONG_KEY' | 'NEWER_VERSION' | 'OLDER_VERSION' | 'MISSING' | 'ALREADY_EXISTS';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

export type Db = BetterSQLite3Database<typeof schema>;

export interface Store {
  /** The raw connection, for hot paths and pragmas. */
  sqlite: Database.Database;
  /** Drizzle over the same connection. */
  db: Db;
  file: string;
  /** Opened read-only (a worker's connection): no migration, no write, `query_only`. */
  readOnly: boolean;
  /**
   * The file's cipher (decision 031): the current one, unless an earlier version's file was
   * opened read-only or could not be rewritten yet; `plain` for the bench's unencrypted twin only.
   */
  cipher: SiteCipher | 'plain';
  /**
   * What a worker thread needs to open its own read-only connection to the same file. The key
   * lives in this closure only (never in the environment, never enumerable on the store).
   */
  readerOptions(): OpenOptions;
  close(): void;
}

export interface OpenOptions {
  file: string;
  /** 64 hexadecimal characters (256 bits). */
  keyHex: string;
  /** `create`: the file must not exist yet; `open`: it must exist. */
  mode: 'create' | 'open';
  /**
   * Read-only connection (worker threads, backup verification): `mode` must be `open`; the
   * schema must be exactly this build's (nothing is migrated), every write is refused.
   */
  readOnly?: boolean | undefined;
}

const KEY_PATTERN = /^[0-9a-fA-F]{64}$/;

/** Accepts the key as 64 hex characters or as a recovery key (groups separated by dashes or spaces). */
export function normaliseKey(input: string): string {
  return input.replace(/[\s-]/g, '').toLowerCase();
}

export function isValidKeyHex(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export function openStore(options: OpenOptions): Store {
  const { file, keyHex, mode } = options;
  const readOnly = options.readOnly === true;
  if (readOnly && mode !== 'open') throw new Error('A read-only connection opens an existing database only.');
  if (!isValidKeyHex(keyHex)) {
    throw new StoreError(
      'BAD_KEY_FORMAT',
      'La clé de la base doit compter exactement 64 caractères hexadécimaux (0-9, a-f).',
    );
  }
  const exists = existsSync(file);
  if (mode === 'open' && !exists) {
    throw new StoreError('MISSING', `Aucune base de données du site n’a été trouvée à l’emplacement ${file}. Initialisez le site d’abord (hub init).`);
  }
  if (mode === 'create' && exists) {
    throw new StoreError('ALREADY_EXISTS', `Une base de données existe déjà à l’emplacement ${file} : elle n’a pas été modifiée.`);
  }

  // Created empty with mode 0600 first: SQLite gives its -wal and -shm the database file's mode.
  if (mode === 'create') createPrivateFile(file);
  let sqlite = new Database(file, { fileMustExist: mode === 'open', readonly: readOnly });
  let cipher: SiteCipher;
  try {
    cipher = keyOrFail(sqlite, keyHex);
    if (cipher !== CURRENT_CIPHER && !readOnly) {
      // A file of an earlier version: rewritten once in the current cipher (crash-safe), then reopened.
      sqlite.close();
      try {
        migrateToCurrentCipher(file, keyHex);
      } catch {
        // Not rewritten (a full disk, say): the file is untouched and still opens in its earlier
        // cipher; the next start tries again, the support bundle shows it (`database.cipher`).
      }
      sqlite = new Database(file, { fileMustExist: true });
      cipher = keyOrFail(sqlite, keyHex);
    }
    if (readOnly) {
      // A reader of a WAL database sees the last committed state and never blocks the writer.
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('query_only = ON');
      sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      checkSchema(sqlite);
    } else {
      configureConnection(sqlite);
      // A base (or its -wal/-shm) left readable by others by an earlier version is closed at once.
      restrictDatabase(file);
      migrate(sqlite);
    }
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = drizzle(sqlite, { schema });
  const opened: OpenOptions = { file, keyHex, mode: 'open', readOnly: true };
  const connection = sqlite;
  return { sqlite, db, file, readOnly, cipher, readerOptions: () => ({ ...opened }), close: () => connection.close() };
}

/**
 * What every connection to a site database gets once its key is set. Exported so that the
 * bench's plain twin (encrypted ÷ plain) differs from the real store by the cipher only.
 */
export function configureConnection(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoint every 10 000 WAL frames (about 40 MB) instead of 1 000: the cipher works at the file
  // level, so a checkpoint decrypts each page from the WAL and encrypts it again into the
  // database; a page rewritten many times between checkpoints (indexes of the day, the change
  // counter) is copied once. On the desks' write mix this cuts the pages copied per page written
  // from 0.13 to 0.05, a fifth of all page encryptions (docs/performance.md). Same durability:
  // every commit is still synced to the WAL (synchronous=FULL).
  sqlite.pragma('wal_autocheckpoint = 10000');
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
}

/**
 * Page cache per connection. better-sqlite3 builds SQLite with 16 MiB per connection; the hub
 * holds two (desks, job worker) and a backup's copy and verification two more, each left
 * resident by the allocator once filled: 64 MiB of a hub that must stay under 150 MB
 * (issue 16). The desks' working set (the day's rows, the interior pages of the indexes, one
 * row per day for reports) fits in 4 MiB; what misses is read back from the OS cache and
 * decrypted (docs/performance.md measures it).
 */
export const PAGE_CACHE_KIB = 4096;

/** Sets the key; a key that does not open the file is a French WRONG_KEY, the file untouched. */
function keyOrFail(sqlite: Database.Database, keyHex: string): SiteCipher {
  try {
    return useSiteKey(sqlite, keyHex);
  } catch (err) {
    if (isNotADatabase(err)) {
      throw new StoreError(
        'WRONG_KEY',
        'La clé de chiffrement ne correspond pas à cette base de données : elle n’a pas été ouverte ni modifiée. ' +
          'Vérifiez la clé (variable ESC_DB_KEY ou fichier de clé) ou utilisez la clé de secours du site.',
      );
    }
    throw err;
  }
}

function newerVersion(applied: { id: number }[]): StoreError {
  return new StoreError(
    'NEWER_VERSION',
    'Cette base de données a été créée ou mise à jour par une version plus récente d’Accueil ESC ' +
      `(schéma ${Math.max(...applied.map((a) => a.id))}, cette version connaît le schéma ${SCHEMA_VERSION}). ` +
      'Elle n’a pas été ouverte : installez la dernière version de l’application.',
  );
}

/** Read-only: the migrations recorded must be exactly the ones this build knows. */
function checkSchema(sqlite: Database.Database): void {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__migrations__'").get();
  const applied = hasTable ? (sqlite.prepare('SELECT id, name FROM __migrations__ ORDER BY id').all() as { id: number; name: string }[]) : [];
  const known = new Map(MIGRATIONS.map((m) => [m.id, m.name]));
  if (applied.some((a) => known.get(a.id) !== a.name)) throw newerVersion(applied);
  if (applied.length !== MIGRATIONS.length) {
    throw new StoreError('OLDER_VERSION', 'Cette base de données n’est pas encore à jour pour cette version d’Accueil ESC : ouvrez-la d’abord avec l’application (hub ou poste) pour la mettre à jour.');
  }
}

/** Applies the bundled migrations not applied yet; refuses a database from a newer version. */
export function migrate(sqlite: Database.Database): void {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS __migrations__ (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = sqlite.prepare('SELECT id, name FROM __migrations__ ORDER BY id').all() as { id: number; name: string }[];
  const known = new Map(MIGRATIONS.map((m) => [m.id, m.name]));
  const unknown = applied.filter((a) => known.get(a.id) !== a.name);
  if (unknown.length > 0) throw newerVersion(applied);
  const done = new Set(applied.map((a) => a.id));
  const record = sqlite.prepare('INSERT INTO __migrations__ (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) continue;
    // PRAGMA foreign_keys is a no-op inside a transaction: it is switched around it.
    if (m.foreignKeysOff) sqlite.pragma('foreign_keys = OFF');
    try {
      sqlite.transaction(() => {
        sqlite.exec(m.sql);
        if (m.foreignKeysOff) {
          const broken = sqlite.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`Migration ${m.id} (${m.name}) would break ${broken.length} foreign key(s).`);
        }
        record.run(m.id, m.name, new Date().toISOString());
      })();
    } finally {
      if (m.foreignKeysOff) sqlite.pragma('foreign_keys = ON');
    }
  }
  sqlite.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** Reads a value of the `meta` table (site code, creation date…). */
export function readMeta(store: Store, key: string): string | undefined {
  const row = store.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeMeta(store: Store, key: string, value: string): void {
  store.sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
