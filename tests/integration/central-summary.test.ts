/**
 * The inter-ESC summary against a real PostgreSQL fed by real syncs: completeness (an enrolled
 * ESC that never synced shown as missing, the current month flagged incomplete, a future period
 * refused), the same wait statistic as the site report (nearest rank on individual waits), small
 * counts masked everywhere, and the same numbers on screen and in every file.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestSite, type TestSite } from '../fixtures/site';
import { createTestCentral, type TestCentral } from '../central/database';
import { seedSite } from '../../src/main/seed/generate';
import { enrollApras, enrollSite } from '../../src/main/central/admin';
import { connectCentral } from '../../src/main/central/connect';
import { runSyncCycle } from '../../src/main/sync/client';
import { buildSummary, checkPeriod, nearestRank, SummaryError, type PortalSummary } from '../../src/main/central/summary';
import { summaryCsv, summaryPdf, summaryXlsx } from '../../src/main/central/summary-export';
import { computeFigures } from '../../src/main/core/stats/figures';
import type pg from 'pg';

let central: TestCentral;
let blosne: TestSite;
let cleunay: TestSite;
let apras: pg.Client;
// "Now" is 15 October 2026 in Paris: October is the current, incomplete month.
const NOW = new Date('2026-10-15T10:00:00Z');

beforeAll(async () => {
  central = await createTestCentral(inject('pgAdminUrl'));
  blosne = await createTestSite('BLOSNE');
  cleunay = await createTestSite('CLEUNAY');
  await seedSite(blosne.store, { seed: 'summary-b', end: '2026-10-14', days: 44 });
  await seedSite(cleunay.store, { seed: 'summary-c', end: '2026-10-14', days: 44, passagesMin: 20, passagesMax: 40 });
  for (const [site, code] of [
    [blosne, 'BLOSNE'],
    [cleunay, 'CLEUNAY'],
  ] as const) {
    const { url } = await enrollSite({ url: central.ownerUrl }, code);
    expect((await runSyncCycle(site.store, code, { url })).ok).toBe(true);
  }
  // Villejean is enrolled but its hub never synced.
  await enrollSite({ url: central.ownerUrl }, 'VILLEJEAN');
  apras = await connectCentral({ url: (await enrollApras({ url: central.ownerUrl })).url });
}, 240_000);

afterAll(async () => {
  await apras?.end();
  blosne?.close();
  cleunay?.close();
  await central?.drop();
});

const table = (s: PortalSummary, id: string) => s.tables.find((t) => t.id === id)!;

describe('completeness', () => {
  it('shows every enrolled ESC, the one that never synced as missing, and the current month as incomplete', async () => {
    const s = await buildSummary(apras, { from: '2026-09', to: '2026-10' }, NOW);
    expect(s.sites.map((x) => x.code)).toEqual(['BLOSNE', 'CLEUNAY', 'VILLEJEAN']);
    const v = s.coverage.find((c) => c.code === 'VILLEJEAN')!;
    expect(v).toMatchObject({ missing: true, lastRowsAt: null, status: 'Inscrit mais n’a jamais envoyé de données : ses chiffres manquent.' });
    expect(table(s, 'synthese').rows.find((r) => r.label === 'ESC Villejean')!.cells.every((c) => c.text === 'manquant')).toBe(true);
    expect(s.notes).toContain('ESC Villejean : Inscrit mais n’a jamais envoyé de données : ses chiffres manquent.');
    expect(s.incompleteMonths).toEqual(['2026-10']);
    expect(table(s, 'mois').rows.map((r) => r.label)).toEqual(['septembre 2026', 'octobre 2026 (en cours, incomplet)', 'Total']);
    const b = s.coverage.find((c) => c.code === 'BLOSNE')!;
    // September 2026: 22 weekdays, no public holiday; October until the 15th: 11 opening days.
    expect(b.months.map((m) => [m.month, m.openDays, m.openDaysSoFar, m.incomplete])).toEqual([
      ['2026-09', 22, 22, false],
      ['2026-10', 22, 11, true],
    ]);
    expect(b.months[0]!.daysReceived).toBe(22);
    expect(b.months[1]!.daysReceived).toBe(10);
    expect(s.periodLabel).toBe('de septembre 2026 à octobre 2026');
  });

  it('refuses a period in the future, in French, and other bad periods', async () => {
    await expect(buildSummary(apras, { from: '2026-10', to: '2026-11' }, NOW)).rejects.toThrow(
      'La période demandée (de octobre 2026 à novembre 2026) est dans le futur : le dernier mois possible est octobre 2026 (mois en cours, incomplet).',
    );
    expect(() => checkPeriod('2026-13', '2026-12', NOW)).toThrow(SummaryError);
    expect(() => checkPeriod('2026-09', '2026-08', NOW)).toThrow('Le premier mois doit précéder le dernier.');
  });
});

describe('figures', () => {
  it('the median and 9th decile of waits are the site report’s (nearest rank on individual waits)', async () => {
    const s = await buildSummary(apras, { from: '2026-09', to: '2026-09', sites: ['BLOSNE'] }, NOW);
    const row = table(s, 'synthese').rows.find((r) => r.label === 'ESC Le Blosne')!;
    const site = computeFigures(blosne.app.core, '2026-09-01', '2026-09-30');
    expect(row.cells[0]!.value).toBe(site.arrivals);
    expect(row.cells[5]!.value).toBe(site.waitMedian);
    expect(row.cells[6]!.value).toBe(site.waitP90);
    expect(row.cells[7]!.value).toBe(site.contacts);
    expect(nearestRank([[1, 1], [2, 1], [3, 1], [4, 1]], 50)).toBe(2);
    expect(nearestRank([[10, 3], [20, 1]], 90)).toBe(20);
  });

  it('masks small counts (threshold configurable) with secondary cells, and publishes no count below it', async () => {
    const s = await buildSummary(apras, { from: '2026-09', to: '2026-10', threshold: 40 }, NOW);
    let primary = 0;
    let secondary = 0;
    for (const t of s.tables.filter((x) => x.id !== 'journees')) {
      for (const r of t.rows) {
        for (const c of r.cells) {
          if (c.masked === 'primary') primary++;
          if (c.masked === 'secondary') secondary++;
          if (c.value !== null && c.decimals === 0) expect(c.value === 0 || c.value >= 40, `${t.title} / ${r.label}: ${c.value}`).toBe(true);
        }
      }
    }
    expect(primary).toBeGreaterThan(0);
    expect(secondary).toBeGreaterThan(0);
    const texts = s.tables.flatMap((t) => t.rows.flatMap((r) => r.cells.map((c) => c.text)));
    expect(texts).toContain('< 40');
    expect(texts).toContain('s');
    // Default threshold 5.
    expect((await buildSummary(apras, { from: '2026-09', to: '2026-10' }, NOW)).threshold).toBe(5);
  });

  it('the same numbers on screen, in the CSV, the XLSX and the PDF', async () => {
    const s = await buildSummary(apras, { from: '2026-09', to: '2026-10', threshold: 20 }, NOW);
    const csv = summaryCsv(s).toString('utf8');
    const synth = table(s, 'synthese');
    for (const r of synth.rows) {
      r.cells.forEach((c, i) => {
        const v = c.value === null ? c.text : c.value.toFixed(c.decimals).replace('.', ',');
        expect(csv).toContain(`Synthèse par ESC;${r.label};${synth.columns[i + 1]};${v};`);
      });
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await summaryXlsx(s)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...s.tables.map((t) => t.title.slice(0, 31)), 'Couverture', 'Définitions']);
    const ws = wb.getWorksheet('Synthèse par ESC')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    for (const r of synth.rows) {
      const found = rows.find((x) => x[0] === r.label)!;
      expect(found.slice(1)).toEqual(r.cells.map((c) => (c.value === null ? c.text : c.value)));
    }
    const defs = wb.getWorksheet('Définitions')!;
    const defText: string[] = [];
    defs.eachRow((row) => defText.push(String(row.getCell(3).value ?? '')));
    expect(defText.join(' ')).toMatch(/rang le plus proche/);
    const pdf = await summaryPdf(s);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
