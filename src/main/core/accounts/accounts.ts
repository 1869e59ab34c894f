/**
 * Accounts of the site. Logins are unique and lower-case; a professional always belongs to an
 * institution; the last active administrator can neither be disabled nor demoted, so a site can
 * never lock itself out.
 */
import { and, asc, eq } from 'drizzle-orm';
import { AppError } from '../../../shared/api/errors';
import type { Role } from '../../../shared/permissions';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import type { Account } from '../../../shared/api/methods/accounts';
import { accounts } from '../../store/schema';
import { uuidv7 } from '../../store/ids';
import { diffRows, recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { hashPassword } from './passwords';
import { assertStrongPassword } from './strength';

type AccountRow = typeof accounts.$inferSelect;

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
  const rows = ctx.store.db
    .select()
    .from(accounts)
    .where(includeDisabled ? undefined : eq(accounts.disabled, false))
    .orderBy(asc(accounts.displayName))
    .all();
  return rows.map(toAccount);
}

export function getAccountRow(ctx: CoreContext, id: string): AccountRow {
  const row = ctx.store.db.select().from(accounts).where(eq(accounts.id, id)).get();
  if (!row) throw new AppError('NOT_FOUND', 'Ce compte est introuvable.');
  return row;
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
    const clash = ctx.store.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.login, input.login)).get();
    if (clash) {
      throw new AppError('CONFLICT', `L’identifiant « ${input.login} » est déjà utilisé.`, [
        { path: 'login', message: 'Cet identifiant est déjà utilisé.' },
      ]);
    }
    ctx.store.db.insert(accounts).values(row).run();
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
  return ctx.store.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.role, 'admin'), eq(accounts.disabled, false)))
    .all().length;
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
    const res = ctx.store.db
      .update(accounts)
      .set({
        displayName: after.displayName,
        role: after.role,
        institution: after.institution,
        disabled: after.disabled,
        updatedAt: after.updatedAt,
        version: after.version,
      })
      .where(and(eq(accounts.id, before.id), eq(accounts.version, before.version)))
      .run();
    if (res.changes !== 1) throw new AppError('CONFLICT');
    if (disabled && !before.disabled) {
      ctx.store.sqlite.prepare('UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL').run(after.updatedAt, before.id);
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
    ctx.store.db
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, updatedAt: now, version: before.version + 1, failedAttempts: 0, lockedUntil: null })
      .where(eq(accounts.id, id))
      .run();
    ctx.store.sqlite.prepare('UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL').run(now, id);
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
