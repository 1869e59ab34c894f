/**
 * Sign-in sessions on shared desks. The client holds a random bearer token; the store keeps only
 * its SHA-256, so a copy of the database cannot be used to impersonate anyone. A session lasts one
 * working day at most. After a full password sign-in on a given day, an agent can switch back
 * to the desk with a personal PIN; sessions lock on demand or after inactivity and unlock with
 * the PIN (administrators: password). Five failures in a row lock the account for 15 minutes;
 * attempts are counted before their secret is checked, so parallel attempts cannot escape the count
 * (decision 011). Every refused sign-in gets the same message and the same scrypt cost.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import { localDay, localTime } from '../../../shared/time/paris';
import type { accounts, sessions } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import { fromStored, SELECT_ACCOUNT, type AccountRow, type StoredAccount } from './rows';
import { assertStrongPassword } from './strength';
import { pinWeakness } from '../../../shared/accounts/secrets';

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

/**
 * The one answer to every refused sign-in (unknown login, wrong secret, administrator asking for a
 * PIN, no PIN, no password sign-in today, lock-out, locked account): it never tells which.
 */
export const SIGN_IN_REFUSED = `Identifiant ou mot de passe incorrect. Après ${MAX_FAILURES} essais infructueux, le compte est bloqué ${LOCKOUT_MINUTES} minutes.`;
export const PIN_SIGN_IN_REFUSED =
  `Identifiant ou code personnel incorrect. Le code personnel ne sert qu’après une connexion par mot de passe le jour même ; ` +
  `après ${MAX_FAILURES} essais infructueux, le compte est bloqué ${LOCKOUT_MINUTES} minutes.`;
const DISABLED = 'Ce compte est désactivé. Adressez-vous à l’administration du site.';

type SessionJoin = Pick<Columns<typeof sessions>, 'tokenHash' | 'expiresAt' | 'revokedAt' | 'lockedAt' | 'accountId'> &
  Pick<Columns<typeof accounts>, 'login' | 'displayName' | 'role' | 'institution' | 'disabled' | 'mustChangePassword'> & { hasPin: number };

const q = {
  byId: sql<{ id: string }, StoredAccount>(`${SELECT_ACCOUNT} WHERE id = @id`),
  byLogin: sql<{ login: string }, StoredAccount>(`${SELECT_ACCOUNT} WHERE login = @login`),
  lockedUntil: sql<{ id: string }, Pick<Columns<typeof accounts>, 'lockedUntil'>>('SELECT locked_until AS lockedUntil FROM accounts WHERE id = @id'),
  claimAttempt: sql<{ id: string; max: number; now: string }>(
    'UPDATE accounts SET failed_attempts = failed_attempts + 1 WHERE id = @id AND failed_attempts < @max AND (locked_until IS NULL OR locked_until <= @now)',
  ),
  lockOut: sql<{ id: string; until: string; max: number }>('UPDATE accounts SET failed_attempts = 0, locked_until = @until WHERE id = @id AND failed_attempts >= @max'),
  settleSuccess: sql<{ id: string; now: string }>(
    'UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)',
  ),
  openSession: sql<Pick<Columns<typeof sessions>, 'tokenHash' | 'accountId' | 'createdAt' | 'expiresAt' | 'lastSeenAt' | 'method'>>(
    `INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, method)
     VALUES (@tokenHash, @accountId, @createdAt, @expiresAt, @lastSeenAt, @method)`,
  ),
  passwordLogin: sql<{ id: string; now: string }>('UPDATE accounts SET last_login_at = @now, last_password_login_at = @now WHERE id = @id'),
  pinLogin: sql<{ id: string; now: string }>('UPDATE accounts SET last_login_at = @now WHERE id = @id'),
  session: sql<{ tokenHash: string }, SessionJoin>(
    `SELECT s.token_hash AS tokenHash, s.expires_at AS expiresAt, s.revoked_at AS revokedAt, s.locked_at AS lockedAt,
            a.id AS accountId, a.login, a.display_name AS displayName, a.role, a.institution,
            a.disabled, a.must_change_password AS mustChangePassword, a.pin_hash IS NOT NULL AS hasPin
     FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = @tokenHash`,
  ),
  revoke: sql<{ tokenHash: string; now: string }>('UPDATE sessions SET revoked_at = @now WHERE token_hash = @tokenHash'),
  revokeAll: sql<{ now: string }>('UPDATE sessions SET revoked_at = @now WHERE revoked_at IS NULL'),
  lock: sql<{ tokenHash: string; now: string }>('UPDATE sessions SET locked_at = COALESCE(locked_at, @now) WHERE token_hash = @tokenHash'),
  unlock: sql<{ tokenHash: string }>('UPDATE sessions SET locked_at = NULL WHERE token_hash = @tokenHash'),
  setPin: sql<{ id: string; pinHash: string; now: string }>('UPDATE accounts SET pin_hash = @pinHash, updated_at = @now WHERE id = @id'),
  changePassword: sql<{ id: string; passwordHash: string; now: string }>(
    'UPDATE accounts SET password_hash = @passwordHash, must_change_password = 0, updated_at = @now, version = version + 1 WHERE id = @id',
  ),
  // Compare-and-set: a hash changed meanwhile (new password, new PIN) is never overwritten by the upgrade of the old one.
  rehashPassword: sql<{ id: string; before: string; after: string }>('UPDATE accounts SET password_hash = @after WHERE id = @id AND password_hash = @before'),
  rehashPin: sql<{ id: string; before: string; after: string }>('UPDATE accounts SET pin_hash = @after WHERE id = @id AND pin_hash = @before'),
  revokeOthers: sql<{ accountId: string; tokenHash: string; now: string }>(
    'UPDATE sessions SET revoked_at = @now WHERE account_id = @accountId AND token_hash <> @tokenHash AND revoked_at IS NULL',
  ),
};

/** The account of an id, as the core works on it. */
function accountById(ctx: CoreContext, id: string): AccountRow | undefined {
  const row = q.byId.get(ctx.store, { id });
  return row && fromStored(row);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function lockedMessage(lockedUntil: string): string {
  return `Compte bloqué après plusieurs essais infructueux : réessayez à ${localTime(new Date(lockedUntil))} ou demandez à l’administration de réinitialiser le mot de passe.`;
}

/**
 * Counts an attempt BEFORE its secret is checked, in one statement, so that attempts sent in
 * parallel cannot all read the same counter: the attempt is admitted only while the account is
 * not locked and fewer than MAX_FAILURES attempts are counted (failed ones and those in flight).
 */
function claimAttempt(ctx: CoreContext, accountId: string): boolean {
  return q.claimAttempt.run(ctx.store, { id: accountId, max: MAX_FAILURES, now: nowIso(ctx) }).changes === 1;
}

/** A counted attempt failed: at the limit, lock the account (one statement) and audit it. Returns the lock end, if it locked. */
function settleFailure(ctx: CoreContext, row: AccountRow): string | null {
  const until = new Date(ctx.clock.now().getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  return ctx.store.sqlite.transaction(() => {
    const locked = q.lockOut.run(ctx.store, { id: row.id, until, max: MAX_FAILURES }).changes === 1;
    if (!locked) return null;
    recordAudit(ctx, { actor: { accountId: row.id, login: row.login }, action: 'account.lockedOut', entity: 'account', entityId: row.id, diff: { lockedUntil: { before: null, after: until } } });
    return until;
  })();
}

/**
 * A counted attempt succeeded: the counter starts again, unless the account was locked meanwhile
 * by attempts that failed in parallel (then even the right secret is refused until the lock ends).
 */
function settleSuccess(ctx: CoreContext, accountId: string): boolean {
  return q.settleSuccess.run(ctx.store, { id: accountId, now: nowIso(ctx) }).changes === 1;
}

/** Spends the time of a real check, so that a refusal without one cannot be told apart by its timing. */
async function dummyCheck(secret: string): Promise<void> {
  await verifyPassword(secret, await dummyPasswordHash());
}

/**
 * A secret just found right whose hash was made with older parameters gets a new hash (decision
 * 028). Not an edit of the account: no version change, no audit line. A failure only leaves the
 * old hash, which still verifies.
 */
async function upgradeHash(ctx: CoreContext, accountId: string, kind: 'password' | 'pin', secret: string, before: string): Promise<void> {
  if (!needsRehash(before)) return;
  try {
    const after = await hashPassword(secret);
    (kind === 'password' ? q.rehashPassword : q.rehashPin).run(ctx.store, { id: accountId, before, after });
  } catch {
    // The sign-in stands; the next one tries again.
  }
}

/** Checks a secret under the lock-out rule; true when it is right and the account may go on. */
async function checkSecret(ctx: CoreContext, row: AccountRow, secret: string, kind: 'password' | 'pin'): Promise<boolean> {
  const hash = kind === 'password' ? row.passwordHash : row.pinHash;
  if (hash === null) {
    await dummyCheck(secret);
    return false;
  }
  if (!claimAttempt(ctx, row.id)) {
    // Refused: locked, or five attempts already counted. In the second case the account locks
    // now, whatever those attempts turn out to be; this also frees a count left by attempts a
    // stopped process never settled (it would otherwise refuse every attempt, without a lock end).
    settleFailure(ctx, row);
    await dummyCheck(secret);
    return false;
  }
  let ok = false;
  try {
    ok = await verifyPassword(secret, hash);
  } finally {
    // A check that failed or threw counts as a failure.
    if (!ok) settleFailure(ctx, row);
  }
  if (!ok || !settleSuccess(ctx, row.id)) return false;
  await upgradeHash(ctx, row.id, kind, secret, hash);
  return true;
}

function accountByLogin(ctx: CoreContext, loginName: string): AccountRow | undefined {
  const row = q.byLogin.get(ctx.store, { login: loginName.trim().toLowerCase() });
  return row && fromStored(row);
}

function openSession(ctx: CoreContext, row: AccountRow, method: 'password' | 'pin'): { token: string; session: Session } {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  const tokenHash = hashToken(token);
  ctx.store.sqlite.transaction(() => {
    q.openSession.run(ctx.store, { tokenHash, accountId: row.id, createdAt: now.toISOString(), expiresAt, lastSeenAt: now.toISOString(), method });
    (method === 'password' ? q.passwordLogin : q.pinLogin).run(ctx.store, { id: row.id, now: now.toISOString() });
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
  if (!row) {
    await dummyCheck(password);
    throw new AppError('UNAUTHENTICATED', SIGN_IN_REFUSED);
  }
  if (!(await checkSecret(ctx, row, password, 'password'))) throw new AppError('UNAUTHENTICATED', SIGN_IN_REFUSED);
  // Said only to whoever knows the password.
  if (row.disabled) throw new AppError('UNAUTHENTICATED', DISABLED);
  return openSession(ctx, row, 'password');
}

/** Quick switch on a shared desk: the personal PIN, after a password sign-in the same day. */
export async function pinLogin(ctx: CoreContext, loginName: string, pin: string): Promise<{ token: string; session: Session }> {
  const row = accountByLogin(ctx, loginName);
  const usable =
    row !== undefined &&
    row.role !== 'admin' &&
    row.pinHash !== null &&
    row.lastPasswordLoginAt !== null &&
    localDay(new Date(row.lastPasswordLoginAt)) === localDay(ctx.clock.now());
  if (!usable) {
    await dummyCheck(pin);
    throw new AppError('UNAUTHENTICATED', PIN_SIGN_IN_REFUSED);
  }
  if (!(await checkSecret(ctx, row, pin, 'pin'))) throw new AppError('UNAUTHENTICATED', PIN_SIGN_IN_REFUSED);
  if (row.disabled) throw new AppError('UNAUTHENTICATED', DISABLED);
  return openSession(ctx, row, 'pin');
}

/** The live session of a token, or null when unknown, expired, revoked or disabled. */
export function resolveSession(ctx: CoreContext, token: string): Session | null {
  const row = q.session.get(ctx.store, { tokenHash: hashToken(token) });
  if (!row || row.revokedAt || row.disabled || row.expiresAt <= nowIso(ctx)) return null;
  return {
    accountId: row.accountId,
    login: row.login,
    displayName: row.displayName,
    role: row.role,
    institution: row.institution as InstitutionCode | null,
    tokenHash: row.tokenHash,
    expiresAt: row.expiresAt,
    mustChangePassword: row.mustChangePassword === 1,
    locked: row.lockedAt !== null,
    hasPin: row.hasPin === 1,
  };
}

export function logout(ctx: CoreContext, session: Session): void {
  ctx.store.sqlite.transaction(() => {
    q.revoke.run(ctx.store, { tokenHash: session.tokenHash, now: nowIso(ctx) });
    recordAudit(ctx, { actor: session, action: 'session.logout', entity: 'session', entityId: session.accountId, diff: {} });
  })();
}

/** Closes every open session (after a restore: everyone signs in again). */
export function revokeAllSessions(ctx: CoreContext): void {
  q.revokeAll.run(ctx.store, { now: nowIso(ctx) });
}

/** Hides the desk: the session stays, but nothing is shown or allowed until it is unlocked. */
export function lockSession(ctx: CoreContext, session: Session): void {
  q.lock.run(ctx.store, { tokenHash: session.tokenHash, now: nowIso(ctx) });
}

export async function unlockSession(ctx: CoreContext, session: Session, secret: { pin?: string | undefined; password?: string | undefined }): Promise<void> {
  const row = accountById(ctx, session.accountId);
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (row.lockedUntil && row.lockedUntil > nowIso(ctx)) throw new AppError('UNAUTHENTICATED', lockedMessage(row.lockedUntil));
  if (secret.pin !== undefined && (!row.pinHash || row.role === 'admin')) {
    throw new AppError('VALIDATION', row.role === 'admin' ? 'Les comptes d’administration se déverrouillent avec leur mot de passe.' : 'Aucun code personnel n’est défini : utilisez votre mot de passe.', [
      { path: 'pin', message: 'Utilisez le mot de passe.' },
    ]);
  }
  const given = secret.password ?? secret.pin ?? '';
  const ok = await checkSecret(ctx, row, given, secret.password !== undefined ? 'password' : 'pin');
  if (!ok) {
    // The person at the desk is known (the session is theirs): say what happened.
    const after = q.lockedUntil.get(ctx.store, { id: row.id });
    if (after?.lockedUntil && after.lockedUntil > nowIso(ctx)) throw new AppError('UNAUTHENTICATED', lockedMessage(after.lockedUntil));
    throw new AppError('UNAUTHENTICATED', secret.password !== undefined ? 'Mot de passe incorrect.' : 'Code personnel incorrect.');
  }
  q.unlock.run(ctx.store, { tokenHash: session.tokenHash });
}

export async function setPin(ctx: CoreContext, session: Session, currentPassword: string, pin: string): Promise<void> {
  const row = accountById(ctx, session.accountId);
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (row.role === 'admin') throw new AppError('FORBIDDEN', 'Les comptes d’administration n’utilisent pas de code personnel.');
  if (!(await verifyPassword(currentPassword, row.passwordHash))) {
    throw new AppError('VALIDATION', 'Le mot de passe actuel est incorrect.', [{ path: 'currentPassword', message: 'Le mot de passe actuel est incorrect.' }]);
  }
  const weakness = pinWeakness(pin);
  if (weakness) throw new AppError('VALIDATION', weakness, [{ path: 'pin', message: weakness }]);
  const pinHash = await hashPassword(pin);
  ctx.store.sqlite.transaction(() => {
    q.setPin.run(ctx.store, { id: row.id, pinHash, now: nowIso(ctx) });
    recordAudit(ctx, { actor: session, action: 'account.setPin', entity: 'account', entityId: row.id, diff: {} });
  })();
}

export async function changePassword(ctx: CoreContext, session: Session, current: string, next: string): Promise<void> {
  const row = accountById(ctx, session.accountId);
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
  await assertStrongPassword(next, [row.login, row.displayName, ctx.site.code, ctx.site.name], 'newPassword');
  const passwordHash = await hashPassword(next);
  ctx.store.sqlite.transaction(() => {
    const now = nowIso(ctx);
    q.changePassword.run(ctx.store, { id: row.id, passwordHash, now });
    // Other sessions of this account end: a changed password must lock out whoever knew the old one.
    q.revokeOthers.run(ctx.store, { accountId: row.id, tokenHash: session.tokenHash, now });
    recordAudit(ctx, {
      actor: session,
      action: 'account.changePassword',
      entity: 'account',
      entityId: row.id,
      diff: row.mustChangePassword ? { mustChangePassword: { before: true, after: false } } : {},
    });
  })();
}
