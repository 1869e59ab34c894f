/** The contact log: queue-derived contacts, taxonomy, passages vs distinct persons, corrections. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { addDays } from '../../src/shared/time/paris';

let site: TestSite;
let agent: Connection;
let agent2: Connection;
let coord: Connection;
const code = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data.code : 'OK');

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:45:00Z');
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  agent2 = await signInAs(site, 'agent2', 'agent_accueil', 'CDAS');
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
});
afterEach(() => site.close());

async function servedEntry(extra: Record<string, unknown> = {}, minutes = 12) {
  const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL', ...extra });
  const c = await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
  const s = await rpc(site.app, agent, 'queue.start', { id: c.id, version: c.version });
  site.clock.advance(minutes * 60_000);
  return rpc(site.app, agent, 'queue.finish', { id: s.id, version: s.version });
}

describe('contacts from the queue', () => {
  it('take channel, time and duration from the queue entry', async () => {
    const done = await servedEntry();
    const c = await rpc(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: ['LOGEMENT'] });
    expect(c).toMatchObject({ channel: 'sur_place', at: done.finishedAt, durationMinutes: 12, ticket: done.ticket, actions: ['information'], identified: false });
    const rdv = await servedEntry({ appointmentTime: '10:30' }, 5);
    expect((await rpc(site.app, agent, 'contacts.log', { queueEntryId: rdv.id, domains: ['DROITS'] })).channel).toBe('sur_place_rdv');
  });

  it('are logged once per passage, and only once the passage is finished', async () => {
    const done = await servedEntry();
    await rpc(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: ['LOGEMENT'] });
    expect(code(await rpcRaw(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: ['LOGEMENT'] }))).toBe('CONFLICT');
    const waiting = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    expect(code(await rpcRaw(site.app, agent, 'contacts.log', { queueEntryId: waiting.id, domains: ['LOGEMENT'] }))).toBe('CONFLICT');
  });
});

describe('taxonomy', () => {
  it('refuses unknown or malformed domain codes with VALIDATION and writes nothing', async () => {
    const before = snapshot(site.store);
    for (const domains of [['XYZ'], ['pas un code'], []]) {
      const r = await rpcRaw(site.app, agent, 'contacts.log', { channel: 'telephone', domains });
      expect(code(r)).toBe('VALIDATION');
      expect('error' in r && r.error.data.issues?.[0]?.path).toMatch(/^domains/);
    }
    expect(snapshot(site.store)).toBe(before);
  });

  it('retiring a domain stops new use but never breaks old contacts', async () => {
    const old = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['ALIMENTATION'] });
    site.store.sqlite.prepare("UPDATE taxonomy_domains SET retired_in = 2 WHERE code = 'ALIMENTATION'").run();
    expect(code(await rpcRaw(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['ALIMENTATION'] }))).toBe('VALIDATION');
    expect((await rpc(site.app, agent, 'contacts.get', { id: old.id })).contact.domains).toEqual(['ALIMENTATION']);
    const all = await rpc(site.app, agent, 'taxonomy.list', { includeRetired: true });
    expect(all.domains.find((d) => d.code === 'ALIMENTATION')).toMatchObject({ retiredIn: 2 });
    expect((await rpc(site.app, agent, 'taxonomy.list', {})).domains.map((d) => d.code)).not.toContain('ALIMENTATION');
    expect((await rpc(site.app, agent, 'stats.today', {})).figures.byDomain).toContainEqual({ key: 'ALIMENTATION', count: 1 });
  });
});

describe('passages and distinct persons', () => {
  it('match counts computed independently from a generated scenario, and no name is stored', async () => {
    // A small deterministic generator: 15 people (some written with other accents or case), 60 contacts.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const people = Array.from({ length: 15 }, (_, i) => ({ lastName: `Lefèvre${i}`, firstName: `Éloïse${i}`, birthDate: `198${i % 10}-0${(i % 9) + 1}-1${i % 9}` }));
    const spelled = (p: (typeof people)[number]) =>
      rand() < 0.5 ? p : { ...p, lastName: p.lastName.toUpperCase().replace('È', 'E'), firstName: p.firstName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() };
    const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
    const expected = new Map<string, { passages: number; identified: number; persons: Set<number> }>(days.map((d) => [d, { passages: 0, identified: 0, persons: new Set() }]));
    for (let i = 0; i < 60; i++) {
      const day = days[Math.floor(rand() * days.length)]!;
      site.clock.set(`${day}T09:${String(10 + (i % 40)).padStart(2, '0')}:00Z`);
      agent = await signIn(site.app, 'agent', 'agent-password-1');
      const who = rand() < 0.6 ? Math.floor(rand() * people.length) : null;
      await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['DROITS'], ...(who !== null ? { person: spelled(people[who]!) } : {}) });
      const e = expected.get(day)!;
      e.passages++;
      if (who !== null) {
        e.identified++;
        e.persons.add(who);
      }
    }
    const check = async (from: string, to: string) => {
      const inRange = days.filter((d) => d >= from && d <= to).map((d) => expected.get(d)!);
      const passages = inRange.reduce((n, e) => n + e.passages, 0);
      const identified = inRange.reduce((n, e) => n + e.identified, 0);
      const persons = new Set(inRange.flatMap((e) => [...e.persons])).size;
      expect(await rpc(site.app, agent, 'contacts.persons', { from, to })).toEqual({
        passages,
        identifiedPassages: identified,
        distinctIdentified: persons,
        anonymousPassages: passages - identified,
      });
    };
    await check('2026-11-16', '2026-11-20');
    await check('2026-11-17', '2026-11-18');
    const everything = JSON.stringify(
      (site.store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => site.store.sqlite.prepare(`SELECT * FROM "${t.name}"`).all()),
    );
    expect(everything).not.toMatch(/Lefèvre|LEFEVRE|Éloïse|eloise|1980-01-10/i);
  });

  it('put a contact of 23:30 on a 25-hour day on that day, and one of 00:15 on the next', async () => {
    site.clock.set('2026-10-25T22:30:00Z');
    agent = await signIn(site.app, 'agent', 'agent-password-1');
    expect((await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['AUTRE'] })).day).toBe('2026-10-25');
    site.clock.set('2026-10-25T23:15:00Z');
    expect((await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['AUTRE'] })).day).toBe('2026-10-26');
    site.clock.set('2026-03-28T23:15:00Z');
    agent = await signIn(site.app, 'agent', 'agent-password-1');
    expect((await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['AUTRE'] })).day).toBe('2026-03-29');
  });
});

describe('corrections', () => {
  it('the author corrects the same day with an audited diff; the note never reaches the audit log', async () => {
    const c = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'], note: 'Rappeler Mme X au 06 11 22 33 44' });
    const fixed = await rpc(site.app, agent, 'contacts.update', { id: c.id, version: c.version, domains: ['ENERGIE'] });
    expect(fixed.version).toBe(c.version + 1);
    const { history } = await rpc(site.app, agent, 'contacts.get', { id: c.id });
    expect(history.map((h) => h.action)).toEqual(['contact.log', 'contact.update']);
    expect(history[1]!.changes).toContainEqual({ field: 'domains', before: '["LOGEMENT"]', after: '["ENERGIE"]' });
    const audit = JSON.stringify(site.store.sqlite.prepare('SELECT diff FROM audit_log').all());
    expect(audit).not.toContain('06 11 22 33 44');
  });

  it('another agent cannot correct it; the author cannot the next day; the coordination can until the day is closed', async () => {
    const c = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'], note: 'suivi' });
    expect(code(await rpcRaw(site.app, agent2, 'contacts.update', { id: c.id, version: c.version, domains: ['AUTRE'] }))).toBe('FORBIDDEN');
    const list = await rpc(site.app, agent2, 'contacts.list', {});
    expect(list.contacts[0]).toMatchObject({ id: c.id, note: null, editable: false });
    expect((await rpc(site.app, coord, 'contacts.list', {})).contacts[0]!.note).toBe('suivi');

    site.clock.set(`${addDays(c.day, 1)}T08:00:00Z`);
    agent = await signIn(site.app, 'agent', 'agent-password-1');
    coord = await signIn(site.app, 'coord', 'coord-password-1');
    expect(code(await rpcRaw(site.app, agent, 'contacts.update', { id: c.id, version: c.version, domains: ['AUTRE'] }))).toBe('FORBIDDEN');
    const byCoord = await rpc(site.app, coord, 'contacts.update', { id: c.id, version: c.version, domains: ['AUTRE'] });
    await rpc(site.app, coord, 'days.close', { day: c.day });
    expect(code(await rpcRaw(site.app, coord, 'contacts.update', { id: c.id, version: byCoord.version, domains: ['LOGEMENT'] }))).toBe('LOCKED');
  });
});

describe('lists', () => {
  it('count by channel, domain (each domain of a contact), orientation, and filter', async () => {
    await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT', 'BUDGET'] });
    await rpc(site.app, agent, 'contacts.log', { channel: 'email', domains: ['LOGEMENT'], orientation: { kind: 'institution', target: 'CAF' } });
    await rpc(site.app, agent2, 'contacts.log', { channel: 'telephone', domains: ['EMPLOI'], orientation: { kind: 'partner', target: 'FRANCE_TRAVAIL' } });
    const all = await rpc(site.app, coord, 'contacts.list', {});
    expect(all.counts.total).toBe(3);
    expect(all.counts.byChannel).toEqual([
      { key: 'telephone', count: 2 },
      { key: 'email', count: 1 },
    ]);
    expect(all.counts.byDomain).toContainEqual({ key: 'LOGEMENT', count: 2 });
    expect(all.counts.byOrientation).toContainEqual({ key: 'AUCUNE', count: 1 });
    expect((await rpc(site.app, coord, 'contacts.list', { channel: 'email' })).counts.total).toBe(1);
    expect((await rpc(site.app, coord, 'contacts.list', { domain: 'EMPLOI' })).contacts).toHaveLength(1);
    expect((await rpc(site.app, coord, 'contacts.list', { orientation: 'CAF' })).contacts).toHaveLength(1);
    const pro = await signInAs(site, 'pro', 'professionnel', 'CAF');
    await rpc(site.app, pro, 'contacts.log', { channel: 'telephone', domains: ['DROITS'] });
    expect((await rpc(site.app, pro, 'contacts.list', {})).counts.total).toBe(1);
  });
});
