/**
 * The desk flow of issue 12 through the router: one person per desk, "finish" implying "start",
 * live events that carry the changed entry with the day's version, resynchronising from a
 * version, the admin reading the queue settings, and closing today early or in one step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import type { EventPayload } from '../../src/shared/api/contract';
import type { Person } from '../../src/shared/permissions';
import { parisInstant } from '../../src/shared/time/paris';

let site: TestSite;
let desk1: Connection;
let desk2: Connection;
let cdas: Connection;
let coord: Connection;

const DAY = '2026-11-23'; // a Monday: Le Blosne is open 8:30–12:30 and 13:30–17:00
const code = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data.code : 'OK');
const message = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.message : '');

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set(parisInstant(DAY, '09:45'));
  desk1 = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  desk2 = await signInAs(site, 'agent2', 'agent_accueil', 'CDAS');
  cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS');
  coord = await signInAs(site, 'coord', 'coordinateur', null, 'Claire Coord');
});
afterEach(() => site.close());

const add = (service: string, extra: Record<string, unknown> = {}) => rpc(site.app, desk1, 'queue.add', { serviceCode: service, ...extra });

describe('one person at a time per desk', () => {
  it('refuses a second call to a desk that has someone called, then in progress, with a French message naming the ticket', async () => {
    const a = await add('ACCUEIL');
    const b = await add('ACCUEIL');
    const called = await rpc(site.app, desk1, 'queue.call', { id: a.id, version: a.version, destination: 'Guichet 1' });
    const before = snapshot(site.store);
    const second = await rpcRaw(site.app, desk1, 'queue.call', { id: b.id, version: b.version, destination: 'Guichet 1' });
    expect(code(second)).toBe('CONFLICT');
    expect(message(second)).toMatch(new RegExp(`Guichet 1 reçoit déjà le ticket ${a.ticket} \\(appelé·e\\)`));
    expect(message(second)).toMatch(/Terminez ce passage/);
    const next = await rpcRaw(site.app, desk1, 'queue.callNext', { serviceCode: 'ACCUEIL', destination: 'Guichet 1' });
    expect(code(next)).toBe('CONFLICT');
    expect(snapshot(site.store)).toBe(before);

    // Another desk is free to call; the busy one stays busy while the interview goes on.
    expect((await rpc(site.app, desk2, 'queue.call', { id: b.id, version: b.version, destination: 'Guichet 2' })).calledTo).toBe('Guichet 2');
    const started = await rpc(site.app, desk1, 'queue.start', { id: called.id, version: called.version });
    const c = await add('ACCUEIL');
    expect(message(await rpcRaw(site.app, desk1, 'queue.call', { id: c.id, version: c.version, destination: 'Guichet 1' }))).toMatch(/\(en cours\)/);

    // Finished: the desk is free again.
    await rpc(site.app, desk1, 'queue.finish', { id: started.id, version: started.version });
    expect((await rpc(site.app, desk1, 'queue.callNext', { serviceCode: 'ACCUEIL', destination: 'Guichet 1' })).id).toBe(c.id);
  });

  it('a recall to another desk that is busy is refused too', async () => {
    const a = await add('ACCUEIL');
    const b = await add('ACCUEIL');
    await rpc(site.app, desk1, 'queue.call', { id: a.id, version: a.version, destination: 'Guichet 1' });
    const cb = await rpc(site.app, desk2, 'queue.call', { id: b.id, version: b.version, destination: 'Guichet 2' });
    expect(code(await rpcRaw(site.app, desk2, 'queue.recall', { id: cb.id, version: cb.version, destination: 'Guichet 1' }))).toBe('CONFLICT');
    // Recalling the person to their own desk is what "Rappeler" is for.
    expect((await rpc(site.app, desk2, 'queue.recall', { id: cb.id, version: cb.version })).callCount).toBe(2);
  });

  it('"finish" straight after the call implies "start" at the call: the interview is timed from it', async () => {
    const a = await add('ACCUEIL');
    site.clock.advance(5 * 60_000);
    const called = await rpc(site.app, desk1, 'queue.call', { id: a.id, version: a.version, destination: 'Guichet 1' });
    site.clock.advance(12 * 60_000);
    const done = await rpc(site.app, desk1, 'queue.finish', { id: called.id, version: called.version });
    expect(done.state).toBe('done');
    expect(done.startedAt).toBe(called.lastCalledAt);
    expect(done.servedByName).toBe('agent');
    expect((Date.parse(done.finishedAt!) - Date.parse(done.startedAt!)) / 60_000).toBe(12);
    const today = await rpc(site.app, coord, 'stats.today', {});
    expect(today.figures).toMatchObject({ received: 1, serviceMedian: 12, waitMedian: 5 });
  });
});

describe('live events carry the changed entry and the day’s version', () => {
  function listen(principal: Person) {
    const events: EventPayload<'queue.changed'>[] = [];
    site.app.bus.subscribe({ principal: () => principal, deliver: (name, payload) => name === 'queue.changed' && events.push(payload as EventPayload<'queue.changed'>) });
    return events;
  }

  it('each event follows the previous one (previousVersion = last version) and holds the entry as queue.list shows it', async () => {
    const events = listen({ role: 'agent_accueil', institution: 'CCAS', accountId: 'listener' });
    const start = (await rpc(site.app, desk1, 'queue.list', {})).version;
    const a = await add('CDAS', { firstName: 'Zoé', purpose: 'LOGEMENT' });
    const called = await rpc(site.app, desk1, 'queue.call', { id: a.id, version: a.version, destination: 'Bureau 3' });
    await rpc(site.app, desk1, 'queue.finish', { id: called.id, version: called.version });
    expect(events.map((e) => e.action)).toEqual(['add', 'call', 'finish']);
    expect(events[0]!.previousVersion).toBe(start);
    for (let i = 1; i < events.length; i++) expect(events[i]!.previousVersion).toBe(events[i - 1]!.version);
    for (const e of events) expect(e.version).toBeGreaterThan(e.previousVersion);
    expect(events[1]!.entry).toMatchObject({ id: a.id, ticket: a.ticket, firstName: 'Zoé', state: 'called', calledTo: 'Bureau 3' });
    // What an event filter needs (branch sec-core): the entry's service and its institution.
    expect(events[1]).toMatchObject({ serviceCode: 'CDAS', institution: 'CDAS', previousInstitution: null });
    const list = await rpc(site.app, desk1, 'queue.list', {});
    expect(list.version).toBe(events[2]!.version);
    const { position: _p, tier: _t, ...fromList } = list.entries.find((e) => e.id === a.id)!;
    const { position: _p2, tier: _t2, ...fromEvent } = events[2]!.entry!;
    expect(fromEvent).toEqual(fromList);
  });

  it('a desk that missed events resynchronises from its version: only what changed, and what it can no longer see', async () => {
    const a = await add('CDAS');
    const b = await add('CDAS');
    const held = (await rpc(site.app, cdas, 'queue.list', {})).version;
    await rpc(site.app, desk1, 'queue.move', { id: b.id, version: b.version, serviceCode: 'CCAS', reason: 'Demande RSA' });
    const c = await add('CDAS');
    await add('CCAS'); // another institution's person: not even its id reaches the CDAS
    const delta = await rpc(site.app, cdas, 'queue.list', { since: held });
    expect(delta.delta).toBe(true);
    expect(delta.entries.map((e) => e.id)).toEqual([c.id]);
    expect(delta.removedIds).toEqual([b.id]);
    expect(delta.entries.find((e) => e.id === a.id)).toBeUndefined();
    // A version the hub never issued (a restore in between): the whole day instead.
    const full = await rpc(site.app, cdas, 'queue.list', { since: delta.version + 1000 });
    expect(full.delta).toBe(false);
    expect(full.entries.map((e) => e.id).sort()).toEqual([a.id, c.id].sort());
  });

  it('a configuration change keeps the version and carries no entry (desks re-read the configuration only)', async () => {
    const events = listen({ role: 'agent_accueil', institution: 'CCAS', accountId: 'listener' });
    await add('ACCUEIL');
    const config = await rpc(site.app, coord, 'queue.getConfig', {});
    await rpc(site.app, coord, 'queue.updateConfig', { config: { ...config, thresholds: { warnMinutes: 10, alertMinutes: 20 } } });
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ action: 'config', entry: null, previousVersion: events[0]!.version, version: events[0]!.version });
  });
});

describe('administration', () => {
  it('the administrator reads the queue settings it may update, and still never the queue itself', async () => {
    const admin = await signInAs(site, 'it', 'admin');
    const config = await rpc(site.app, admin, 'queue.getConfig', {});
    expect(config.destinations).toContain('Guichet 1');
    await rpc(site.app, admin, 'queue.updateConfig', { config: { ...config, noShowAfterCalls: 3 } });
    expect((await rpc(site.app, admin, 'queue.getConfig', {})).noShowAfterCalls).toBe(3);
    expect(code(await rpcRaw(site.app, admin, 'queue.list', {}))).toBe('FORBIDDEN');
  });
});

describe('closing today', () => {
  it('before closing time, asks for a confirmation that says what it does and who is still waiting; nothing changes until confirmed', async () => {
    const a = await add('ACCUEIL');
    await add('CCAS');
    await rpc(site.app, desk1, 'queue.call', { id: a.id, version: a.version, destination: 'Guichet 1' });
    site.clock.set(parisInstant(DAY, '15:15'));
    await rpc(site.app, coord, 'days.closeRemaining', { day: DAY, reason: 'Fermeture exceptionnelle (alarme incendie)' });
    await add('CDAS');
    const before = snapshot(site.store);
    const r = await rpcRaw(site.app, coord, 'days.close', { day: DAY });
    expect(code(r)).toBe('CONFLICT');
    expect(message(r)).toMatch(/Il est 15:15 et l’accueil ferme à 17:00/);
    expect(message(r)).toMatch(/aucun poste ne pourra plus enregistrer d’arrivée ni de contact/);
    expect(message(r)).toMatch(/1 personne en attente/);
    expect(snapshot(site.store)).toBe(before);
    // Still waiting: closing stays blocked until the ticket is dealt with, then the confirmed closing goes through.
    await rpc(site.app, coord, 'days.closeRemaining', { day: DAY, reason: 'Fermeture exceptionnelle (alarme incendie)' });
    expect(code(await rpcRaw(site.app, coord, 'days.close', { day: DAY }))).toBe('CONFLICT');
    const closed = await rpc(site.app, coord, 'days.close', { day: DAY, early: true });
    expect(closed).toMatchObject({ state: 'closed', closedByName: 'Claire Coord' });
    expect(code(await rpcRaw(site.app, desk1, 'queue.add', { serviceCode: 'ACCUEIL' }))).toBe('LOCKED');
  });

  it('after closing time, closes without asking', async () => {
    site.clock.set(parisInstant(DAY, '17:05'));
    expect((await rpc(site.app, coord, 'days.close', { day: DAY })).state).toBe('closed');
  });

  it('the review closes every remaining ticket in one step with a reason: unseen people closed, interviews in progress received', async () => {
    const waiting = await add('ACCUEIL');
    const called = await add('CCAS');
    const serving = await add('CDAS');
    await rpc(site.app, desk1, 'queue.call', { id: called.id, version: called.version, destination: 'Guichet 1' });
    await rpc(site.app, desk2, 'queue.start', { id: serving.id, version: serving.version });
    expect(code(await rpcRaw(site.app, desk1, 'days.closeRemaining', { day: DAY, reason: 'fermeture' }))).toBe('FORBIDDEN');
    expect(code(await rpcRaw(site.app, coord, 'days.closeRemaining', { day: DAY, reason: '' }))).toBe('VALIDATION');
    site.clock.set(parisInstant(DAY, '17:10'));
    expect(await rpc(site.app, coord, 'days.closeRemaining', { day: DAY, reason: 'Panne du système d’appel' })).toEqual({ closed: 2, finished: 1 });
    const states = new Map((await rpc(site.app, coord, 'queue.list', {})).entries.map((e) => [e.id, e.state]));
    expect([states.get(waiting.id), states.get(called.id), states.get(serving.id)]).toEqual(['closed', 'closed', 'done']);
    const reasons = site.store.sqlite.prepare("SELECT DISTINCT reason FROM queue_events WHERE action IN ('close', 'finish') AND reason IS NOT NULL").all() as { reason: string }[];
    expect(reasons.map((r) => r.reason)).toEqual(['Panne du système d’appel']);
    expect((await rpc(site.app, coord, 'days.review', { day: DAY })).items.filter((i) => i.blocking)).toEqual([]);
    expect((await rpc(site.app, coord, 'days.close', { day: DAY })).state).toBe('closed');
  });
});
