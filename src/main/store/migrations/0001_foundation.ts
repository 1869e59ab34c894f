/** Foundation: site metadata, change counter, accounts, sessions, append-only audit, settings. */
import { SYNC_COLUMNS_SQL, syncTriggersSql } from './sync-columns';

export const migration0001 = {
  id: 1,
  name: 'foundation',
  sql: `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE change_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
) STRICT;
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent_accueil', 'professionnel', 'coordinateur', 'admin')),
  institution TEXT,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK (role <> 'professionnel' OR institution IS NOT NULL)
) STRICT;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT,
  actor_login TEXT,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  diff TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE site_settings (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  value TEXT NOT NULL,${SYNC_COLUMNS_SQL}
) STRICT;
${syncTriggersSql('site_settings')}
`,
};
