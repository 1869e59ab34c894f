/** Shared-desk sign-in: PIN switching, locking, lock-out after failures, sign-in rate limiting. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, signInAs, type TestSite } from '../fixtures/site';
import { startHub } from '../../src/main/hub/server';
import { SignInLimiter } from '../../src/main/hub/rate-limit';

let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:00:00Z');
});
afterEach(() => site.close());

const code = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data.code : 'OK');

describe('personal PIN on a shared desk', () => {
  it('switches agents with a PIN only after a password sign-in the same day', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '4821' });
    const quick = await rpc(site.app, { token: null }, 'session.pinLogin', { login: 'agent', pin: '4821' });
    expect(quick.me.login).toBe('agent');
    site.clock.set('2026-11-24T07:30:00Z');
    const nextDay = await rpcRaw(site.app, { token: null }, 'session.pinLogin', { login: 'agent', pin: '4821' });
    expect('error' in nextDay && nextDay.error.message).toMatch(/mot de passe aujourd’hui/);
  });

  it('never lets an administrator use a PIN', async () => {
    const admin = await signIn(site.app, ADMIN.login, ADMIN.password);
    expect(code(await rpcRaw(site.app, admin, 'session.setPin', { currentPassword: ADMIN.password, pin: '1234' }))).toBe('FORBIDDEN');
  });

  it('refuses a PIN that is not 4 to 8 digits', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const r = await rpcRaw(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '12ab' });
    expect('error' in r && r.error.data).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'pin' }] });
  });
});

describe('locking the desk', () => {
  it('hides everything until unlocked with the PIN', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '4821' });
    await rpc(site.app, agent, 'session.lock', {});
    expect((await rpc(site.app, agent, 'session.me', {})).locked).toBe(true);
    const blocked = await rpcRaw(site.app, agent, 'queue.list', {});
    expect(code(blocked)).toBe('FORBIDDEN');
    expect(code(await rpcRaw(site.app, agent, 'session.unlock', { pin: '0000' }))).toBe('UNAUTHENTICATED');
    await rpc(site.app, agent, 'session.unlock', { pin: '4821' });
    expect((await rpc(site.app, agent, 'queue.list', {})).entries).toEqual([]);
  });

  it('a locked desk receives no events', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null });
    try {
      const { default: WebSocket } = await import('ws');
      const ws = new WebSocket(hub.url.replace('http', 'ws') + 'rpc');
      const events: string[] = [];
      await new Promise((r) => ws.on('open', r));
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { method?: string };
        if (m.method) events.push(m.method);
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.resume', params: { token: agent.token } }));
      await new Promise((r) => setTimeout(r, 100));
      await rpc(site.app, agent, 'session.lock', {});
      const other = await signInAs(site, 'agent2', 'agent_accueil', 'CDAS');
      await rpc(site.app, other, 'queue.add', { serviceCode: 'ACCUEIL', firstName: 'Secret' });
      await new Promise((r) => setTimeout(r, 150));
      expect(events).toEqual([]);
      ws.close();
    } finally {
      await hub.close();
    }
  });
});

describe('lock-out and rate limiting', () => {
  it('locks an account for 15 minutes after five wrong passwords, even with the right one, then lets it in', async () => {
    await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    for (let i = 0; i < 5; i++) await rpcRaw(site.app, { token: null }, 'session.login', { login: 'agent', password: 'mauvais-mot' });
    const r = await rpcRaw(site.app, { token: null }, 'session.login', { login: 'agent', password: 'agent-password-1' });
    expect('error' in r && r.error.message).toMatch(/Compte bloqué/);
    const audit = site.store.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'account.lockedOut'").get() as { n: number };
    expect(audit.n).toBe(1);
    site.clock.advance(16 * 60_000);
    expect(code(await rpcRaw(site.app, { token: null }, 'session.login', { login: 'agent', password: 'agent-password-1' }))).toBe('OK');
  });

  it('limits sign-in attempts per address on the hub, over HTTP', async () => {
    const hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null, signInLimiter: new SignInLimiter(3, 60_000) });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(new URL('rpc', hub.url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'session.login', params: { login: `inconnu${i}`, password: 'x' } }),
        });
        statuses.push(res.status);
        if (res.status === 429) expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Trop de tentatives/);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await hub.close();
    }
  });
});
