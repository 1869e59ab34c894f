/**
 * Administration of the central database, run with the owner role: migrations, the roles and
 * their grants, enrolment of a site (its own login role, limited by row-level security to its
 * rows) and of the APRAS (aggregate views only).
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { isSiteCode, SITE_CODES } from '../../shared/reference/sites';
import { APRAS_VIEWS, CENTRAL_MIGRATIONS, CENTRAL_REFERENCE_TABLES, CENTRAL_ROW_TABLES } from './migrations';
import { CentralError, connectCentral, parseCentralUrl, toCentralError, type CentralTarget } from './connect';

export const DEFAULT_ROLE_PREFIX = 'esc_';
const PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;

export interface MigrateResult {
  applied: string[];
  schemaVersion: number;
  rolePrefix: string;
}

async function inTransaction<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Applies the missing migrations and (re)grants the roles; idempotent. */
export async function migrateCentral(target: CentralTarget, options: { rolePrefix?: string | undefined } = {}): Promise<MigrateResult> {
  const client = await connectCentral(target, 'accueil-esc-migrate');
  try {
    return await inTransaction(client, async () => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('accueil-esc-central-migrate'))");
      await client.query('CREATE SCHEMA IF NOT EXISTS esc');
      await client.query('CREATE TABLE IF NOT EXISTS esc.__migrations__ (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ id: number }>('SELECT id FROM esc.__migrations__')).rows.map((r) => r.id));
      const known = new Set(CENTRAL_MIGRATIONS.map((m) => m.id));
      const unknown = [...done].filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new CentralError(`La base centrale a été migrée par une version plus récente (migration ${Math.max(...unknown)}) : mettez l’application à jour.`, 'NEWER_VERSION');
      }
      const applied: string[] = [];
      for (const m of CENTRAL_MIGRATIONS) {
        if (done.has(m.id)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO esc.__migrations__ (id, name) VALUES ($1, $2)', [m.id, m.name]);
        applied.push(`${m.id}_${m.name}`);
      }
      const rolePrefix = await settleRolePrefix(client, options.rolePrefix);
      await ensureRoles(client, rolePrefix);
      return { applied, schemaVersion: CENTRAL_MIGRATIONS[CENTRAL_MIGRATIONS.length - 1]!.id, rolePrefix };
    });
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function settleRolePrefix(client: pg.Client, wanted: string | undefined): Promise<string> {
  const row = (await client.query<{ value: string }>("SELECT value FROM esc.settings WHERE key = 'role_prefix'")).rows[0];
  if (row) {
    if (wanted !== undefined && wanted !== row.value) {
      throw new CentralError(`Cette base centrale utilise déjà le préfixe de rôles « ${row.value} ».`, 'ROLE_PREFIX');
    }
    return row.value;
  }
  const prefix = wanted ?? DEFAULT_ROLE_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) throw new CentralError('Préfixe de rôles invalide : lettres minuscules, chiffres et _ seulement.', 'ROLE_PREFIX');
  await client.query("INSERT INTO esc.settings (key, value) VALUES ('role_prefix', $1)", [prefix]);
  return prefix;
}

export function roleNames(prefix: string) {
  return {
    sites: `${prefix}sites`,
    apras: `${prefix}apras`,
    site: (code: string) => `${prefix}site_${code.toLowerCase()}`,
  };
}

async function ensureRole(client: pg.Client, name: string): Promise<void> {
  const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount;
  if (!exists) await client.query(`CREATE ROLE ${name} NOLOGIN`);
}

/** The group roles and every grant, from scratch each time (idempotent). */
async function ensureRoles(client: pg.Client, prefix: string): Promise<void> {
  const r = roleNames(prefix);
  await ensureRole(client, r.sites);
  await ensureRole(client, r.apras);
  const rowTables = CENTRAL_ROW_TABLES.map((t) => `esc.${t}`).join(', ');
  const refTables = CENTRAL_REFERENCE_TABLES.map((t) => `esc.${t}`).join(', ');
  const views = APRAS_VIEWS.map((v) => `esc.${v}`).join(', ');
  await client.query(`
REVOKE ALL ON SCHEMA esc FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA esc FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA esc FROM PUBLIC;
GRANT USAGE ON SCHEMA esc TO ${r.sites}, ${r.apras};
GRANT EXECUTE ON FUNCTION esc.current_site() TO ${r.sites};
GRANT SELECT ON esc.sites TO ${r.sites};
GRANT SELECT, UPDATE ON esc.sync_state TO ${r.sites};
GRANT SELECT, INSERT, UPDATE ON ${rowTables} TO ${r.sites};
GRANT SELECT ON ${refTables} TO ${r.sites};
GRANT SELECT ON ${views} TO ${r.apras};`);
}

export interface Enrolment {
  site: string;
  role: string;
  /** The address the site must be configured with (contains the new password). */
  url: string;
}

function siteUrl(ownerUrl: string, role: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password;
  return u.toString();
}

async function rolePrefixOf(client: pg.Client): Promise<string> {
  const row = (await client.query<{ value: string }>("SELECT value FROM esc.settings WHERE key = 'role_prefix'")).rows[0];
  if (!row) throw new CentralError('La base centrale n’est pas initialisée : lancez « npm run central -- migrate » d’abord.', 'NOT_MIGRATED');
  return row.value;
}

/**
 * Creates (or re-creates the password of) the site's login role, member of the sites group, and
 * its sync state. Re-enrolling a site gives it a new password: the old one stops working.
 */
export async function enrollSite(target: CentralTarget, siteCode: string): Promise<Enrolment> {
  const site = siteCode.toUpperCase();
  if (!isSiteCode(site)) throw new CentralError(`Site inconnu « ${siteCode} ». Sites possibles : ${SITE_CODES.join(', ')}.`, 'BAD_SITE');
  parseCentralUrl(target.url);
  const client = await connectCentral(target, 'accueil-esc-enroll');
  try {
    return await inTransaction(client, async () => {
      const r = roleNames(await rolePrefixOf(client));
      const role = r.site(site);
      const password = randomBytes(24).toString('base64url');
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN PASSWORD '${password}'`);
      await client.query(`GRANT ${r.sites} TO ${role}`);
      await client.query('INSERT INTO esc.sites (site_id, role_name) VALUES ($1, $2) ON CONFLICT (site_id) DO UPDATE SET role_name = EXCLUDED.role_name', [site, role]);
      await client.query('INSERT INTO esc.sync_state (site_id) VALUES ($1) ON CONFLICT (site_id) DO NOTHING', [site]);
      return { site, role, url: siteUrl(target.url, role, password) };
    });
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Gives the APRAS role a login and a new password; it reads the aggregate views only. */
export async function enrollApras(target: CentralTarget): Promise<{ role: string; url: string }> {
  const client = await connectCentral(target, 'accueil-esc-enroll');
  try {
    const r = roleNames(await rolePrefixOf(client));
    const password = randomBytes(24).toString('base64url');
    await client.query(`ALTER ROLE ${r.apras} LOGIN PASSWORD '${password}'`);
    return { role: r.apras, url: siteUrl(target.url, r.apras, password) };
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface SiteSyncState {
  site: string;
  role: string;
  ackedSeq: number;
  batches: number;
  rowsReceived: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  /** No push for more than 36 hours (or never): the nightly sync is not happening. */
  late: boolean;
}

/** For IT: which sites synced, when, and which are late. */
export async function centralStatus(target: CentralTarget, now = new Date()): Promise<SiteSyncState[]> {
  const client = await connectCentral(target, 'accueil-esc-status');
  try {
    const rows = await client.query<{ site_id: string; role_name: string; acked_seq: string; batches: string; rows_received: string; last_push_at: Date | null; last_pull_at: Date | null }>(
      `SELECT s.site_id, s.role_name, st.acked_seq, st.batches, st.rows_received, st.last_push_at, st.last_pull_at
       FROM esc.sites s JOIN esc.sync_state st USING (site_id) ORDER BY s.site_id`,
    );
    return rows.rows.map((r) => ({
      site: r.site_id,
      role: r.role_name,
      ackedSeq: Number(r.acked_seq),
      batches: Number(r.batches),
      rowsReceived: Number(r.rows_received),
      lastPushAt: r.last_push_at?.toISOString() ?? null,
      lastPullAt: r.last_pull_at?.toISOString() ?? null,
      late: !r.last_push_at || now.getTime() - r.last_push_at.getTime() > 36 * 3600_000,
    }));
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}
