/**
 * Bad input is refused with a clear French message on the field at fault, and nothing changes:
 * appointments in the past or outside the site's opening hours (arrivals and booked hand-over
 * appointments), and a second queue service with the same ticket letter.
 * Le Blosne: open 08:30–12:30 and 13:30–17:00, closed on Tuesday morning.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import type { JsonRpcResponse } from '../../src/shared/api/jsonrpc';
import { DEFAULT_QUEUE_CONFIG } from '../../src/shared/queue/config';
import { parisInstant } from '../../src/shared/time/paris';

let site: TestSite;
let agent: Connection;
let coord: Connection;
const MONDAY = '2026-11-23';
const TUESDAY = '2026-11-24';

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set(parisInstant(MONDAY, '10:15'));
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
});
afterEach(() => site.close());

function refusal(r: JsonRpcResponse): { code: string; path: string | undefined; message: string } {
  if (!('error' in r)) throw new Error('expected a refusal');
  return { code: r.error.data.code, path: r.error.data.issues?.[0]?.path, message: r.error.message };
}

describe('arrival with an appointment', () => {
  it('accepts an appointment later today or a little late', async () => {
    expect((await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF', appointmentTime: '11:00' })).appointmentAt).toBe(parisInstant(MONDAY, '11:00').toISOString());
    expect((await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF', appointmentTime: '09:30' })).appointmentAt).not.toBeNull();
    expect((await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF', appointmentTime: '16:45' })).appointmentAt).not.toBeNull();
  });

  it('refuses a time before opening, at lunch or after closing, and one long past, changing nothing', async () => {
    const before = snapshot(site.store);
    for (const [time, words] of [
      ['07:45', /À 07:45, le site est fermé au public aujourd’hui \(ouvert 08:30–12:30 et 13:30–17:00\)/],
      ['12:45', /À 12:45, le site est fermé/],
      ['17:30', /À 17:30, le site est fermé/],
      ['08:45', /Rendez-vous à 08:45 : cette heure est passée depuis plus d’une heure/],
    ] as const) {
      const r = refusal(await rpcRaw(site.app, agent, 'queue.add', { serviceCode: 'CAF', appointmentTime: time }));
      expect(r).toMatchObject({ code: 'VALIDATION', path: 'appointmentTime' });
      expect(r.message, time).toMatch(words);
    }
    expect(snapshot(site.store)).toBe(before);
  });

  it('on the weekly closed morning, only afternoon appointments', async () => {
    site.clock.set(parisInstant(TUESDAY, '08:00'));
    agent = await signInAs(site, 'agent2', 'agent_accueil', 'CCAS');
    expect(refusal(await rpcRaw(site.app, agent, 'queue.add', { serviceCode: 'CAF', appointmentTime: '10:00' })).message).toMatch(/ouvert 13:30–17:00/);
    expect((await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF', appointmentTime: '14:00' })).ticket).toBe('F-001');
  });
});

describe('appointment booked with a hand-over', () => {
  const rdv = (at: Date) => ({ toInstitution: 'CAF' as const, domains: ['DROITS'], mode: 'rdv' as const, consent: false, appointmentAt: at.toISOString() });

  it('accepts a future appointment during opening hours', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', rdv(parisInstant('2026-11-26', '14:00')));
    expect(h.appointmentAt).toBe(parisInstant('2026-11-26', '14:00').toISOString());
  });

  it('refuses the past, closed times and days, and typos of a year, changing nothing', async () => {
    const before = snapshot(site.store);
    for (const [at, words] of [
      [parisInstant(MONDAY, '09:00'), /\(23\/11\/2026 à 09:00\) est déjà passé/],
      [parisInstant(TUESDAY, '09:30'), /À 09:30, le site est fermé au public le mardi 24\/11\/2026 \(ouvert 13:30–17:00\)/],
      [parisInstant('2026-11-28', '10:00'), /fermé au public le samedi 28\/11\/2026 : choisissez un jour d’ouverture/],
      [parisInstant('2026-11-25', '18:00'), /À 18:00, le site est fermé/],
      [parisInstant('2062-11-25', '10:00'), /dans plus d’un an : vérifiez l’année/],
    ] as const) {
      const r = refusal(await rpcRaw(site.app, agent, 'handoffs.create', rdv(at)));
      expect(r).toMatchObject({ code: 'VALIDATION', path: 'appointmentAt' });
      expect(r.message).toMatch(words);
    }
    expect(snapshot(site.store)).toBe(before);
  });
});

describe('queue settings', () => {
  it('refuse a second service with the same ticket letter, on that service’s letter, naming both', async () => {
    const before = snapshot(site.store);
    const config = {
      ...DEFAULT_QUEUE_CONFIG,
      services: [...DEFAULT_QUEUE_CONFIG.services, { code: 'P_CPAM', label: 'Permanence CPAM', prefix: 'C', institution: null, active: true }],
    };
    const r = await rpcRaw(site.app, coord, 'queue.updateConfig', { config });
    expect(refusal(r)).toMatchObject({ code: 'VALIDATION', path: 'config.services.6.prefix' });
    expect('error' in r && r.error.data.issues?.[0]?.message).toBe('La lettre C est déjà celle du service « CCAS » : choisissez une autre lettre pour « Permanence CPAM ».');
    expect(snapshot(site.store)).toBe(before);
    const fixed = { ...config, services: config.services.map((s) => (s.code === 'P_CPAM' ? { ...s, prefix: 'P' } : s)) };
    expect((await rpc(site.app, coord, 'queue.updateConfig', { config: fixed })).services).toHaveLength(7);
  });
});
