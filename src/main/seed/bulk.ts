/**
 * Bulk loading with the change sequence stamped by hand instead of by trigger.
 *
 * Every synced table stamps `change_seq` from `change_counter` in an AFTER INSERT trigger
 * (`store/migrations/sync-columns.ts`). For millions of seeded rows that trigger (two UPDATEs per
 * insert) dominates the cost, so `withInsertTriggersSuspended` runs the loader in ONE transaction
 * that: saves the exact `CREATE TRIGGER <table>_seq_insert` text from sqlite_master, drops those
 * triggers, lets the loader insert rows with explicit increasing `change_seq` values taken from
 * `change_counter`, writes the counter back, and recreates the triggers from the saved text. If
 * anything throws, the transaction rolls back, DDL included: the schema is never left altered,
 * and no other connection can write in between (SQLite holds the write lock for the transaction).
 *
 * `withRollbackJournal` additionally switches the connection from WAL to a rollback journal for
 * the duration of the load when nobody else has the file open: appended pages are then written
 * (and encrypted) once, instead of once to the WAL and again at checkpoint, which halves the
 * cost of a multi-year seed. It is as crash-safe (synchronous=FULL, hot journal rolled back on
 * the next open) and `openStore` puts every database back in WAL mode when it opens it anyway.
 * If another connection holds the file (a hub serving it), the switch is refused at once and the
 * load simply runs in WAL mode.
 */
import type Database from 'better-sqlite3';

export interface SeqAllocator {
  /** The next change sequence number (the counter is written back at commit). */
  next(): number;
}

export function insertTriggerName(table: string): string {
  return `${table}_seq_insert`;
}

/** The stored SQL of a table's insert trigger, or null if it is missing. */
export function insertTriggerSql(sqlite: Database.Database, table: string): string | null {
  const row = sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(insertTriggerName(table)) as
    | { sql: string }
    | undefined;
  return row?.sql ?? null;
}

export function withInsertTriggersSuspended<T>(sqlite: Database.Database, tables: readonly string[], load: (seq: SeqAllocator) => T): T {
  return sqlite.transaction(() => {
    const saved = tables.map((table) => {
      const sql = insertTriggerSql(sqlite, table);
      if (!sql) throw new Error(`Trigger ${insertTriggerName(table)} is missing: refusing to bulk-load ${table}.`);
      return sql;
    });
    for (const table of tables) sqlite.exec(`DROP TRIGGER "${insertTriggerName(table)}"`);
    const counter = sqlite.prepare('SELECT value FROM change_counter WHERE id = 1').get() as { value: number };
    let value = counter.value;
    const result = load({ next: () => ++value });
    sqlite.prepare('UPDATE change_counter SET value = ? WHERE id = 1').run(value);
    for (const sql of saved) sqlite.exec(sql);
    return result;
  })();
}

export type JournalMode = 'wal' | 'delete';

export function withRollbackJournal<T>(sqlite: Database.Database, load: (mode: JournalMode) => T): T {
  const before = String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase();
  if (before !== 'wal') return load(before === 'delete' ? 'delete' : 'wal');
  const timeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  let switched = false;
  try {
    sqlite.pragma('busy_timeout = 0');
    switched = String(sqlite.pragma('journal_mode = DELETE', { simple: true })).toLowerCase() === 'delete';
  } catch {
    switched = false;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
  try {
    return load(switched ? 'delete' : 'wal');
  } finally {
    if (switched) sqlite.pragma('journal_mode = WAL');
  }
}

/**
 * Multi-row INSERT: rows are buffered and written `batchSize` at a time with one statement
 * (`INSERT … VALUES (…), (…), …`), which cuts the per-row overhead. A batch flushes the batches
 * it depends on (the tables its foreign keys point to) before itself; call `flush()` before the
 * transaction ends.
 */
export class BatchInsert {
  private readonly values: unknown[] = [];
  private rows = 0;
  private readonly statements = new Map<number, Database.Statement>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly head: string,
    private readonly row: string,
    private readonly batchSize = 64,
    private readonly dependsOn: readonly BatchInsert[] = [],
  ) {}

  push(...values: unknown[]): void {
    for (const v of values) this.values.push(v);
    this.rows += 1;
    if (this.rows === this.batchSize) this.flush();
  }

  flush(): void {
    if (this.rows === 0) return;
    for (const parent of this.dependsOn) parent.flush();
    let statement = this.statements.get(this.rows);
    if (!statement) {
      statement = this.sqlite.prepare(`${this.head} VALUES ${Array.from({ length: this.rows }, () => this.row).join(', ')}`);
      this.statements.set(this.rows, statement);
    }
    statement.run(this.values);
    this.values.length = 0;
    this.rows = 0;
  }
}
