/**
 * Issue 16: housekeeping scanned every arrival (`purgeFirstNames`) and the contacts table twice
 * (retention) once a minute, so on ten years a desk waited up to 3.7 s every minute. Each job now
 * reads through a partial index of the rows it still has to change: the plan is an index range
 * search (never a table scan), and once the backlog is worked off a run examines no row older
 * than its cutoff, on a one-day base as on a multi-year one. Asserted on plans and row counts,
 * not on time.
 */
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH, HOUSEKEEPING_STATEMENTS, runHousekeeping } from '../../src/main/api/housekeeping';
import { seedSite } from '../../src/main/seed/generate';
import { localDay } from '../../src/shared/time/paris';
import { createTestSite, type TestSite } from '../fixtures/site';
import { DEFAULT_RETENTION } from '../../src/main/core/privacy/privacy';

const END = '2026-10-30';
const NOW = '2026-11-02T10:00:00+01:00';
let oneDay: TestSite;
let years: TestSite;

async function seeded(days: number): Promise<TestSite> {
  const site = await createTestSite();
  site.clock.set(NOW);
  await seedSite(site.store, { end: END, days, passagesMin: 30, passagesMax: 60, seed: 'housekeeping', clock: site.clock });
  return site;
}

beforeAll(async () => {
  oneDay = await seeded(1);
  years = await seeded(4 * 365);
}, 300_000);
afterAll(() => {
  oneDay?.close();
  years?.close();
});

const count = (site: TestSite, sql: string, ...args: unknown[]) => (site.store.sqlite.prepare(sql).get(...args) as { n: number }).n;

/** Rows each job's statement examines on a run: its partial index's range up to the cutoff. */
function examined(site: TestSite): Record<string, number> {
  const now = site.clock.now();
  const today = localDay(now);
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  return {
    closeOpenEntries: count(site, "SELECT count(*) AS n FROM queue_entries INDEXED BY queue_entries_open_day WHERE state IN ('waiting', 'called') AND day < ?", today),
    purgeFirstNames: count(site, 'SELECT count(*) AS n FROM queue_entries INDEXED BY queue_entries_first_name_day WHERE first_name IS NOT NULL AND day < ?', today),
    expireOverdue: count(site, "SELECT count(*) AS n FROM handoffs INDEXED BY handoffs_proposed_expiry WHERE state = 'proposed' AND expires_at <= ?", now.toISOString()),
    anonymiseOld: count(site, 'SELECT count(*) AS n FROM handoffs INDEXED BY handoffs_not_anonymised WHERE anonymised_at IS NULL AND created_at < ?', before(30)),
    clearNotes: count(site, 'SELECT count(*) AS n FROM contacts INDEXED BY contacts_note_at WHERE note IS NOT NULL AND at < ?', before(DEFAULT_RETENTION.contactNotesDays)),
    clearPersonKeys: count(site, 'SELECT count(*) AS n FROM contacts INDEXED BY contacts_person_key_at WHERE person_key IS NOT NULL AND at < ?', before(DEFAULT_RETENTION.personKeysDays)),
  };
}

describe('housekeeping costs the same on years as on one day', () => {
  it('goes through a partial index range for every job, never a table scan', () => {
    for (const [job, { sql, args, index }] of Object.entries(HOUSEKEEPING_STATEMENTS)) {
      const plan = (years.store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail);
      expect(plan.some((d) => d.includes(`USING INDEX ${index} (`) || d.includes(`USING COVERING INDEX ${index} (`)), `${job}: ${plan.join(' / ')}`).toBe(true);
      expect(plan.filter((d) => /^SCAN (queue_entries|contacts|handoffs)\b/.test(d)), `${job}: ${plan.join(' / ')}`).toEqual([]);
    }
  });

  it('leaves its backlog alone while a backup copies the base (the disk is the backup’s), and goes on afterwards', async () => {
    const backlog = examined(years);
    const backup = years.app.services.jobs.run('backup', { dir: join(dirname(years.file), 'sauvegardes'), keep: 1 }, { owner: null, now: years.clock.now() });
    while (!years.app.services.jobs.isRunning('backup')) await new Promise((r) => setTimeout(r, 5));
    await runHousekeeping(years.app);
    const copied = await backup;
    expect(copied.size).toBeGreaterThan(10_000_000);
    // Nothing of the backlog was touched while the copy ran.
    expect(examined(years)).toEqual(backlog);
  }, 120_000);

  it('works a backlog off in batches, then examines no row past its cutoff on either base', async () => {
    const arrivals = (s: TestSite) => count(s, 'SELECT count(*) AS n FROM queue_entries');
    const contacts = (s: TestSite) => count(s, 'SELECT count(*) AS n FROM contacts');
    // The bases differ by orders of magnitude: what a table scan would read.
    expect(arrivals(years)).toBeGreaterThan(100 * arrivals(oneDay));
    expect(contacts(years)).toBeGreaterThan(100 * contacts(oneDay));
    // The multi-year base starts with more to clear than one batch (seeded notes, keys…).
    const backlog = examined(years);
    expect(Object.values(backlog).reduce((a, b) => a + b, 0)).toBeGreaterThan(BATCH);

    for (const site of [oneDay, years]) await runHousekeeping(site.app);
    // Steady state: each run reads what it changes and nothing else, the same on both bases.
    expect(examined(years)).toEqual(examined(oneDay));
    expect(Object.values(examined(years)).every((n) => n === 0)).toBe(true);

  }, 120_000);

  it('did the jobs: no first name of a past day, no note or key past its retention', () => {
    const today = localDay(years.clock.now());
    expect(count(years, 'SELECT count(*) AS n FROM queue_entries WHERE first_name IS NOT NULL AND day < ?', today)).toBe(0);
    const before = (days: number) => new Date(years.clock.now().getTime() - days * 86_400_000).toISOString();
    expect(count(years, 'SELECT count(*) AS n FROM contacts WHERE note IS NOT NULL AND at < ?', before(DEFAULT_RETENTION.contactNotesDays))).toBe(0);
    expect(count(years, 'SELECT count(*) AS n FROM contacts WHERE person_key IS NOT NULL AND at < ?', before(DEFAULT_RETENTION.personKeysDays))).toBe(0);
    expect(count(years, 'SELECT count(*) AS n FROM contacts WHERE person_key IS NOT NULL')).toBeGreaterThan(0);
  });
});
