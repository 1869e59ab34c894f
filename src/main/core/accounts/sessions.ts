/**
 * Sign-in sessions. The client holds a random bearer token; the store keeps only its SHA-256,
 * so a copy of the database cannot be used to impersonate anyone. A session lasts one working
 * day at most.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '../../../shared/api/errors';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import { accounts } from '../../store/schema';
import { recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

export const SESSION_HOURS = 12;

export interface Session extends Actor {
  tokenHash: string;
  expiresAt: string;
  mustChangePassword: boolean;
}

const BAD_CREDENTIALS = 'Identifiant ou mot de passe incorrect.';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function login(ctx: CoreContext, loginName: string, password: string): Promise<{ token: string; session: Session }> {
  const normalised = loginName.trim().toLowerCase();
  const row = ctx.store.db.select().from(accounts).where(eq(accounts.login, normalised)).get();
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyPasswordHash()));
  if (!row || !ok) throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
  if (row.disabled) {
    throw new AppError('UNAUTHENTICATED', 'Ce compte est désactivé. Adressez-vous à l’administration du site.');
  }
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  const tokenHash = hashToken(token);
  ctx.store.sqlite.transaction(() => {
    ctx.store.sqlite
      .prepare('INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
      .run(tokenHash, row.id, now.toISOString(), expiresAt, now.toISOString());
    ctx.store.sqlite.prepare('UPDATE accounts SET last_login_at = ? WHERE id = ?').run(now.toISOString(), row.id);
    recordAudit(ctx, { actor: { accountId: row.id, login: row.login }, action: 'session.login', entity: 'session', entityId: row.id, diff: {} });
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
    },
  };
}

interface SessionJoin {
  tokenHash: string;
  expiresAt: string;
  revokedAt: string | null;
  accountId: string;
  login: string;
  displayName: string;
  role: Session['role'];
  institution: InstitutionCode | null;
  disabled: number;
  mustChangePassword: number;
}

/** The live session of a token, or null when unknown, expired, revoked or disabled. */
export function resolveSession(ctx: CoreContext, token: string): Session | null {
  const row = ctx.store.sqlite
    .prepare(
      `SELECT s.token_hash AS tokenHash, s.expires_at AS expiresAt, s.revoked_at AS revokedAt,
              a.id AS accountId, a.login, a.display_name AS displayName, a.role, a.institution,
              a.disabled, a.must_change_password AS mustChangePassword
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
  };
}

export function logout(ctx: CoreContext, session: Session): void {
  ctx.store.sqlite.transaction(() => {
    ctx.store.sqlite.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ?').run(nowIso(ctx), session.tokenHash);
    recordAudit(ctx, { actor: session, action: 'session.logout', entity: 'session', entityId: session.accountId, diff: {} });
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
