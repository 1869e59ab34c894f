/**
 * The seed accounts (reception agents and professionals, `model.ts`): created if missing, with
 * the documented password `SEED_PASSWORD`, ids derived from the login (so that two databases
 * seeded alike reference the same ids), and an audit row each, like any account creation.
 */
import { hashPassword } from '../core/accounts/passwords';
import { recordAudit } from '../core/audit/audit';
import type { CoreContext } from '../core/context';
import type { InstitutionCode } from '../../shared/reference/institutions';
import { Rng } from './prng';
import { SEED_ACCOUNTS, SEED_PASSWORD, type SeedAccountSpec } from './model';
import { SeedError } from './errors';

export interface SeedAccount extends SeedAccountSpec {
  id: string;
}

/** Existing seed accounts, and the specs of the missing ones, without writing anything. */
export function findSeedAccounts(ctx: CoreContext): { existing: SeedAccount[]; missing: SeedAccountSpec[] } {
  const byLogin = ctx.store.sqlite.prepare('SELECT id, role, institution FROM accounts WHERE login = ?');
  const existing: SeedAccount[] = [];
  const missing: SeedAccountSpec[] = [];
  for (const spec of SEED_ACCOUNTS) {
    const row = byLogin.get(spec.login) as { id: string; role: string; institution: InstitutionCode | null } | undefined;
    if (!row) {
      missing.push(spec);
      continue;
    }
    if (row.role !== spec.role || row.institution !== spec.institution) {
      throw new SeedError(
        `Le compte « ${spec.login} » existe déjà avec un autre rôle ou une autre institution : ` +
          'il est réservé aux données de démonstration. Renommez-le puis relancez.',
      );
    }
    existing.push({ ...spec, id: row.id });
  }
  return { existing, missing };
}

/** Creates the missing seed accounts, dated `createdAtMs` (the first seeded day). Returns all of them, in model order. */
export async function ensureSeedAccounts(ctx: CoreContext, createdAtMs: number): Promise<{ accounts: SeedAccount[]; created: string[] }> {
  const { existing, missing } = findSeedAccounts(ctx);
  if (missing.length === 0) return { accounts: order(existing), created: [] };
  // One hash for all: they share the documented password, and scrypt is deliberately slow.
  const hash = await hashPassword(SEED_PASSWORD);
  const iso = new Date(createdAtMs).toISOString();
  const insert = ctx.store.sqlite.prepare(
    `INSERT INTO accounts (id, site_id, login, display_name, role, institution, password_hash, must_change_password, disabled, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 1)`,
  );
  const created: SeedAccount[] = [];
  ctx.store.sqlite.transaction(() => {
    for (const spec of missing) {
      // Re-check inside the write transaction: another process may have created it meanwhile.
      if (ctx.store.sqlite.prepare('SELECT 1 FROM accounts WHERE login = ?').get(spec.login)) continue;
      const id = new Rng(`seed-account|${spec.login}`).uuidv7(createdAtMs);
      insert.run(id, ctx.site.code, spec.login, spec.displayName, spec.role, spec.institution, hash, iso, iso);
      recordAudit(ctx, {
        actor: null,
        action: 'account.create',
        entity: 'account',
        entityId: id,
        diff: {
          login: { before: null, after: spec.login },
          displayName: { before: null, after: spec.displayName },
          role: { before: null, after: spec.role },
          institution: { before: null, after: spec.institution },
          origin: { before: null, after: 'seed' },
        },
      });
      created.push({ ...spec, id });
    }
  })();
  const again = findSeedAccounts(ctx);
  return { accounts: order(again.existing), created: created.map((a) => a.login) };
}

function order(accounts: SeedAccount[]): SeedAccount[] {
  return SEED_ACCOUNTS.map((spec) => accounts.find((a) => a.login === spec.login)!).filter(Boolean);
}
