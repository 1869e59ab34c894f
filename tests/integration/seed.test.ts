/**
 * The demo-data generator against real encrypted site databases: deterministic, within the
 * volumes of DOMAIN.md, closed when the site is closed, internally consistent row by row, with a
 * summary that matches what SQL reads back, and the change-sequence triggers back in place.
 *
 * Range: 20 days ending Friday 10 April 2026 (Sunday 22 March → Friday 10 April): three weekends,
 * the spring-forward night of 29 March, three Tuesdays (Le Blosne closed in the morning) and
 * Easter Monday 6 April (public holiday: closed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, rpc, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';
import { seedOpeningPeriods, seedSite, SEEDED_TABLES, type SeedSummary } from '../../src/main/seed/generate';
import { insertTriggerSql, withInsertTriggersSuspended } from '../../src/main/seed/bulk';
import { SeedError } from '../../src/main/seed/errors';
import { SEED_ACCOUNTS, SEED_PASSWORD } from '../../src/main/seed/model';
import { readMeta, writeMeta, type Store } from '../../src/main/store/open';
import { syncTriggersSql } from '../../src/main/store/migrations/sync-columns';
import { DEFAULT_HANDOFF_CONFIG } from '../../src/shared/handoffs/config';
import { DEFAULT_QUEUE_CONFIG } from '../../src/shared/queue/config';
import { INSTITUTION_CODES } from '../../src/shared/reference/institutions';
import { findSite } from '../../src/shared/reference/sites';
import { REQUEST_DOMAINS_V1 } from '../../src/shared/reference/taxonomy';
import { addDays, hhmmToMinutes, isoWeekday, localDay, localMinutes, parisInstant } from '../../src/shared/time/paris';

const END = '2026-04-10';
const DAYS = 20;
const FROM = addDays(END, -(DAYS - 1));
const SEED = 'test-seed';
const BLOSNE = findSite('BLOSNE')!;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SYNC_TABLES = ['site_settings', 'queue_entries', 'contacts', 'day_closings', 'directory_entries', 'partners', 'handoffs'];

let a: TestSite;
let b: TestSite;
let c: TestSite;
let summary: SeedSummary;

const all = <T>(store: Store, sql: string, ...params: unknown[]): T[] => store.sqlite.prepare(sql).all(...params) as T[];
const one = <T>(store: Store, sql: string, ...params: unknown[]): T => store.sqlite.prepare(sql).get(...params) as T;
const ms = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));

beforeAll(async () => {
  [a, b, c] = await Promise.all([createTestSite('BLOSNE'), createTestSite('BLOSNE'), createTestSite('BLOSNE')]);
  // Person keys are HMACs under the site secret: give the twin database the same secret.
  writeMeta(b.store, 'site_secret', readMeta(a.store, 'site_secret')!);
  summary = await seedSite(a.store, { seed: SEED, end: END, days: DAYS });
  // Same seed, different transaction size: the content must not depend on how it is batched.
  await seedSite(b.store, { seed: SEED, end: END, days: DAYS, chunkDays: 3 });
  await seedSite(c.store, { seed: 'another-seed', end: END, days: DAYS });
}, 120_000);

afterAll(() => {
  for (const s of [a, b, c]) s?.close();
});

describe('determinism', () => {
  it('writes identical rows in every seeded table for the same seed', () => {
    for (const table of SEEDED_TABLES) {
      const left = all(a.store, `SELECT * FROM ${table} ORDER BY rowid`);
      const right = all(b.store, `SELECT * FROM ${table} ORDER BY rowid`);
      expect(left.length, table).toBeGreaterThan(0);
      expect(right, table).toEqual(left);
    }
    const accounts = "SELECT id, login, role, institution, created_at FROM accounts WHERE login LIKE 'seed.%' ORDER BY login";
    expect(all(b.store, accounts)).toEqual(all(a.store, accounts));
    expect(one(b.store, 'SELECT value FROM change_counter')).toEqual(one(a.store, 'SELECT value FROM change_counter'));
  });

  it('writes different data for another seed', () => {
    const tickets = (s: TestSite) => all(s.store, 'SELECT id, arrived_at, state FROM queue_entries ORDER BY rowid');
    expect(tickets(c)).not.toEqual(tickets(a));
  });

  it('uses UUIDv7-shaped ids everywhere', () => {
    for (const table of ['queue_entries', 'queue_events', 'contacts', 'handoffs']) {
      const bad = all<{ id: string }>(a.store, `SELECT id FROM ${table}`).filter((r) => !UUID_V7.test(r.id));
      expect(bad, table).toEqual([]);
    }
    const accounts = all<{ id: string }>(a.store, "SELECT id FROM accounts WHERE login LIKE 'seed.%'");
    expect(accounts).toHaveLength(SEED_ACCOUNTS.length);
    expect(accounts.every((r) => UUID_V7.test(r.id))).toBe(true);
  });
});

describe('volumes and opening hours', () => {
  it('has 100–300 passages on every open day, none on weekends, holidays', () => {
    const perDay = new Map(all<{ day: string; n: number }>(a.store, 'SELECT day, count(*) AS n FROM queue_entries GROUP BY day').map((r) => [r.day, r.n]));
    let open = 0;
    for (let day = FROM; day <= END; day = addDays(day, 1)) {
      const n = perDay.get(day) ?? 0;
      const weekday = isoWeekday(day);
      if (weekday >= 6 || day === '2026-04-06') expect(n, day).toBe(0);
      if (seedOpeningPeriods(BLOSNE, day).length > 0) {
        open += 1;
        expect(n, day).toBeGreaterThanOrEqual(100);
        expect(n, day).toBeLessThanOrEqual(300);
      } else expect(n, day).toBe(0);
      expect(summary.perDay.find((p) => p.day === day)?.entries, day).toBe(n);
    }
    expect(open).toBe(14);
    expect(summary.openDays).toBe(14);
    expect([...perDay.keys()].every((d) => d >= FROM && d <= END)).toBe(true);
  });

  it('peaks at opening and after lunch', () => {
    const minutes = all<{ at: string }>(a.store, 'SELECT arrived_at AS at FROM queue_entries WHERE outside_hours = 0').map((r) => localMinutes(new Date(r.at)));
    const perHour = (from: string, to: string) => minutes.filter((m) => m >= hhmmToMinutes(from) && m < hhmmToMinutes(to)).length;
    expect(perHour('08:30', '09:30')).toBeGreaterThan(1.5 * perHour('11:00', '12:00'));
    expect(perHour('13:30', '14:30')).toBeGreaterThan(1.5 * perHour('15:30', '16:30'));
  });

  it('registers arrivals only within opening periods, or flagged in the 15 minutes around them', () => {
    const rows = all<{ day: string; arrived_at: string; outside_hours: number }>(a.store, 'SELECT day, arrived_at, outside_hours FROM queue_entries');
    let outside = 0;
    for (const r of rows) {
      const minute = localMinutes(new Date(r.arrived_at));
      const periods = seedOpeningPeriods(BLOSNE, r.day).map((p) => [hhmmToMinutes(p.start), hhmmToMinutes(p.end)] as const);
      const inside = periods.some(([s, e]) => minute >= s && minute < e);
      const near = periods.some(([s, e]) => (minute >= s - 15 && minute < s) || (minute >= e && minute < e + 15));
      expect(localDay(new Date(r.arrived_at))).toBe(r.day);
      expect(r.outside_hours, r.arrived_at).toBe(inside ? 0 : 1);
      if (!inside) {
        expect(near, r.arrived_at).toBe(true);
        outside += 1;
      }
    }
    expect(outside).toBe(summary.totals.outsideHours);
    expect(outside).toBeGreaterThan(0);
    expect(outside / rows.length).toBeLessThan(0.05);
  });

  it('keeps Le Blosne closed on Tuesday mornings: nobody arrives before 13:15', () => {
    const tuesdays = all<{ arrived_at: string }>(a.store, 'SELECT arrived_at FROM queue_entries').filter((r) => isoWeekday(localDay(new Date(r.arrived_at))) === 2);
    expect(tuesdays.length).toBeGreaterThan(0);
    const early = tuesdays.filter((r) => localMinutes(new Date(r.arrived_at)) < hhmmToMinutes('13:15'));
    expect(early).toEqual([]);
    // Contacts by phone, e-mail… are logged during opening hours too.
    const contacts = all<{ at: string }>(a.store, 'SELECT at FROM contacts WHERE queue_entry_id IS NULL').filter((r) => isoWeekday(localDay(new Date(r.at))) === 2);
    expect(contacts.filter((r) => localMinutes(new Date(r.at)) < hhmmToMinutes('13:30'))).toEqual([]);
  });
});

interface EntryRow {
  id: string;
  day: string;
  ticket: string;
  ticket_number: number;
  service_code: string;
  original_service_code: string;
  first_name: string | null;
  appointment_at: string | null;
  appointment_with_account_id: string | null;
  state: string;
  arrived_at: string;
  first_called_at: string | null;
  last_called_at: string | null;
  call_count: number;
  called_to: string | null;
  called_by: string | null;
  started_at: string | null;
  served_by: string | null;
  finished_at: string | null;
  ended_at: string | null;
  updated_at: string;
  version: number;
  change_seq: number;
  site_id: string;
}

interface EventRow {
  entry_id: string;
  at: string;
  action: string;
  from_state: string | null;
  to_state: string;
  service_from: string;
  service_to: string;
  day: string;
}

describe('queue consistency', () => {
  it('orders the timestamps of every passage and ends every one of them', () => {
    const entries = all<EntryRow>(a.store, 'SELECT * FROM queue_entries');
    for (const e of entries) {
      const arrived = ms(e.arrived_at);
      expect(e.site_id).toBe('BLOSNE');
      expect(e.first_name).toBeNull();
      expect(e.ended_at, e.ticket).not.toBeNull();
      expect(ms(e.ended_at)).toBeGreaterThanOrEqual(arrived);
      if (e.first_called_at) {
        expect(ms(e.first_called_at)).toBeGreaterThanOrEqual(arrived + 2 * 60_000 - 1);
        expect(ms(e.first_called_at) - arrived).toBeLessThanOrEqual(60 * 60_000);
        expect(ms(e.last_called_at)).toBeGreaterThanOrEqual(ms(e.first_called_at));
        expect(e.call_count).toBeGreaterThanOrEqual(1);
        expect(e.called_to).not.toBeNull();
      } else {
        expect(e.call_count).toBe(0);
      }
      if (e.state === 'done') {
        expect(ms(e.started_at)).toBeGreaterThanOrEqual(ms(e.last_called_at));
        expect(ms(e.finished_at)).toBeGreaterThan(ms(e.started_at));
        const service = (ms(e.finished_at) - ms(e.started_at)) / 60_000;
        expect(service).toBeGreaterThanOrEqual(5);
        expect(service).toBeLessThanOrEqual(40);
        expect(e.ended_at).toBe(e.finished_at);
        expect(e.served_by).not.toBeNull();
      } else {
        expect([e.started_at, e.finished_at, e.served_by]).toEqual([null, null, null]);
      }
      if (e.state === 'no_show') expect(e.call_count).toBeGreaterThanOrEqual(DEFAULT_QUEUE_CONFIG.noShowAfterCalls);
      if (e.original_service_code !== e.service_code) {
        expect(e.state).toBe('done');
        expect(e.call_count).toBeGreaterThanOrEqual(2);
      }
      if (e.appointment_at) expect(e.appointment_with_account_id).not.toBeNull();
      expect(e.change_seq).toBeGreaterThan(0);
    }
    expect(entries.filter((e) => e.original_service_code !== e.service_code)).toHaveLength(summary.totals.movedEntries);
  });

  it('numbers tickets per letter and per day in arrival order', () => {
    const entries = all<EntryRow>(a.store, 'SELECT * FROM queue_entries ORDER BY day, arrived_at');
    const prefix = new Map(DEFAULT_QUEUE_CONFIG.services.map((s) => [s.code, s.prefix]));
    const next = new Map<string, number>();
    for (const e of entries) {
      const key = `${e.day}|${prefix.get(e.original_service_code)}`;
      const n = (next.get(key) ?? 0) + 1;
      next.set(key, n);
      expect(e.ticket).toBe(`${prefix.get(e.original_service_code)}-${String(n).padStart(3, '0')}`);
      expect(e.ticket_number).toBe(n);
    }
  });

  it('keeps one history row per step, chained from arrival to the final state', () => {
    const entries = new Map(all<EntryRow>(a.store, 'SELECT * FROM queue_entries').map((e) => [e.id, e]));
    const events = all<EventRow>(a.store, 'SELECT * FROM queue_events ORDER BY entry_id, rowid');
    const byEntry = new Map<string, EventRow[]>();
    for (const ev of events) byEntry.set(ev.entry_id, [...(byEntry.get(ev.entry_id) ?? []), ev]);
    expect(byEntry.size).toBe(entries.size);
    for (const [id, list] of byEntry) {
      const e = entries.get(id)!;
      expect(list[0]).toMatchObject({ action: 'add', from_state: null, to_state: 'waiting', at: e.arrived_at, service_from: e.original_service_code });
      for (let i = 1; i < list.length; i++) {
        expect(list[i]!.from_state).toBe(list[i - 1]!.to_state);
        expect(list[i]!.at >= list[i - 1]!.at).toBe(true);
        expect(list[i]!.service_from).toBe(list[i - 1]!.service_to);
      }
      const last = list[list.length - 1]!;
      expect(last.to_state).toBe(e.state);
      expect(last.service_to).toBe(e.service_code);
      expect(last.at).toBe(e.ended_at);
      expect(e.updated_at).toBe(last.at);
      expect(e.version).toBe(list.length);
      expect(list.filter((x) => x.action === 'call' || x.action === 'recall')).toHaveLength(e.call_count);
      expect(list.every((x) => x.day === e.day)).toBe(true);
    }
    expect(events).toHaveLength(summary.totals.queueEvents);
  });

  it('has realistic outcome shares', () => {
    const t = summary.totals;
    const share = (n: number) => n / t.entries;
    expect(share(t.entriesByState.done)).toBeGreaterThan(0.86);
    expect(share(t.entriesByState.left)).toBeGreaterThan(0.02);
    expect(share(t.entriesByState.left)).toBeLessThan(0.09);
    expect(share(t.entriesByState.no_show)).toBeGreaterThan(0.01);
    expect(share(t.entriesByState.no_show)).toBeLessThan(0.06);
    expect(share(t.entriesByState.cancelled)).toBeLessThan(0.03);
    expect(share(t.movedEntries)).toBeGreaterThan(0.03);
    expect(share(t.movedEntries)).toBeLessThan(0.1);
    const services = all<{ service: string; n: number }>(a.store, 'SELECT original_service_code AS service, count(*) AS n FROM queue_entries GROUP BY 1 ORDER BY n DESC');
    expect(services[0]!.service).toBe('ACCUEIL');
    expect(services.map((s) => s.service).sort()).toEqual(['ACCUEIL', 'ARCS', 'CAF', 'CCAS', 'CDAS', 'WEKER']);
  });
});

interface ContactRow {
  id: string;
  day: string;
  at: string;
  agent_id: string;
  agent_institution: string | null;
  channel: string;
  domains: string;
  actions: string;
  orientation_kind: string | null;
  orientation_target: string | null;
  flags: string;
  duration_minutes: number | null;
  queue_entry_id: string | null;
  ticket: string | null;
  note: string | null;
  person_key: string | null;
  updated_at: string;
  change_seq: number;
}

describe('contacts', () => {
  it('derives on-site contacts from finished passages and keeps contact_domains in step', () => {
    const contacts = all<ContactRow>(a.store, 'SELECT * FROM contacts');
    const entries = new Map(all<EntryRow>(a.store, 'SELECT * FROM queue_entries').map((e) => [e.id, e]));
    const domainRows = all<{ contact_id: string; day: string; domain_code: string }>(a.store, 'SELECT * FROM contact_domains');
    const byContact = new Map<string, string[]>();
    for (const d of domainRows) byContact.set(d.contact_id, [...(byContact.get(d.contact_id) ?? []), d.domain_code]);
    const active = new Set(REQUEST_DOMAINS_V1.map((d) => d.code));
    const partners = new Set(all<{ code: string }>(a.store, 'SELECT code FROM partners').map((p) => p.code));
    const accounts = new Map(all<{ id: string; institution: string | null }>(a.store, 'SELECT id, institution FROM accounts').map((x) => [x.id, x.institution]));
    for (const c of contacts) {
      const domains = JSON.parse(c.domains) as string[];
      const actions = JSON.parse(c.actions) as string[];
      expect(domains.length).toBeGreaterThanOrEqual(1);
      expect(domains.length).toBeLessThanOrEqual(2);
      expect(new Set(domains).size).toBe(domains.length);
      expect(domains.every((d) => active.has(d))).toBe(true);
      expect([...(byContact.get(c.id) ?? [])].sort()).toEqual([...domains].sort());
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.includes('orientation')).toBe(c.orientation_kind !== null);
      expect(c.orientation_kind === null).toBe(c.orientation_target === null);
      if (c.orientation_kind === 'partner') expect(partners.has(c.orientation_target!)).toBe(true);
      if (c.orientation_kind === 'institution') expect((INSTITUTION_CODES as readonly string[]).includes(c.orientation_target!)).toBe(true);
      expect(localDay(new Date(c.at))).toBe(c.day);
      expect(c.updated_at >= c.at).toBe(true);
      expect(c.note).toBeNull();
      expect(c.agent_institution).toBe(accounts.get(c.agent_id));
      if (c.queue_entry_id) {
        const e = entries.get(c.queue_entry_id)!;
        expect(e.state).toBe('done');
        expect(c.at).toBe(e.finished_at);
        expect(c.ticket).toBe(e.ticket);
        expect(c.agent_id).toBe(e.served_by);
        expect(c.channel).toBe(e.appointment_at ? 'sur_place_rdv' : 'sur_place');
        expect(c.duration_minutes).toBe(Math.round((ms(e.finished_at) - ms(e.started_at)) / 60_000));
      } else {
        expect(['telephone', 'email', 'courrier', 'aller_vers']).toContain(c.channel);
        expect(c.ticket).toBeNull();
        const minute = localMinutes(new Date(c.at));
        expect(seedOpeningPeriods(BLOSNE, c.day).some((p) => minute >= hhmmToMinutes(p.start) && minute < hhmmToMinutes(p.end))).toBe(true);
      }
    }
    const dayOf = new Map(contacts.map((c) => [c.id, c.day]));
    for (const d of domainRows) expect(dayOf.get(d.contact_id)).toBe(d.day);
    expect(domainRows).toHaveLength(summary.totals.contactDomains);
  });

  it('logs a contact for most finished passages, plus remote contacts, and recognises returning people', () => {
    const t = summary.totals;
    const onSite = t.contactsByChannel.sur_place + t.contactsByChannel.sur_place_rdv;
    expect(onSite / t.entriesByState.done).toBeGreaterThan(0.9);
    expect(onSite / t.entriesByState.done).toBeLessThan(0.99);
    const remote = t.contacts - onSite;
    expect(remote / onSite).toBeGreaterThan(0.15);
    expect(remote / onSite).toBeLessThan(0.35);
    expect(t.identifiedPassages / t.contacts).toBeGreaterThan(0.33);
    expect(t.identifiedPassages / t.contacts).toBeLessThan(0.47);
    expect(t.distinctPersons).toBeGreaterThan(0);
    expect(t.distinctPersons).toBeLessThan(t.identifiedPassages);
    expect(t.orientations / t.contacts).toBeGreaterThan(0.18);
    expect(t.orientations / t.contacts).toBeLessThan(0.32);
  });
});

interface HandoffRow {
  id: string;
  day: string;
  created_at: string;
  from_account_id: string;
  to_institution: string;
  mode: keyof typeof DEFAULT_HANDOFF_CONFIG.delays;
  appointment_at: string | null;
  consent: number;
  consent_recorded_by: string | null;
  shared_fields: string;
  person_name: string | null;
  person_phone: string | null;
  summary: string | null;
  documents: string | null;
  contact_id: string;
  queue_entry_id: string | null;
  state: string;
  seen_at: string | null;
  accepted_at: string | null;
  accepted_by: string | null;
  taken_by: string | null;
  declined_at: string | null;
  decline_reason: string | null;
  closed_at: string | null;
  late_at: string;
  expires_at: string;
  anonymised_at: string | null;
  updated_at: string;
  version: number;
}

describe('hand-overs', () => {
  it('follows the hand-over life with consistent timestamps and no personal details', () => {
    const handoffs = all<HandoffRow>(a.store, 'SELECT * FROM handoffs');
    const contacts = new Map(all<ContactRow>(a.store, 'SELECT * FROM contacts').map((c) => [c.id, c]));
    const lastOpenDay = summary.perDay.filter((d) => d.open).at(-1)!.day;
    const horizon = parisInstant(addDays(END, 1), '00:00').getTime();
    const terminal = ['completed', 'declined', 'expired', 'cancelled', 'person_left'];
    expect(handoffs.length).toBeGreaterThan(0);
    for (const h of handoffs) {
      const created = ms(h.created_at);
      const contact = contacts.get(h.contact_id)!;
      const delay = DEFAULT_HANDOFF_CONFIG.delays[h.mode];
      expect(contact.orientation_kind).toBe('institution');
      expect(contact.orientation_target).toBe(h.to_institution);
      expect(contact.queue_entry_id).toBe(h.queue_entry_id);
      expect(contact.agent_id).toBe(h.from_account_id);
      expect(h.day).toBe(contact.day);
      expect(created).toBeGreaterThanOrEqual(ms(contact.updated_at));
      expect(ms(h.late_at)).toBe(created + delay.lateAfterMinutes * 60_000);
      expect(ms(h.expires_at)).toBe(created + delay.expireAfterMinutes * 60_000);
      expect([h.person_name, h.person_phone, h.summary, h.documents]).toEqual([null, null, null, null]);
      expect(h.shared_fields).toBe('[]');
      expect(h.consent === 1).toBe(h.consent_recorded_by !== null);
      if (h.mode === 'rdv') expect(ms(h.appointment_at)).toBeGreaterThan(created);
      else expect(h.appointment_at).toBeNull();
      for (const t of [h.seen_at, h.accepted_at, h.declined_at, h.closed_at, h.anonymised_at, h.updated_at]) {
        if (t) {
          expect(ms(t)).toBeGreaterThanOrEqual(created);
          expect(ms(t)).toBeLessThan(horizon);
        }
      }
      expect(h.closed_at !== null).toBe(terminal.includes(h.state));
      if (h.state === 'proposed') {
        expect(h.day).toBe(lastOpenDay);
        expect([h.accepted_at, h.declined_at]).toEqual([null, null]);
      }
      if (h.state === 'accepted' || h.state === 'completed') {
        expect(h.accepted_at).not.toBeNull();
        expect(h.taken_by).not.toBeNull();
        expect(ms(h.seen_at)).toBeLessThanOrEqual(ms(h.accepted_at));
        if (h.state === 'completed') expect(ms(h.closed_at)).toBeGreaterThan(ms(h.accepted_at));
      }
      if (h.state === 'declined') {
        expect(h.decline_reason).not.toBeNull();
        expect(h.declined_at).toBe(h.closed_at);
        expect(ms(h.seen_at)).toBeLessThanOrEqual(ms(h.declined_at));
        expect(ms(h.declined_at)).toBeLessThan(ms(h.expires_at));
      } else expect([h.declined_at, h.decline_reason]).toEqual([null, null]);
      if (h.state === 'expired') {
        expect(h.accepted_at).toBeNull();
        expect(ms(h.closed_at)).toBeGreaterThanOrEqual(ms(h.expires_at));
      }
      if (h.accepted_at) expect(ms(h.accepted_at)).toBeLessThan(ms(h.expires_at));
      if (h.anonymised_at) expect(ms(h.anonymised_at)).toBeGreaterThanOrEqual(created + DEFAULT_HANDOFF_CONFIG.retentionDays * 86_400_000);
      expect(h.version).toBeGreaterThanOrEqual(1);
    }
    const share = handoffs.length / summary.totals.contacts;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.11);
    const completed = handoffs.filter((h) => h.state === 'completed').length / handoffs.length;
    expect(completed).toBeGreaterThan(0.45);
  });
});

describe('summary', () => {
  it('matches what SQL reads back', () => {
    const t = summary.totals;
    const count = (sql: string) => one<{ n: number }>(a.store, sql).n;
    expect(count('SELECT count(*) AS n FROM queue_entries')).toBe(t.entries);
    for (const [state, n] of Object.entries(t.entriesByState)) expect(count(`SELECT count(*) AS n FROM queue_entries WHERE state = '${state}'`), state).toBe(n);
    expect(count('SELECT count(*) AS n FROM queue_entries WHERE appointment_at IS NOT NULL')).toBe(t.appointments);
    expect(count("SELECT count(*) AS n FROM queue_entries WHERE priority_reasons <> '[]'")).toBe(t.priorityEntries);
    expect(count('SELECT count(*) AS n FROM queue_events')).toBe(t.queueEvents);
    expect(count('SELECT count(*) AS n FROM contacts')).toBe(t.contacts);
    for (const [channel, n] of Object.entries(t.contactsByChannel)) expect(count(`SELECT count(*) AS n FROM contacts WHERE channel = '${channel}'`), channel).toBe(n);
    expect(count('SELECT count(*) AS n FROM contact_domains')).toBe(t.contactDomains);
    expect(count('SELECT count(*) AS n FROM contacts WHERE orientation_kind IS NOT NULL')).toBe(t.orientations);
    expect(count('SELECT count(*) AS n FROM handoffs')).toBe(t.handoffs);
    for (const [state, n] of Object.entries(t.handoffsByState)) expect(count(`SELECT count(*) AS n FROM handoffs WHERE state = '${state}'`), state).toBe(n);
    expect(count('SELECT count(person_key) AS n FROM contacts')).toBe(t.identifiedPassages);
    expect(count('SELECT count(DISTINCT person_key) AS n FROM contacts')).toBe(t.distinctPersons);
    for (const d of summary.perDay) {
      expect(count(`SELECT count(*) AS n FROM contacts WHERE day = '${d.day}'`), d.day).toBe(d.contacts);
      expect(count(`SELECT count(*) AS n FROM handoffs WHERE day = '${d.day}'`), d.day).toBe(d.handoffs);
      expect(count(`SELECT count(*) AS n FROM queue_entries WHERE day = '${d.day}' AND outside_hours = 1`), d.day).toBe(d.outsideHours);
    }
    expect(summary).toMatchObject({ site: 'BLOSNE', seed: SEED, from: FROM, to: END, calendarDays: DAYS });
    expect(summary.accounts.logins).toEqual(SEED_ACCOUNTS.map((x) => x.login));
  });
});

describe('sync columns and triggers', () => {
  it('stamps every seeded row with a unique change_seq from the counter and leaves the triggers as the migration made them', () => {
    const counter = one<{ value: number }>(a.store, 'SELECT value FROM change_counter').value;
    const seqs = ['queue_entries', 'contacts', 'handoffs'].flatMap((t) => all<{ s: number }>(a.store, `SELECT change_seq AS s FROM ${t}`).map((r) => r.s));
    expect(seqs.every((s) => s > 0 && s <= counter)).toBe(true);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(Math.max(...seqs)).toBe(counter);
    expect(summary.changeSeq).toEqual({ first: Math.min(...seqs), last: counter });
    for (const table of ['queue_entries', 'contacts', 'handoffs']) {
      const bad = one<{ n: number }>(a.store, `SELECT count(*) AS n FROM ${table} WHERE site_id <> 'BLOSNE' OR updated_at IS NULL OR version < 1 OR deleted_at IS NOT NULL`);
      expect(bad.n, table).toBe(0);
    }
    const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();
    for (const table of SYNC_TABLES) {
      const expected = /CREATE TRIGGER \w+_seq_insert[\s\S]*?END;/.exec(syncTriggersSql(table))![0];
      expect(squash(`${insertTriggerSql(a.store.sqlite, table)!};`), table).toBe(squash(expected));
    }
    const triggers = all<{ name: string }>(a.store, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_seq_insert'").map((r) => r.name);
    expect(triggers.sort()).toEqual(SYNC_TABLES.map((t) => `${t}_seq_insert`).sort());
    expect(all(a.store, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(String(a.store.sqlite.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('restores the triggers and the counter when a bulk load throws', () => {
    const before = snapshot(a.store);
    expect(() =>
      withInsertTriggersSuspended(a.store.sqlite, ['queue_entries', 'contacts', 'handoffs'], (seq) => {
        seq.next();
        a.store.sqlite.prepare('UPDATE change_counter SET value = value + 1000').run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(snapshot(a.store)).toBe(before);
    expect(insertTriggerSql(a.store.sqlite, 'queue_entries')).not.toBeNull();
  });

  it('refuses to seed a range that already holds data, without changing anything', async () => {
    const before = snapshot(a.store);
    await expect(seedSite(a.store, { seed: SEED, end: addDays(END, 5), days: 10 })).rejects.toThrow(SeedError);
    await expect(seedSite(a.store, { seed: SEED, end: '2026-02-30', days: 10 })).rejects.toThrow(/Date de fin invalide/);
    expect(snapshot(a.store)).toBe(before);
  });
});

describe('the app reads seeded data', () => {
  it('lists a seeded day through the real router, and new rows still get their change_seq from the trigger', async () => {
    const day = '2026-04-08';
    c.clock.set(parisInstant(addDays(END, 1), '09:00'));
    const coord = await signInAs(c, 'coord.test', 'coordinateur', null);
    const queue = await rpc(c.app, coord, 'queue.list', { day });
    expect(queue.entries.length).toBeGreaterThanOrEqual(100);
    const contacts = await rpc(c.app, coord, 'contacts.list', { day });
    expect(contacts.counts.total).toBe(contacts.contacts.length);
    const persons = await rpc(c.app, coord, 'contacts.persons', { from: FROM, to: END });
    expect(persons.distinctIdentified).toBeLessThan(persons.identifiedPassages);

    const agent = await signIn(c.app, 'seed.accueil.ccas', SEED_PASSWORD);

    const counter = one<{ value: number }>(c.store, 'SELECT value FROM change_counter').value;
    const added = await rpc(c.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    expect(one<{ s: number }>(c.store, 'SELECT change_seq AS s FROM queue_entries WHERE id = ?', added.id).s).toBeGreaterThan(counter);
  });
});
