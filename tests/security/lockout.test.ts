/**
 * Issue 13 item 1: the lock-out must hold against parallel attempts. Fifty wrong passwords (or
 * PINs) sent at once, over HTTP and over WebSocket through the real hub, lock the account after
 * five; the right secret is then refused until the lock ends (the injected clock moves past it).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import { SignInLimiter } from '../../src/main/hub/rate-limit';
import { LOCKOUT_MINUTES } from '../../src/main/core/accounts/sessions';
import { createTestSite, rpc, signInAs, type TestSite } from '../fixtures/site';
import { codeOf, httpCall, openSocket } from './hub-client';

let site: TestSite;
let hub: RunningHub;

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:00:00Z');
  // The per-address sign-in budget of the hub is another defence: lift it so that only the
  // per-account lock-out is under test.
  hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null, signInLimiter: new SignInLimiter(10_000, 60_000) });
});
afterEach(async () => {
  await hub.close();
  site.close();
});

const PASSWORD = 'agent-password-1';
const PIN = '4821';
const lockedOutRows = () => (site.store.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'account.lockedOut'").get() as { n: number }).n;

type Transport = 'http' | 'ws';

/** Sends all attempts at once: HTTP requests in parallel, or one WebSocket per attempt. */
async function burst(transport: Transport, method: string, attempts: unknown[]): Promise<string[]> {
  if (transport === 'http') return (await Promise.all(attempts.map((p) => httpCall(hub.url, method, p)))).map(codeOf);
  const sockets = await Promise.all(attempts.map(() => openSocket(hub.url)));
  try {
    return (await Promise.all(sockets.map((s, i) => s.call(method, attempts[i])))).map(codeOf);
  } finally {
    for (const s of sockets) s.close();
  }
}

async function signInOver(transport: Transport, method: string, params: unknown): Promise<string> {
  return (await burst(transport, method, [params]))[0]!;
}

// Fifty scrypt checks at once on a shared 2-core machine: generous time, no timing assertion.
describe.each<Transport>(['http', 'ws'])('lock-out under parallel attempts (%s)', { timeout: 180_000 }, (transport) => {
  it('50 wrong passwords at once lock the account; the right one is refused until the lock ends', async () => {
    await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const wrong = Array.from({ length: 50 }, (_, i) => ({ login: 'agent', password: `mauvais-mot-${i}` }));
    const codes = await burst(transport, 'session.login', wrong);
    expect(codes.every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect(lockedOutRows()).toBe(1);

    expect(await signInOver(transport, 'session.login', { login: 'agent', password: PASSWORD })).toBe('UNAUTHENTICATED');
    site.clock.advance((LOCKOUT_MINUTES * 60 - 5) * 1000);
    expect(await signInOver(transport, 'session.login', { login: 'agent', password: PASSWORD })).toBe('UNAUTHENTICATED');
    site.clock.advance(10_000);
    expect(await signInOver(transport, 'session.login', { login: 'agent', password: PASSWORD })).toBe('OK');
  });

  it('50 wrong PINs at once lock the account; the right PIN (and the password) are refused until the lock ends', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: PASSWORD, pin: PIN });
    const wrong = Array.from({ length: 50 }, (_, i) => ({ login: 'agent', pin: String(5000 + i * 7) }));
    const codes = await burst(transport, 'session.pinLogin', wrong);
    expect(codes.every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect(lockedOutRows()).toBe(1);

    expect(await signInOver(transport, 'session.pinLogin', { login: 'agent', pin: PIN })).toBe('UNAUTHENTICATED');
    expect(await signInOver(transport, 'session.login', { login: 'agent', password: PASSWORD })).toBe('UNAUTHENTICATED');
    site.clock.advance(LOCKOUT_MINUTES * 60_000 + 1000);
    expect(await signInOver(transport, 'session.pinLogin', { login: 'agent', pin: PIN })).toBe('OK');
  });

  it('a burst that mixes in the right password does not open more than five guesses', async () => {
    await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    // Five wrong guesses first (in parallel), then the right password among 20 more: the account
    // is already locked, so even the right one is refused.
    await burst(transport, 'session.login', Array.from({ length: 5 }, (_, i) => ({ login: 'agent', password: `faux-${i}-faux-faux` })));
    const mixed = Array.from({ length: 20 }, (_, i) => ({ login: 'agent', password: i === 10 ? PASSWORD : `faux-${i}-encore-faux` }));
    expect((await burst(transport, 'session.login', mixed)).filter((c) => c === 'OK')).toEqual([]);
  });
});

describe('the counter itself', { timeout: 120_000 }, () => {
  it('after four failures the right password still opens the session and resets the count', async () => {
    await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    for (let i = 0; i < 4; i++) expect(await signInOver('http', 'session.login', { login: 'agent', password: `faux-${i}-faux-faux` })).toBe('UNAUTHENTICATED');
    expect(await signInOver('http', 'session.login', { login: 'agent', password: PASSWORD })).toBe('OK');
    for (let i = 0; i < 4; i++) await signInOver('http', 'session.login', { login: 'agent', password: `faux-${i}-faux-faux` });
    expect(await signInOver('http', 'session.login', { login: 'agent', password: PASSWORD })).toBe('OK');
    expect(lockedOutRows()).toBe(0);
  });

  it('attempts left counted by a stopped process turn into a lock that ends, never a refusal for ever', async () => {
    await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    // Five attempts were in flight when the hub was killed: counted, never settled.
    site.store.sqlite.prepare("UPDATE accounts SET failed_attempts = 5, locked_until = NULL WHERE login = 'agent'").run();
    expect(await signInOver('http', 'session.login', { login: 'agent', password: PASSWORD })).toBe('UNAUTHENTICATED');
    expect(lockedOutRows()).toBe(1);
    site.clock.advance(LOCKOUT_MINUTES * 60_000 + 1000);
    expect(await signInOver('http', 'session.login', { login: 'agent', password: PASSWORD })).toBe('OK');
  });

  it('unlocking a locked desk counts its failures the same way', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: PASSWORD, pin: PIN });
    await rpc(site.app, agent, 'session.lock', {});
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openSocket(hub.url)));
    try {
      await Promise.all(sockets.map((s) => s.call('session.resume', { token: agent.token })));
      await Promise.all(sockets.map((s, i) => s.call('session.unlock', { pin: String(6000 + i) })));
    } finally {
      for (const s of sockets) s.close();
    }
    expect(lockedOutRows()).toBe(1);
    expect(codeOf(await httpCall(hub.url, 'session.unlock', { pin: PIN }, agent.token!))).toBe('UNAUTHENTICATED');
  });
});
