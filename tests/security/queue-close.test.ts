/**
 * Issue 13 item 2: closing the queue (waiting and called tickets end as "non reçus – fermeture",
 * with no way back) belongs to reception and coordination. A professional, who operates the
 * queues of their own institution, is refused, and nothing changes (decision 010).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, ADMIN, type TestSite } from '../fixtures/site';
import { can } from '../../src/shared/permissions';
import { codeOf } from './hub-client';

let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T15:30:00Z');
});
afterEach(() => site.close());

describe('queue.closeDay', () => {
  it('is refused to a professional, even for their own institution’s queue, and to an administrator; nothing changes', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const caf = await signInAs(site, 'caf', 'professionnel', 'CAF');
    const admin = await signIn(site.app, ADMIN.login, ADMIN.password);
    for (const serviceCode of ['ACCUEIL', 'CDAS', 'CAF']) await rpc(site.app, agent, 'queue.add', { serviceCode });
    const before = snapshot(site.store);
    expect(codeOf(await rpcRaw(site.app, caf, 'queue.closeDay', {}))).toBe('FORBIDDEN');
    expect(codeOf(await rpcRaw(site.app, admin, 'queue.closeDay', {}))).toBe('FORBIDDEN');
    expect(snapshot(site.store)).toBe(before);
  });

  it('is done by reception and by the coordination', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const coord = await signInAs(site, 'coord', 'coordinateur', 'CDAS');
    await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF' });
    expect((await rpc(site.app, agent, 'queue.closeDay', {})).closed).toBe(1);
    await rpc(site.app, agent, 'queue.add', { serviceCode: 'CDAS' });
    expect((await rpc(site.app, coord, 'queue.closeDay', {})).closed).toBe(1);
  });

  it('is a permission of its own, which the UI reads from the same module', () => {
    expect(can({ role: 'professionnel', institution: 'CAF' }, 'queue.operate')).toBe(true);
    expect(can({ role: 'professionnel', institution: 'CAF' }, 'queue.close')).toBe(false);
    expect(can({ role: 'agent_accueil', institution: null }, 'queue.close')).toBe(true);
    expect(can({ role: 'coordinateur', institution: 'CDAS' }, 'queue.close')).toBe(true);
  });
});
