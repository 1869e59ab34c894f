/** The shared first-reception queue: one row per passage, one history row per action. */
import { SYNC_COLUMNS_SQL, syncTriggersSql } from './sync-columns';

export const migration0002 = {
  id: 2,
  name: 'queue',
  sql: `
CREATE TABLE queue_entries (
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
  state TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'in_progress', 'done', 'no_show', 'left', 'cancelled', 'closed')),
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
CREATE INDEX queue_entries_day_state ON queue_entries(day, state);
${syncTriggersSql('queue_entries')}

CREATE TABLE queue_events (
  id TEXT PRIMARY KEY,
  entry_id TEXT NOT NULL REFERENCES queue_entries(id),
  day TEXT NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_id TEXT REFERENCES accounts(id),
  service_from TEXT,
  service_to TEXT,
  destination TEXT,
  reason TEXT
) STRICT;
CREATE INDEX queue_events_entry ON queue_events(entry_id);
CREATE INDEX queue_events_day_action ON queue_events(day, action, at);
`,
};
