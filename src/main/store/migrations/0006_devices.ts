/** LAN hub: paired devices (satellite desks and offices) and one-time pairing codes. Never synced. */
export const migration0006 = {
  id: 6,
  name: 'devices',
  sql: `
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  paired_at TEXT NOT NULL,
  paired_by TEXT REFERENCES accounts(id),
  last_seen_at TEXT,
  last_address TEXT,
  revoked_at TEXT
) STRICT;

CREATE TABLE pairing_codes (
  code_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_by TEXT REFERENCES accounts(id),
  used_at TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0
) STRICT;
`,
};
