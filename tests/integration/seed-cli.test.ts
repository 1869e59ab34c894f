/**
 * `npm run seed` alone on a new base leaves it as a site whose housekeeping ran every day: a hub
 * started next has no backlog of years to work off while desks wait (issue 16), and the figures
 * of the seeded history are the same as before the erasures (decision 016).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { seedCommand } from '../../src/main/cli/seed';
import { createApp } from '../../src/main/api/app';
import { catchUpHousekeeping } from '../../src/main/api/housekeeping';
import { periodReport } from '../../src/main/core/stats/period';
import { openStore } from '../../src/main/store/open';
import { addDays, localDay } from '../../src/shared/time/paris';

const dir = mkdtempSync(join(tmpdir(), 'esc-seed-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run seed on a new base', () => {
  it('erases what retention would have erased by now, and the seeded figures do not change', async () => {
    // Twelve days that ended 800 days ago: older than the 730 days person keys are kept.
    const end = addDays(localDay(new Date()), -800);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await seedCommand(['--site', 'BLOSNE', '--out', join(dir, 'out'), '--days', '12', '--end', end]);
    } finally {
      write.mockRestore();
    }
    const line = JSON.parse(out.join('')) as {
      sites: { journal: string; housekeeping: { clearedPersonKeys: number; clearedNotes: number; duration_ms: number } | null; totals: { identifiedPassages: number; distinctPersons: number; contacts: number } }[];
    };
    const [site] = line.sites;
    expect(site!.journal).toBe('delete');
    expect(site!.totals.identifiedPassages).toBeGreaterThan(50);
    expect(site!.housekeeping!.clearedPersonKeys).toBe(site!.totals.identifiedPassages);

    const store = openStore({ file: join(dir, 'out', 'BLOSNE', 'accueil-esc.db'), keyHex: readFileSync(join(dir, 'out', 'BLOSNE.key'), 'utf8').trim(), mode: 'open' });
    const app = createApp(store);
    try {
      const count = (sql: string) => (store.sqlite.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(person_key) AS n FROM contacts')).toBe(0);
      expect(count('SELECT count(*) AS n FROM contacts WHERE note IS NOT NULL')).toBe(0);
      expect(count('SELECT count(*) AS n FROM contacts')).toBe(site!.totals.contacts);
      // The persons counted before the keys were erased are still counted (person counts made final first).
      const report = periodReport(app.core, addDays(end, -11), end);
      expect(report.figures.distinctPersons).toBe(site!.totals.distinctPersons);
      expect(report.figures.identifiedPassages).toBe(site!.totals.identifiedPassages);
      // A hub started next finds nothing left to do: no erasure, no day to recompute (today excepted).
      expect(store.sqlite.prepare('SELECT day FROM day_aggregates_stale WHERE day < ?').pluck().all(localDay(new Date()))).toEqual([]);
      expect(catchUpHousekeeping(app.core)).toEqual({ closedPastEntries: 0, purgedFirstNames: 0, expiredHandoffs: 0, anonymisedHandoffs: 0, clearedNotes: 0, clearedPersonKeys: 0 });
    } finally {
      await app.close();
      store.close();
    }
  }, 120_000);
});
