/**
 * Issue 13 item 3: a period with no bound froze the hub (a CSV for 2026–9999), years 1–99 were
 * read as 1901–1999 through Date.UTC, and a 0001–9999 range ended in a RangeError. Every
 * period-taking method now takes real calendar days within 2000–2099 and at most eleven years,
 * refused with VALIDATION and a French message before anything runs or changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestSite, downloadExport, rpcRaw, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { dayNumber, isCalendarDay, MAX_PERIOD_DAYS, periodLength } from '../../src/shared/time/calendar';

let site: TestSite;
let coord: Connection;
let admin: Connection;

beforeAll(async () => {
  site = await createTestSite();
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
  admin = await signInAs(site, 'it', 'admin');
});
afterAll(() => site.close());

/** Every method of the contract that takes a period, with what else it needs. */
const PERIOD_METHODS: { method: string; extra: Record<string, unknown>; as: () => Connection }[] = [
  { method: 'exports.report', extra: { format: 'csv' }, as: () => coord },
  { method: 'stats.period', extra: {}, as: () => coord },
  { method: 'days.list', extra: {}, as: () => coord },
  { method: 'contacts.persons', extra: {}, as: () => coord },
  { method: 'audit.list', extra: {}, as: () => admin },
  { method: 'exports.audit', extra: {}, as: () => admin },
];

async function refused(method: string, params: Record<string, unknown>, conn: Connection) {
  const before = snapshot(site.store);
  const jobsBefore = site.app.services.jobs.state();
  const r = await rpcRaw(site.app, conn, method, params);
  expect(r, `${method} ${JSON.stringify(params)}`).toMatchObject({ error: { data: { code: 'VALIDATION' } } });
  // Nothing ran, nothing changed.
  expect(site.app.services.jobs.state()).toEqual(jobsBefore);
  expect(site.app.services.downloads.count()).toBe(0);
  expect(snapshot(site.store)).toBe(before);
  return 'error' in r ? r.error : null;
}

describe('periods are bounded and made of real calendar days', () => {
  it('refuses the 2026–9999 export that froze the hub, with VALIDATION, and changes nothing', async () => {
    const error = await refused('exports.report', { from: '2026-01-01', to: '9999-12-31', format: 'csv' }, coord);
    expect(error!.message).toMatch(/^Les informations saisies ne sont pas valides : Date invalide/);
    expect(error!.message).toContain('31/12/2099');
  });

  it('refuses years 0001–0099 (Date.UTC would read them as 1901–1999) and 0001–9999 everywhere', async () => {
    for (const { method, extra, as } of PERIOD_METHODS) {
      for (const [from, to] of [
        ['0001-01-01', '0099-12-31'],
        ['0050-01-01', '0050-01-31'],
        ['0001-01-01', '9999-12-31'],
        ['1999-12-31', '2000-01-31'],
      ]) {
        await refused(method, { from, to, ...extra }, as());
      }
    }
  });

  it('refuses days that do not exist, periods longer than eleven years, and ends before starts', async () => {
    for (const { method, extra, as } of PERIOD_METHODS) {
      for (const [from, to] of [
        ['2026-02-30', '2026-03-10'],
        ['2025-02-29', '2025-03-01'],
        ['2026-13-01', '2026-12-31'],
        ['2026-1-1', '2026-12-31'],
      ]) {
        const error = await refused(method, { from, to, ...extra }, as());
        expect(error!.message).toContain('Date invalide');
      }
      const long = await refused(method, { from: '2010-01-01', to: '2026-12-31', ...extra }, as());
      expect(long!.message).toContain('Période trop longue : 11 ans au plus.');
      const backwards = await refused(method, { from: '2026-12-31', to: '2026-01-01', ...extra }, as());
      expect(backwards!.message).toContain('La date de début doit précéder la date de fin.');
    }
  });

  it('refuses such days in single-day methods too', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    for (const day of ['0050-01-01', '2026-02-30', '9999-12-31']) {
      await refused('queue.list', { day }, agent);
      await refused('days.review', { day }, coord);
    }
  });

  it('accepts 29 February of a leap year and the longest allowed period', async () => {
    const leap = await rpcRaw(site.app, coord, 'stats.period', { from: '2024-02-29', to: '2024-02-29' });
    expect(leap).toHaveProperty('result.figures.from', '2024-02-29');
    const longest = await rpcRaw(site.app, coord, 'days.list', { from: '2015-01-01', to: '2025-12-31' });
    expect(longest).toHaveProperty('result.closings');
    const file = await downloadExport(site.app, coord, { from: '2024-02-29', to: '2024-03-01', format: 'csv' });
    expect(file.toString('utf8')).toContain('29/02/2024');
  });

  it('counts days with integer arithmetic that agrees with the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 36_524 }), fc.integer({ min: 0, max: MAX_PERIOD_DAYS }), (n, len) => {
        const day = new Date(Date.UTC(2000, 0, 1 + n)).toISOString().slice(0, 10);
        expect(isCalendarDay(day)).toBe(true);
        expect(dayNumber(day)).toBe(n);
        const end = new Date(Date.UTC(2000, 0, 1 + n + len)).toISOString().slice(0, 10);
        if (end <= '2099-12-31') expect(periodLength(day, end)).toBe(len + 1);
      }),
    );
  });
});
