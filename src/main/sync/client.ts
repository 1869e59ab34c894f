/**
 * One sync cycle between a site database and the central database (decision 005):
 *
 * 1. One cycle per site at a time (a PostgreSQL advisory lock, held for the whole cycle), then
 *    the handshake `esc.sync_hello`: the central schema version is negotiated (a site or a
 *    central too old is told in French what to do, and not retried automatically), and the
 *    watermark agreed: central's `acked_seq` is the truth (the local copy in `meta` is a cache).
 *    Restores are detected exactly (decision 022): every database file carries an incarnation id
 *    (meta `store.incarnation`), replaced by every restore path (`restoreBackup`, used by the
 *    administration screen, `hub restore` and the desktop). When the site's incarnation is not the
 *    one central last synced with, the site re-stamps and re-sends every row, and once all is
 *    received central tombstones the rows the restored site no longer has.
 * 2. Push: rows whose `change_seq` is above the watermark, in batches of at most `batchSize`
 *    rows in change order, each batch upserted on (site_id, id) with a version check
 *    (`change_seq` only grows) and the new acknowledgement, in ONE central transaction. The local
 *    watermark moves only after that commit. A batch delivered twice changes nothing.
 * 3. Pull: centrally owned reference data (taxonomy, partner directory), central wins by version.
 *
 * What leaves the site is `allow-list.ts`, nothing else. Ordering uses the site's change sequence,
 * never a clock, so clock skew between site and central cannot reorder or drop changes.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { readMeta, writeMeta, type Store } from '../store/open';
import { INCARNATION_KEY } from '../store/backup';
import { connectCentral, parseCentralUrl, toCentralError, type CentralTarget } from '../central/connect';
import { CENTRAL_SCHEMA_VERSION } from '../central/migrations';
import { centralColumns, PUSHED_TABLES, type PushedTable } from './allow-list';
import { copyLinesSql, copyPayload } from './copy';
import { pushBatchCopy } from './push-batch';

/**
 * Rows per batch (one central transaction): COPY makes large batches cheap (decision 005, as
 * amended), and central's aggregates cost less per row in larger ones (decision 030).
 */
export const DEFAULT_BATCH_SIZE = 10_000;
/** Reported to central for IT's status (the package version when run through npm). */
const APP_VERSION = process.env.npm_package_version ?? 'inconnue';

export const META = {
  url: 'central.url',
  ca: 'central.ca',
  ackedSeq: 'sync.acked_seq',
  lastSuccessAt: 'sync.last_success_at',
  lastAttemptAt: 'sync.last_attempt_at',
  lastError: 'sync.last_error',
  lastSummary: 'sync.last_summary',
  /** Central version of each centrally owned partner when last pulled: {"<id>": version}. */
  partnerVersions: 'sync.partner_versions',
} as const;

export interface SyncProgress {
  phase: 'connect' | 'push' | 'pull' | 'done' | 'error';
  pushed: number;
  /** Rows waiting when the cycle started (push phase). */
  total: number;
  batches: number;
}

export interface SyncSummary {
  ok: boolean;
  site: string;
  pushed: number;
  pulled: number;
  batches: number;
  /** Rows still waiting after the cycle (0 after a successful one). */
  pending: number;
  ackedSeq: number;
  /** True when the site database was found restored (new incarnation) and every row re-sent. */
  resent: boolean;
  /** Central rows the restored site no longer has, tombstoned at the end of the resend. */
  reconciled: number;
  /** The failure needs someone to act (version mismatch, revoked site): no automatic retry. */
  blocking: boolean;
  startedAt: string;
  durationMs: number;
  errors: string[];
}

export interface SyncOptions {
  batchSize?: number | undefined;
  onProgress?: ((p: SyncProgress) => void) | undefined;
  /** Wall clock for the timestamps of the summary (default: system clock). */
  now?: (() => Date) | undefined;
  /** Test hook: called after a batch's central commit, before the local watermark moves. */
  afterCommit?: ((batch: number) => void) | undefined;
  /** The central schema this site speaks (default: this build's); tests simulate other builds. */
  schemaVersion?: number | undefined;
  /** How long to wait for another cycle of the same site to finish (default 5 minutes). */
  lockTimeoutMs?: number | undefined;
}

/** Thrown for failures someone must act on (no automatic retry). */
class BlockingError extends Error {
  constructor(readonly french: string) {
    super(french);
  }
}

/** The incarnation of the site database file (created on first use). */
export function localIncarnation(store: Store): string {
  const current = readMeta(store, INCARNATION_KEY);
  if (current) return current;
  const fresh = randomUUID();
  writeMeta(store, INCARNATION_KEY, fresh);
  return fresh;
}

export function readTarget(store: Store): CentralTarget | null {
  const url = readMeta(store, META.url);
  return url ? { url, ca: readMeta(store, META.ca) ?? null } : null;
}

export function localWatermark(store: Store): number {
  return Number(readMeta(store, META.ackedSeq) ?? 0);
}

function counterValue(store: Store): number {
  return (store.sqlite.prepare('SELECT value FROM change_counter WHERE id = 1').get() as { value: number }).value;
}

const selectable = (t: PushedTable, extra: string): string => `${t.where ? `(${t.where}) AND ` : ''}${extra}`;

/** Rows waiting to be pushed (above the local watermark). */
export function pendingCount(store: Store, watermark = localWatermark(store)): number {
  let n = 0;
  for (const t of PUSHED_TABLES) {
    n += (store.sqlite.prepare(`SELECT count(*) AS n FROM ${t.local} WHERE ${selectable(t, 'change_seq > ?')}`).get(watermark) as { n: number }).n;
  }
  return n;
}

export interface Batch {
  /** Highest change sequence covered by this batch (the new acknowledgement). */
  upper: number;
  rows: number;
  /** Per table, its rows as COPY text (central columns, converted and escaped by SQLite: copy.ts). */
  tables: BatchTable[];
}

export interface BatchTable {
  table: PushedTable;
  rows: number;
  payload: Buffer;
}

/** Per table, the SELECT giving its COPY lines between two change sequences (built once). */
const linesSql = new Map<PushedTable, string>(
  PUSHED_TABLES.map((t) => [t, copyLinesSql(centralColumns(t), t.local, selectable(t, 'change_seq > ? AND change_seq <= ?'))]),
);

/**
 * The next batch above `watermark`, read in one snapshot: at most `size` rows, all rows with a
 * change sequence in (watermark, upper], so that nothing between two batches is ever skipped.
 */
export function readBatch(store: Store, watermark: number, size: number): Batch | null {
  return store.sqlite.transaction(() => {
    const counter = counterValue(store);
    if (counter <= watermark) return null;
    const union = PUSHED_TABLES.map((t) => `SELECT change_seq FROM ${t.local} WHERE ${selectable(t, 'change_seq > ?')}`).join(' UNION ALL ');
    const nth = store.sqlite.prepare(`SELECT change_seq FROM (${union}) ORDER BY change_seq LIMIT 1 OFFSET ?`).get(...PUSHED_TABLES.map(() => watermark), size - 1) as
      | { change_seq: number }
      | undefined;
    const upper = nth ? nth.change_seq : counter;
    const tables: BatchTable[] = [];
    let rows = 0;
    for (const t of PUSHED_TABLES) {
      const lines = store.sqlite.prepare(linesSql.get(t)!).pluck().all(watermark, upper) as string[];
      if (lines.length === 0) continue;
      tables.push({ table: t, rows: lines.length, payload: copyPayload(lines) });
      rows += lines.length;
    }
    return { upper, rows, tables };
  })();
}

/**
 * Upserts one batch and its acknowledgement in one central transaction. Idempotent. The rows go
 * through `COPY` into temporary tables, then one upsert per table (push-batch.ts).
 */
export async function pushBatch(client: pg.Client, site: string, batch: Batch, whileCentralWorks?: () => void): Promise<void> {
  await pushBatchCopy(client, batch, whileCentralWorks);
}

/**
 * The site database is older than what central acknowledged (restored from a backup): move the
 * local counter past central's and re-stamp every pushed row so that all of them are re-sent and
 * win the version check over what central holds.
 */
function restampAfterRestore(store: Store, centralAcked: number, incarnation: string): void {
  store.sqlite.transaction(() => {
    writeMeta(store, INCARNATION_KEY, incarnation);
    store.sqlite.prepare('UPDATE change_counter SET value = ? WHERE id = 1 AND value < ?').run(centralAcked, centralAcked);
    for (const t of PUSHED_TABLES) {
      // Touching a row without changing change_seq fires the trigger that stamps a new one.
      store.sqlite.prepare(`UPDATE ${t.local} SET version = version${t.where ? ` WHERE ${t.where}` : ''}`).run();
    }
    writeMeta(store, META.ackedSeq, String(centralAcked));
  })();
}

interface CentralDomain {
  code: string;
  label: string;
  parent: string | null;
  since_version: number;
  retired_in: number | null;
  version: number;
}

interface CentralPartner {
  id: string;
  code: string;
  name: string;
  domains: string[];
  address: string | null;
  phone: string | null;
  access_conditions: string | null;
  prescriber_required: boolean;
  active: boolean;
  version: number;
}

/** Pulls the reference data; returns how many local rows changed, and per-row errors. */
async function pullReference(client: pg.Client, store: Store, nowIso: string): Promise<{ pulled: number; errors: string[] }> {
  const domains = (await client.query<CentralDomain>('SELECT code, label, parent, since_version, retired_in, version FROM esc.taxonomy_domains ORDER BY code')).rows;
  const partners = (
    await client.query<CentralPartner>(
      'SELECT id, code, name, domains, address, phone, access_conditions, prescriber_required, active, version FROM esc.partners ORDER BY code',
    )
  ).rows;
  const errors: string[] = [];
  let pulled = 0;
  const db = store.sqlite;
  db.transaction(() => {
    const getDomain = db.prepare('SELECT label, parent, since_version AS since, retired_in AS retired FROM taxonomy_domains WHERE code = ?');
    for (const d of domains) {
      const local = getDomain.get(d.code) as { label: string; parent: string | null; since: number; retired: number | null } | undefined;
      if (local && local.label === d.label && local.parent === d.parent && local.since === d.since_version && local.retired === d.retired_in) continue;
      db.prepare(
        `INSERT INTO taxonomy_domains (code, label, parent, since_version, retired_in, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(code) DO UPDATE SET label = excluded.label, parent = excluded.parent, since_version = excluded.since_version,
           retired_in = excluded.retired_in, updated_at = excluded.updated_at`,
      ).run(d.code, d.label, d.parent, d.since_version, d.retired_in, nowIso);
      pulled++;
    }
    const pulledVersions = JSON.parse(readMeta(store, META.partnerVersions) ?? '{}') as Record<string, number>;
    const getPartner = db.prepare(
      `SELECT code, name, domains, address, phone, access_conditions AS accessConditions, prescriber_required AS prescriberRequired, active, version
       FROM partners WHERE id = ?`,
    );
    for (const p of partners) {
      const values = [p.code, p.name, JSON.stringify(p.domains), p.address, p.phone, p.access_conditions, p.prescriber_required ? 1 : 0, p.active ? 1 : 0] as const;
      const local = getPartner.get(p.id) as
        | { code: string; name: string; domains: string; address: string | null; phone: string | null; accessConditions: string | null; prescriberRequired: number; active: number; version: number }
        | undefined;
      try {
        if (!local) {
          pulledVersions[p.id] = p.version;
          db.prepare(
            `INSERT INTO partners (code, name, domains, address, phone, access_conditions, prescriber_required, active, id, site_id, updated_at, version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'CENTRAL', ?, ?)`,
          ).run(...values, p.id, nowIso, p.version);
          pulled++;
          continue;
        }
        const same =
          local.code === values[0] && local.name === values[1] && local.domains === values[2] && local.address === values[3] && local.phone === values[4] &&
          local.accessConditions === values[5] && local.prescriberRequired === values[6] && local.active === values[7];
        // Central wins by version: a local edit survives only until central publishes a newer
        // version than the one last pulled.
        const centralChanged = p.version > (pulledVersions[p.id] ?? 0);
        pulledVersions[p.id] = p.version;
        if (same || !centralChanged) continue;
        db.prepare(
          `UPDATE partners SET code = ?, name = ?, domains = ?, address = ?, phone = ?, access_conditions = ?, prescriber_required = ?, active = ?,
             site_id = 'CENTRAL', updated_at = ?, version = version + 1 WHERE id = ?`,
        ).run(...values, nowIso, p.id);
        pulled++;
      } catch {
        delete pulledVersions[p.id];
        errors.push(`Partenaire central ${p.code} non repris : son code est déjà utilisé par un partenaire du site.`);
      }
    }
    writeMeta(store, META.partnerVersions, JSON.stringify(pulledVersions));
  })();
  return { pulled, errors };
}

interface Hello {
  acked: number;
  incarnation: string | null;
}

/**
 * The handshake: which site this account is, where central's acknowledgement stands, and whether
 * the two versions can work together (decision 022). Version problems are blocking: they need
 * an update, not a retry.
 */
async function handshake(client: pg.Client, store: Store, site: string, schemaVersion: number): Promise<Hello> {
  let row:
    | { out_site: string | null; out_acked: string | null; out_incarnation: string | null; out_central_schema: number; out_min_site_schema: number }
    | undefined;
  try {
    row = (await client.query('SELECT * FROM esc.sync_hello($1, $2, $3)', [localIncarnation(store), schemaVersion, APP_VERSION])).rows[0];
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42883' || code === '42P01' || code === '3F000') {
      throw new BlockingError(
        `Le serveur central est trop ancien pour ce site (il ne connaît pas le protocole de synchronisation du schéma ${schemaVersion}) : le service informatique doit mettre à jour le serveur central (npm run central -- migrate avec la nouvelle version). Aucune nouvelle tentative automatique d’ici là.`,
      );
    }
    throw err;
  }
  if (!row) throw new Error('empty handshake');
  if (schemaVersion < row.out_min_site_schema) {
    throw new BlockingError(
      `L’application de ce site est trop ancienne pour le serveur central (schéma ${schemaVersion}, le serveur exige au moins ${row.out_min_site_schema}) : mettez à jour l’application du site. Aucune nouvelle tentative automatique d’ici là.`,
    );
  }
  if (row.out_central_schema < schemaVersion) {
    throw new BlockingError(
      `Le serveur central est trop ancien pour ce site (schéma ${row.out_central_schema}, ce site parle le schéma ${schemaVersion}) : le service informatique doit lancer « npm run central -- migrate » avec la nouvelle version. Aucune nouvelle tentative automatique d’ici là.`,
    );
  }
  if (!row.out_site) {
    throw new BlockingError('Ce compte du serveur central n’est inscrit pour aucun site, ou l’inscription du site a été révoquée : demandez une nouvelle inscription (central enroll-site).');
  }
  if (row.out_site !== site) throw new BlockingError(`Ce compte du serveur central est celui du site ${row.out_site}, pas de ${site}.`);
  return { acked: Number(row.out_acked ?? 0), incarnation: row.out_incarnation };
}

/**
 * Runs one full cycle. Never throws: failures are in `errors` (French, password-free) and the
 * local watermark stays at the last batch central committed.
 */
export async function runSyncCycle(store: Store, site: string, target: CentralTarget, options: SyncOptions = {}): Promise<SyncSummary> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const started = now();
  const t0 = performance.now();
  const summary: SyncSummary = {
    ok: false,
    site,
    pushed: 0,
    pulled: 0,
    batches: 0,
    pending: 0,
    ackedSeq: localWatermark(store),
    resent: false,
    reconciled: 0,
    blocking: false,
    startedAt: started.toISOString(),
    durationMs: 0,
    errors: [],
  };
  const progress = (phase: SyncProgress['phase'], total: number) =>
    options.onProgress?.({ phase, pushed: summary.pushed, total, batches: summary.batches });
  writeMeta(store, META.lastAttemptAt, started.toISOString());
  let client: pg.Client | null = null;
  let total = 0;
  try {
    progress('connect', 0);
    client = await connectCentral(target, 'accueil-esc-sync');
    // One cycle per site at a time, whoever runs it (hub, CLI, a second hub by mistake).
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs ?? 300_000))}`);
    await client.query("SELECT pg_advisory_lock(hashtext('accueil-esc-sync'), hashtext($1))", [site]);
    await client.query('SET lock_timeout = 0');
    const hello = await handshake(client, store, site, options.schemaVersion ?? CENTRAL_SCHEMA_VERSION);
    const centralAcked = hello.acked;
    const incarnation = localIncarnation(store);
    if (hello.incarnation !== incarnation || centralAcked > counterValue(store)) {
      // A restored database (or a file copied back by hand, seen by its counter): a new
      // incarnation, every row re-stamped above central's acknowledgement and re-sent.
      const fresh = hello.incarnation === incarnation ? randomUUID() : incarnation;
      restampAfterRestore(store, centralAcked, fresh);
      await client.query('SELECT esc.sync_restart($1)', [fresh]);
      summary.resent = true;
    } else if (centralAcked !== localWatermark(store)) {
      writeMeta(store, META.ackedSeq, String(centralAcked));
    }
    let watermark = centralAcked;
    total = pendingCount(store, watermark);
    progress('push', total);
    // The next batch (the rows after this one's upper bound) is read while central upserts and
    // commits this one; the local watermark still moves only after that commit.
    let batch = readBatch(store, watermark, batchSize);
    while (batch) {
      let next: Batch | null | undefined;
      const after = batch.upper;
      await pushBatch(client, site, batch, () => {
        next = readBatch(store, after, batchSize);
      });
      summary.batches++;
      options.afterCommit?.(summary.batches);
      writeMeta(store, META.ackedSeq, String(batch.upper));
      watermark = batch.upper;
      summary.pushed += batch.rows;
      progress('push', total);
      batch = next === undefined ? readBatch(store, watermark, batchSize) : next;
    }
    progress('pull', total);
    const pull = await pullReference(client, store, now().toISOString());
    summary.pulled = pull.pulled;
    summary.errors.push(...pull.errors);
    const finish = await client.query<{ n: string }>('SELECT esc.sync_finish($1) AS n', [pendingCount(store, watermark) === 0]);
    summary.reconciled = Number(finish.rows[0]?.n ?? 0);
    summary.ok = true;
  } catch (err) {
    const french = (err as { french?: string }).french;
    if (err instanceof BlockingError) summary.blocking = true;
    const code = (err as { code?: string }).code;
    summary.errors.push(
      french ??
        (code === '55P03' ? 'Une autre synchronisation de ce site est en cours depuis plusieurs minutes : nouvel essai plus tard.' : toCentralError(err, target.url).message),
    );
  } finally {
    if (client) await client.end().catch(() => undefined);
  }
  summary.pending = pendingCount(store);
  summary.ackedSeq = localWatermark(store);
  summary.durationMs = Math.round(performance.now() - t0);
  if (summary.ok) {
    writeMeta(store, META.lastSuccessAt, now().toISOString());
    store.sqlite.prepare('DELETE FROM meta WHERE key = ?').run(META.lastError);
  } else {
    writeMeta(store, META.lastError, summary.errors[0] ?? 'Erreur inconnue.');
  }
  writeMeta(store, META.lastSummary, JSON.stringify(summary));
  progress(summary.ok ? 'done' : 'error', total);
  return summary;
}

/** Forgets the central address: the site stops syncing (what is waiting stays waiting). */
export function clearTarget(store: Store): void {
  store.sqlite.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(META.url, META.ca);
}

/** Stores the central address (and CA) in the encrypted site database, after checking it. */
export function saveTarget(store: Store, target: CentralTarget): void {
  parseCentralUrl(target.url);
  store.sqlite.transaction(() => {
    writeMeta(store, META.url, target.url);
    if (target.ca) writeMeta(store, META.ca, target.ca);
    else store.sqlite.prepare('DELETE FROM meta WHERE key = ?').run(META.ca);
  })();
}
