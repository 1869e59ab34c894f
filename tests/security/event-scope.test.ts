/**
 * Issue 13 item 10: live events follow the same object rules as the methods. Through the real
 * hub (WebSocket), a CAF professional receives neither CDAS queue events, nor hand-over events of
 * other institutions, nor contact events of other people; those who may see the object do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import type { Connection } from '../../src/main/api/types';
import { createTestSite, rpc, signInAs, type TestSite } from '../fixtures/site';
import { openSocket, type RpcSocket } from './hub-client';

let site: TestSite;
let hub: RunningHub;
const sockets: RpcSocket[] = [];

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z'); // Monday 10:00 in Paris
  hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub.close();
  site.close();
});

async function listen(conn: Connection): Promise<RpcSocket> {
  const s = await openSocket(hub.url);
  await s.call('session.resume', { token: conn.token });
  sockets.push(s);
  return s;
}

const settle = () => new Promise((r) => setTimeout(r, 300));
const names = (s: RpcSocket, method: string) => s.events.filter((e) => e.method === method).map((e) => e.params as Record<string, unknown>);

describe('queue events', () => {
  it('reach a professional only for the queues of their institution (and the whole-queue changes)', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const caf = await signInAs(site, 'caf', 'professionnel', 'CAF');
    const cafEars = await listen(caf);
    const agentEars = await listen(agent);

    const cdasTicket = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CDAS', firstName: 'Secret' });
    await rpc(site.app, agent, 'queue.call', { id: cdasTicket.id, version: cdasTicket.version, destination: 'Bureau 1' });
    const cafTicket = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF' });
    await settle();
    expect(names(cafEars, 'queue.changed').map((p) => p.entryId)).toEqual([cafTicket.id]);
    expect(names(agentEars, 'queue.changed').map((p) => p.entryId)).toEqual([cdasTicket.id, cdasTicket.id, cafTicket.id]);

    // A ticket moved from the CDAS queue to the CAF queue concerns both.
    const moved = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CDAS' });
    await rpc(site.app, agent, 'queue.move', { id: moved.id, version: moved.version, serviceCode: 'CAF', reason: 'Dossier CAF' });
    await rpc(site.app, agent, 'queue.closeDay', {});
    await settle();
    expect(names(cafEars, 'queue.changed').map((p) => [p.entryId, p.action])).toEqual([
      [cafTicket.id, 'add'],
      [moved.id, 'move'],
      [null, 'close'],
    ]);
  });
});

describe('hand-over events', () => {
  it('reach the sender, the receiving institution and the coordination that oversees it, nobody else', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS');
    const caf = await signInAs(site, 'caf', 'professionnel', 'CAF');
    const coordCaf = await signInAs(site, 'coordcaf', 'coordinateur', 'CAF');
    const coordSite = await signInAs(site, 'coord', 'coordinateur', null);
    const ears = { agent: await listen(agent), cdas: await listen(cdas), caf: await listen(caf), coordCaf: await listen(coordCaf), coordSite: await listen(coordSite) };

    const h = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false });
    await rpc(site.app, cdas, 'handoffs.accept', { id: h.id, version: h.version });
    await settle();
    const got = (k: keyof typeof ears) => names(ears[k], 'handoff.changed').map((p) => p.action);
    expect(got('agent')).toEqual(['create', 'accept']);
    expect(got('cdas')).toEqual(['create', 'accept']);
    expect(got('coordSite')).toEqual(['create', 'accept']);
    expect(got('caf')).toEqual([]);
    expect(got('coordCaf')).toEqual([]);
  });
});

describe('contact events', () => {
  it('reach a professional for their own contacts only; reception and coordination for all', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const caf = await signInAs(site, 'caf', 'professionnel', 'CAF');
    const cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS');
    const coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
    const ears = { agent: await listen(agent), caf: await listen(caf), coord: await listen(coord) };

    const byAgent = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'] });
    const byCdas = await rpc(site.app, cdas, 'contacts.log', { channel: 'sur_place', domains: ['SANTE'] });
    const byCaf = await rpc(site.app, caf, 'contacts.log', { channel: 'sur_place', domains: ['DROITS'] });
    await settle();
    const got = (k: keyof typeof ears) => names(ears[k], 'contacts.changed').map((p) => p.contactId);
    expect(got('caf')).toEqual([byCaf.id]);
    expect(got('agent')).toEqual([byAgent.id, byCdas.id, byCaf.id]);
    expect(got('coord')).toEqual([byAgent.id, byCdas.id, byCaf.id]);
  });
});
