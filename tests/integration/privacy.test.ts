/** Retention as code, and the right of access and erasure for a named person. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signIn, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { runHousekeeping } from '../../src/main/api/housekeeping';

let site: TestSite;
let agent: Connection;
let coord: Connection;
beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z');
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  coord = await signInAs(site, 'coord', 'coordinateur', null);
});
afterEach(() => site.close());

describe('retention', () => {
  it('clears notes and pseudonymous keys after their periods, keeping the contacts counted', async () => {
    await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'], note: 'Rappeler Mme Durand', person: { lastName: 'Durand', firstName: 'Anne', birthDate: '1970-01-01' } });
    await rpc(site.app, coord, 'privacy.updateRetention', { retention: { contactNotesDays: 30, personKeysDays: 60 } });
    site.clock.advance(31 * 86_400_000);
    await runHousekeeping(site.app);
    let row = site.store.sqlite.prepare('SELECT note, person_key AS k FROM contacts').get() as { note: string | null; k: string | null };
    expect(row.note).toBeNull();
    expect(row.k).not.toBeNull();
    site.clock.advance(30 * 86_400_000);
    await runHousekeeping(site.app);
    row = site.store.sqlite.prepare('SELECT note, person_key AS k FROM contacts').get() as { note: string | null; k: string | null };
    expect(row.k).toBeNull();
    coord = await signIn(site.app, 'coord', 'coord-password-1');
    expect((await rpc(site.app, coord, 'contacts.persons', { from: '2026-11-23', to: '2026-11-23' })).passages).toBe(1);
  });
});

describe('right of access and erasure', () => {
  it('finds what the site holds about a named person, erases it on request, and traces both', async () => {
    const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL', firstName: 'Durand' });
    await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'], note: 'Mme Durand rappelle lundi', person: { lastName: 'Durand', firstName: 'Anne', birthDate: '1970-01-01' } });
    await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: true, sharedFields: ['name'], personName: 'Anne Durand', queueEntryId: e.id });
    await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['AUTRE'], note: 'Sans rapport' });

    const { findings } = await rpc(site.app, coord, 'privacy.search', { lastName: 'Durand', firstName: 'Anne', birthDate: '1970-01-01' });
    expect(findings.map((f) => f.kind).sort()).toEqual(['contact_note', 'contact_person_key', 'handoff_details', 'queue_first_name']);
    expect(JSON.stringify(findings)).not.toContain('Sans rapport');

    const r = await rpc(site.app, coord, 'privacy.erase', { items: findings.map((f) => ({ kind: f.kind, id: f.id })), reason: 'Demande écrite de la personne' });
    expect(r.erased).toBe(4);
    expect((await rpc(site.app, coord, 'privacy.search', { lastName: 'Durand', firstName: 'Anne', birthDate: '1970-01-01' })).findings).toEqual([]);
    expect((await rpc(site.app, coord, 'stats.today', {})).figures).toMatchObject({ arrivals: 1, contacts: 2, handoffs: 1 });
    const audit = site.store.sqlite.prepare("SELECT action, diff FROM audit_log WHERE entity = 'privacy' ORDER BY id").all() as { action: string; diff: string }[];
    expect(audit.map((a) => a.action)).toEqual(['privacy.search', 'privacy.erase', 'privacy.search']);
    expect(JSON.stringify(audit)).not.toContain('Anne');
  });

  it('is for the coordination only', async () => {
    const r = await rpcRaw(site.app, agent, 'privacy.search', { lastName: 'Durand' });
    expect('error' in r && r.error.data.code).toBe('FORBIDDEN');
  });
});
