/**
 * Sign-in sessions on shared desks. The client holds a random bearer token; the store keeps only
 * its SHA-256, so a copy of the database cannot be used to impersonate anyone. A session lasts one
 * working day at most. After a full password sign-in on a given day, an agent can switch back
 * to the desk with a personal PIN; sessions lock on demand or after inactivity and unlock with
 * the PIN (administrators: password). Five failures in a row lock the account for 15 minutes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '../../../shared/api/errors';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import { localDay, localTime } from '../../../shared/time/paris';
import { accounts } from '../../store/schema';
import { recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

export const SESSION_HOURS = 12;
export const MAX_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;

export interface Session extends Actor {
  tokenHash: string;
  expiresAt: string;
  mustChangePassword: boolean;
  locked: boolean;
  hasPin: boolean;
}

const BAD_CREDENTIALS = 'Identifiant ou mot de passe incorrect.';

type AccountRow = typeof accounts.$inferSelect;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function assertNotLockedOut(ctx: CoreContext, row: AccountRow): void {
  if (row.lockedUntil && row.lockedUntil > nowIso(ctx)) {
    throw new AppError(
      'UNAUTHENTICATED',
      `Compte bloqué après plusieurs essais infructueux : réessayez à ${localTime(new Date(row.lockedUntil))} ou demandez à l’administration de réinitialiser le mot de passe.`,
    );
  }
}

/** Counts a failed attempt (outside any transaction that will roll back) and locks out at the limit. */
function recordFailure(ctx: CoreContext, row: AccountRow, what: string): never {
  const failures = row.failedAttempts + 1;
  if (failures >= MAX_FAILURES) {
    const until = new Date(ctx.clock.now().getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
    ctx.store.sqlite.transaction(() => {
      ctx.store.sqlite.prepare('UPDATE accounts SET failed_attempts = 0, locked_until = ? WHERE id = ?').run(until, row.id);
      recordAudit(ctx, { actor: { accountId: row.id, login: row.login }, action: 'account.lockedOut', entity: 'account', entityId: row.id, diff: { lockedUntil: { before: null, after: until } } });
    })();
    throw new AppError('UNAUTHENTICATED', `${what} Compte bloqué ${LOCKOUT_MINUTES} minutes après ${MAX_FAILURES} essais infructueux.`);
  }
  ctx.store.sqlite.prepare('UPDATE accounts SET failed_attempts = ? WHERE id = ?').run(failures, row.id);
  throw new AppError('UNAUTHENTICATED', what);
}

function accountByLogin(ctx: CoreContext, loginName: string): AccountRow | undefined {
  return ctx.store.db.select().from(accounts).where(eq(accounts.login, loginName.trim().toLowerCase())).get();
}

function openSession(ctx: CoreContext, row: AccountRow, method: 'password' | 'pin'): { token: string; session: Session } {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  const tokenHash = hashToken(token);
  ctx.store.sqlite.transaction(() => {
    ctx.store.sqlite
      .prepare('INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, method) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tokenHash, row.id, now.toISOString(), expiresAt, now.toISOString(), method);
    ctx.store.sqlite
      .prepare(
        `UPDATE accounts SET last_login_at = ?, failed_attempts = 0, locked_until = NULL${method === 'password' ? ', last_password_login_at = ?' : ''} WHERE id = ?`,
      )
      .run(...(method === 'password' ? [now.toISOString(), now.toISOString(), row.id] : [now.toISOString(), row.id]));
    recordAudit(ctx, { actor: { accountId: row.id, login: row.login }, action: method === 'pin' ? 'session.pinLogin' : 'session.login', entity: 'session', entityId: row.id, diff: {} });
  })();
  return {
    token,
    session: {
      accountId: row.id,
      login: row.login,
      displayName: row.displayName,
      role: row.role,
      institution: (row.institution as InstitutionCode | null) ?? null,
      tokenHash,
      expiresAt,
      mustChangePassword: row.mustChangePassword,
      locked: false,
      hasPin: row.pinHash !== null,
    },
  };
}

export async function login(ctx: CoreContext, loginName: string, password: string): Promise<{ token: string; session: Session }> {
  const row = accountByLogin(ctx, loginName);
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyPasswordHash()));
  if (!row) throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
  assertNotLockedOut(ctx, row);
  if (!ok) recordFailure(ctx, row, BAD_CREDENTIALS);
  if (row.disabled) {
    throw new AppError('UNAUTHENTICATED', 'Ce compte est désactivé. Adressez-vous à l’administration du site.');
  }
  return openSession(ctx, row, 'password');
}

/** Quick switch on a shared desk: the personal PIN, after a password sign-in the same day. */
export async function pinLogin(ctx: CoreContext, loginName: string, pin: string): Promise<{ token: string; session: Session }> {
  const row = accountByLogin(ctx, loginName);
  const ok = await verifyPassword(pin, row?.pinHash ?? (await dummyPasswordHash()));
  const refused = 'Identifiant ou code personnel incorrect.';
  if (!row) throw new AppError('UNAUTHENTICATED', refused);
  assertNotLockedOut(ctx, row);
  if (row.role === 'admin') throw new AppError('UNAUTHENTICATED', 'Les comptes d’administration se connectent avec leur mot de passe.');
  if (!row.pinHash) throw new AppError('UNAUTHENTICATED', 'Aucun code personnel n’est défini pour ce compte : connectez-vous avec votre mot de passe.');
  if (!row.lastPasswordLoginAt || localDay(new Date(row.lastPasswordLoginAt)) !== localDay(ctx.clock.now())) {
    throw new AppError('UNAUTHENTICATED', 'Connectez-vous d’abord avec votre mot de passe aujourd’hui ; le code personnel sert ensuite à changer de poste rapidement.');
  }
  if (!ok) recordFailure(ctx, row, refused);
  if (row.disabled) throw new AppError('UNAUTHENTICATED', 'Ce compte est désactivé. Adressez-vous à l’administration du site.');
  return openSession(ctx, row, 'pin');
}

interface SessionJoin {
  tokenHash: string;
  expiresAt: string;
  revokedAt: string | null;
  lockedAt: string | null;
  accountId: string;
  login: string;
  displayName: string;
  role: Session['role'];
  institution: InstitutionCode | null;
  disabled: number;
  mustChangePassword: number;
  hasPin: number;
}

/** The live session of a token, or null when unknown, expired, revoked or disabled. */
export function resolveSession(ctx: CoreContext, token: string): Session | null {
  const row = ctx.store.sqlite
    .prepare(
      `SELECT s.token_hash AS tokenHash, s.expires_at AS expiresAt, s.revoked_at AS revokedAt, s.locked_at AS lockedAt,
              a.id AS accountId, a.login, a.display_name AS displayName, a.role, a.institution,
              a.disabled, a.must_change_password AS mustChangePassword, a.pin_hash IS NOT NULL AS hasPin
       FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?`,
    )
    .get(hashToken(token)) as SessionJoin | undefined;
  if (!row || row.revokedAt || row.disabled || row.expiresAt <= nowIso(ctx)) return null;
  return {
    accountId: row.accountId,
    login: row.login,
    displayName: row.displayName,
    role: row.role,
    institution: row.institution,
    tokenHash: row.tokenHash,
    expiresAt: row.expiresAt,
    mustChangePassword: row.mustChangePassword === 1,
    locked: row.lockedAt !== null,
    hasPin: row.hasPin === 1,
  };
}

export function logout(ctx: CoreContext, session: Session): void {
  ctx.store.sqlite.transaction(() => {
    ctx.store.sqlite.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ?').run(nowIso(ctx), session.tokenHash);
    recordAudit(ctx, { actor: session, action: 'session.logout', entity: 'session', entityId: session.accountId, diff: {} });
  })();
}

/** Hides the desk: the session stays, but nothing is shown or allowed until it is unlocked. */
export function lockSession(ctx: CoreContext, session: Session): void {
  ctx.store.sqlite.prepare('UPDATE sessions SET locked_at = COALESCE(locked_at, ?) WHERE token_hash = ?').run(nowIso(ctx), session.tokenHash);
}

export async function unlockSession(ctx: CoreContext, session: Session, secret: { pin?: string | undefined; password?: string | undefined }): Promise<void> {
  const row = ctx.store.db.select().from(accounts).where(eq(accounts.id, session.accountId)).get();
  if (!row) throw new AppError('UNAUTHENTICATED');
  assertNotLockedOut(ctx, row);
  let ok = false;
  if (secret.password) ok = await verifyPassword(secret.password, row.passwordHash);
  else if (secret.pin && row.pinHash && row.role !== 'admin') ok = await verifyPassword(secret.pin, row.pinHash);
  else if (secret.pin) {
    throw new AppError('VALIDATION', row.role === 'admin' ? 'Les comptes d’administration se déverrouillent avec leur mot de passe.' : 'Aucun code personnel n’est défini : utilisez votre mot de passe.', [
      { path: 'pin', message: 'Utilisez le mot de passe.' },
    ]);
  }
  if (!ok) recordFailure(ctx, row, secret.password ? 'Mot de passe incorrect.' : 'Code personnel incorrect.');
  ctx.store.sqlite.transaction(() => {
    ctx.store.sqlite.prepare('UPDATE sessions SET locked_at = NULL WHERE token_hash = ?').run(session.tokenHash);
    ctx.store.sqlite.prepare('UPDATE accounts SET failed_attempts = 0 WHERE id = ?').run(row.id);
  })();
}

export async function setPin(ctx: CoreContext, session: Session, currentPassword: string, pin: string): Promise<void> {
  const row = ctx.store.db.select().from(accounts).where(eq(accounts.id, session.accountId)).get();
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (row.role === 'admin') throw new AppError('FORBIDDEN', 'Les comptes d’administration n’utilisent pas de code personnel.');
  if (!(await verifyPassword(currentPassword, row.passwordHash))) {
    throw new AppError('VALIDATION', 'Le mot de passe actuel est incorrect.', [{ path: 'currentPassword', message: 'Le mot de passe actuel est incorrect.' }]);
  }
  const pinHash = await hashPassword(pin);
  ctx.store.sqlite.transaction(() => {
    ctx.store.sqlite.prepare('UPDATE accounts SET pin_hash = ?, updated_at = ? WHERE id = ?').run(pinHash, nowIso(ctx), row.id);
    recordAudit(ctx, { actor: session, action: 'account.setPin', entity: 'account', entityId: row.id, diff: {} });
  })();
}

export async function changePassword(ctx: CoreContext, session: Session, current: string, next: string): Promise<void> {
  const row = ctx.store.db.select().from(accounts).where(eq(accounts.id, session.accountId)).get();
  if (!row || !(await verifyPassword(current, row.passwordHash))) {
    throw new AppError('VALIDATION', 'Le mot de passe actuel est incorrect.', [
      { path: 'currentPassword', message: 'Le mot de passe actuel est incorrect.' },
    ]);
  }
  if (current === next) {
    throw new AppError('VALIDATION', 'Le nouveau mot de passe doit être différent de l’actuel.', [
      { path: 'newPassword', message: 'Choisissez un mot de passe différent de l’actuel.' },
    ]);
  }
  const passwordHash = await hashPassword(next);
  ctx.store.sqlite.transaction(() => {
    const now = nowIso(ctx);
    ctx.store.sqlite
      .prepare('UPDATE accounts SET password_hash = ?, must_change_password = 0, updated_at = ?, version = version + 1 WHERE id = ?')
      .run(passwordHash, now, row.id);
    // Other sessions of this account end: a changed password must lock out whoever knew the old one.
    ctx.store.sqlite
      .prepare('UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND token_hash <> ? AND revoked_at IS NULL')
      .run(now, row.id, session.tokenHash);
    recordAudit(ctx, {
      actor: session,
      action: 'account.changePassword',
      entity: 'account',
      entityId: row.id,
      diff: row.mustChangePassword ? { mustChangePassword: { before: true, after: false } } : {},
    });
  })();
}
