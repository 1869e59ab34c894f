/**
 * The portal's own accounts (decision 023): APRAS analysts, GTESC members and IT, in the central
 * database (`esc.portal_accounts`), never the sites' accounts. Same rules as site accounts:
 * scrypt hashes (src/main/core/accounts/passwords.ts), passwords of 10 to 200 characters, lock-out
 * for 15 minutes after 5 failed attempts counted atomically in PostgreSQL, and one message for
 * every failed sign-in (unknown login, wrong password, locked or disabled account), so that the
 * page never tells which logins exist. Every sign-in, failure, lock-out and sign-out is journaled.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../../core/accounts/passwords';
import { zPassword } from '../../../shared/api/methods/session';

export const PORTAL_ROLES = ['apras', 'gtesc', 'it'] as const;
export type PortalRole = (typeof PORTAL_ROLES)[number];
export const PORTAL_ROLE_LABELS: Record<PortalRole, string> = {
  apras: 'Analyste APRAS',
  gtesc: 'Membre du GTESC',
  it: 'Service informatique',
};

export const MAX_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;
export const SIGN_IN_FAILED = 'Identifiant ou mot de passe incorrect, ou compte bloqué après plusieurs essais (15 minutes). En cas de doute, adressez-vous au service informatique.';

export const zLogin = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, { message: 'Identifiant : lettres minuscules, chiffres, point, tiret ou souligné (2 à 63 caractères).' });

export const zNewAccount = z.strictObject({
  login: zLogin,
  displayName: z.string().trim().min(1, { message: 'Indiquez le nom affiché.' }).max(120),
  role: z.enum(PORTAL_ROLES, { message: 'Rôle : apras, gtesc ou it.' }),
  password: zPassword,
});

export interface PortalAccount {
  id: string;
  login: string;
  displayName: string;
  role: PortalRole;
}

type Db = Pick<pg.Pool, 'query'> | Pick<pg.Client, 'query'>;

export async function journal(db: Db, login: string | null, action: string, ok: boolean, detail: string | null = null): Promise<void> {
  await db.query('INSERT INTO esc.portal_audit (login, action, ok, detail) VALUES ($1, $2, $3, $4)', [login, action, ok, detail]);
}

/** Creates an account, or sets a new password, name and role for an existing one (and unlocks it). */
export async function upsertPortalAccount(db: Db, input: z.input<typeof zNewAccount>): Promise<{ account: PortalAccount; created: boolean }> {
  const a = zNewAccount.parse(input);
  const hash = await hashPassword(a.password);
  const r = await db.query<{ id: string; created: boolean }>(
    `INSERT INTO esc.portal_accounts (id, login, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (login) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash,
       failed_attempts = 0, locked_until = NULL, active = true, password_changed_at = now()
     RETURNING id, (xmax = 0) AS created`,
    [randomUUID(), a.login, a.displayName, a.role, hash],
  );
  const row = r.rows[0]!;
  await journal(db, a.login, row.created ? 'account.create' : 'account.reset', true, a.role);
  return { account: { id: row.id, login: a.login, displayName: a.displayName, role: a.role }, created: row.created };
}

export async function disablePortalAccount(db: Db, login: string): Promise<boolean> {
  const r = await db.query('UPDATE esc.portal_accounts SET active = false WHERE login = $1', [zLogin.parse(login)]);
  await journal(db, login, 'account.disable', (r.rowCount ?? 0) > 0);
  return (r.rowCount ?? 0) > 0;
}

export class SignInError extends Error {}

/** Checks a password; a failure is counted atomically and locks the account at the limit. */
export async function signIn(db: Db, loginInput: string, password: string): Promise<PortalAccount> {
  const parsed = zLogin.safeParse(loginInput);
  const login = parsed.success ? parsed.data : null;
  const row = login
    ? (
        await db.query<{ id: string; login: string; display_name: string; role: PortalRole; password_hash: string; locked: boolean; active: boolean }>(
          `SELECT id, login, display_name, role, password_hash, coalesce(locked_until > now(), false) AS locked, active FROM esc.portal_accounts WHERE login = $1`,
          [login],
        )
      ).rows[0]
    : undefined;
  // Always pay the scrypt cost, so that timing does not tell which logins exist.
  const ok = await verifyPassword(password.slice(0, 200), row?.password_hash ?? (await dummyPasswordHash()));
  if (!row) {
    await journal(db, login, 'signin', false, 'inconnu');
    throw new SignInError(SIGN_IN_FAILED);
  }
  if (row.locked || !row.active) {
    await journal(db, row.login, 'signin', false, row.locked ? 'bloqué' : 'désactivé');
    throw new SignInError(SIGN_IN_FAILED);
  }
  if (!ok) {
    // One statement: concurrent failures all count, and the fifth locks.
    const r = await db.query<{ locked: boolean }>(
      `UPDATE esc.portal_accounts SET
         failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
         locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
       WHERE id = $1 RETURNING locked_until > now() AS locked`,
      [row.id, MAX_FAILURES, LOCKOUT_MINUTES],
    );
    await journal(db, row.login, r.rows[0]?.locked ? 'lockout' : 'signin', false, r.rows[0]?.locked ? `${MAX_FAILURES} essais` : 'mot de passe');
    throw new SignInError(SIGN_IN_FAILED);
  }
  await db.query('UPDATE esc.portal_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [row.id]);
  if (needsRehash(row.password_hash)) {
    // A hash made with older parameters is replaced now that the password is known right (decision 028);
    // compare-and-set, so a password changed meanwhile is never overwritten.
    const upgraded = await hashPassword(password.slice(0, 200));
    await db.query('UPDATE esc.portal_accounts SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [row.id, upgraded, row.password_hash]);
  }
  await journal(db, row.login, 'signin', true);
  return { id: row.id, login: row.login, displayName: row.display_name, role: row.role };
}
