/**
 * Accounts of the site. Logins are unique and lower-case; a professional always belongs to an
 * institution; the last active administrator can neither be disabled nor demoted, so a site can
 * never lock itself out.
 */
import { AppError } from '../../../shared/api/errors';
import type { Role } from '../../../shared/permissions';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import type { Account } from '../../../shared/api/methods/accounts';
import type { accounts } from '../../store/schema';
import { uuidv7 } from '../../store/ids';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { hashPassword } from './passwords';
import { fromStored, SELECT_ACCOUNT, toStored, type AccountRow, type StoredAccount } from './rows';
import { assertStrongPassword } from './strength';

const q = {
  all: sql<Record<string, never>, StoredAccount>(`${SELECT_ACCOUNT} ORDER BY display_name ASC`),
  active: sql<Record<string, never>, StoredAccount>(`${SELECT_ACCOUNT} WHERE disabled = 0 ORDER BY display_name ASC`),
  byId: sql<{ id: string }, StoredAccount>(`${SELECT_ACCOUNT} WHERE id = @id`),
  loginTaken: sql<{ login: string }, Pick<Columns<typeof accounts>, 'id'>>('SELECT id FROM accounts WHERE login = @login'),
  insert: sql<StoredAccount>(
    `INSERT INTO accounts (id, site_id, login, display_name, role, institution, password_hash, must_change_password, disabled,
                           created_at, updated_at, last_login_at, version, pin_hash, failed_attempts, locked_until, last_password_login_at)
     VALUES (@id, @siteId, @login, @displayName, @role, @institution, @passwordHash, @mustChangePassword, @disabled,
             @createdAt, @updatedAt, @lastLoginAt, @version, @pinHash, @failedAttempts, @lockedUntil, @lastPasswordLoginAt)`,
  ),
  activeAdmins: sql<Record<string, never>, { n: number }>("SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0"),
  update: sql<
    Pick<StoredAccount, 'id' | 'displayName' | 'role' | 'institution' | 'disabled' | 'updatedAt' | 'version'> & { beforeVersion: number }
  >(
    `UPDATE accounts SET display_name = @displayName, role = @role, institution = @institution, disabled = @disabled,
                         updated_at = @updatedAt, version = @version
     WHERE id = @id AND version = @beforeVersion`,
  ),
  resetPassword: sql<Pick<StoredAccount, 'id' | 'passwordHash' | 'updatedAt' | 'version'>>(
    `UPDATE accounts SET password_hash = @passwordHash, must_change_password = 1, updated_at = @updatedAt, version = @version,
                         failed_attempts = 0, locked_until = NULL
     WHERE id = @id`,
  ),
  revokeSessions: sql<{ now: string; accountId: string }>('UPDATE sessions SET revoked_at = @now WHERE account_id = @accountId AND revoked_at IS NULL'),
};

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    login: row.login,
    displayName: row.displayName,
    role: row.role,
    institution: (row.institution as InstitutionCode | null) ?? null,
    disabled: row.disabled,
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastLoginAt: row.lastLoginAt,
    version: row.version,
  };
}

/** The fields of an account row that the audit diff shows (no secrets). */
function auditView(row: AccountRow | null): object | null {
  return row ? toAccount(row) : null;
}

function normaliseInstitution(role: Role, institution: InstitutionCode | null | undefined): InstitutionCode | null {
  if (role === 'professionnel') {
    if (!institution) {
      throw new AppError('VALIDATION', 'Un compte professionnel doit être rattaché à une institution.', [
        { path: 'institution', message: 'Choisissez l’institution de ce professionnel.' },
      ]);
    }
    return institution;
  }
  return institution ?? null;
}

export function listAccounts(ctx: CoreContext, includeDisabled: boolean): Account[] {
  const rows = (includeDisabled ? q.all : q.active).all(ctx.store, {});
  return rows.map((r) => toAccount(fromStored(r)));
}

export function getAccountRow(ctx: CoreContext, id: string): AccountRow {
  const row = q.byId.get(ctx.store, { id });
  if (!row) throw new AppError('NOT_FOUND', 'Ce compte est introuvable.');
  return fromStored(row);
}

export interface NewAccount {
  login: string;
  displayName: string;
  role: Role;
  institution?: InstitutionCode | null | undefined;
  password: string;
  /** Initial passwords chosen by an administrator must be changed at first sign-in. */
  mustChangePassword: boolean;
}

export async function createAccount(ctx: CoreContext, actor: Actor | null, input: NewAccount): Promise<Account> {
  const institution = normaliseInstitution(input.role, input.institution);
  await assertStrongPassword(input.password, [input.login, input.displayName, ctx.site.code, ctx.site.name], 'password');
  const passwordHash = await hashPassword(input.password);
  const now = nowIso(ctx);
  const row: AccountRow = {
    id: uuidv7(ctx.clock.now().getTime()),
    siteId: ctx.site.code,
    login: input.login,
    displayName: input.displayName,
    role: input.role,
    institution,
    passwordHash,
    mustChangePassword: input.mustChangePassword,
    disabled: false,
    createdAt: now,
    updatedAt: now,
    lastLoginAt: null,
    version: 1,
    pinHash: null,
    failedAttempts: 0,
    lockedUntil: null,
    lastPasswordLoginAt: null,
  };
  ctx.store.sqlite.transaction(() => {
    const clash = q.loginTaken.get(ctx.store, { login: input.login });
    if (clash) {
      throw new AppError('CONFLICT', `L’identifiant « ${input.login} » est déjà utilisé.`, [
        { path: 'login', message: 'Cet identifiant est déjà utilisé.' },
      ]);
    }
    q.insert.run(ctx.store, toStored(row));
    recordAudit(ctx, { actor, action: 'account.create', entity: 'account', entityId: row.id, diff: diffRows(null, auditView(row)) });
  })();
  ctx.events.emit('accounts.changed', { accountId: row.id });
  return toAccount(row);
}

export interface AccountChanges {
  id: string;
  version: number;
  displayName?: string | undefined;
  role?: Role | undefined;
  institution?: InstitutionCode | null | undefined;
  disabled?: boolean | undefined;
}

function activeAdminCount(ctx: CoreContext): number {
  return q.activeAdmins.get(ctx.store, {})?.n ?? 0;
}

export function updateAccount(ctx: CoreContext, actor: Actor, changes: AccountChanges): Account {
  const updated = ctx.store.sqlite.transaction(() => {
    const before = getAccountRow(ctx, changes.id);
    if (before.version !== changes.version) throw new AppError('CONFLICT');
    const role = changes.role ?? before.role;
    const institution = normaliseInstitution(
      role,
      changes.institution !== undefined ? changes.institution : (before.institution as InstitutionCode | null),
    );
    const disabled = changes.disabled ?? before.disabled;
    const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled);
    if (losesAdmin && activeAdminCount(ctx) <= 1) {
      throw new AppError('CONFLICT', 'Ce compte est le dernier administrateur actif du site : il ne peut être ni désactivé ni changer de rôle.');
    }
    if (changes.id === actor.accountId && disabled) {
      throw new AppError('CONFLICT', 'Vous ne pouvez pas désactiver votre propre compte.');
    }
    const after: AccountRow = {
      ...before,
      displayName: changes.displayName ?? before.displayName,
      role,
      institution,
      disabled,
      updatedAt: nowIso(ctx),
      version: before.version + 1,
    };
    const res = q.update.run(ctx.store, {
      id: before.id,
      beforeVersion: before.version,
      displayName: after.displayName,
      role: after.role,
      institution: after.institution,
      disabled: after.disabled ? 1 : 0,
      updatedAt: after.updatedAt,
      version: after.version,
    });
    if (res.changes !== 1) throw new AppError('CONFLICT');
    if (disabled && !before.disabled) {
      q.revokeSessions.run(ctx.store, { now: after.updatedAt, accountId: before.id });
    }
    recordAudit(ctx, { actor, action: 'account.update', entity: 'account', entityId: before.id, diff: diffRows(auditView(before), auditView(after)) });
    return after;
  })();
  ctx.events.emit('accounts.changed', { accountId: updated.id });
  return toAccount(updated);
}

export async function resetPassword(ctx: CoreContext, actor: Actor, id: string, password: string): Promise<void> {
  const target = getAccountRow(ctx, id);
  await assertStrongPassword(password, [target.login, target.displayName, ctx.site.code, ctx.site.name], 'password');
  const passwordHash = await hashPassword(password);
  ctx.store.sqlite.transaction(() => {
    const before = getAccountRow(ctx, id);
    const now = nowIso(ctx);
    q.resetPassword.run(ctx.store, { id, passwordHash, updatedAt: now, version: before.version + 1 });
    q.revokeSessions.run(ctx.store, { now, accountId: id });
    recordAudit(ctx, {
      actor,
      action: 'account.resetPassword',
      entity: 'account',
      entityId: id,
      diff: { mustChangePassword: { before: before.mustChangePassword, after: true } },
    });
  })();
  ctx.events.emit('accounts.changed', { accountId: id });
}
