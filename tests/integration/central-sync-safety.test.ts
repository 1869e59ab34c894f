/**
 * Issue 15, "data that is never lost": a site restored from a backup (then working, restored
 * twice, or restored from an old backup after central moved on) loses no row and leaves no
 * phantom row centrally; two syncs of one site at once count once; central status follows the
 * opening days; a site or a central too old is told what to do in French and not retried.
 * Real encrypted site databases, real backups, a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSite, TestClock, type TestSite } from '../fixtures/site';
import { createTestCentral, type TestCentral } from '../central/database';
import { aggregatesVsRecount } from '../central/recount';
import { seedSite } from '../../src/main/seed/generate';
import { centralStatus, enrollSite } from '../../src/main/central/admin';
import { CENTRAL_MIGRATIONS } from '../../src/main/central/migrations';
import { siteLate } from '../../src/main/central/opening';
import { centralColumns, localColumns, PUSHED_TABLES, toCentralRow } from '../../src/main/sync/allow-list';
import { pendingCount, runSyncCycle, saveTarget, type SyncSummary } from '../../src/main/sync/client';
import { backupNow, INCARNATION_KEY, restoreBackup, restoreLive } from '../../src/main/store/backup';
import { openStore, readMeta, type Store } from '../../src/main/store/open';
import { SyncService } from '../../src/main/sync/service';

let central: TestCentral;
const backups = mkdtempSync(join(tmpdir(), 'esc-central-backups-'));

beforeAll(async () => {
  central = await createTestCentral(inject('pgAdminUrl'));
}, 120_000);

afterAll(async () => {
  await central?.drop();
  rmSync(backups, { recursive: true, force: true });
});

const all = <T>(store: Store, sql: string, ...params: unknown[]): T[] => store.sqlite.prepare(sql).all(...params) as T[];

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' && /^\d+$/.test(v) && (k === 'change_seq' || k === 'version') ? Number(v) : v;
  return out;
}

/**
 * Central holds every row of the site exactly as the allow-list sends it (no lost row), and every
 * other central row of that site is tombstoned (no phantom row in any figure).
 */
async function expectCentralMirrorsSite(store: Store, code: string): Promise<{ phantoms: number }> {
  let phantoms = 0;
  for (const t of PUSHED_TABLES) {
    const expected = all<Record<string, unknown>>(store, `SELECT ${localColumns(t).join(', ')} FROM ${t.local}${t.where ? ` WHERE ${t.where}` : ''} ORDER BY id`).map((r) =>
      normalise(toCentralRow(t, r)),
    );
    const ids = new Set(expected.map((r) => r.id as string));
    const select = centralColumns(t).map((c) =>
      c.kind === 'timestamptz' ? `to_char(${c.name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c.name}` : c.kind === 'date' ? `${c.name}::text AS ${c.name}` : c.name,
    );
    const rows = (await central.query(`SELECT ${select.join(', ')} FROM esc.${t.central} WHERE site_id = $1 ORDER BY id`, [code])).map(normalise);
    expect(
      rows.filter((r) => ids.has(r.id as string)),
      `${code} ${t.central}: every site row, as sent`,
    ).toEqual(expected);
    const extra = rows.filter((r) => !ids.has(r.id as string));
    expect(
      extra.filter((r) => r.deleted_at === null).map((r) => r.id),
      `${code} ${t.central}: rows the site no longer has are tombstoned`,
    ).toEqual([]);
    phantoms += extra.length;
  }
  return { phantoms };
}

/** What the site counts (non-cancelled passages, contacts) equals the central monthly aggregates. */
async function expectFiguresAgree(store: Store, code: string): Promise<void> {
  const local = all<{ month: string; passages: number }>(
    store,
    "SELECT substr(day, 1, 7) AS month, count(*) AS passages FROM queue_entries WHERE state <> 'cancelled' AND deleted_at IS NULL GROUP BY 1 ORDER BY 1",
  );
  const remote = await central.query<{ month: string; passages: number }>(
    "SELECT to_char(month, 'YYYY-MM') AS month, passages FROM esc.agg_month WHERE site_id = $1 AND passages > 0 ORDER BY 1",
    [code],
  );
  expect(remote).toEqual(local);
  const contacts = all<{ n: number }>(store, 'SELECT count(*) AS n FROM contacts WHERE deleted_at IS NULL')[0]!.n;
  const [c] = await central.query<{ n: string }>('SELECT coalesce(sum(contacts), 0) AS n FROM esc.agg_month WHERE site_id = $1', [code]);
  expect(Number(c!.n)).toBe(contacts);
  const { maintained, recount } = await aggregatesVsRecount(central);
  expect(maintained).toEqual(recount);
}

async function sync(site: TestSite, url: string, options: Parameters<typeof runSyncCycle>[3] = {}): Promise<SyncSummary> {
  return runSyncCycle(site.store, site.app.core.site.code, { url }, options);
}

describe('a site restored from a backup', () => {
  let site: TestSite;
  let url: string;

  beforeAll(async () => {
    site = await createTestSite('BLOSNE', new TestClock(new Date('2026-03-31T18:00:00Z')));
    url = (await enrollSite({ url: central.ownerUrl }, 'BLOSNE')).url;
  }, 60_000);
  afterAll(() => site?.close());

  it('restore, work a day, sync: every row the site has arrives, the lost days leave the figures', async () => {
    await seedSite(site.store, { seed: 'r1', end: '2026-03-06', days: 5 });
    expect((await sync(site, url)).ok).toBe(true);
    const before = backupNow(site.store, site.keyHex, backups, 10, new Date('2026-03-06T18:00:00Z'));
    // The site goes on for a week, synced every night.
    await seedSite(site.store, { seed: 'r2', end: '2026-03-13', days: 7 });
    expect((await sync(site, url)).ok).toBe(true);
    const incarnation = readMeta(site.store, INCARNATION_KEY);

    // The disk fails: the 6 March backup is restored from the administration screen…
    restoreLive(site.store, join(backups, before.name), site.keyHex);
    expect(readMeta(site.store, INCARNATION_KEY)).not.toBe(incarnation);
    // …and the site works two more days before the next sync (the case that lost 1 301 rows).
    await seedSite(site.store, { seed: 'r3', end: '2026-03-17', days: 4 });
    const waiting = pendingCount(site.store);
    expect(waiting).toBeGreaterThan(0);
    const s = await sync(site, url);
    expect(s).toMatchObject({ ok: true, resent: true, pending: 0, errors: [] });
    // Everything the site holds was re-sent, not only what was above the old watermark.
    expect(s.pushed).toBeGreaterThan(waiting);
    expect(s.reconciled).toBeGreaterThan(0);
    const { phantoms } = await expectCentralMirrorsSite(site.store, 'BLOSNE');
    expect(phantoms).toBe(s.reconciled);
    await expectFiguresAgree(site.store, 'BLOSNE');
    // Days 9–13 March exist only in the lost database: no figure counts them any more.
    const [lost] = await central.query<{ n: string }>("SELECT coalesce(sum(passages), 0) AS n FROM esc.agg_day WHERE site_id = 'BLOSNE' AND day BETWEEN '2026-03-09' AND '2026-03-13'");
    expect(Number(lost!.n)).toBe(0);
    const [state] = await central.query<{ orphaned_rows: string; restores: number; resend_from: Date | null }>("SELECT orphaned_rows, restores, resend_from FROM esc.sync_state WHERE site_id = 'BLOSNE'");
    expect(state).toMatchObject({ orphaned_rows: String(s.reconciled), restores: 1, resend_from: null });
    // The next cycle is an ordinary one.
    expect(await sync(site, url)).toMatchObject({ ok: true, resent: false, pushed: 0, reconciled: 0 });
  }, 180_000);

  it('restored twice (the same backup again, the second time without a sync between)', async () => {
    const backup = backupNow(site.store, site.keyHex, backups, 10, new Date('2026-03-17T18:00:00Z'));
    await seedSite(site.store, { seed: 'r4', end: '2026-03-20', days: 3 });
    expect((await sync(site, url)).ok).toBe(true);
    restoreLive(site.store, join(backups, backup.name), site.keyHex);
    await seedSite(site.store, { seed: 'r5', end: '2026-03-23', days: 3 });
    restoreLive(site.store, join(backups, backup.name), site.keyHex);
    await seedSite(site.store, { seed: 'r6', end: '2026-03-24', days: 1 });
    // The resend is cut after two batches: nothing is reconciled before everything has arrived.
    const cut = await sync(site, url, {
      batchSize: 300,
      afterCommit: (n) => {
        if (n === 2) throw new Error('crash');
      },
    });
    expect(cut).toMatchObject({ ok: false, resent: true, reconciled: 0 });
    const [open] = await central.query<{ resend_from: Date | null }>("SELECT resend_from FROM esc.sync_state WHERE site_id = 'BLOSNE'");
    expect(open!.resend_from).not.toBeNull();
    const s = await sync(site, url);
    expect(s).toMatchObject({ ok: true, resent: false, pending: 0 });
    expect(s.reconciled).toBeGreaterThan(0);
    await expectCentralMirrorsSite(site.store, 'BLOSNE');
    await expectFiguresAgree(site.store, 'BLOSNE');
  }, 180_000);

  it('an old backup restored after central moved on (a command-line restore, hub stopped)', async () => {
    // The oldest backup of all (5 days of March), restored with `hub restore` on the stopped hub.
    const oldest = backupNow(site.store, site.keyHex, backups, 10, new Date('2026-03-24T18:00:00Z'));
    await seedSite(site.store, { seed: 'r7', end: '2026-03-31', days: 7 });
    expect((await sync(site, url)).ok).toBe(true);
    site.store.close();
    restoreBackup(site.file, join(backups, oldest.name), site.keyHex);
    const reopened = openStore({ file: site.file, keyHex: site.keyHex, mode: 'open' });
    site.store.sqlite = reopened.sqlite;
    site.store.db = reopened.db;
    site.store.close = reopened.close;
    const s = await sync(site, url);
    expect(s).toMatchObject({ ok: true, resent: true, pending: 0 });
    expect(s.reconciled).toBeGreaterThan(0);
    await expectCentralMirrorsSite(site.store, 'BLOSNE');
    await expectFiguresAgree(site.store, 'BLOSNE');
    // A row the restored site edits later still arrives (its counter is past central's).
    const id = all<{ id: string }>(site.store, 'SELECT id FROM contacts ORDER BY id LIMIT 1')[0]!.id;
    site.store.sqlite.prepare('UPDATE contacts SET duration_minutes = 33 WHERE id = ?').run(id);
    expect(await sync(site, url)).toMatchObject({ ok: true, pushed: 1 });
    await expectCentralMirrorsSite(site.store, 'BLOSNE');
  }, 180_000);
});

describe('two syncs of one site at once', () => {
  it('are serialised by an advisory lock: every row sent once and counted once', async () => {
    const site = await createTestSite('CLEUNAY');
    try {
      await seedSite(site.store, { seed: 'concurrent', end: '2026-03-13', days: 5 });
      const url = (await enrollSite({ url: central.ownerUrl }, 'CLEUNAY')).url;
      const waiting = pendingCount(site.store);
      const [a, b, c] = await Promise.all([sync(site, url, { batchSize: 200 }), sync(site, url, { batchSize: 200 }), sync(site, url, { batchSize: 200 })]);
      expect([a.ok, b.ok, c.ok]).toEqual([true, true, true]);
      expect(a.pushed + b.pushed + c.pushed).toBe(waiting);
      const [state] = await central.query<{ rows_received: string }>("SELECT rows_received FROM esc.sync_state WHERE site_id = 'CLEUNAY'");
      expect(Number(state!.rows_received)).toBe(waiting);
      // A second cycle with nothing new counts nothing more.
      expect((await sync(site, url)).pushed).toBe(0);
      const [again] = await central.query<{ rows_received: string }>("SELECT rows_received FROM esc.sync_state WHERE site_id = 'CLEUNAY'");
      expect(Number(again!.rows_received)).toBe(waiting);
      await expectCentralMirrorsSite(site.store, 'CLEUNAY');
    } finally {
      site.close();
    }
  }, 120_000);
});

describe('schema versions', () => {
  it('a site too old or a central too old is told in French what to do, and not retried automatically', async () => {
    const clock = new TestClock(new Date('2026-03-13T17:00:00Z'));
    const site = await createTestSite('CENTRE', clock);
    try {
      await seedSite(site.store, { seed: 'versions', end: '2026-03-12', days: 2, clock });
      const url = (await enrollSite({ url: central.ownerUrl }, 'CENTRE')).url;
      // A site speaking a schema newer than every migration this central has applied.
      const centralSchema = CENTRAL_MIGRATIONS.at(-1)!.id;
      const newer = await sync(site, url, { schemaVersion: centralSchema + 1 });
      expect(newer).toMatchObject({ ok: false, blocking: true, pushed: 0 });
      expect(newer.errors[0]).toMatch(
        new RegExp(`^Le serveur central est trop ancien pour ce site \\(schéma ${centralSchema}, ce site parle le schéma ${centralSchema + 1}\\) : le service informatique doit lancer « npm run central -- migrate »`),
      );

      await central.query("UPDATE esc.settings SET value = '3' WHERE key = 'min_site_schema'");
      const service = new SyncService(site.app.core);
      saveTarget(site.store, { url });
      expect(service.due()).toBe(true);
      const older = await service.run();
      expect(older).toMatchObject({ ok: false, blocking: true });
      expect(older.errors[0]).toMatch(/^L’application de ce site est trop ancienne pour le serveur central \(schéma 2, le serveur exige au moins 3\) : mettez à jour l’application du site/);
      // No retry every hour forever: nothing is due until someone acts (or asks for a sync).
      for (const minutes of [1, 5, 60, 24 * 60]) {
        clock.set(new Date(Date.parse('2026-03-13T17:00:00Z') + minutes * 60_000));
        expect(service.due(), `after ${minutes} min`).toBe(false);
      }
      expect(service.status().lastError).toBe(older.errors[0]);
      // IT sees it in the central status too.
      const st = (await centralStatus({ url: central.ownerUrl })).find((s) => s.site === 'CENTRE')!;
      expect(st.versionProblem).toMatch(/Application du site trop ancienne \(schéma 2, le serveur central exige 3\)/);
      expect(st.late).toBe(true);
      await central.query("UPDATE esc.settings SET value = '2' WHERE key = 'min_site_schema'");
      expect(await service.run()).toMatchObject({ ok: true, pending: 0 });
      expect(service.due()).toBe(false);
    } finally {
      site.close();
    }
  }, 120_000);
});

describe('central status for IT', () => {
  it('follows each site’s opening days: no alarm on weekends or holidays, an alarm the next opening morning', () => {
    const enrolled = new Date('2026-01-05T08:00:00Z');
    // Synced on Friday 13 March 2026 at 18:00 Paris (17:00 UTC).
    const friday = new Date('2026-03-13T17:00:00Z');
    for (const now of ['2026-03-14T10:00:00Z', '2026-03-15T21:00:00Z', '2026-03-16T09:29:00Z']) {
      expect(siteLate('BLOSNE', friday, enrolled, new Date(now)), now).toEqual({ late: false, reason: null });
    }
    // Monday 16 March, 10:31 Paris: Friday's figures were due by 10:30.
    const monday = siteLate('BLOSNE', new Date('2026-03-12T17:00:00Z'), enrolled, new Date('2026-03-16T09:31:00Z'));
    expect(monday).toEqual({ late: true, reason: 'Pas de synchronisation réussie depuis la fermeture du 13/03/2026 (attendue avant le 16/03/2026 10:30).' });
    // Easter Monday 6 April 2026 is a holiday: Friday 3 April is due on Tuesday.
    expect(siteLate('CESAIRE', new Date('2026-04-03T16:00:00Z'), enrolled, new Date('2026-04-07T06:00:00Z')).late).toBe(false);
    // Le Blosne is closed on Tuesday mornings: Monday 13 April's figures are due Tuesday 15:30.
    expect(siteLate('BLOSNE', new Date('2026-04-10T16:00:00Z'), enrolled, new Date('2026-04-14T12:00:00Z')).late).toBe(false);
    expect(siteLate('BLOSNE', new Date('2026-04-10T16:00:00Z'), enrolled, new Date('2026-04-14T13:31:00Z')).late).toBe(true);
    // Never synced since enrolment.
    expect(siteLate('IFF', null, new Date('2026-03-10T08:00:00Z'), new Date('2026-03-12T10:00:00Z')).reason).toMatch(/^Jamais synchronisé/);
  });

  it('a successful cycle with nothing to send is a contact and a success, not rows received; --json for monitoring', async () => {
    const site = await createTestSite('VILLEJEAN');
    try {
      await seedSite(site.store, { seed: 'status', end: '2026-03-12', days: 2 });
      const url = (await enrollSite({ url: central.ownerUrl }, 'VILLEJEAN')).url;
      expect((await sync(site, url)).ok).toBe(true);
      const first = (await centralStatus({ url: central.ownerUrl })).find((s) => s.site === 'VILLEJEAN')!;
      await new Promise((r) => setTimeout(r, 50));
      expect(await sync(site, url)).toMatchObject({ ok: true, pushed: 0 });
      const second = (await centralStatus({ url: central.ownerUrl })).find((s) => s.site === 'VILLEJEAN')!;
      expect(second.lastRowsAt).toBe(first.lastRowsAt);
      expect(Date.parse(second.lastSuccessAt!)).toBeGreaterThan(Date.parse(first.lastSuccessAt!));
      expect(Date.parse(second.lastContactAt!)).toBeGreaterThan(Date.parse(first.lastContactAt!));
      expect(second).toMatchObject({ late: false, rowsReceived: first.rowsReceived, siteSchema: 2 });

      const { spawnSync } = await import('node:child_process');
      const out = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'central', 'status', '--json', '--url', central.ownerUrl], {
        encoding: 'utf8',
        env: { ...process.env, ESC_LOG: 'silent' },
      });
      const json = JSON.parse(out.stdout) as { late: boolean; sites: { site: string; late: boolean; lastSuccessAt: string; lastRowsAt: string }[] };
      const v = json.sites.find((s) => s.site === 'VILLEJEAN')!;
      expect(v).toMatchObject({ late: false, lastSuccessAt: second.lastSuccessAt, lastRowsAt: second.lastRowsAt });
      expect(out.status).toBe(json.late ? 3 : 0);
    } finally {
      site.close();
    }
  }, 120_000);
});
