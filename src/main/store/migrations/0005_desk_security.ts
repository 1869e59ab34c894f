/** Shared-desk sign-in: personal PIN, lock-out after repeated failures, locked sessions. */
export const migration0005 = {
  id: 5,
  name: 'desk_security',
  sql: `
ALTER TABLE accounts ADD COLUMN pin_hash TEXT;
ALTER TABLE accounts ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until TEXT;
ALTER TABLE accounts ADD COLUMN last_password_login_at TEXT;
ALTER TABLE sessions ADD COLUMN locked_at TEXT;
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password' CHECK (method IN ('password', 'pin'));
`,
};
