/**
 * A ticket handed over to another institution ends in its own state, `handed_over`
 * (docs/decisions/018). SQLite cannot change a CHECK constraint in place, so the table is rebuilt
 * the documented way (create, copy, drop, rename, then indexes and triggers again) with foreign
 * keys off for this migration only; the runner checks every foreign key before committing.
 * `change_seq` values are copied as they are: nothing is re-sent to the central database.
 */
import { SYNC_COLUMNS_SQL, syncTriggersSql } from './sync-columns';

export const migration0009 = {
  id: 9,
  name: 'queue_handed_over',
  foreignKeysOff: true,
  sql: `
CREATE TABLE queue_entries_new (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  ticket TEXT NOT NULL,
  ticket_number INTEGER NOT NULL,
  service_code TEXT NOT NULL,
  original_service_code TEXT NOT NULL,
  purpose TEXT,
  first_name TEXT,
  appointment_at TEXT,
  appointment_with_account_id TEXT REFERENCES accounts(id),
  priority_reasons TEXT NOT NULL DEFAULT '[]',
  needs TEXT NOT NULL DEFAULT '[]',
  state TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'in_progress', 'done', 'handed_over', 'no_show', 'left', 'cancelled', 'closed')),
  arrived_at TEXT NOT NULL,
  first_called_at TEXT,
  last_called_at TEXT,
  call_count INTEGER NOT NULL DEFAULT 0,
  called_to TEXT,
  called_by TEXT REFERENCES accounts(id),
  started_at TEXT,
  served_by TEXT REFERENCES accounts(id),
  finished_at TEXT,
  ended_at TEXT,
  outside_hours INTEGER NOT NULL DEFAULT 0,
  sort_override TEXT,
  registered_by TEXT REFERENCES accounts(id),${SYNC_COLUMNS_SQL},
  UNIQUE (site_id, day, ticket)
) STRICT;
INSERT INTO queue_entries_new SELECT id, day, ticket, ticket_number, service_code, original_service_code, purpose, first_name,
  appointment_at, appointment_with_account_id, priority_reasons, needs, state, arrived_at, first_called_at, last_called_at,
  call_count, called_to, called_by, started_at, served_by, finished_at, ended_at, outside_hours, sort_override, registered_by,
  site_id, updated_at, version, change_seq, deleted_at
  FROM queue_entries;
DROP TABLE queue_entries;
ALTER TABLE queue_entries_new RENAME TO queue_entries;
CREATE INDEX queue_entries_day_state ON queue_entries(day, state);
-- Housekeeping's partial indexes (migration 7) went with the old table.
CREATE INDEX queue_entries_first_name_day ON queue_entries(day) WHERE first_name IS NOT NULL;
CREATE INDEX queue_entries_open_day ON queue_entries(day) WHERE state IN ('waiting', 'called');
${syncTriggersSql('queue_entries')}

-- The board shows the outcome of the hand-over made from a ticket.
CREATE INDEX handoffs_queue_entry ON handoffs(queue_entry_id) WHERE queue_entry_id IS NOT NULL;
`,
};
