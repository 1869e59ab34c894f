/**
 * Issue 13 item 11: object-level rules of hand-overs. A coordinator attached to an institution
 * oversees the hand-overs from or to that institution only: they cannot cancel, mark "person
 * left", reorient or list the others (an unattached coordinator oversees the whole site).
 * `handoffs.create` refuses a ticket or a contact its caller cannot see, as if it did not exist.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/api/types';
import { createTestSite, rpc, rpcRaw, signInAs, snapshot, type TestSite } from '../fixtures/site';
import { codeOf } from './hub-client';

let site: TestSite;
let agent: Connection;
let cdas: Connection;
let caf: Connection;
let coordCaf: Connection;
let coordSite: Connection;

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z');
  agent = await signInAs(site, 'agent', 'agent_accueil', null);
  cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS');
  caf = await signInAs(site, 'caf', 'professionnel', 'CAF');
  coordCaf = await signInAs(site, 'coordcaf', 'coordinateur', 'CAF');
  coordSite = await signInAs(site, 'coord', 'coordinateur', null);
});
afterEach(() => site.close());

const toCdas = { toInstitution: 'CDAS' as const, domains: ['LOGEMENT'], mode: 'rappel' as const, consent: false };

describe('a coordinator attached to an institution', () => {
  it('cannot cancel, mark "person left" or reorient another institution’s hand-over, and changes nothing', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', toCdas);
    const before = snapshot(site.store);
    expect(codeOf(await rpcRaw(site.app, coordCaf, 'handoffs.cancel', { id: h.id, version: h.version }))).toBe('FORBIDDEN');
    expect(codeOf(await rpcRaw(site.app, coordCaf, 'handoffs.personLeft', { id: h.id, version: h.version }))).toBe('FORBIDDEN');
    const declined = await rpc(site.app, cdas, 'handoffs.decline', { id: h.id, version: h.version, reason: 'hors_competence' });
    const mid = snapshot(site.store);
    expect(codeOf(await rpcRaw(site.app, coordCaf, 'handoffs.create', { ...toCdas, toInstitution: 'WEKER', reorientFromId: declined.id }))).toBe('FORBIDDEN');
    expect(snapshot(site.store)).toBe(mid);
    expect(before).not.toBe(mid);
  });

  it('lists only the hand-overs from or to their institution', async () => {
    const other = await rpc(site.app, agent, 'handoffs.create', toCdas);
    const toCaf = await rpc(site.app, agent, 'handoffs.create', { ...toCdas, toInstitution: 'CAF' });
    const fromCaf = await rpc(site.app, caf, 'handoffs.create', toCdas);
    const listed = (await rpc(site.app, coordCaf, 'handoffs.sent', { all: true })).handoffs.map((h) => h.id);
    expect(listed.sort()).toEqual([toCaf.id, fromCaf.id].sort());
    expect(listed).not.toContain(other.id);
    const all = (await rpc(site.app, coordSite, 'handoffs.sent', { all: true })).handoffs.map((h) => h.id);
    expect(all.sort()).toEqual([other.id, toCaf.id, fromCaf.id].sort());
  });

  it('still oversees its own institution’s hand-overs, as the site coordination oversees all', async () => {
    const toCaf = await rpc(site.app, agent, 'handoffs.create', { ...toCdas, toInstitution: 'CAF' });
    expect((await rpc(site.app, coordCaf, 'handoffs.personLeft', { id: toCaf.id, version: toCaf.version })).state).toBe('person_left');
    const h = await rpc(site.app, agent, 'handoffs.create', toCdas);
    expect((await rpc(site.app, coordSite, 'handoffs.cancel', { id: h.id, version: h.version })).state).toBe('cancelled');
  });
});

describe('creating a hand-over from what one cannot see', () => {
  it('refuses a ticket of another institution’s queue as not found, and changes nothing', async () => {
    const cdasTicket = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CDAS' });
    const before = snapshot(site.store);
    const r = await rpcRaw(site.app, caf, 'handoffs.create', { ...toCdas, queueEntryId: cdasTicket.id });
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(snapshot(site.store)).toBe(before);
    const own = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF' });
    expect((await rpc(site.app, caf, 'handoffs.create', { ...toCdas, queueEntryId: own.id })).ticket).toBe(own.ticket);
  });

  it('refuses another professional’s contact as not found', async () => {
    const contact = await rpc(site.app, cdas, 'contacts.log', { channel: 'sur_place', domains: ['LOGEMENT'] });
    expect(codeOf(await rpcRaw(site.app, caf, 'handoffs.create', { ...toCdas, contactId: contact.id }))).toBe('NOT_FOUND');
    expect(codeOf(await rpcRaw(site.app, agent, 'handoffs.create', { ...toCdas, contactId: contact.id }))).toBe('OK');
  });
});
