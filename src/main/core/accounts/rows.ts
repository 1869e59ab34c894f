/**
 * The account row as the accounts core reads and writes it (decision 017). Statements select
 * every column aliased to the schema's property names (`SELECT_ACCOUNT`), so a stored row is
 * `Columns<typeof accounts>`; the core then works on drizzle's view of the row, where the two
 * flags are booleans (the API, the sessions and the audit diff show `true`/`false`, never 0/1),
 * converted exactly as drizzle's boolean columns do.
 */
import type { accounts } from '../../store/schema';
import type { Columns } from '../../store/sql';

/** An account as the core works on it: flags as booleans. */
export type AccountRow = typeof accounts.$inferSelect;

/** An account as SQLite returns it: flags as the integers stored. */
export type StoredAccount = Columns<typeof accounts>;

/** Every column of `accounts`, aliased to the schema's property names; append a WHERE clause. */
export const SELECT_ACCOUNT = `SELECT id, site_id AS siteId, login, display_name AS displayName, role, institution,
       password_hash AS passwordHash, must_change_password AS mustChangePassword, disabled,
       created_at AS createdAt, updated_at AS updatedAt, last_login_at AS lastLoginAt, version,
       pin_hash AS pinHash, failed_attempts AS failedAttempts, locked_until AS lockedUntil,
       last_password_login_at AS lastPasswordLoginAt
FROM accounts`;

/** A stored row as the core works on it (1 is true, anything else false, as drizzle reads it). */
export function fromStored(row: StoredAccount): AccountRow {
  return { ...row, mustChangePassword: row.mustChangePassword === 1, disabled: row.disabled === 1 };
}

/** A row as it is stored (true is 1, false 0, as drizzle writes it). */
export function toStored(row: AccountRow): StoredAccount {
  return { ...row, mustChangePassword: row.mustChangePassword ? 1 : 0, disabled: row.disabled ? 1 : 0 };
}
