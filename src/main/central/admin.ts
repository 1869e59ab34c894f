/**
 * Administration of the central database, run with the owner role: migrations, the roles and
 * their grants, enrolment of a site (its own login role, limited by row-level security to its
 * rows) and of the APRAS (aggregate views only).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { findSite, isSiteCode, SITE_CODES } from '../../shared/reference/sites';
import { APRAS_MONTHLY_TABLES } from './aggregates-sql';
import { APRAS_VIEWS, CENTRAL_MIGRATIONS, CENTRAL_REFERENCE_TABLES, CENTRAL_ROW_TABLES, SYNC_FUNCTIONS } from './migrations';
import { siteLate, type LateVerdict } from './opening';
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
    portal: `${prefix}portal`,
    portalData: `${prefix}portal_data`,
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
  await ensureRole(client, r.portal);
  await ensureRole(client, r.portalData);
  const rowTables = CENTRAL_ROW_TABLES.map((t) => `esc.${t}`).join(', ');
  const refTables = CENTRAL_REFERENCE_TABLES.map((t) => `esc.${t}`).join(', ');
  const aprasReads = [...APRAS_MONTHLY_TABLES, ...APRAS_VIEWS].map((v) => `esc.${v}`).join(', ');
  const db = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
  const qdb = `"${db.replace(/"/g, '""')}"`;
  await client.query(`
REVOKE CONNECT, TEMPORARY ON DATABASE ${qdb} FROM PUBLIC;
GRANT CONNECT ON DATABASE ${qdb} TO ${r.sites}, ${r.apras}, ${r.portal};
REVOKE ALL ON SCHEMA esc FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA esc FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA esc FROM ${r.sites}, ${r.apras}, ${r.portal};
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA esc FROM PUBLIC;
GRANT USAGE ON SCHEMA esc TO ${r.sites}, ${r.apras}, ${r.portal};
GRANT EXECUTE ON FUNCTION esc.current_site() TO ${r.sites};
${SYNC_FUNCTIONS.map((f) => `GRANT EXECUTE ON FUNCTION esc.${f} TO ${r.sites};`).join('\n')}
GRANT SELECT ON esc.sites, esc.sync_state, esc.__migrations__ TO ${r.sites};
GRANT SELECT, INSERT, UPDATE ON ${rowTables} TO ${r.sites};
GRANT SELECT ON ${refTables} TO ${r.sites};
GRANT SELECT ON ${aprasReads}, esc.taxonomy_domains TO ${r.apras};
GRANT SELECT, INSERT, UPDATE ON esc.portal_accounts, esc.portal_audit TO ${r.portal};
GRANT USAGE ON SEQUENCE esc.portal_audit_id_seq TO ${r.portal};
GRANT SELECT ON esc.site_status, esc.settings, esc.__migrations__ TO ${r.portal};
GRANT ${r.apras} TO ${r.portalData};`);
}

/**
 * A PostgreSQL SCRAM-SHA-256 verifier computed here, so that `ALTER ROLE … PASSWORD` carries the
 * verifier and never the password (statement logs, pg_stat_activity): RFC 5802/7677, the format
 * PostgreSQL stores in pg_authid.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Sets a login role's password from a verifier computed locally (never the clear password). */
async function setLoginPassword(client: pg.Client, role: string, password: string, create: boolean): Promise<void> {
  await client.query(`${create ? 'CREATE' : 'ALTER'} ROLE ${role} LOGIN PASSWORD '${scramVerifier(password)}'`);
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
      await setLoginPassword(client, role, password, !exists);
      await client.query(`GRANT ${r.sites} TO ${role}`);
      await client.query(
        'INSERT INTO esc.sites (site_id, role_name) VALUES ($1, $2) ON CONFLICT (site_id) DO UPDATE SET role_name = EXCLUDED.role_name, revoked_at = NULL',
        [site, role],
      );
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
    await setLoginPassword(client, r.apras, password, false);
    return { role: r.apras, url: siteUrl(target.url, r.apras, password) };
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Gives the portal's two roles a login and new passwords (kept in memory by `central serve`):
 * `portal` (accounts, journal, site status) and `portal_data` (a member of the APRAS role: the
 * monthly aggregates only).
 */
export async function enrollPortal(target: CentralTarget): Promise<{ portalUrl: string; dataUrl: string }> {
  const client = await connectCentral(target, 'accueil-esc-enroll');
  try {
    const r = roleNames(await rolePrefixOf(client));
    const a = randomBytes(24).toString('base64url');
    const b = randomBytes(24).toString('base64url');
    await setLoginPassword(client, r.portal, a, false);
    await setLoginPassword(client, r.portalData, b, false);
    return { portalUrl: siteUrl(target.url, r.portal, a), dataUrl: siteUrl(target.url, r.portalData, b) };
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Revokes a site: its role can no longer log in nor act as a site, its open sessions are ended,
 * and it is marked revoked (its rows stay, and keep counting in the figures of the past).
 * `enroll-site` gives it a new password and lifts the revocation.
 */
export async function revokeSite(target: CentralTarget, siteCode: string): Promise<{ site: string; role: string; sessionsEnded: number }> {
  const site = siteCode.toUpperCase();
  if (!isSiteCode(site)) throw new CentralError(`Site inconnu « ${siteCode} ». Sites possibles : ${SITE_CODES.join(', ')}.`, 'BAD_SITE');
  const client = await connectCentral(target, 'accueil-esc-revoke');
  try {
    return await inTransaction(client, async () => {
      const r = roleNames(await rolePrefixOf(client));
      const row = (await client.query<{ role_name: string }>('UPDATE esc.sites SET revoked_at = now() WHERE site_id = $1 RETURNING role_name', [site])).rows[0];
      if (!row) throw new CentralError(`Le site ${site} n’est pas inscrit sur ce serveur central.`, 'NOT_ENROLLED');
      await client.query(`ALTER ROLE ${row.role_name} NOLOGIN PASSWORD NULL`);
      await client.query(`REVOKE ${r.sites} FROM ${row.role_name}`);
      let ended = 0;
      const sessions = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE usename = $1', [row.role_name]);
      for (const s of sessions.rows) {
        const done = await client.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [s.pid]).catch(() => null);
        if (done?.rows[0]?.ok) ended++;
      }
      return { site, role: row.role_name, sessionsEnded: ended };
    });
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface SiteSyncState {
  site: string;
  name: string;
  role: string;
  enrolledAt: string;
  revokedAt: string | null;
  ackedSeq: number;
  batches: number;
  rowsReceived: number;
  /** Last successful sync cycle (even with nothing new to send). */
  lastSuccessAt: string | null;
  /** Last time the site reached central (successful or not). */
  lastContactAt: string | null;
  /** Last time rows were actually received. */
  lastRowsAt: string | null;
  siteSchema: number | null;
  appVersion: string | null;
  /** Rows tombstoned by restore reconciliations (decision 022), and how many restores. */
  orphanedRows: number;
  restores: number;
  /** A resend after a restore is under way. */
  resendPending: boolean;
  late: boolean;
  /** Why (French), when late; the opening days missed. */
  lateReason: string | null;
  versionProblem: string | null;
}

/** For IT: which sites synced, when, and which are late, following each site's opening days. */
export async function centralStatus(target: CentralTarget, now = new Date()): Promise<SiteSyncState[]> {
  const client = await connectCentral(target, 'accueil-esc-status');
  try {
    return await readSiteStates(client, now);
  } catch (err) {
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same, on an open connection (owner or portal role). */
export async function readSiteStates(client: pg.Client | pg.PoolClient | pg.Pool, now = new Date()): Promise<SiteSyncState[]> {
  const schema = (
    await client.query<{ central: number; min: string | null }>(
      "SELECT (SELECT max(id) FROM esc.__migrations__) AS central, (SELECT value FROM esc.settings WHERE key = 'min_site_schema') AS min",
    ).catch(() => ({ rows: [{ central: 0, min: null }] }))
  ).rows[0]!;
  const minSite = Number(schema.min ?? 1);
  const rows = await client.query<{
    site_id: string;
    role_name: string;
    enrolled_at: Date;
    revoked_at: Date | null;
    acked_seq: string;
    batches: string;
    rows_received: string;
    last_success_at: Date | null;
    last_contact_at: Date | null;
    last_push_at: Date | null;
    site_schema: number | null;
    app_version: string | null;
    orphaned_rows: string;
    restores: number;
    resend_from: Date | null;
  }>(
    `SELECT site_id, role_name, enrolled_at, revoked_at, acked_seq, batches, rows_received, last_success_at, last_contact_at,
            last_push_at, site_schema, app_version, orphaned_rows, restores, resend_from
     FROM esc.site_status ORDER BY site_id`,
  );
  return rows.rows.map((r) => {
    const verdict: LateVerdict = r.revoked_at ? { late: false, reason: null } : siteLate(r.site_id, r.last_success_at, r.enrolled_at, now);
    const versionProblem =
      r.site_schema !== null && r.site_schema < minSite
        ? `Application du site trop ancienne (schéma ${r.site_schema}, le serveur central exige ${minSite}) : mettre à jour le site.`
        : r.site_schema !== null && r.site_schema > Number(schema.central)
          ? `Serveur central trop ancien (schéma ${schema.central}, le site parle le schéma ${r.site_schema}) : lancer « central migrate » avec la nouvelle version.`
          : null;
    return {
      site: r.site_id,
      name: findSite(r.site_id)?.name ?? r.site_id,
      role: r.role_name,
      enrolledAt: r.enrolled_at.toISOString(),
      revokedAt: r.revoked_at?.toISOString() ?? null,
      ackedSeq: Number(r.acked_seq),
      batches: Number(r.batches),
      rowsReceived: Number(r.rows_received),
      lastSuccessAt: r.last_success_at?.toISOString() ?? null,
      lastContactAt: r.last_contact_at?.toISOString() ?? null,
      lastRowsAt: r.last_push_at?.toISOString() ?? null,
      siteSchema: r.site_schema,
      appVersion: r.app_version,
      orphanedRows: Number(r.orphaned_rows),
      restores: r.restores,
      resendPending: r.resend_from !== null,
      late: verdict.late || versionProblem !== null,
      lateReason: verdict.reason ?? versionProblem,
      versionProblem,
    };
  });
}
