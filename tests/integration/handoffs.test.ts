/** Warm hand-overs through the router: consent, inbox rights, audit of reads, delays, anonymisation. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { runHousekeeping } from '../../src/main/api/housekeeping';
import { HANDOFF_ACTIONS, HANDOFF_STATES, type HandoffAction, type HandoffState } from '../../src/shared/handoffs/states';

let site: TestSite;
let agent: Connection;
let cdas: Connection;
let caf: Connection;

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z'); // Monday 10:00 in Paris
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS', 'Camille Martin');
  cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS', 'Nadia Benali');
  caf = await signInAs(site, 'caf', 'professionnel', 'CAF', 'Paul Riou');
});
afterEach(() => site.close());

const withConsent = {
  toInstitution: 'CDAS' as const,
  domains: ['LOGEMENT'],
  mode: 'accompagne' as const,
  consent: true,
  sharedFields: ['name' as const, 'summary' as const],
  personName: 'Mme Lefèvre',
  summary: 'Impayés de loyer depuis deux mois',
};

const code = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data.code : 'OK');

describe('creating a hand-over', () => {
  it('records the mode, the consent and who recorded it, and keeps details out of the list', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    expect(h).toMatchObject({ state: 'proposed', consent: true, consentRecordedByName: 'Camille Martin', sharedFields: ['name', 'summary'], hasDetails: true, mode: 'accompagne' });
    expect(JSON.stringify(h)).not.toContain('Lefèvre');
    const inbox = await rpc(site.app, cdas, 'handoffs.inbox', {});
    expect(inbox.handoffs.map((x) => x.id)).toEqual([h.id]);
    expect(JSON.stringify(inbox)).not.toContain('Lefèvre');
  });

  it('refuses personal details without consent, or for a field the person did not agree to share, and changes nothing', async () => {
    const before = snapshot(site.store);
    const noConsent = await rpcRaw(site.app, agent, 'handoffs.create', { ...withConsent, consent: false, sharedFields: [] });
    expect(code(noConsent)).toBe('VALIDATION');
    const notAgreed = await rpcRaw(site.app, agent, 'handoffs.create', { ...withConsent, sharedFields: ['summary'] });
    expect(code(notAgreed)).toBe('VALIDATION');
    expect(snapshot(site.store)).toBe(before);
  });

  it('without consent the hand-over exists but carries nothing personal', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false });
    expect(h).toMatchObject({ consent: false, hasDetails: false, sharedFields: [], consentRecordedByName: null });
    expect(await rpc(site.app, cdas, 'handoffs.details', { id: h.id })).toEqual({ name: null, phone: null, summary: null, documents: null });
  });

  it('needs a date for a booked appointment', async () => {
    const r = await rpcRaw(site.app, agent, 'handoffs.create', { ...withConsent, mode: 'rdv' });
    expect('error' in r && r.error.data).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'appointmentAt' }] });
  });
});

describe('receiving side', () => {
  it('a CAF professional neither sees nor reads nor answers a CDAS hand-over', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    expect((await rpc(site.app, caf, 'handoffs.inbox', {})).handoffs).toEqual([]);
    expect(code(await rpcRaw(site.app, caf, 'handoffs.details', { id: h.id }))).toBe('FORBIDDEN');
    expect(code(await rpcRaw(site.app, caf, 'handoffs.accept', { id: h.id, version: h.version }))).toBe('FORBIDDEN');
  });

  it('every display of personal details writes an audit row naming the reader', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    const details = await rpc(site.app, cdas, 'handoffs.details', { id: h.id });
    expect(details).toMatchObject({ name: 'Mme Lefèvre', summary: 'Impayés de loyer depuis deux mois', phone: null });
    await rpc(site.app, cdas, 'handoffs.details', { id: h.id });
    const reads = site.store.sqlite
      .prepare("SELECT actor_login AS who, at FROM audit_log WHERE action = 'handoff.readDetails' AND entity_id = ? ORDER BY id")
      .all(h.id) as { who: string; at: string }[];
    expect(reads.map((r) => r.who)).toEqual(['cdas', 'cdas']);
    const audit = site.store.sqlite.prepare('SELECT diff FROM audit_log').all() as { diff: string }[];
    expect(audit.some((a) => a.diff.includes('Lefèvre') || a.diff.includes('loyer'))).toBe(false);
  });

  it('accepted by the CDAS, the sender sees it taken in charge; the event reaches connected clients', async () => {
    const events: { name: string; payload: unknown }[] = [];
    site.app.bus.subscribe({ principal: () => ({ role: 'agent_accueil', institution: 'CCAS' }), deliver: (name, payload) => events.push({ name, payload }) });
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    site.clock.advance(4 * 60_000);
    const accepted = await rpc(site.app, cdas, 'handoffs.accept', { id: h.id, version: h.version });
    expect(accepted).toMatchObject({ state: 'accepted', takenByName: 'Nadia Benali' });
    const sent = await rpc(site.app, agent, 'handoffs.sent', {});
    expect(sent.handoffs[0]).toMatchObject({ id: h.id, state: 'accepted', takenByName: 'Nadia Benali' });
    expect(events.filter((e) => e.name === 'handoff.changed').map((e) => (e.payload as { action: string }).action)).toEqual(['create', 'accept']);
    expect(JSON.stringify(events)).not.toContain('Lefèvre');
  });

  it('declined with a reason, the sender re-orients to the CAF, which receives it', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    const declined = await rpc(site.app, cdas, 'handoffs.decline', { id: h.id, version: h.version, reason: 'autre_structure', text: 'Voir la CAF' });
    expect(declined).toMatchObject({ state: 'declined', declineReason: 'autre_structure', declineText: 'Voir la CAF' });
    const again = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CAF', domains: ['DROITS'], mode: 'appel_commun', consent: false, reorientFromId: h.id });
    expect(again.reorientedFromId).toBe(h.id);
    expect((await rpc(site.app, caf, 'handoffs.inbox', {})).handoffs.map((x) => x.id)).toEqual([again.id]);
    expect((await rpc(site.app, agent, 'handoffs.sent', {})).handoffs.find((x) => x.id === h.id)?.reorientedToId).toBe(again.id);
    expect(code(await rpcRaw(site.app, agent, 'handoffs.create', { toInstitution: 'CAF', domains: ['DROITS'], mode: 'rappel', consent: false, reorientFromId: h.id }))).toBe('CONFLICT');
  });

  it('two receivers answering at once: one wins, the other gets CONFLICT', async () => {
    const coord = await signInAs(site, 'coord', 'coordinateur', null);
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    const [a, b] = await Promise.all([
      rpcRaw(site.app, cdas, 'handoffs.accept', { id: h.id, version: h.version }),
      rpcRaw(site.app, coord, 'handoffs.decline', { id: h.id, version: h.version, reason: 'indisponible' }),
    ]);
    expect([code(a), code(b)].sort()).toEqual(['CONFLICT', 'OK']);
  });
});

describe('delays, expiry and retention (injected clock)', () => {
  it('an unanswered hand-over becomes late after the mode delay, then expires and the sender is told', async () => {
    const told: string[] = [];
    site.app.bus.subscribe({ principal: () => ({ role: 'agent_accueil', institution: 'CCAS' }), deliver: (name, payload) => name === 'handoff.changed' && told.push((payload as { action: string }).action) });
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    expect(Date.parse(h.lateAt) - Date.parse(h.createdAt)).toBe(10 * 60_000);
    site.clock.advance(11 * 60_000);
    const late = (await rpc(site.app, agent, 'handoffs.sent', {})).handoffs[0]!;
    expect(late.state).toBe('proposed');
    expect(Date.parse(late.lateAt)).toBeLessThan(site.clock.now().getTime());
    site.clock.advance(20 * 60_000);
    await runHousekeeping(site.app);
    const expired = (await rpc(site.app, agent, 'handoffs.sent', {})).handoffs[0]!;
    expect(expired.state).toBe('expired');
    expect(told).toContain('expire');
    expect(code(await rpcRaw(site.app, cdas, 'handoffs.accept', { id: h.id, version: h.version }))).toBe('CONFLICT');
  });

  it('the person leaving before being taken in charge is recorded', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    const left = await rpc(site.app, agent, 'handoffs.personLeft', { id: h.id, version: h.version });
    expect(left.state).toBe('person_left');
    expect(left.closedAt).not.toBeNull();
  });

  it('after the retention period personal details are cleared while the hand-over still counts', async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', withConsent);
    await rpc(site.app, cdas, 'handoffs.accept', { id: h.id, version: h.version });
    site.clock.advance(31 * 24 * 3600_000);
    await runHousekeeping(site.app);
    cdas = await signIn(site.app, 'cdas', 'cdas-password-1');
    expect(await rpc(site.app, cdas, 'handoffs.details', { id: h.id })).toEqual({ name: null, phone: null, summary: null, documents: null });
    const row = site.store.sqlite.prepare('SELECT state, anonymised_at AS a FROM handoffs WHERE id = ?').get(h.id) as { state: string; a: string | null };
    expect(row.state).toBe('accepted');
    expect(row.a).not.toBeNull();
    const day = h.day;
    const stats = await rpc(site.app, cdas, 'stats.period', { from: day, to: day });
    expect(stats.figures.handoffs).toBe(1);
    const bytes = JSON.stringify(site.store.sqlite.prepare('SELECT * FROM handoffs').all());
    expect(bytes).not.toContain('Lefèvre');
  });
});

describe('state table through the router', () => {
  const drive: Record<HandoffState, (c: Connection, h: { id: string; version: number }) => Promise<{ id: string; version: number }>> = {
    proposed: async (_c, h) => h,
    accepted: (_c, h) => rpc(site.app, cdas, 'handoffs.accept', h),
    completed: async (_c, h) => {
      const a = await rpc(site.app, cdas, 'handoffs.accept', h);
      return rpc(site.app, cdas, 'handoffs.complete', { id: a.id, version: a.version });
    },
    declined: (_c, h) => rpc(site.app, cdas, 'handoffs.decline', { ...h, reason: 'autre' }),
    expired: async (_c, h) => {
      site.clock.advance(31 * 60_000);
      await runHousekeeping(site.app);
      const row = site.store.sqlite.prepare('SELECT version FROM handoffs WHERE id = ?').get(h.id) as { version: number };
      return { id: h.id, version: row.version };
    },
    cancelled: (_c, h) => rpc(site.app, agent, 'handoffs.cancel', h),
    person_left: (_c, h) => rpc(site.app, agent, 'handoffs.personLeft', h),
  };
  const call: Record<Exclude<HandoffAction, 'expire'>, (h: { id: string; version: number }) => ReturnType<typeof rpcRaw>> = {
    seen: (h) => rpcRaw(site.app, cdas, 'handoffs.seen', h),
    accept: (h) => rpcRaw(site.app, cdas, 'handoffs.accept', h),
    decline: (h) => rpcRaw(site.app, cdas, 'handoffs.decline', { ...h, reason: 'autre' }),
    complete: (h) => rpcRaw(site.app, cdas, 'handoffs.complete', h),
    cancel: (h) => rpcRaw(site.app, agent, 'handoffs.cancel', h),
    personLeft: (h) => rpcRaw(site.app, agent, 'handoffs.personLeft', h),
  };
  const allowed: Record<string, HandoffState[]> = {
    seen: ['proposed'],
    accept: ['proposed'],
    decline: ['proposed'],
    complete: ['accepted'],
    cancel: ['proposed', 'accepted'],
    personLeft: ['proposed', 'accepted'],
  };
  for (const action of HANDOFF_ACTIONS.filter((a) => a !== 'expire') as Exclude<HandoffAction, 'expire'>[]) {
    for (const state of HANDOFF_STATES) {
      it(`${action} on a ${state} hand-over ${allowed[action]!.includes(state) ? 'succeeds' : 'answers CONFLICT and changes nothing'}`, async () => {
        const created = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'accompagne', consent: false });
        const driven = await drive[state](agent, { id: created.id, version: created.version });
        const current = { id: driven.id, version: driven.version };
        const before = snapshot(site.store);
        const res = await call[action](current);
        if (allowed[action]!.includes(state)) expect(code(res)).toBe('OK');
        else {
          expect(code(res)).toBe('CONFLICT');
          expect('error' in res && res.error.message).toMatch(/[a-z]/);
          expect(snapshot(site.store)).toBe(before);
        }
      });
    }
  }
});
