/**
 * Day aggregates (decision 015) and the closed-day rule (decision 016), on real encrypted
 * databases. The oracle below recomputes every figure from the rows of the whole period with its
 * own queries (range bounds instead of per-day assignment, contact_domains instead of the JSON
 * list, COUNT(DISTINCT) instead of previous visits), never through the aggregates.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, signIn, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import type { Figures } from '../../src/shared/api/methods/stats';
import { addDays, dayBounds, isoWeekday, parisInstant, parisParts, type LocalDay } from '../../src/shared/time/paris';
import { seedSite } from '../../src/main/seed/generate';
import { periodReport } from '../../src/main/core/stats/period';
import { percentile } from '../../src/main/core/stats/figures';
import { computeDayAggregate, refreshStaleDays, ROLLUPS_IN_SQL } from '../../src/main/core/stats/day-aggregates';
import { decodeAggregate, type DayAggregate } from '../../src/main/core/stats/aggregate';
import { applyRetention } from '../../src/main/core/privacy/privacy';
import { runHousekeeping } from '../../src/main/api/housekeeping';
import type { Store } from '../../src/main/store/open';

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
/** Durations in tenths of a minute (the unit shown), as every figure defines them. */
const minutes = (t: number | null) => (t === null ? null : t / 10);
const tenths = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 6000);
const sortCounts = (m: Map<string, number>) => [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/** Every figure of [from, to] straight from the rows (no closed day in the data: events on their Paris day). */
function oracle(store: Store, from: LocalDay, to: LocalDay): { figures: Figures; perDay: Map<string, [number, number]>; heat: Map<string, number> } {
  const db = store.sqlite;
  const entries = db
    .prepare(
      `SELECT day, state, service_code AS s, arrived_at AS a, first_called_at AS c, started_at AS st, finished_at AS f, outside_hours AS o
       FROM queue_entries WHERE day >= ? AND day <= ? AND state != 'cancelled' AND deleted_at IS NULL`,
    )
    .all(from, to) as { day: string; state: string; s: string; a: string; c: string | null; st: string | null; f: string | null; o: number }[];
  const waits: number[] = [];
  const services: number[] = [];
  const byService = new Map<string, number>();
  const byHour = new Array<number>(24).fill(0);
  const perDay = new Map<string, [number, number]>();
  const heat = new Map<string, number>();
  for (const e of entries) {
    if (e.c) waits.push(tenths(e.a, e.c));
    if ((e.state === 'done' || e.state === 'handed_over') && e.st && e.f) services.push(tenths(e.st, e.f));
    bump(byService, e.s);
    const p = parisParts(new Date(e.a));
    byHour[p.hour]! += 1;
    bump(heat, `${isoWeekday(e.day)}:${p.hour}`);
    perDay.set(e.day, [(perDay.get(e.day)?.[0] ?? 0) + 1, perDay.get(e.day)?.[1] ?? 0]);
  }
  const c = db
    .prepare('SELECT count(*) AS n, count(person_key) AS k, count(DISTINCT person_key) AS d FROM contacts WHERE day >= ? AND day <= ? AND deleted_at IS NULL')
    .get(from, to) as { n: number; k: number; d: number };
  for (const r of db.prepare('SELECT day, count(*) AS n FROM contacts WHERE day >= ? AND day <= ? AND deleted_at IS NULL GROUP BY day').all(from, to) as { day: string; n: number }[]) {
    perDay.set(r.day, [perDay.get(r.day)?.[0] ?? 0, r.n]);
  }
  const group = (sql: string) => new Map((db.prepare(sql).all(from, to) as { k: string; n: number }[]).map((r) => [r.k, r.n]));
  const byChannel = group('SELECT channel AS k, count(*) AS n FROM contacts WHERE day >= ? AND day <= ? AND deleted_at IS NULL GROUP BY channel');
  const byOrientation = group(
    'SELECT orientation_target AS k, count(*) AS n FROM contacts WHERE day >= ? AND day <= ? AND deleted_at IS NULL AND orientation_target IS NOT NULL GROUP BY 1',
  );
  const byDomain = group(
    `SELECT d.domain_code AS k, count(*) AS n FROM contact_domains d JOIN contacts c ON c.id = d.contact_id
     WHERE d.day >= ? AND d.day <= ? AND c.deleted_at IS NULL GROUP BY 1`,
  );
  const start = dayBounds(from).start.toISOString();
  const end = dayBounds(to).end.toISOString();
  const created = (db.prepare('SELECT count(*) AS n FROM handoffs WHERE created_at >= ? AND created_at < ? AND deleted_at IS NULL').get(start, end) as { n: number }).n;
  const acc = db
    .prepare('SELECT created_at AS c, accepted_at AS a FROM handoffs WHERE accepted_at >= ? AND accepted_at < ? AND deleted_at IS NULL')
    .all(start, end) as { c: string; a: string }[];
  const closings = db
    .prepare('SELECT state, accepted_at AS a FROM handoffs WHERE closed_at >= ? AND closed_at < ? AND deleted_at IS NULL')
    .all(start, end) as { state: string; a: string | null }[];
  const outcomes = new Map<string, number>();
  if (acc.length) outcomes.set('accepted', acc.length);
  for (const h of closings) bump(outcomes, h.state);
  const answers = acc.length + closings.filter((h) => h.a === null).length;
  const left = entries.filter((e) => e.state === 'left').length;
  const noShow = entries.filter((e) => e.state === 'no_show').length;
  const closedUnseen = entries.filter((e) => e.state === 'closed').length;
  const figures: Figures = {
    from,
    to,
    arrivals: entries.length,
    received: entries.filter((e) => e.state === 'done' || e.state === 'handed_over').length,
    handedOver: entries.filter((e) => e.state === 'handed_over').length,
    contacts: c.n,
    identifiedPassages: c.k,
    distinctPersons: c.d,
    anonymousContacts: c.n - c.k,
    waitMedian: minutes(percentile(waits, 50)),
    waitP90: minutes(percentile(waits, 90)),
    serviceMedian: minutes(percentile(services, 50)),
    left,
    noShow,
    closedUnseen,
    leftRate: entries.length === 0 ? null : round1(((left + noShow + closedUnseen) / entries.length) * 100),
    outsideHours: entries.filter((e) => e.o === 1).length,
    handoffs: created,
    handoffAcceptance: answers === 0 ? null : round1((acc.length / answers) * 100),
    handoffAcceptMedian: minutes(percentile(acc.map((h) => tenths(h.c, h.a)), 50)),
    byService: sortCounts(byService),
    byChannel: sortCounts(byChannel),
    byDomain: sortCounts(byDomain),
    byOrientation: sortCounts(byOrientation),
    handoffsByState: sortCounts(outcomes),
    arrivalsByHour: byHour.map((count, hour) => ({ hour, count })),
  };
  return { figures, perDay, heat };
}

describe('a multi-year seeded site', () => {
  const END = '2026-06-30';
  const DAYS = 500;
  const FIRST = addDays(END, -(DAYS - 1));
  let site: TestSite;

  beforeAll(async () => {
    site = await createTestSite();
    await seedSite(site.store, { seed: 'aggregates', end: END, days: DAYS });
  }, 300_000);
  afterAll(() => site?.close());

  it('stores one aggregate per active day and leaves nothing stale after the seed', () => {
    const stale = site.store.sqlite.prepare('SELECT count(*) AS n FROM day_aggregates_stale').get() as { n: number };
    const stored = site.store.sqlite.prepare('SELECT count(*) AS n FROM day_aggregates WHERE day BETWEEN ? AND ?').get(FIRST, END) as { n: number };
    const active = site.store.sqlite.prepare('SELECT count(DISTINCT day) AS n FROM queue_entries').get() as { n: number };
    expect(stale.n).toBe(0);
    expect(stored.n).toBeGreaterThanOrEqual(active.n);
    expect(active.n).toBeGreaterThan(300);
  });

  it('a report from the aggregates equals the report from the rows, figure by figure, for random periods', () => {
    const dayArb = fc.integer({ min: -10, max: DAYS + 10 }).map((n) => addDays(FIRST, n));
    fc.assert(
      fc.property(dayArb, dayArb, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const report = periodReport(site.app.core, from, to);
        const want = oracle(site.store, from, to);
        expect(report.figures).toEqual(want.figures);
        for (const d of report.perDay) expect([d.arrivals, d.contacts], d.day).toEqual(want.perDay.get(d.day) ?? [0, 0]);
        // Every day of the period once, in order (the series crosses from the worker packed).
        expect(report.perDay.map((d) => d.day)).toEqual(Array.from({ length: report.perDay.length }, (_, i) => addDays(from, i)));
        expect(report.perDay.at(-1)?.day).toBe(to);
        const closed = new Set((site.store.sqlite.prepare("SELECT day FROM day_closings WHERE state = 'closed' AND deleted_at IS NULL").all() as { day: string }[]).map((r) => r.day));
        for (const d of report.perDay) expect(d.closed, d.day).toBe(closed.has(d.day));
        for (const cell of report.heatmap) expect(cell.count, `${cell.weekday}:${cell.hour}`).toBe(want.heat.get(`${cell.weekday}:${cell.hour}`) ?? 0);
        expect(report.previous).toEqual(oracle(site.store, report.previous.from, report.previous.to).figures);
      }),
      { numRuns: 12, seed: 16 },
    );
  }, 300_000);

  it('finds the rollups of a period through the primary key, never by scanning those of the whole history', () => {
    const plan = (site.store.sqlite.prepare(`EXPLAIN QUERY PLAN ${ROLLUPS_IN_SQL}`).all({ kind: 'month', from: FIRST, to: END, format: 1 }) as { detail: string }[]).map((p) => p.detail);
    expect(plan.join(' / ')).toMatch(/SEARCH period_aggregates USING COVERING INDEX period_aggregates_listing \(kind=\? AND first_day>\? AND first_day<\?\)/);
    expect(plan.filter((d) => d.startsWith('SCAN') || d.includes('TEMP B-TREE'))).toEqual([]);
    const rollups = site.store.sqlite.prepare('SELECT count(*) AS n FROM period_aggregates').get() as { n: number };
    expect(rollups.n).toBeGreaterThan(10);
  });

  it('medians and 9th deciles of long periods are exact nearest-rank values, not medians of medians', () => {
    const from = addDays(END, -364);
    const report = periodReport(site.app.core, from, END);
    const waits = (
      site.store.sqlite
        .prepare("SELECT arrived_at AS a, first_called_at AS c FROM queue_entries WHERE day BETWEEN ? AND ? AND state <> 'cancelled' AND first_called_at IS NOT NULL")
        .all(from, END) as { a: string; c: string }[]
    ).map((r) => tenths(r.a, r.c));
    expect(report.figures.waitMedian).toBe(minutes(percentile(waits, 50)));
    expect(report.figures.waitP90).toBe(minutes(percentile(waits, 90)));
    // The median of the daily medians is another number on this data: the aggregate does not take that shortcut.
    const daily = new Map<string, number[]>();
    for (const r of site.store.sqlite
      .prepare("SELECT day, arrived_at AS a, first_called_at AS c FROM queue_entries WHERE day BETWEEN ? AND ? AND state <> 'cancelled' AND first_called_at IS NOT NULL")
      .all(from, END) as { day: string; a: string; c: string }[]) {
      daily.set(r.day, [...(daily.get(r.day) ?? []), tenths(r.a, r.c)]);
    }
    const ofMedians = percentile([...daily.values()].map((v) => percentile(v, 90)!), 90);
    expect(minutes(ofMedians)).not.toBe(report.figures.waitP90);
  });

  it('rolls whole months and years up, and a correction of a past day shows at once, then in the rebuilt rollups', async () => {
    const rollups = (site.store.sqlite.prepare('SELECT kind, first_day AS first FROM period_aggregates').all() as { kind: string; first: string }[]).map((r) => `${r.kind}:${r.first}`);
    for (let m = FIRST.slice(0, 7); m <= END.slice(0, 7); m = addDays(`${m}-28`, 5).slice(0, 7)) expect(rollups).toContain(`month:${m}-01`);
    expect(rollups).toContain('year:2025-01-01');
    expect(rollups).not.toContain('year:2026-01-01'); // not over
    const year = { from: '2025-01-01', to: '2025-12-31' };
    const coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
    const contact = (await rpc(site.app, coord, 'contacts.list', { day: '2025-06-16' })).contacts.find((c) => !c.domains.includes('ALIMENTATION'))!;
    await rpc(site.app, coord, 'contacts.update', { id: contact.id, version: contact.version, domains: ['ALIMENTATION'] });
    expect(site.store.sqlite.prepare("SELECT count(*) AS n FROM period_aggregates WHERE first_day IN ('2025-06-01', '2025-01-01')").get()).toEqual({ n: 2 });
    // Stale day: the report reads June day by day and equals the rows.
    expect(periodReport(site.app.core, year.from, year.to).figures).toEqual(oracle(site.store, year.from, year.to).figures);
    refreshStaleDays(site.app.core, { budgetMs: 10_000 });
    expect(site.store.sqlite.prepare("SELECT count(*) AS n FROM period_aggregates WHERE first_day IN ('2025-06-01', '2025-01-01')").get()).toEqual({ n: 2 });
    expect(site.store.sqlite.prepare('SELECT count(*) AS n FROM period_aggregates_todo WHERE first_day < ?').get('2026-01-01')).toEqual({ n: 0 });
    expect(periodReport(site.app.core, year.from, year.to).figures).toEqual(oracle(site.store, year.from, year.to).figures);
  });

  it('a stored aggregate is the one computed from its rows, whatever the history around it', () => {
    for (const day of [FIRST, addDays(FIRST, 100), addDays(END, -3), END]) {
      const row = site.store.sqlite.prepare('SELECT data FROM day_aggregates WHERE day = ?').get(day) as { data: string } | undefined;
      if (row) expect(decodeAggregate(JSON.parse(row.data) as DayAggregate)).toEqual(computeDayAggregate(site.app.core, day));
    }
  });
});

describe('the closed-day rule', () => {
  let site: TestSite;
  let agent: Connection;
  let coord: Connection;
  let cdas: Connection;

  beforeEach(async () => {
    site = await createTestSite();
    site.clock.set(parisInstant('2026-11-23', '08:00'));
    today = '2026-11-23';
    agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
    cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS');
  });
  afterEach(() => site.close());

  /** Moves the clock; sessions last a working day, so everyone signs in again on a new day. */
  let today = '2026-11-23';
  const at = async (day: string, time: string) => {
    site.clock.set(parisInstant(day, time));
    if (day !== today) {
      today = day;
      agent = await signIn(site.app, 'agent', 'agent-password-1');
      coord = await signIn(site.app, 'coord', 'coord-password-1');
      cdas = await signIn(site.app, 'cdas', 'cdas-password-1');
    }
  };
  const snapshotOf = (day: string) =>
    JSON.parse((site.store.sqlite.prepare('SELECT snapshot FROM day_closings WHERE day = ?').get(day) as { snapshot: string }).snapshot) as { figures: Figures };
  const report = (from: string, to = from) => rpc(site.app, coord, 'stats.period', { from, to });

  /** A morning: two passages received (waits 4 and 10 min), a phone contact of a recognised person, a hand-over to the CDAS. */
  async function morning(day: string, person = { lastName: 'Durand', firstName: 'Anne', birthDate: '1970-01-01' }) {
    for (const [arrive, wait] of [['09:00', 4], ['09:10', 10]] as const) {
      await at(day, arrive);
      let e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
      site.clock.advance(wait * 60_000);
      e = await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
      e = await rpc(site.app, agent, 'queue.start', { id: e.id, version: e.version });
      site.clock.advance(6 * 60_000);
      e = await rpc(site.app, agent, 'queue.finish', { id: e.id, version: e.version });
      await rpc(site.app, agent, 'contacts.log', { queueEntryId: e.id, domains: ['LOGEMENT'] });
    }
    await at(day, '10:00');
    await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['DROITS'], person });
    return rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false });
  }

  it('a hand-over answered after its day was closed leaves the closed day as frozen and counts on the day of the answer', async () => {
    const h = await morning('2026-11-23');
    await at('2026-11-23', '17:30');
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    const frozen = snapshotOf('2026-11-23').figures;
    expect(frozen).toMatchObject({ arrivals: 2, handoffs: 1, handoffsByState: [], handoffAcceptance: null });
    expect((await report('2026-11-23')).figures).toEqual(frozen);

    // The CDAS answers the next morning: the closed day does not move, the acceptance counts on the 24th.
    await at('2026-11-24', '09:15');
    await rpc(site.app, cdas, 'handoffs.accept', { id: h.id, version: h.version });
    expect((await report('2026-11-23')).figures).toEqual(frozen);
    const next = (await report('2026-11-24')).figures;
    expect(next).toMatchObject({ handoffs: 0, handoffsByState: [{ key: 'accepted', count: 1 }], handoffAcceptance: 100 });
    expect(next.handoffAcceptMedian).toBe(round1((parisInstant('2026-11-24', '09:15').getTime() - parisInstant('2026-11-23', '10:00').getTime()) / 60_000));
    // Over both days each event counts once.
    expect((await report('2026-11-23', '2026-11-24')).figures).toMatchObject({ handoffs: 1, handoffsByState: [{ key: 'accepted', count: 1 }] });
    // The housekeeping's refresh changes nothing either.
    await runHousekeeping(site.app);
    expect((await report('2026-11-23')).figures).toEqual(frozen);
  });

  it('an answer given the same evening, after the closing, counts on the next day', async () => {
    const h = await morning('2026-11-23');
    await at('2026-11-23', '17:30');
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    await at('2026-11-23', '18:10');
    await rpc(site.app, cdas, 'handoffs.decline', { id: h.id, version: h.version, reason: 'deja_suivi' });
    expect((await report('2026-11-23')).figures).toEqual(snapshotOf('2026-11-23').figures);
    expect((await report('2026-11-24')).figures).toMatchObject({ handoffsByState: [{ key: 'declined', count: 1 }], handoffAcceptance: 0 });
    // Refreshed and stored, it is the same.
    refreshStaleDays(site.app.core, { budgetMs: 1000 });
    expect((await report('2026-11-24')).figures.handoffsByState).toEqual([{ key: 'declined', count: 1 }]);
  });

  it('erasing person keys after closing (retention, then a reopening and re-closing) changes no count', async () => {
    await morning('2026-11-23');
    await morning('2026-11-24');
    await at('2026-11-24', '18:00');
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    const before = (await report('2026-11-23', '2026-11-24')).figures;
    expect(before).toMatchObject({ identifiedPassages: 2, distinctPersons: 1, anonymousContacts: 4 });
    const frozen = snapshotOf('2026-11-23').figures;

    await rpc(site.app, coord, 'privacy.updateRetention', { retention: { contactNotesDays: 30, personKeysDays: 30 } });
    await at('2027-01-15', '08:00');
    expect(applyRetention(site.app.core).keys).toBe(2);
    expect(site.store.sqlite.prepare('SELECT count(person_key) AS n FROM contacts').get()).toEqual({ n: 0 });
    expect((await report('2026-11-23', '2026-11-24')).figures).toEqual(before);
    await runHousekeeping(site.app);
    expect((await report('2026-11-23', '2026-11-24')).figures).toEqual(before);

    await rpc(site.app, coord, 'days.reopen', { day: '2026-11-23', reason: 'Vérification annuelle' });
    expect((await report('2026-11-23')).figures).toEqual(frozen);
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    expect(snapshotOf('2026-11-23').figures).toEqual(frozen);
    expect((await report('2026-11-23', '2026-11-24')).figures).toEqual(before);
  });

  it('erasing one person on request keeps the counts of an open day', async () => {
    await morning('2026-11-23');
    const before = (await report('2026-11-23')).figures;
    const { findings } = await rpc(site.app, coord, 'privacy.search', { lastName: 'Durand', firstName: 'Anne', birthDate: '1970-01-01' });
    const keyItems = findings.filter((f) => f.kind === 'contact_person_key');
    expect(keyItems).toHaveLength(1);
    await rpc(site.app, coord, 'privacy.erase', { items: keyItems.map((f) => ({ kind: f.kind, id: f.id })), reason: 'demande_personne' });
    expect((await report('2026-11-23')).figures).toEqual(before);
    // A later correction of that day recomputes it, and still keeps the person counted.
    const contact = (await rpc(site.app, coord, 'contacts.list', { day: '2026-11-23' })).contacts.find((c) => c.channel === 'telephone')!;
    await rpc(site.app, coord, 'contacts.update', { id: contact.id, version: contact.version, domains: ['AUTRE'] });
    const after = (await report('2026-11-23')).figures;
    expect(after).toMatchObject({ identifiedPassages: 1, distinctPersons: 1, contacts: before.contacts });
    expect(after.byDomain).toContainEqual({ key: 'AUTRE', count: 1 });
  });

  it('re-closing after a reopening freezes the corrected day, and the snapshot is the live report', async () => {
    await morning('2026-11-23');
    await at('2026-11-23', '17:30');
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    await at('2026-11-23', '17:40');
    await rpc(site.app, coord, 'days.reopen', { day: '2026-11-23', reason: 'Arrivée oubliée' });
    await at('2026-11-23', '17:45');
    const late = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    await rpc(site.app, agent, 'queue.left', { id: late.id, version: late.version });
    expect((await report('2026-11-23')).figures.arrivals).toBe(3);
    await at('2026-11-23', '17:50');
    await rpc(site.app, coord, 'days.close', { day: '2026-11-23' });
    const snap = snapshotOf('2026-11-23').figures;
    expect(snap).toMatchObject({ arrivals: 3, left: 1 });
    expect((await report('2026-11-23')).figures).toEqual(snap);
    expect((await rpc(site.app, coord, 'days.review', { day: '2026-11-23' })).figures).toEqual(snap);
  });

  it('days of 23 and 25 hours: events just before and after midnight land on their Paris day', async () => {
    // 25 October 2026 lasts 25 hours, 29 March 2026 lasts 23 hours.
    await at('2026-10-25', '23:40');
    const h1 = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false });
    await at('2026-10-26', '00:20');
    await rpc(site.app, cdas, 'handoffs.accept', { id: h1.id, version: h1.version });
    await at('2026-03-29', '00:30');
    const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    await at('2026-03-29', '03:30'); // two real hours later: 02:00-03:00 does not exist that night
    await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
    await at('2026-03-28', '23:50');
    const h2 = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false });
    await at('2026-03-29', '23:55');
    await rpc(site.app, cdas, 'handoffs.accept', { id: h2.id, version: h2.version });

    const check = async () => {
      expect((await report('2026-10-25')).figures).toMatchObject({ handoffs: 1, handoffsByState: [] });
      expect((await report('2026-10-26')).figures).toMatchObject({ handoffs: 0, handoffsByState: [{ key: 'accepted', count: 1 }], handoffAcceptMedian: 40 });
      const spring = (await report('2026-03-29')).figures;
      expect(spring).toMatchObject({ arrivals: 1, handoffs: 0, handoffsByState: [{ key: 'accepted', count: 1 }], waitMedian: 120 });
      expect(spring.arrivalsByHour[0]!.count).toBe(1);
      expect((await report('2026-03-28')).figures).toMatchObject({ handoffs: 1, arrivals: 0 });
      expect((await report('2026-03-28', '2026-03-29')).figures.handoffAcceptMedian).toBe(24 * 60 + 5 - 60);
    };
    await check(); // computed on the fly (stale days)
    expect(refreshStaleDays(site.app.core, { budgetMs: 1000 })).toBe(0);
    await check(); // read from the stored aggregates
  });
});
