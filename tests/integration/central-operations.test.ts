/**
 * Central operations (decision 022): enrolment secrets never printed nor logged in clear, a site
 * revoked, PUBLIC without CONNECT, retention that never double-counts, and the portal's accounts
 * (lock-out counted atomically, one message for every failure, journal).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createTestSite, TestClock } from '../fixtures/site';
import { createTestCentral, withDatabase, type TestCentral } from '../central/database';
import { centralStatus, enrollSite, revokeSite, scramVerifier } from '../../src/main/central/admin';
import { purgeRows } from '../../src/main/central/retention';
import { seedSite } from '../../src/main/seed/generate';
import { runSyncCycle } from '../../src/main/sync/client';
import { aggregatesVsRecount } from '../central/recount';
import { signIn, SIGN_IN_FAILED, upsertPortalAccount } from '../../src/main/central/portal/accounts';

let central: TestCentral;
const dir = mkdtempSync(join(tmpdir(), 'esc-central-ops-'));

beforeAll(async () => {
  central = await createTestCentral(inject('pgAdminUrl'));
}, 120_000);
afterAll(async () => {
  await central?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('enrolment secrets', () => {
  it('enroll-site writes the address to a new 0600 file, prints no password, and sets a SCRAM verifier', () => {
    const file = join(dir, 'centre.url');
    const env = { ...process.env, ESC_LOG: 'silent' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'central', 'enroll-site', '--site', 'CENTRE', '--url', central.ownerUrl, '--out', file], {
      encoding: 'utf8',
      env,
    });
    expect(r.status).toBe(0);
    const url = readFileSync(file, 'utf8').trim();
    const password = decodeURIComponent(new URL(url).password);
    expect(password.length).toBeGreaterThan(20);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain(password);
    expect(r.stdout).toContain('--url-file centre.url');
    // Never overwritten: a second enrolment to the same file is refused before anything changes.
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'central', 'enroll-site', '--site', 'CENTRE', '--url', central.ownerUrl, '--out', file], {
      encoding: 'utf8',
      env,
    });
    expect(again.status).not.toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe(url);
    expect(scramVerifier('pencil', Buffer.alloc(16, 1))).toMatch(/^SCRAM-SHA-256\$4096:AQEBAQEBAQEBAQEBAQEBAQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
  }, 60_000);

  it('PUBLIC cannot connect to the central database', async () => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    const role = `${central.rolePrefix}stranger`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'stranger-password-1'`);
    await admin.end();
    const u = new URL(withDatabase(inject('pgAdminUrl'), central.database));
    u.username = role;
    u.password = 'stranger-password-1';
    const c = new pg.Client({ connectionString: u.toString() });
    await expect(c.connect()).rejects.toMatchObject({ code: '42501' });
  });
});

describe('revoking a site', () => {
  it('stops its syncs with a French message, keeps its figures, and enrolment lifts it', async () => {
    const site = await createTestSite('IFF', new TestClock(new Date('2026-03-13T18:00:00Z')));
    try {
      await seedSite(site.store, { seed: 'revoke', end: '2026-03-12', days: 3 });
      const url = (await enrollSite({ url: central.ownerUrl }, 'IFF')).url;
      expect((await runSyncCycle(site.store, 'IFF', { url })).ok).toBe(true);
      const [before] = await central.query<{ n: string }>("SELECT sum(passages) AS n FROM esc.agg_month WHERE site_id = 'IFF'");
      const r = await revokeSite({ url: central.ownerUrl }, 'IFF');
      expect(r).toMatchObject({ site: 'IFF' });
      const s = await runSyncCycle(site.store, 'IFF', { url });
      expect(s.ok).toBe(false);
      expect(s.errors[0]).toMatch(/^Identifiants refusés par le serveur central/);
      const st = (await centralStatus({ url: central.ownerUrl })).find((x) => x.site === 'IFF')!;
      expect(st.revokedAt).not.toBeNull();
      expect(st.late).toBe(false);
      const [after] = await central.query<{ n: string }>("SELECT sum(passages) AS n FROM esc.agg_month WHERE site_id = 'IFF'");
      expect(after!.n).toBe(before!.n);
      await expect(revokeSite({ url: central.ownerUrl }, 'NANTES')).rejects.toThrow(/Site inconnu « NANTES »/);
      const fresh = (await enrollSite({ url: central.ownerUrl }, 'IFF')).url;
      expect((await runSyncCycle(site.store, 'IFF', { url: fresh })).ok).toBe(true);
    } finally {
      site.close();
    }
  }, 120_000);
});

describe('retention', () => {
  it('purges old rows, keeps the aggregates, and ignores purged rows sent again', async () => {
    const site = await createTestSite('CESAIRE', new TestClock(new Date('2026-03-13T18:00:00Z')));
    try {
      await seedSite(site.store, { seed: 'retention', end: '2026-03-12', days: 3 });
      await seedSite(site.store, { seed: 'retention-old', end: '2022-06-10', days: 5 });
      const url = (await enrollSite({ url: central.ownerUrl }, 'CESAIRE')).url;
      expect((await runSyncCycle(site.store, 'CESAIRE', { url })).ok).toBe(true);
      const months = async () => central.query("SELECT month::text, passages, contacts FROM esc.agg_month WHERE site_id = 'CESAIRE' ORDER BY month");
      const kept = await months();
      const r = await purgeRows({ url: central.ownerUrl }, 36, new Date('2026-03-13T12:00:00Z'));
      expect(r.before).toBe('2023-03-01');
      expect(r.deleted).toBeGreaterThan(500);
      const [old] = await central.query<{ n: string }>("SELECT count(*) AS n FROM esc.queue_entries WHERE site_id = 'CESAIRE' AND day < '2023-03-01'");
      expect(Number(old!.n)).toBe(0);
      expect(await months()).toEqual(kept);
      // A full resend (as after a restore) brings the old rows again: ignored, counted once.
      site.store.sqlite.prepare("UPDATE meta SET value = 'another-incarnation' WHERE key = 'store.incarnation'").run();
      const s = await runSyncCycle(site.store, 'CESAIRE', { url });
      expect(s).toMatchObject({ ok: true, resent: true });
      expect(await months()).toEqual(kept);
      const [again] = await central.query<{ n: string }>("SELECT count(*) AS n FROM esc.queue_entries WHERE site_id = 'CESAIRE' AND day < '2023-03-01'");
      expect(Number(again!.n)).toBe(0);
      await expect(purgeRows({ url: central.ownerUrl }, 36)).resolves.toMatchObject({ deleted: 0 });
    } finally {
      site.close();
    }
  }, 120_000);

  it('the aggregates still equal a recount of the rows after all of the above (purged months aside)', async () => {
    const { maintained, recount } = await aggregatesVsRecount(central);
    const recent = (rows: unknown[]) => (rows as string[][]).filter((r) => r[1]! >= '2023-03');
    for (const k of Object.keys(recount)) expect(recent(maintained[k]!), k).toEqual(recent(recount[k]!));
  });
});

describe('portal accounts', () => {
  it('one message for every failure; the fifth failure locks, even against concurrent attempts; all journaled', async () => {
    const owner = new pg.Client({ connectionString: central.ownerUrl });
    await owner.connect();
    try {
      await upsertPortalAccount(owner, { login: 'Camille.Apras', displayName: 'Camille', role: 'apras', password: 'un-mot-de-passe-long' });
      await expect(upsertPortalAccount(owner, { login: 'x', displayName: 'X', role: 'apras', password: 'court' })).rejects.toThrow(/au moins 10 caractères/);
      expect(await signIn(owner, 'camille.apras', 'un-mot-de-passe-long')).toMatchObject({ login: 'camille.apras', role: 'apras' });
      await expect(signIn(owner, 'inconnu', 'peu-importe-123')).rejects.toThrow(SIGN_IN_FAILED);
      // Five wrong passwords at once, on five connections: all counted, the account locks.
      const pool = new pg.Pool({ connectionString: central.ownerUrl, max: 5 });
      const attempts = await Promise.allSettled(Array.from({ length: 5 }, () => signIn(pool, 'camille.apras', 'mauvais-mot-de-passe')));
      await pool.end();
      expect(attempts.every((a) => a.status === 'rejected' && (a.reason as Error).message === SIGN_IN_FAILED)).toBe(true);
      await expect(signIn(owner, 'camille.apras', 'un-mot-de-passe-long')).rejects.toThrow(SIGN_IN_FAILED);
      const journal = await owner.query<{ action: string; ok: boolean }>("SELECT action, ok FROM esc.portal_audit WHERE login = 'camille.apras' ORDER BY id");
      expect(journal.rows.filter((j) => j.action === 'lockout')).toHaveLength(1);
      expect(journal.rows.filter((j) => j.action === 'signin' && j.ok)).toHaveLength(1);
      // Resetting the password unlocks.
      await upsertPortalAccount(owner, { login: 'camille.apras', displayName: 'Camille', role: 'apras', password: 'un-autre-mot-de-passe' });
      expect((await signIn(owner, 'camille.apras', 'un-autre-mot-de-passe')).login).toBe('camille.apras');
    } finally {
      await owner.end();
    }
  }, 60_000);
});
