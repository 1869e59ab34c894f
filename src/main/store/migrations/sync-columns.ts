/**
 * Sync-ready columns and triggers shared by every table that will be sent to the central
 * database: `site_id`, `updated_at`, `version` (optimistic concurrency and central version
 * check), `change_seq` (per-site monotonic change sequence, set by trigger so that no code path
 * can forget it) and `deleted_at` (tombstone instead of DELETE).
 */
export const SYNC_COLUMNS_SQL = `
  site_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  change_seq INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT`;

/** Triggers that stamp `change_seq` on insert and on every update, and forbid hard deletes. */
export function syncTriggersSql(table: string): string {
  return `
CREATE INDEX ${table}_change_seq ON ${table}(change_seq);
CREATE TRIGGER ${table}_seq_insert AFTER INSERT ON ${table}
BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  UPDATE ${table} SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER ${table}_seq_update AFTER UPDATE ON ${table}
WHEN NEW.change_seq = OLD.change_seq
BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  UPDATE ${table} SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN
  SELECT RAISE(ABORT, 'rows of ${table} are tombstoned, never deleted');
END;`;
}
