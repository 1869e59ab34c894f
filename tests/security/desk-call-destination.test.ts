/**
 * Issue 13, item 9: `queue.call` accepted any 1–30 character destination, so "Mme Dupont" appeared
 * in 72 px type on the public waiting-room display, which promises no names. Only the desks and
 * offices configured for the site may be called to, by every call path.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { parisInstant } from '../../src/shared/time/paris';

let site: TestSite;
let agent: Connection;
let coord: Connection;
const display: Connection = { token: null };
const code = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data.code : 'OK');

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set(parisInstant('2026-11-23', '10:00'));
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  coord = await signInAs(site, 'coord', 'coordinateur');
});
afterEach(() => site.close());

describe('call destinations', () => {
  for (const destination of ['Mme Dupont', 'guichet 1', 'Bureau 33']) {
    it(`refuses « ${destination} » on call, call next and recall, shows nothing on the display and changes nothing`, async () => {
      const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
      const shown: unknown[] = [];
      site.app.bus.subscribe({ principal: () => null, deliver: (name, payload) => shown.push({ name, payload }) });
      const before = snapshot(site.store);
      const call = await rpcRaw(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination });
      expect(code(call)).toBe('VALIDATION');
      expect('error' in call && call.error.message).toMatch(/n’est pas un guichet ni un bureau du site/);
      expect(code(await rpcRaw(site.app, agent, 'queue.callNext', { serviceCode: 'ACCUEIL', destination }))).toBe('VALIDATION');
      expect(snapshot(site.store)).toBe(before);
      const called = await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
      expect(code(await rpcRaw(site.app, agent, 'queue.recall', { id: called.id, version: called.version, destination }))).toBe('VALIDATION');
      const board = await rpc(site.app, display, 'display.board', {});
      expect(board.calls.map((c) => c.destination)).toEqual(['Guichet 1']);
      expect(JSON.stringify(shown)).not.toContain(destination);
    });
  }

  it('follows the site’s configuration: a desk added by the coordination can be called to, a removed one no longer', async () => {
    const config = await rpc(site.app, coord, 'queue.getConfig', {});
    await rpc(site.app, coord, 'queue.updateConfig', { config: { ...config, destinations: ['Guichet A', 'Bureau CAF'] } });
    const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    expect(code(await rpcRaw(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' }))).toBe('VALIDATION');
    expect((await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Bureau CAF' })).calledTo).toBe('Bureau CAF');
  });
});
