/**
 * The support bundle an administrator downloads for IT or the project's support
 * (docs/decisions/027-first-start-logs-support.md): which versions run, how the site is set up,
 * the last warnings and errors, the state of the sync and of the backups. Built from an
 * allow-list, never by dumping: no personal data (no name, login, note, pseudonymous key, device
 * name), no key, no password, no central address password, no private key — only counts,
 * identifiers of the software, settings and error codes.
 */
import { statSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { CONTRACT_VERSION, OLDEST_SERVED_CONTRACT } from '../../shared/api/version';
import { localDay } from '../../shared/time/paris';
import type { Services } from '../api/types';
import { recentProblems } from '../api/log';
import { buildInfo } from '../runtime/build-info';
import { SCHEMA_VERSION } from '../store/migrations';
import { readMeta } from '../store/open';
import { listBackups } from '../store/backup';
import { fingerprintOf } from '../hub/tls';

export const SUPPORT_BUNDLE_FORMAT = 'accueil-esc-assistance/1';

/** Tables whose row counts help support size a problem (counts only, never rows). */
const COUNTED_TABLES = ['accounts', 'queue_entries', 'contacts', 'handoffs', 'day_closings', 'directory_entries', 'partners', 'devices', 'audit_log'] as const;

function count(services: Services, table: string): number | null {
  try {
    return (services.core.store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } catch {
    return null;
  }
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

export function supportBundle(services: Services): { fileName: string; json: string; generatedAt: string } {
  const core = services.core;
  const now = core.clock.now();
  const info = buildInfo();
  const sqlite = core.store.sqlite;
  const dbFile = sqlite.name;
  const migrations = (sqlite.prepare('SELECT id FROM __migrations__ ORDER BY id').all() as { id: number }[]).map((m) => m.id);
  const roles = sqlite.prepare('SELECT role, count(*) AS n, sum(disabled) AS disabled FROM accounts GROUP BY role ORDER BY role').all() as { role: string; n: number; disabled: number | null }[];
  const settings = (sqlite.prepare('SELECT key, value, version, updated_at FROM site_settings WHERE deleted_at IS NULL ORDER BY key').all() as { key: string; value: string; version: number; updated_at: string }[]).map(
    (s) => ({ key: s.key, version: s.version, updatedAt: s.updated_at, value: JSON.parse(s.value) as unknown }),
  );
  const cert = readMeta(core.store, 'hub.tls_cert');
  const sync = services.sync.status();
  const backups = services.backups ? listBackups(services.backups.dir) : [];
  const bundle = {
    format: SUPPORT_BUNDLE_FORMAT,
    generatedAt: now.toISOString(),
    application: {
      version: info.version,
      commit: info.commit,
      builtAt: info.builtAt,
      bundled: info.bundled,
      runMode: services.runMode,
      contract: CONTRACT_VERSION,
      oldestContractServed: OLDEST_SERVED_CONTRACT,
      schemaVersion: SCHEMA_VERSION,
    },
    runtime: {
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      platform: platform(),
      osRelease: release(),
      arch: arch(),
      uptimeSeconds: Math.round(process.uptime()),
      memoryMiB: Math.round(process.memoryUsage().rss / 1048576),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    },
    site: { code: core.site.code, name: core.site.name, today: localDay(now) },
    database: {
      migrationsApplied: migrations,
      createdAt: readMeta(core.store, 'created_at') ?? null,
      sizeBytes: fileSize(dbFile),
      walBytes: fileSize(`${dbFile}-wal`),
      // AEGIS-256 unless an earlier version's file could not be rewritten yet (decision 031).
      cipher: core.store.cipher,
      // Whether the WAL is checkpointed off the desks' thread (decision 029), and how it went.
      walCheckpointer: services.checkpointer ? { active: services.checkpointer.active, ...services.checkpointer.totals } : null,
      rows: Object.fromEntries(COUNTED_TABLES.map((t) => [t, count(services, t)])),
      accountsByRole: roles.map((r) => ({ role: r.role, accounts: r.n, disabled: r.disabled ?? 0 })),
    },
    settings,
    network: services.lan
      ? { mode: 'réseau du site (TLS, postes appairés)', fingerprint: services.lan.fingerprint, addresses: services.lan.urls }
      : { mode: 'boucle locale', fingerprint: cert ? fingerprintOf(cert) : null, addresses: [] },
    sync: {
      configured: sync.configured,
      central: sync.central,
      running: sync.running,
      syncTime: sync.syncTime,
      lastSuccessAt: sync.lastSuccessAt,
      lastAttemptAt: sync.lastAttemptAt,
      lastError: sync.lastError,
      nextAttemptAt: sync.nextAttemptAt,
      pending: sync.pending,
      ackedSeq: sync.ackedSeq,
      last: sync.last,
    },
    backups: services.backups
      ? { configured: true, keep: services.backups.keep, copies: backups.length, latest: backups[0] ? { createdAt: backups[0].createdAt, sizeBytes: backups[0].size } : null }
      : { configured: false },
    recentProblems: recentProblems(),
  };
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return { fileName: `accueil-esc-assistance-${core.site.code}-${stamp}.json`, json: `${JSON.stringify(bundle, null, 2)}\n`, generatedAt: now.toISOString() };
}
