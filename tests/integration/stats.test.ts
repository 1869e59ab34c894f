/**
 * Figures, day closing and exports on a scenario whose expected values are computed in the test
 * from the scenario itself (never read back from the database).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, downloadExport, rpc, rpcRaw, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { parisInstant } from '../../src/shared/time/paris';
import { percentile } from '../../src/main/core/stats/figures';

let site: TestSite;
let agent: Connection;
let coord: Connection;

beforeEach(async () => {
  site = await createTestSite();
  // Sessions last a working day: sign in on the morning of the scenario (earlier days are in the past).
  site.clock.set('2026-11-23T06:00:00Z');
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
});
afterEach(() => site.close());

interface Visit {
  arrive: string; // HH:mm Paris
  service: string;
  waitMin: number;
  serveMin: number;
  outcome: 'done' | 'left' | 'cancelled';
  domains: string[];
  channel?: 'sur_place';
}

/** A morning at the desk, written as a scenario. */
const SCENARIO: Visit[] = [
  { arrive: '08:35', service: 'ACCUEIL', waitMin: 4, serveMin: 10, outcome: 'done', domains: ['LOGEMENT'] },
  { arrive: '08:40', service: 'CCAS', waitMin: 12, serveMin: 20, outcome: 'done', domains: ['DROITS', 'BUDGET'] },
  { arrive: '08:50', service: 'ACCUEIL', waitMin: 7, serveMin: 5, outcome: 'done', domains: ['NUMERIQUE'] },
  { arrive: '09:05', service: 'CDAS', waitMin: 25, serveMin: 0, outcome: 'left', domains: [] },
  { arrive: '09:20', service: 'ACCUEIL', waitMin: 3, serveMin: 8, outcome: 'done', domains: ['LOGEMENT'] },
  { arrive: '09:30', service: 'CAF', waitMin: 0, serveMin: 0, outcome: 'cancelled', domains: [] },
  { arrive: '10:10', service: 'ACCUEIL', waitMin: 15, serveMin: 12, outcome: 'done', domains: ['ALIMENTATION'] },
  { arrive: '13:40', service: 'CCAS', waitMin: 9, serveMin: 30, outcome: 'done', domains: ['DROITS_RSA'] },
];

const DESKS = ['Guichet 1', 'Guichet 2', 'Bureau 1', 'Bureau 2', 'Bureau 3', 'Bureau 4', 'Bureau 5'];

/** Plays the scenario on `day` through the router, event by event in time order. */
async function play(day: string, visits: Visit[]): Promise<void> {
  type Step = { at: number; run: () => Promise<void> };
  const steps: Step[] = [];
  const ids = new Map<number, { id: string; version: number }>();
  const refresh = (i: number, e: { id: string; version: number }): void => {
    ids.set(i, { id: e.id, version: e.version });
  };
  visits.forEach((v, i) => {
    const t0 = parisInstant(day, v.arrive).getTime();
    steps.push({ at: t0, run: async () => refresh(i, await rpc(site.app, agent, 'queue.add', { serviceCode: v.service })) });
    if (v.outcome === 'cancelled') {
      steps.push({ at: t0 + 60_000, run: async () => refresh(i, await rpc(site.app, agent, 'queue.cancel', { ...ids.get(i)!, reason: 'doublon' })) });
      return;
    }
    if (v.outcome === 'left') {
      steps.push({ at: t0 + v.waitMin * 60_000, run: async () => refresh(i, await rpc(site.app, agent, 'queue.left', ids.get(i)!)) });
      return;
    }
    const called = t0 + v.waitMin * 60_000;
    // Each visit at its own desk: a desk serves one person at a time, and these interviews overlap.
    const desk = DESKS[i % DESKS.length]!;
    steps.push({ at: called, run: async () => refresh(i, await rpc(site.app, agent, 'queue.call', { ...ids.get(i)!, destination: desk })) });
    steps.push({ at: called + 1, run: async () => refresh(i, await rpc(site.app, agent, 'queue.start', ids.get(i)!)) });
    steps.push({
      at: called + 1 + v.serveMin * 60_000,
      run: async () => {
        const done = await rpc(site.app, agent, 'queue.finish', ids.get(i)!);
        refresh(i, done);
        await rpc(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: v.domains });
      },
    });
  });
  steps.sort((a, b) => a.at - b.at);
  for (const s of steps) {
    site.clock.set(new Date(s.at));
    await s.run();
  }
}

function expected(visits: Visit[]) {
  const counted = visits.filter((v) => v.outcome !== 'cancelled');
  const waits = visits.filter((v) => v.outcome === 'done').map((v) => v.waitMin);
  const byDomain = new Map<string, number>();
  for (const v of visits.filter((x) => x.outcome === 'done')) for (const d of v.domains) byDomain.set(d, (byDomain.get(d) ?? 0) + 1);
  const byService = new Map<string, number>();
  for (const v of counted) byService.set(v.service, (byService.get(v.service) ?? 0) + 1);
  const byHour = new Map<number, number>();
  for (const v of counted) byHour.set(Number(v.arrive.slice(0, 2)), (byHour.get(Number(v.arrive.slice(0, 2))) ?? 0) + 1);
  const left = visits.filter((v) => v.outcome === 'left').length;
  return {
    arrivals: counted.length,
    contacts: visits.filter((v) => v.outcome === 'done').length,
    waitMedian: percentile(waits, 50),
    waitP90: percentile(waits, 90),
    serviceMedian: percentile(visits.filter((v) => v.outcome === 'done').map((v) => v.serveMin), 50),
    leftRate: Math.round((left / counted.length) * 1000) / 10,
    byDomain,
    byService,
    byHour,
  };
}

const asMap = (items: { key: string; count: number }[]) => new Map(items.map((i) => [i.key, i.count]));

describe('figures', () => {
  it('equal the values computed from the scenario, live on the day', async () => {
    await play('2026-11-23', SCENARIO);
    const today = await rpc(site.app, agent, 'stats.today', {});
    const want = expected(SCENARIO);
    expect(today.day).toBe('2026-11-23');
    expect(today.figures).toMatchObject({
      arrivals: want.arrivals,
      contacts: want.contacts,
      waitMedian: want.waitMedian,
      waitP90: want.waitP90,
      serviceMedian: want.serviceMedian,
      leftRate: want.leftRate,
      left: 1,
    });
    expect(asMap(today.figures.byDomain)).toEqual(want.byDomain);
    expect(asMap(today.figures.byService)).toEqual(want.byService);
    for (const [hour, count] of want.byHour) expect(today.figures.arrivalsByHour[hour]!.count).toBe(count);
    expect(today.waitingNow).toBe(0);
  });

  it('put late arrivals of a 25-hour day and early ones of a 23-hour day on the right day', async () => {
    await play('2026-10-25', [{ arrive: '23:30', service: 'ACCUEIL', waitMin: 5, serveMin: 5, outcome: 'done', domains: ['AUTRE'] }]);
    await play('2026-03-29', [{ arrive: '00:30', service: 'ACCUEIL', waitMin: 5, serveMin: 5, outcome: 'done', domains: ['AUTRE'] }]);
    const autumn = await rpc(site.app, agent, 'stats.period', { from: '2026-10-25', to: '2026-10-25' });
    const spring = await rpc(site.app, agent, 'stats.period', { from: '2026-03-29', to: '2026-03-29' });
    expect(autumn.figures.arrivals).toBe(1);
    expect(autumn.figures.arrivalsByHour[23]!.count).toBe(1);
    expect(spring.figures.arrivals).toBe(1);
    expect(spring.figures.arrivalsByHour[0]!.count).toBe(1);
    const around = await rpc(site.app, agent, 'stats.period', { from: '2026-10-26', to: '2026-10-26' });
    expect(around.figures.arrivals).toBe(0);
  });

  it('compare a period with the previous one and the same period last year', async () => {
    await play('2026-11-23', SCENARIO);
    await play('2026-11-16', SCENARIO.slice(0, 3));
    await play('2025-11-24', SCENARIO.slice(0, 2));
    const week = await rpc(site.app, agent, 'stats.period', { from: '2026-11-23', to: '2026-11-29' });
    expect(week.figures.arrivals).toBe(7);
    expect(week.previous.arrivals).toBe(3);
    expect(week.lastYear.arrivals).toBe(2);
    expect(week.openDays).toBe(5);
    expect(week.heatmap.find((c) => c.weekday === 1 && c.hour === 8)!.count).toBe(3);
  });
});

describe('day closing', () => {
  it('freezes the day: snapshot with definitions, later edits LOCKED, reopening needs a reason and is audited', async () => {
    await play('2026-11-23', SCENARIO);
    const review = await rpc(site.app, coord, 'days.review', { day: '2026-11-23' });
    expect(review.items.filter((i) => i.blocking)).toEqual([]);
    // Closing today before 17:00 must be confirmed (decision 019).
    const closed = await rpc(site.app, coord, 'days.close', { day: '2026-11-23', remark: 'Un agent absent', early: true });
    expect(closed.state).toBe('closed');
    const snapshot = JSON.parse((site.store.sqlite.prepare('SELECT snapshot FROM day_closings WHERE day = ?').get('2026-11-23') as { snapshot: string }).snapshot) as {
      figures: { arrivals: number };
      definitions: { code: string }[];
    };
    expect(snapshot.figures.arrivals).toBe(expected(SCENARIO).arrivals);
    expect(snapshot.definitions.map((d) => d.code)).toContain('waitMedian');

    const contact = (await rpc(site.app, coord, 'contacts.list', { day: '2026-11-23' })).contacts[0]!;
    const locked = await rpcRaw(site.app, coord, 'contacts.update', { id: contact.id, version: contact.version, domains: ['AUTRE'] });
    expect('error' in locked && locked.error.data.code).toBe('LOCKED');
    expect(await rpcRaw(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' }).then((r) => 'error' in r && r.error.data.code)).toBe('LOCKED');

    const noReason = await rpcRaw(site.app, coord, 'days.reopen', { day: '2026-11-23', reason: '' });
    expect('error' in noReason && noReason.error.data.code).toBe('VALIDATION');
    const forbidden = await rpcRaw(site.app, agent, 'days.reopen', { day: '2026-11-23', reason: 'je veux corriger' });
    expect('error' in forbidden && forbidden.error.data.code).toBe('FORBIDDEN');
    await rpc(site.app, coord, 'days.reopen', { day: '2026-11-23', reason: 'Contact mal classé' });
    const audit = site.store.sqlite.prepare("SELECT actor_login AS who, diff FROM audit_log WHERE action = 'day.reopen'").all() as { who: string; diff: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.who).toBe('coord');
    // The reason stays on the closing; the append-only journal only says it was given (decision 012).
    expect(JSON.parse(audit[0]!.diff)).toMatchObject({ reason: { before: null, after: 'renseigné' } });
    expect(audit[0]!.diff).not.toContain('Contact mal classé');
    expect((await rpc(site.app, coord, 'days.list', { from: '2026-11-23', to: '2026-11-23' })).closings[0]!.reopenReason).toBe('Contact mal classé');
    await rpc(site.app, coord, 'contacts.update', { id: contact.id, version: contact.version, domains: ['AUTRE'] });
  });

  it('a month report shows which days were closed, and follows a later closing and a reopening', async () => {
    // Monday 16 and Tuesday 17 November played and closed; Monday 23 played, closed later.
    await play('2026-11-16', SCENARIO.slice(0, 2));
    await play('2026-11-17', SCENARIO.slice(0, 1));
    await play('2026-11-23', SCENARIO.slice(0, 3));
    site.clock.set('2026-11-23T18:00:00Z');
    coord = await signInAs(site, 'coord.soir', 'coordinateur', 'CCAS');
    for (const day of ['2026-11-16', '2026-11-17']) await rpc(site.app, coord, 'days.close', { day });
    const month = { from: '2026-11-01', to: '2026-11-30' };
    const closedOf = (r: { perDay: { day: string; closed: boolean }[] }) => r.perDay.filter((d) => d.closed).map((d) => d.day);
    const first = await rpc(site.app, coord, 'stats.period', month);
    expect(closedOf(first)).toEqual(['2026-11-16', '2026-11-17']);
    expect(first.closedDays).toBe(2);
    expect(first.openDays).toBe(21); // Blosne opens Monday to Friday: 21 weekdays in November 2026
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    expect(closedOf(await rpc(site.app, coord, 'stats.period', month))).toEqual(['2026-11-16', '2026-11-17', '2026-11-23']);
    await rpc(site.app, coord, 'days.reopen', { day: '2026-11-17', reason: 'Contact mal classé' });
    const last = await rpc(site.app, coord, 'stats.period', month);
    expect(closedOf(last)).toEqual(['2026-11-16', '2026-11-23']);
    expect(last.daysClosedShare).toBe(Math.round((2 / 21) * 1000) / 10);
    // The previous period is the whole of October, as the column says.
    expect([last.previous.from, last.previous.to]).toEqual(['2026-10-01', '2026-10-31']);
    expect([last.lastYear.from, last.lastYear.to]).toEqual(['2025-11-01', '2025-11-30']);
  });

  it('refuses to close a day with tickets never finished', async () => {
    site.clock.set(parisInstant('2026-11-23', '09:00'));
    await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    const r = await rpcRaw(site.app, coord, 'days.close', { day: '2026-11-23' });
    expect('error' in r && r.error).toMatchObject({ data: { code: 'CONFLICT' } });
    expect('error' in r && r.error.message).toMatch(/A-001/);
  });
});

describe('exports', () => {
  it('CSV opens in French Excel: BOM, semicolons, decimal commas, the right columns', async () => {
    await play('2026-11-23', SCENARIO);
    const content = await downloadExport(site.app, coord, { from: '2026-11-01', to: '2026-11-30', format: 'csv' });
    expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = content.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]!.split(';')).toEqual(['Site', 'Du', 'Au', 'Tableau', 'Ligne', 'Colonne', 'Valeur', 'Unité', 'Définition']);
    const cell = (label: string) => lines.find((l) => l.includes(`;Synthèse;${label};Valeur;`))!.split(';')[6];
    expect(cell('Arrivées à l’accueil')).toBe(String(expected(SCENARIO).arrivals));
    expect(cell('Attente médiane')).toBe(expected(SCENARIO).waitMedian!.toFixed(1).replace('.', ','));
    expect(cell('Taux de départ sans être reçu')).toBe(expected(SCENARIO).leftRate.toFixed(1).replace('.', ','));
  });

  it('XLSX read back with exceljs has real numbers and dates matching the report, and a Définitions sheet', async () => {
    await play('2026-11-23', SCENARIO);
    const report = await rpc(site.app, agent, 'stats.period', { from: '2026-11-01', to: '2026-11-30' });
    const content = await downloadExport(site.app, coord, { from: '2026-11-01', to: '2026-11-30', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(content as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('Définitions');
    const summary = wb.getWorksheet('Synthèse')!;
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('Arrivées à l’accueil')).toBe(report.figures.arrivals);
    expect(values.get('Contacts ASIP')).toBe(report.figures.contacts);
    expect(values.get('Attente médiane')).toBe(report.figures.waitMedian);
    const perDay = wb.getWorksheet('Par jour')!;
    let found = false;
    perDay.eachRow((row) => {
      const v = row.getCell(1).value;
      if (v instanceof Date && v.toISOString().startsWith('2026-11-23')) {
        found = true;
        expect(row.getCell(3).value).toBe(report.figures.arrivals);
      }
    });
    expect(found).toBe(true);
    const text = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
    expect(text).not.toMatch(/Guichet|\bdoublon\b/);
  });

  it('the PDF report renders to a page that is not blank', async () => {
    await play('2026-11-23', SCENARIO);
    const content = await downloadExport(site.app, coord, { from: '2026-11-01', to: '2026-11-30', format: 'pdf' });
    expect(content.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'esc-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), content);
    execFileSync('pdftoppm', ['-r', '30', '-png', '-f', '1', '-l', '1', join(dir, 'r.pdf'), join(dir, 'page')]);
    const png = [join(dir, 'page-1.png'), join(dir, 'page-01.png')].find(existsSync)!;
    const bytes = readFileSync(png);
    // A blank white page compresses to almost nothing; charts and tables do not.
    expect(bytes.length).toBeGreaterThan(3000);
    const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-']).toString();
    expect(text).toContain('ESC Le Blosne');
    expect(text).toContain('du 01/11/2026 au 30/11/2026');
  });
});
